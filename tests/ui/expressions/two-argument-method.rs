use grad::prelude::*;

#[differentiable]
fn f(x: f64, y: f64) -> f64 {
    x.atan2(y)
}

fn main() {
    let _ = f(1.0, 2.0);
}
