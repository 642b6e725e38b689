use grad::prelude::*;

#[differentiable]
fn f(w: &Matrix<f64>, x: &Matrix<f64>) -> f64 {
    sum(matvec(w, x))
}

fn main() {}
