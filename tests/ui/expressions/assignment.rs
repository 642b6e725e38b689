use grad::prelude::*;

#[differentiable]
fn f(x: f64) -> f64 {
    let mut y = x;
    y[0] = x * x;
    y
}

fn main() {
    let _ = f(1.0);
}
