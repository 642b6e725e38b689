use grad::prelude::*;

#[differentiable(jvp)]
fn double(v: &[f64]) -> Vec<f64> {
    v * 2.0
}

// Second derivatives go through calls of scalar-valued fns only.
#[differentiable(hessian)]
fn f(v: &[f64]) -> f64 {
    let d: Vec<f64> = double(v);
    sum(d * d)
}

fn main() {
    // The gradient is still generated.
    let _ = f_grad(&[1.0, 2.0]);
}
