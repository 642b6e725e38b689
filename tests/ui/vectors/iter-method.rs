use grad::prelude::*;

#[differentiable]
fn f(a: &[f64]) -> f64 {
    a.iter().sum()
}

fn main() {
    let _ = f(&[1.0]);
}
