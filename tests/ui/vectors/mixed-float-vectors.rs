use grad::prelude::*;

#[differentiable]
fn f(a: &[f32], b: &[f64]) -> f64 {
    dot(a, b)
}

fn main() {
    let _ = f(&[1.0], &[1.0]);
}
