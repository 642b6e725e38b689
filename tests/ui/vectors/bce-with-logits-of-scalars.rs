use grad::prelude::*;

// A one-example logistic regression written with scalars: the losses take
// vectors, so this must be `bce_with_logits([dot(w, x) + b], [y])`.
#[differentiable(wrt(w, b))]
fn logistic(w: &[f64], b: f64, x: &[f64], y: f64) -> f64 {
    bce_with_logits(dot(w, x) + b, y)
}

fn main() {
    let _ = logistic(&[1.0], 0.0, &[1.0], 1.0);
}
