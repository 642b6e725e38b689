use grad::prelude::*;

#[derive(Differentiable, Clone)]
pub struct Layer {
    pub w: f64,
}

#[derive(Differentiable, Clone)]
pub struct Net {
    pub layer: Layer,
}

#[differentiable]
fn f(x: f64, p: &Net) -> f64 {
    let l = p.layer;
    x * l.w
}

fn main() {}
