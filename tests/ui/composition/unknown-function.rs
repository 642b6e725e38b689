use grad::prelude::*;

fn helper(v: f64) -> f64 {
    v * 3.0
}

#[differentiable]
fn f(x: f64) -> f64 {
    helper(x) + x
}

fn main() {
    let _ = f(1.0);
}
