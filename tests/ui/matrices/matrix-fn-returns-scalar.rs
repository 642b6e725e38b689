use grad::prelude::*;

#[differentiable]
fn f(a: &Matrix<f64>) -> Matrix<f64> {
    sum(a)
}

fn main() {}
