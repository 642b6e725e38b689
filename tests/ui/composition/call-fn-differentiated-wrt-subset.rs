use grad::prelude::*;

// `h_grad` returns only ∂h/∂w, a bare `f64`.
#[differentiable(wrt(w))]
fn h(x: f64, w: f64) -> f64 {
    x * w * w
}

#[differentiable]
fn f(x: f64, w: f64) -> f64 {
    h(x, w) + x
}

fn main() {
    let _ = f(1.0, 2.0) + h_grad(1.0, 2.0);
}
