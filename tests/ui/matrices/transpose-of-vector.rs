use grad::prelude::*;

#[differentiable]
fn f(v: &[f64]) -> f64 {
    sum(transpose(v))
}

fn main() {}
