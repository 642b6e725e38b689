use grad::prelude::*;

#[differentiable]
fn f(a: &[f64]) -> f64 {
    sum(powi(a, 2))
}

fn main() {
    let _ = f(&[1.0]);
}
