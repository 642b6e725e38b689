use grad::prelude::*;

#[differentiable]
fn f(a: &mut Matrix<f64>) -> f64 {
    sum(a)
}

fn main() {}
