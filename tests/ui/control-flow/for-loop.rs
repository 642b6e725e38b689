use grad::prelude::*;

#[differentiable]
fn f(v: &[f64]) -> f64 {
    let mut acc = 0.0;
    for x in v.iter().rev() {
        acc = acc * 0.5 + x;
    }
    acc
}

fn main() {
    let _ = f(&[1.0]);
}
