use grad::prelude::*;

/// A float trait of another crate (`num_traits::Float`, ...).
trait Float: Copy + core::ops::Mul<Output = Self> {}

#[differentiable]
fn f<T: Float>(x: T) -> T {
    x * x
}

fn main() {}
