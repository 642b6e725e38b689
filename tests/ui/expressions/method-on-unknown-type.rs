use grad::prelude::*;

pub struct Scale(f64);

impl Scale {
    fn apply(&self, v: f64) -> f64 {
        self.0 * v
    }
}

#[differentiable]
fn f(x: f64, s: &Scale) -> f64 {
    s.apply(x)
}

fn main() {
    let _ = f(1.0, &Scale(2.0));
}
