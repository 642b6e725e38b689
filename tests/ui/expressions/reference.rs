use grad::prelude::*;

#[differentiable]
fn f(x: f64) -> f64 {
    let r = &x;
    *r * x
}

fn main() {
    let _ = f(1.0);
}
