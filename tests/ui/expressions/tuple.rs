use grad::prelude::*;

#[differentiable]
fn f(x: f64) -> f64 {
    let pair = (x, x * x);
    pair.0 + pair.1
}

fn main() {
    let _ = f(1.0);
}
