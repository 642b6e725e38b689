//! `&self` and `self` methods in a `#[differentiable] impl`.

use super::check::{assert_close, central};
use super::free::Lin;
use grad::prelude::*;

#[derive(Differentiable, Clone, Debug, PartialEq)]
pub(crate) struct Model {
    pub(crate) lin: Lin,
    pub(crate) scale: f64,
}

#[differentiable]
impl Model {
    /// The scaled squared error of the linear model.
    #[differentiable(wrt(self, y))]
    pub(crate) fn loss(&self, x: &[f64], y: f64) -> f64 {
        let z = dot(&self.lin.w, x) + self.lin.b;
        self.scale * (z - y) * (z - y)
    }

    /// Calls `loss` twice: as `self.loss(..)` and as `Self::loss(self, ..)`.
    #[differentiable(wrt(self, y))]
    pub(crate) fn twice(&self, x: &[f64], y: f64) -> f64 {
        self.loss(x, y) + Self::loss(self, x, 2.0 * y)
    }

    /// Takes `self` by value.
    #[differentiable]
    pub(crate) fn owned(self, k: f64) -> f64 {
        (self.scale * k).sin() + self.lin.b
    }

    /// Not differentiated: left as written.
    pub(crate) fn describe(&self) -> &'static str {
        self.lin.name
    }
}

fn model() -> Model {
    Model {
        lin: Lin {
            w: vec![0.5, -1.0, 0.25],
            b: 0.1,
            name: "m",
        },
        scale: 1.5,
    }
}

const X: [f64; 3] = [1.0, -2.0, 4.0];

#[test]
fn a_method_returns_the_gradient_of_self() {
    let m = model();
    let (g, gy): (Model, f64) = m.loss_grad(&X, 0.5);
    assert_close(&g, &central(&m, 1e-6, |q| q.loss(&X, 0.5)), 1e-7);
    let z = 0.5 + 2.0 + 1.0 + 0.1;
    assert_eq!(g.scale, (z - 0.5) * (z - 0.5));
    assert_eq!(gy, -2.0 * 1.5 * (z - 0.5));
    assert_eq!(m.describe(), "m");
}

#[test]
fn methods_compose_through_self_calls() {
    let m = model();
    let (g, gy): (Model, f64) = m.twice_grad(&X, 0.5);
    assert_close(&g, &central(&m, 1e-6, |q| q.twice(&X, 0.5)), 1e-7);
    let h = 1e-6;
    let fd = (m.twice(&X, 0.5 + h) - m.twice(&X, 0.5 - h)) / (2.0 * h);
    assert!((gy - fd).abs() < 1e-6, "{gy} vs {fd}");
    let (v, _) = m.twice_value_and_grad(&X, 0.5);
    assert_eq!(v.to_bits(), m.twice(&X, 0.5).to_bits());
}

#[test]
fn a_method_taking_self_by_value() {
    let m = model();
    let (g, gk): (Model, f64) = m.clone().owned_grad(0.7);
    assert_eq!(g.lin.b, 1.0);
    assert_eq!(g.scale, 0.7 * (1.5f64 * 0.7).cos());
    assert_eq!(gk, 1.5 * (1.5f64 * 0.7).cos());
    assert_eq!(g.lin.w, vec![0.0; 3]);
}

/// A method with the attribute alone: its receiver names the type.
impl Model {
    #[differentiable]
    pub(crate) fn scaled_bias(self: &Model, k: f64) -> f64 {
        self.scale * self.lin.b * k
    }
}

#[test]
fn a_method_whose_receiver_names_its_type_needs_no_impl_mark() {
    let m = model();
    let (g, gk): (Model, f64) = m.scaled_bias_grad(2.0);
    assert_eq!(g.scale, 0.1 * 2.0);
    assert_eq!(g.lin.b, 1.5 * 2.0);
    assert_eq!(gk, 1.5 * 0.1);
    assert_eq!(g.lin.w, vec![0.0; 3]);
    assert_eq!(m.scaled_bias(2.0), 1.5 * 0.1 * 2.0);
}

/// A model generic over its float type, with methods.
#[derive(Differentiable, Clone, Debug, PartialEq)]
pub(crate) struct Poly<T: Real> {
    pub(crate) c: Vec<T>,
    pub(crate) shift: T,
}

#[differentiable]
impl<T: Real> Poly<T> {
    /// `Σ cᵢ (x − shift)ⁱ`, by Horner's rule.
    #[differentiable(wrt(self, x))]
    pub(crate) fn eval(&self, x: T) -> T {
        let t = x - self.shift;
        let mut acc = 0.0;
        for i in 0..self.c.len() {
            acc = acc * t + self.c[self.c.len() - 1 - i];
        }
        acc
    }

    /// Twice `eval`, through a `self.` call.
    #[differentiable(wrt(self))]
    pub(crate) fn twice(&self, x: T) -> T {
        2.0 * self.eval(x)
    }
}

#[test]
fn methods_of_a_model_generic_over_its_float_type() {
    let p = Poly {
        c: vec![1.0, -2.0, 0.5],
        shift: 0.25,
    };
    let (g, gx): (Poly<f64>, f64) = p.eval_grad(1.25);
    // t = 1: ∂/∂cᵢ = tⁱ = 1, ∂/∂x = −2 + 2·0.5·t = −1, ∂/∂shift = 1.
    assert_eq!(g.c, vec![1.0, 1.0, 1.0]);
    assert_eq!((gx, g.shift), (-1.0, 1.0));
    assert_close(&g, &central(&p, 1e-6, |q| q.eval(1.25)), 1e-8);
    let p32 = Poly {
        c: vec![1.0f32, -2.0, 0.5],
        shift: 0.25,
    };
    let g32: Poly<f32> = p32.twice_grad(1.25);
    assert_eq!(g32.c, vec![2.0, 2.0, 2.0]);
    assert_eq!(p32.eval(1.25), -0.5);
}
