use grad::prelude::*;

trait Foo {
    fn foo(self) -> f64;
}

impl Foo for f64 {
    fn foo(self) -> f64 {
        self
    }
}

#[differentiable]
fn f(x: f64) -> f64 {
    x.foo()
}

fn main() {
    let _ = f(1.0);
}
