//! A length mismatch inside a `#[differentiable]` fn panics at the line of
//! the op in the user's body (the runtime is `#[track_caller]` and generated
//! code carries the user's spans), in the original fn and in every generated
//! one: not in grad's sources, not at the attribute. The same for a shape
//! mismatch of a matrix op (`matmul`, a row broadcast, `cross_entropy`'s
//! labels).

use grad::prelude::*;
use std::panic::{self, Location};
use std::sync::Mutex;

#[differentiable]
fn score(a: &[f64], b: &[f64]) -> f64 {
    let s = a * 2.0;
    dot(s, b) // DOT_LINE
}

#[differentiable]
fn product(a: &Matrix<f64>, b: &Matrix<f64>) -> f64 {
    let p = a * 2.0;
    sum(matmul(&p, b)) // MATMUL_LINE
}

#[differentiable]
fn shifted(a: &Matrix<f64>, v: &[f64]) -> Matrix<f64> {
    let z = tanh(a) * 0.5;
    z + v // BROADCAST_LINE
}

#[differentiable(wrt(z))]
fn batch_loss(z: &Matrix<f64>, labels: &[usize]) -> f64 {
    let s = z * 1.5;
    cross_entropy(s, labels) // CROSS_ENTROPY_LINE
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

/// Held by each test: the panic hook is global to the process, so the tests
/// of this file must not run at the same time.
static SERIAL: Mutex<()> = Mutex::new(());

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
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
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

#[test]
fn a_shape_mismatch_panics_at_the_matrix_op_in_the_users_body() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let file = "tests/panic_location.rs".to_string();
    let (a, b) = (Matrix::<f64>::zeros(2, 3), Matrix::<f64>::zeros(4, 5));
    let want = (file.clone(), line_of("// MATMUL_LINE"));
    assert_eq!(
        panic_location(|| {
            product(&a, &b);
        }),
        want,
        "product"
    );
    assert_eq!(
        panic_location(|| drop(product_grad(&a, &b))),
        want,
        "product_grad"
    );
    assert_eq!(
        panic_location(|| drop(product_value_and_grad(&a, &b))),
        want,
        "product_value_and_grad"
    );
    assert_eq!(
        panic_location(|| drop(product_vjp(&a, &b, 1.0))),
        want,
        "product_vjp"
    );

    let v = [1.0, 2.0];
    let want = (file.clone(), line_of("// BROADCAST_LINE"));
    assert_eq!(panic_location(|| drop(shifted(&a, &v))), want, "shifted");
    let c = Matrix::<f64>::zeros(2, 3);
    assert_eq!(
        panic_location(|| drop(shifted_vjp(&a, &v, &c))),
        want,
        "shifted_vjp"
    );

    let z = Matrix::<f64>::zeros(3, 4);
    let labels = [0, 1];
    let want = (file, line_of("// CROSS_ENTROPY_LINE"));
    assert_eq!(
        panic_location(|| {
            batch_loss(&z, &labels);
        }),
        want,
        "batch_loss"
    );
    assert_eq!(
        panic_location(|| drop(batch_loss_grad(&z, &labels))),
        want,
        "batch_loss_grad"
    );
    assert_eq!(
        panic_location(|| drop(batch_loss_value_and_grad(&z, &labels))),
        want,
        "batch_loss_value_and_grad"
    );
}
