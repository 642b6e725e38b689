use grad::prelude::*;

#[differentiable]
fn f(m: &[Vec<f64>]) -> f64 {
    sum(m[0])
}

fn main() {
    let _ = f(&[vec![1.0]]);
}
