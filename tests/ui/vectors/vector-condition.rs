use grad::prelude::*;

#[differentiable]
fn f(a: &[f64]) -> f64 {
    if a > 0.0 { sum(a) } else { 0.0 }
}

fn main() {
    let _ = f(&[1.0]);
}
