use grad::prelude::*;

#[differentiable]
fn f(z: f64) -> f64 {
    f64::hypot(z, 1.0)
}

fn main() {
    let _ = f(1.0);
}
