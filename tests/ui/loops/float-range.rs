use grad::prelude::*;

#[differentiable]
fn f(x: f64) -> f64 {
    let mut y = x;
    for t in 0.0..1.0 {
        y *= t;
    }
    y
}

fn main() {
    let _ = f(1.0);
}
