use grad::prelude::*;

#[differentiable]
fn f(x: f64, n: usize) -> f64 {
    let mut y = x;
    for _ in 0..n {
        if y > 10.0 {
            return y;
        }
        y *= x;
    }
    y
}

fn main() {
    let _ = f(1.0, 3);
}
