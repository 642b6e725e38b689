use grad::prelude::*;

#[differentiable]
unsafe fn f(x: f64) -> f64 {
    x * x
}

fn main() {
    // SAFETY: `f` has no preconditions; the test is about the attribute.
    let _ = unsafe { f(1.0) };
}
