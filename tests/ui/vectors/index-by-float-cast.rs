use grad::prelude::*;

// The index is a cast of the differentiated `x`: an index must be constant.
#[differentiable]
fn f(a: &[f64], x: f64) -> f64 {
    a[x as usize] * x
}

fn main() {
    let _ = f(&[1.0], 0.0);
}
