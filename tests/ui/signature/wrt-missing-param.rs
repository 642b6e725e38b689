use grad::prelude::*;

#[differentiable(wrt(w, bias))]
fn f(x: f64, w: f64, b: f64) -> f64 {
    w * x + b
}

fn main() {
    let _ = f(1.0, 2.0, 3.0);
}
