use grad::prelude::*;

/// `x^k`.
fn mypow(x: f64, k: f64) -> f64 {
    x.powf(k)
}

/// A custom derivative that covers `x` only.
fn mypow_vjp(x: f64, k: f64, cotangent: f64) -> (f64, NotDifferentiated) {
    (cotangent * k * x.powf(k - 1.0), NotDifferentiated)
}

// Differentiating `k` needs ∂mypow/∂k.
#[differentiable]
fn f(x: f64, k: f64) -> f64 {
    mypow(x, k)
}

fn main() {
    let _ = f(1.5, 2.0);
}
