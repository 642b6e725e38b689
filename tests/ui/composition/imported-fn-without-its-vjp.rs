use grad::prelude::*;

mod m {
    use grad::prelude::*;

    #[differentiable]
    pub fn g(x: f64) -> f64 {
        x * x
    }
}

// Only `g` is imported; the generated code also needs `g_vjp`.
use m::g;

#[differentiable]
fn f(x: f64) -> f64 {
    g(x) + x
}

fn main() {
    let _ = f(1.0);
}
