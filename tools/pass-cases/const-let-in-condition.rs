//! A `let` bound to a constant, used in an `if` condition.
//! (Found by tools/fuzz-gradients.sh with CONST_LETS=1.)

use grad::prelude::*;

#[differentiable]
fn f(x: f64) -> f64 {
    let c = 2.0;
    if c > 3.0 { x } else { x * x }
}

#[differentiable]
fn g(x: f64) -> f64 {
    let c = 2.0 * 3.0;
    let d = c + x;
    if c > 3.0 { d * x } else { x }
}

fn main() {
    assert_eq!(f_grad(3.0), 6.0);
    assert_eq!(f(3.0), 9.0);
    // g = (6 + x)·x
    assert_eq!(g_grad(1.0), 8.0);
    assert_eq!(g(1.0), 7.0);
}
