use grad::prelude::*;

// A Hessian needs a scalar: this fn returns a vector.
#[differentiable(hessian)]
fn layer(w: &[f64], x: &[f64]) -> Vec<f64> {
    tanh(matvec(w, x))
}

fn main() {
    // The reverse-mode fns are still generated.
    let _ = layer_vjp(&[1.0, 2.0], &[0.5], &[1.0, 1.0]);
}
