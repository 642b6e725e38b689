use grad::prelude::*;

#[differentiable]
fn f<T>(x: T) -> T {
    x
}

fn main() {
    let _ = f(1.0_f64);
}
