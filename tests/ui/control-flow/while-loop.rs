use grad::prelude::*;

#[differentiable]
fn f(x: f64) -> f64 {
    let mut y = x;
    while y < 10.0 {
        if y > 5.0 {
            y *= 2.0;
        } else {
            break;
        }
    }
    y
}

fn main() {
    let _ = f(1.0);
}
