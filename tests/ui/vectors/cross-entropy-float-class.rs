use grad::prelude::*;

#[differentiable]
fn f(z: &[f64], y: f64) -> f64 {
    cross_entropy(z, y)
}

fn main() {
    let _ = f(&[1.0, 2.0], 1.0);
}
