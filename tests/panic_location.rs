//! A length mismatch inside a `#[differentiable]` fn panics at the line of
//! the op in the user's body (the runtime is `#[track_caller]` and generated
//! code carries the user's spans), in the original fn and in every generated
//! one: not in grad's sources, not at the attribute.

use grad::prelude::*;
use std::panic::{self, Location};
use std::sync::Mutex;

#[differentiable]
fn score(a: &[f64], b: &[f64]) -> f64 {
    let s = a * 2.0;
    dot(s, b) // DOT_LINE
}

/// The line of this file that holds `marker`.
fn line_of(marker: &str) -> u32 {
    let src = include_str!("panic_location.rs");
    let k = src
        .lines()
        .position(|l| l.trim_end().ends_with(marker))
        .expect("the marker is in this file");
    u32::try_from(k + 1).expect("a small line number")
}

/// Where `f` panics.
fn panic_location(f: impl FnOnce() + panic::UnwindSafe) -> (String, u32) {
    static SEEN: Mutex<Option<(String, u32)>> = Mutex::new(None);
    let previous = panic::take_hook();
    panic::set_hook(Box::new(|info| {
        let at: Option<&Location> = info.location();
        *SEEN.lock().unwrap_or_else(|e| e.into_inner()) =
            at.map(|l| (l.file().to_string(), l.line()));
    }));
    let result = panic::catch_unwind(f);
    panic::set_hook(previous);
    assert!(result.is_err(), "the call did not panic");
    let seen = SEEN.lock().unwrap_or_else(|e| e.into_inner()).take();
    seen.expect("the panic had a location")
}

#[test]
fn a_length_mismatch_panics_at_the_op_in_the_users_body() {
    let (a, b) = ([1.0, 2.0, 3.0], [1.0, 2.0]);
    let want = (
        "tests/panic_location.rs".to_string(),
        line_of("// DOT_LINE"),
    );
    assert_eq!(
        panic_location(|| {
            score(&a, &b);
        }),
        want,
        "score"
    );
    assert_eq!(
        panic_location(|| drop(score_grad(&a, &b))),
        want,
        "score_grad"
    );
    assert_eq!(
        panic_location(|| drop(score_value_and_grad(&a, &b))),
        want,
        "score_value_and_grad"
    );
    assert_eq!(
        panic_location(|| {
            score_vjp(&a, &b, 1.0);
        }),
        want,
        "score_vjp"
    );
}
