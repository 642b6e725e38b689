//! Calling a fn differentiated only `wrt(w)`, passing a constant where it is
//! not differentiated: `h_grad` has all the caller needs.

use grad::prelude::*;

#[differentiable(wrt(w))]
fn h(x: f64, w: f64) -> f64 {
    x * w * w
}

#[differentiable]
fn caller(w: f64) -> f64 {
    h(3.0, w) + w
}

fn main() {
    // caller = 3w² + w
    assert_eq!(caller_grad(2.0), 13.0);
    assert_eq!(caller(1.0), 4.0);
}
