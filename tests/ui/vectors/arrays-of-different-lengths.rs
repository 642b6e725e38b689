use grad::prelude::*;

#[differentiable]
fn f(a: [f64; 3], b: [f64; 4]) -> f64 {
    dot(a, b)
}

fn main() {
    let _ = f([1.0; 3], [1.0; 4]);
}
