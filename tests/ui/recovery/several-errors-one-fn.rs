use grad::prelude::*;

#[differentiable]
fn f(x: f64) -> f64 {
    let mut acc = 0.0;
    for _ in 0..2 {
        acc += x;
    }
    let sq = |v: f64| v * v;
    println!("{acc}");
    match acc > 1.0 {
        true => sq(acc),
        false => acc,
    }
}

fn main() {
    let _ = f(1.0);
}
