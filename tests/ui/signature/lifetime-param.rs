use grad::prelude::*;

#[differentiable]
fn f<'a>(x: f64, idx: &'a [usize]) -> f64 {
    x * idx.len() as f64
}

fn main() {
    let _ = f(1.0, &[1, 2]);
}
