use grad::prelude::*;

#[differentiable]
fn f<T: Real>(x: T) -> T {
    x * 0.5_f64
}

fn main() {
    let _ = f(1.0_f32);
}
