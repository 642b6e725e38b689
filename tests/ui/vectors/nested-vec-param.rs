use grad::prelude::*;

#[differentiable]
fn f(m: Vec<Vec<f64>>, x: &[f64]) -> f64 {
    sum(x) * m.len() as f64
}

fn main() {
    let _ = f(vec![vec![1.0]], &[1.0]);
}
