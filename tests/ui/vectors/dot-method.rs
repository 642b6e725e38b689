use grad::prelude::*;

#[differentiable]
fn f(a: &[f64], b: &[f64]) -> f64 {
    a.dot(b)
}

fn main() {
    let _ = f(&[1.0], &[2.0]);
}
