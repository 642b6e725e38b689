use grad::prelude::*;

#[derive(Differentiable)]
pub struct Model {
    pub w: f64,
}

#[differentiable(wrt(x))]
impl Model {
    #[differentiable]
    pub fn f(&self, x: f64) -> f64 {
        x * self.w
    }
}

fn main() {}
