use grad::prelude::*;

#[differentiable]
fn f(a: &[f64]) -> f64 {
    sum(a.exp())
}

fn main() {
    let _ = f(&[1.0]);
}
