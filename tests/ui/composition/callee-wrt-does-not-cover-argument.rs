use grad::prelude::*;

// `prod` is differentiated with respect to `a` only ...
#[differentiable(wrt(a))]
fn prod(a: f64, b: f64) -> f64 {
    a * b
}

// ... but `outer` needs its partial with respect to `b`.
#[differentiable(wrt(b))]
fn outer(a: f64, b: f64) -> f64 {
    prod(a, b)
}

fn main() {
    let _ = outer(3.0, 0.5);
}
