use grad::prelude::*;

#[differentiable]
fn f(a: &[f64]) -> Vec<f64> {
    sum(a)
}

fn main() {
    let _ = f(&[1.0]);
}
