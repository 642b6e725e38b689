use grad::prelude::*;

// `square` has a gradient but no `square_jvp`: forward mode through the
// call needs `#[differentiable(jvp)]` on `square`.
#[differentiable]
fn square(x: f64) -> f64 {
    x * x
}

#[differentiable(jvp)]
fn f(x: f64, y: f64) -> f64 {
    square(x) * y
}

fn main() {
    // The gradient is still generated.
    let _ = f_grad(1.0, 2.0);
}
