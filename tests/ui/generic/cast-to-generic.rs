use grad::prelude::*;

#[differentiable]
fn f<T: Real>(x: &[T]) -> T {
    let mut s = 0.0;
    for i in 0..x.len() {
        s = s + x[i] * (i as T);
    }
    s
}

#[differentiable]
fn g<T: Real>(x: T, n: usize) -> T {
    x * (n as f64)
}

fn main() {}
