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
    let _ = Layer { w: 1.0 }.forward(1.0);
}
