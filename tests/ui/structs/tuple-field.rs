use grad::prelude::*;

#[derive(Differentiable)]
pub struct Params {
    pub w: f64,
    pub pair: (f64, f64),
}

#[differentiable]
fn f(x: f64, p: &Params) -> f64 {
    x * p.w + p.pair.0
}

fn main() {}
