use grad::prelude::*;

pub struct Layer {
    pub w: f64,
}

impl Layer {
    #[differentiable]
    pub fn forward(&self, x: f64) -> f64 {
        x * 2.0
    }
}

fn main() {
    let layer = Layer { w: 1.0 };
    let _ = layer.forward(layer.w);
}
