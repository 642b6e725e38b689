use grad::prelude::*;

#[differentiable]
fn f(a: &[f64]) -> f64 {
    norm(a)
}

fn main() {
    let _ = f(&[1.0]);
}
