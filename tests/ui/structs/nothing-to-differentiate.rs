use grad::prelude::*;

#[derive(Differentiable)]
pub struct Params {
    pub pair: (f64, f64),
}

#[differentiable(wrt(p))]
fn f(x: f64, p: &Params) -> f64 {
    x * 2.0
}

fn main() {}
