use grad::prelude::*;

#[differentiable]
fn f(x: &mut f64) -> f64 {
    *x * *x
}

fn main() {
    let mut x = 1.0;
    let _ = f(&mut x);
}
