use grad::prelude::*;

#[differentiable]
fn f(a: &[f64], x: f64) -> f64 {
    a[x] * x
}

fn main() {
    let _ = f(&[1.0], 0.0);
}
