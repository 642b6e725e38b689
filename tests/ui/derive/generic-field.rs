use grad::prelude::*;

#[derive(Differentiable)]
struct Model<U> {
    w: Vec<f32>,
    extra: U,
}

fn main() {}
