use grad::prelude::*;

pub struct Params {
    pub w: f64,
}

#[differentiable]
fn f(x: f64, p: &Params) -> f64 {
    x * p.w
}

fn main() {
    let _ = f(1.0, &Params { w: 2.0 });
}
