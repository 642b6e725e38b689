use grad::prelude::*;

#[derive(Clone)]
pub struct Layer {
    pub w: f64,
}

#[derive(Differentiable)]
pub struct Net {
    #[differentiable(skip)]
    pub name: usize,
    pub scale: f64,
    pub layer: Layer,
}

#[differentiable]
fn f(x: f64, p: &Net) -> f64 {
    x * p.layer.w * p.scale
}

fn main() {}
