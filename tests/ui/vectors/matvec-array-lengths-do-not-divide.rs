use grad::prelude::*;

#[differentiable]
fn f(w: [f64; 7], x: [f64; 3]) -> f64 {
    sum(matvec(w, x))
}

fn main() {
    let _ = f([1.0; 7], [1.0; 3]);
}
