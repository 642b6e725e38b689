use grad::prelude::*;

#[differentiable]
fn f(a: &[f64]) -> f64 {
    sum(leaky_relu(a, 0.1))
}

fn main() {
    let _ = f(&[1.0]);
}
