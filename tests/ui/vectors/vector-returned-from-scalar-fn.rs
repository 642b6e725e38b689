use grad::prelude::*;

#[differentiable]
fn f(a: &[f64]) -> f64 {
    sigmoid(a)
}

fn main() {
    let _ = f(&[1.0]);
}
