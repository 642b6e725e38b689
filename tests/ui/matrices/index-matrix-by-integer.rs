use grad::prelude::*;

#[differentiable]
fn f(m: &Matrix<f64>) -> f64 {
    m[0] * 2.0
}

fn main() {}
