use grad::prelude::*;

#[differentiable(jvp, hessian)]
fn square(x: f64) -> f64 {
    x * x
}

// Second derivatives do not go through calls of user fns yet, even when
// the callee has its own `_hvp`.
#[differentiable(hessian)]
fn f(x: f64, y: f64) -> f64 {
    square(x) * y
}

fn main() {
    // The gradient is still generated.
    let _ = f_grad(1.0, 2.0);
}
