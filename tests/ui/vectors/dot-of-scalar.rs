use grad::prelude::*;

#[differentiable]
fn f(x: f64, y: &[f64]) -> f64 {
    dot(x, y)
}

fn main() {
    let _ = f(1.0, &[1.0]);
}
