use grad::prelude::*;

#[differentiable]
fn f<T: Real>(x: T) -> T {
    x * core::f64::consts::PI + T::from_f64(core::f64::consts::E)
}

fn main() {}
