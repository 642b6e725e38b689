//! Known bugs, each a failing case marked `#[ignore = "bug: …"]` (run with
//! `cargo test --test second_order -- --ignored`). A compile error of the
//! generated code is checked with trybuild's `pass`.

#[test]
#[ignore = "bug: scalar sigmoid of a computed value inside an if branch: the _hvp uses its complement `tN_c` outside the branch (E0425)"]
fn hessian_of_sigmoid_inside_a_branch_compiles() {
    trybuild::TestCases::new().pass("tests/second_order/bugs/sigmoid-in-branch.rs");
}
