use grad::prelude::*;

#[differentiable]
fn f<T: Real>(x: &mut [T], y: T) -> T {
    x[0] * y
}

fn main() {}
