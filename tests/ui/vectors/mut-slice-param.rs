use grad::prelude::*;

#[differentiable]
fn f(a: &mut [f64]) -> f64 {
    sum(a)
}

fn main() {
    let _ = f(&mut [1.0]);
}
