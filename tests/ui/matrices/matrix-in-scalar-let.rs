use grad::prelude::*;

#[differentiable]
fn f(a: &Matrix<f64>, b: &Matrix<f64>) -> f64 {
    let y: f64 = matmul(a, b);
    y * 2.0
}

fn main() {}
