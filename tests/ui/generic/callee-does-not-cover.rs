use grad::prelude::*;

// `prod` is differentiated with respect to `a` only ...
#[differentiable(wrt(a))]
fn prod<T: Real>(a: T, b: T) -> T {
    a * b
}

// ... but `outer` needs its partial with respect to `b`.
#[differentiable(wrt(b))]
fn outer<T: Real>(a: T, b: T) -> T {
    prod(a, b) * 2.0
}

fn main() {
    let _ = outer(3.0_f32, 0.5);
}
