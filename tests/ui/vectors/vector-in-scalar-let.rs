use grad::prelude::*;

#[differentiable]
fn f(a: &[f64]) -> f64 {
    let s: f64 = a * 2.0;
    s
}

fn main() {
    let _ = f(&[1.0]);
}
