use grad::prelude::*;

#[differentiable]
fn f(x: f64) -> f64 {
    sum(vec![x, x])
}

fn main() {
    let _ = f(1.0);
}
