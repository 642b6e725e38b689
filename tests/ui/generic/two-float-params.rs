use grad::prelude::*;

#[differentiable]
fn f<T: Real, U: Real>(x: T, y: U) -> T {
    x * y
}

fn main() {}
