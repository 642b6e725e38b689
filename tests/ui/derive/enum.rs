use grad::prelude::*;

#[derive(Differentiable)]
enum Model {
    Linear { w: Vec<f64> },
    Constant(f64),
}

fn main() {}
