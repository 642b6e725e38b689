use grad::prelude::*;

#[differentiable]
fn f(x: f32, y: f64) -> f64 {
    x as f64 * y
}

fn main() {
    let _ = f(1.0, 2.0);
}
