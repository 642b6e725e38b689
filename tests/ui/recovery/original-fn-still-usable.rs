use grad::prelude::*;

#[differentiable]
fn f(x: f64) -> f64 {
    let mut y = x;
    loop {
        y = y * x;
        break;
    }
    y
}

// Only the loop is reported: `f` itself is kept, so these calls compile.
fn uses_f() -> f64 {
    f(2.0) + f(3.0)
}

#[differentiable]
fn g(x: f64) -> f64 {
    x * x
}

fn main() {
    // A correct fn next to the broken one still gets its gradient.
    let _ = uses_f() + g_grad(1.0);
}
