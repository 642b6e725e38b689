use grad::prelude::*;

#[derive(Differentiable)]
pub struct Model<T: Real> {
    pub w: T,
}

#[differentiable]
impl<T: Real> Model<T> {
    #[differentiable]
    pub fn f(&self, x: T) -> T {
        x * self.w
    }
}

fn main() {}
