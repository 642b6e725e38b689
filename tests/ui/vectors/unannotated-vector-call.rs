use grad::prelude::*;

#[differentiable]
fn layer(w: &[f64], x: &[f64], b: &[f64]) -> Vec<f64> {
    tanh(matvec(w, x) + b)
}

#[differentiable]
fn loss(w: &[f64], x: &[f64], b: &[f64], c: &[f64]) -> f64 {
    dot(layer(w, x, b), c)
}

fn main() {
    let _ = loss(&[1.0], &[1.0], &[0.0], &[1.0]);
}
