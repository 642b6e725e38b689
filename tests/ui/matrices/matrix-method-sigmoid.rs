use grad::prelude::*;

#[differentiable]
fn f(a: &Matrix<f64>) -> f64 {
    sum(a.sigmoid())
}

fn main() {}
