use grad::prelude::*;

#[differentiable]
fn f(x: f64) -> f64 {
    let mut v = [x, x];
    v[0] = x * x;
    sum(v)
}

fn main() {
    let _ = f(1.0);
}
