use grad::prelude::*;

#[differentiable]
fn f<T: Real>(n: usize) -> T {
    T::from_usize(n)
}

fn main() {}
