use grad::prelude::*;

#[derive(Differentiable)]
pub struct Params {
    pub w: f64,
}

#[differentiable]
fn f(x: f64, p: &mut Params) -> f64 {
    x * p.w
}

fn main() {}
