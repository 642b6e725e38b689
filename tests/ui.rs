//! Compile-fail diagnostics of `#[differentiable]`: one misuse per file under
//! `tests/ui/<category>/`, each with the exact compiler output it must produce
//! committed beside it as `.stderr`.
//!
//! Regenerate after a deliberate message change with
//! `TRYBUILD=overwrite cargo test -p grad --test ui`, then read every changed
//! `.stderr`: each message must name the construct, point at it and say what
//! to write instead.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*/*.rs");
}
