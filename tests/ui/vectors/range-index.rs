use grad::prelude::*;

#[differentiable]
fn f(a: &[f64]) -> f64 {
    sum(a[1..])
}

fn main() {
    let _ = f(&[1.0, 2.0]);
}
