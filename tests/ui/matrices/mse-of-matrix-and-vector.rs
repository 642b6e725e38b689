use grad::prelude::*;

#[differentiable]
fn f(a: &Matrix<f64>, y: &[f64]) -> f64 {
    mse(a, y)
}

fn main() {}
