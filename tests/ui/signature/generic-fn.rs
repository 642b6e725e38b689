use grad::prelude::*;

#[differentiable]
fn f<T: Real>(x: T) -> T {
    x * x
}

fn main() {
    let _ = f(1.0_f64);
}
