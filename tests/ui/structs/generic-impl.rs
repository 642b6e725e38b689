use grad::prelude::*;

#[derive(Differentiable)]
pub struct Model<T: Real, const N: usize> {
    pub w: [T; N],
}

#[differentiable]
impl<T: Real, const N: usize> Model<T, N> {
    #[differentiable]
    pub fn f(&self, x: T) -> T {
        x * self.w[0]
    }
}

fn main() {}
