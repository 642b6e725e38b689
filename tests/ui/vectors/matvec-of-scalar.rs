use grad::prelude::*;

#[differentiable]
fn f(w: &[f64], x: f64) -> f64 {
    sum(matvec(w, x))
}

fn main() {
    let _ = f(&[1.0], 1.0);
}
