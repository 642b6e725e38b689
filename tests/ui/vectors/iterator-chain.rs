use grad::prelude::*;

#[differentiable]
fn f(a: &[f64]) -> f64 {
    a.iter().map(|x| x * x).sum()
}

fn main() {
    let _ = f(&[1.0]);
}
