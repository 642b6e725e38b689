use grad::prelude::*;

#[differentiable]
fn f(x: f64, n: usize) -> f64 {
    match n {
        0 => x,
        _ => x * x,
    }
}

fn main() {
    let _ = f(1.0, 0);
}
