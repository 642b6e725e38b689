use grad::prelude::*;

#[derive(Differentiable)]
struct Counter {
    steps: usize,
}

fn main() {}
