use grad::prelude::*;

#[derive(Differentiable)]
pub struct Params {
    pub w: f64,
}

#[differentiable]
fn f(x: f64, p: &Params) -> Params {
    Params { w: x * p.w }
}

fn main() {}
