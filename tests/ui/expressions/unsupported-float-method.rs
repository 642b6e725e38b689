use grad::prelude::*;

#[differentiable]
fn f(x: f64) -> f64 {
    x.atan()
}

fn main() {
    let _ = f(1.0);
}
