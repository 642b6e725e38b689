use grad::prelude::*;

#[differentiable]
fn f<T: Real>(x: T, y: f64) -> T {
    x * y
}

fn main() {}
