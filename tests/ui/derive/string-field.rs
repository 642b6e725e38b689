use grad::prelude::*;

#[derive(Differentiable)]
struct Model {
    w: Vec<f64>,
    name: String,
}

fn main() {}
