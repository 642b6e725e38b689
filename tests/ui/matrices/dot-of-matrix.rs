use grad::prelude::*;

#[differentiable]
fn f(a: &Matrix<f64>, b: &Matrix<f64>) -> f64 {
    dot(a, b)
}

fn main() {}
