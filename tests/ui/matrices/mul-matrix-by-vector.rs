use grad::prelude::*;

#[differentiable]
fn f(a: &Matrix<f64>, v: &[f64]) -> f64 {
    sum(a * v)
}

fn main() {}
