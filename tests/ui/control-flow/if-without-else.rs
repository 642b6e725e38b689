use grad::prelude::*;

#[differentiable]
fn f(x: f64) -> f64 {
    let y = x * x;
    if x > 0.0 {
        y;
    }
    y
}

fn main() {
    let _ = f(1.0);
}
