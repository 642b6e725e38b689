use grad::prelude::*;

#[derive(Differentiable)]
pub struct Params {
    pub w: f64,
}

#[differentiable(wrt(q))]
fn f(x: f64, p: &Params) -> f64 {
    x * p.w
}

fn main() {}
