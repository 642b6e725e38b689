use grad::prelude::*;

#[differentiable]
fn f(x: f64, v: &[f64]) -> f64 {
    let mut y = x;
    for _ in 0..3 {
        y = v * y;
    }
    sum(y)
}

fn main() {
    let _ = f(1.0, &[1.0]);
}
