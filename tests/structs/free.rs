//! Free fns taking structs: named, nested, tuple, generic and const-generic
//! structs, constant fields, fields never read, vector outputs.

use super::check::{assert_close, central, floats};
use grad::prelude::*;

/// A linear model with a constant field.
#[derive(Differentiable, Clone, Debug, PartialEq)]
pub(crate) struct Lin {
    pub(crate) w: Vec<f64>,
    pub(crate) b: f64,
    #[differentiable(skip)]
    pub(crate) name: &'static str,
}

#[differentiable(wrt(p))]
fn lin_loss(p: &Lin, x: &[f64], y: f64) -> f64 {
    let z = dot(&p.w, x) + p.b;
    (z - y) * (z - y)
}

fn lin() -> Lin {
    Lin {
        w: vec![0.5, -1.5, 2.0],
        b: 0.25,
        name: "lin",
    }
}

const X: [f64; 3] = [1.0, 2.0, -0.5];

#[test]
fn a_named_struct_against_its_closed_form() {
    let p = lin();
    let g: Lin = lin_loss_grad(&p, &X, 0.5);
    let z = 0.5 - 3.0 - 1.0 + 0.25;
    let r = 2.0 * (z - 0.5);
    assert_eq!(g.b, r);
    assert_eq!(g.w, X.iter().map(|x| r * x).collect::<Vec<_>>());
    // Constants are copied into the gradient unchanged.
    assert_eq!(g.name, "lin");
    assert_close(&g, &central(&p, 1e-6, |q| lin_loss(q, &X, 0.5)), 1e-7);
}

#[test]
fn value_and_grad_has_the_fns_value_bit_for_bit() {
    let p = lin();
    let (v, g) = lin_loss_value_and_grad(&p, &X, 0.5);
    assert_eq!(v.to_bits(), lin_loss(&p, &X, 0.5).to_bits());
    assert_eq!(g, lin_loss_grad(&p, &X, 0.5));
}

/// A two-layer perceptron, as in API §7.
#[derive(Differentiable, Clone, Debug)]
pub(crate) struct Mlp {
    pub(crate) w1: Matrix<f32>,
    pub(crate) b1: Vec<f32>,
    pub(crate) w2: Matrix<f32>,
    pub(crate) b2: Vec<f32>,
}

#[differentiable(wrt(p))]
fn mlp_loss(p: &Mlp, x: &Matrix<f32>, labels: &[usize]) -> f32 {
    let h = tanh(matmul(x, transpose(&p.w1)) + &p.b1);
    cross_entropy(matmul(h, transpose(&p.w2)) + &p.b2, labels)
}

/// The same loss with one parameter per field.
#[differentiable(wrt(w1, b1, w2, b2))]
fn mlp_loss_flat(
    w1: &Matrix<f32>,
    b1: &[f32],
    w2: &Matrix<f32>,
    b2: &[f32],
    x: &Matrix<f32>,
    labels: &[usize],
) -> f32 {
    let h = tanh(matmul(x, transpose(w1)) + b1);
    cross_entropy(matmul(h, transpose(w2)) + b2, labels)
}

pub(crate) fn mlp() -> (Mlp, Matrix<f32>, Vec<usize>) {
    let p = Mlp {
        w1: Matrix::from_fn(5, 3, |i, j| ((i * 3 + j) as f32 * 0.37).sin() * 0.5),
        b1: (0..5).map(|i| i as f32 * 0.1 - 0.2).collect(),
        w2: Matrix::from_fn(4, 5, |i, j| ((i * 5 + j) as f32 * 0.23).cos() * 0.5),
        b2: vec![0.1, -0.1, 0.05, 0.0],
    };
    let x = Matrix::from_fn(6, 3, |i, j| ((i + 2 * j) as f32 * 0.5).sin());
    (p, x, vec![0, 3, 1, 2, 2, 0])
}

#[test]
fn a_struct_gradient_equals_the_flat_fns_bit_for_bit() {
    let (p, x, labels) = mlp();
    let g: Mlp = mlp_loss_grad(&p, &x, &labels);
    let (w1, b1, w2, b2) = mlp_loss_flat_grad(&p.w1, &p.b1, &p.w2, &p.b2, &x, &labels);
    assert_eq!(g.w1, w1);
    assert_eq!(g.b1, b1);
    assert_eq!(g.w2, w2);
    assert_eq!(g.b2, b2);
    let v = mlp_loss(&p, &x, &labels);
    let flat = mlp_loss_flat(&p.w1, &p.b1, &p.w2, &p.b2, &x, &labels);
    assert_eq!(v.to_bits(), flat.to_bits());
}

/// A struct holding a struct, a tuple field (never read: its partial is
/// zero) and a scale.
#[derive(Differentiable, Clone, Debug, PartialEq)]
pub(crate) struct Scaled {
    pub(crate) lin: Lin,
    pub(crate) scale: f64,
    pub(crate) unused: (f64, f64),
}

#[differentiable(wrt(s))]
fn scaled_loss(s: &Scaled, x: &[f64]) -> f64 {
    s.scale * lin_loss(&s.lin, x, 1.0) + s.lin.b * s.lin.w[1]
}

#[test]
fn nested_structs_and_struct_arguments_of_calls() {
    let s = Scaled {
        lin: lin(),
        scale: 1.5,
        unused: (3.0, 4.0),
    };
    let g: Scaled = scaled_loss_grad(&s, &X);
    assert_eq!(g.unused, (0.0, 0.0));
    assert_eq!(g.lin.name, "lin");
    assert_close(&g, &central(&s, 1e-6, |q| scaled_loss(q, &X)), 1e-7);
}

/// A tuple struct with an array field.
#[derive(Differentiable, Clone, Debug, PartialEq)]
pub(crate) struct Pair(pub(crate) f64, pub(crate) [f64; 2]);

#[differentiable(wrt(p))]
fn pair_fn(p: Pair, k: f64) -> f64 {
    sigmoid(p.0 * k) + p.1[0] * p.1[1].exp()
}

#[test]
fn a_tuple_struct_taken_by_value() {
    let p = Pair(0.3, [1.5, -0.5]);
    let g: Pair = pair_fn_grad(p.clone(), 2.0);
    let s: f64 = sigmoid(0.6);
    assert!((g.0 - 2.0 * s * (1.0 - s)).abs() < 1e-15, "{}", g.0);
    assert_eq!(g.1, [(-0.5f64).exp(), 1.5 * (-0.5f64).exp()]);
    assert_close(&g, &central(&p, 1e-6, |q| pair_fn(q.clone(), 2.0)), 1e-8);
}

/// Generic over the float type and an array length.
#[derive(Differentiable, Clone, Debug, PartialEq)]
pub(crate) struct Affine<T: Real, const N: usize> {
    pub(crate) w: [T; N],
    pub(crate) b: T,
}

#[differentiable]
fn affine32(a: &Affine<f32, 3>, x: [f32; 3]) -> f32 {
    tanh(dot(&a.w, &x) + a.b)
}

#[differentiable]
fn affine64(a: &Affine<f64, 2>, x: [f64; 2]) -> f64 {
    tanh(dot(&a.w, &x) + a.b)
}

#[test]
fn generic_structs_at_f32_and_f64() {
    let a = Affine {
        w: [0.5f32, -0.25, 1.0],
        b: 0.1,
    };
    let (g, gx): (Affine<f32, 3>, [f32; 3]) = affine32_grad(&a, [1.0, 2.0, 3.0]);
    let t = (0.5f32 - 0.5 + 3.0 + 0.1).tanh();
    let d = 1.0 - t * t;
    assert!((g.b - d).abs() <= 1e-6 * d.abs().max(1.0), "{} vs {d}", g.b);
    assert!((g.w[2] - 3.0 * d).abs() <= 1e-6, "{:?}", g.w);
    assert!((gx[0] - 0.5 * d).abs() <= 1e-6, "{gx:?}");
    let a = Affine {
        w: [0.5f64, -0.25],
        b: 0.1,
    };
    let (g, _) = affine64_grad(&a, [1.0, 2.0]);
    assert_close(&g, &central(&a, 1e-6, |q| affine64(q, [1.0, 2.0])), 1e-8);
}

#[differentiable(wrt(p))]
fn lin_outputs(p: &Lin, x: &[f64]) -> Vec<f64> {
    tanh(&p.w * x + p.b)
}

#[test]
fn a_vector_output_has_a_struct_vjp() {
    let p = lin();
    let ct = [1.0, -2.0, 0.5];
    let g: Lin = lin_outputs_vjp(&p, &X, &ct);
    let along = |q: &Lin| {
        let y = lin_outputs(q, &X);
        y.iter().zip(&ct).map(|(a, b)| a * b).sum::<f64>()
    };
    assert_close(&g, &central(&p, 1e-6, along), 1e-7);
}

/// Constants passed in a struct that is not differentiated.
#[derive(Differentiable, Clone, Debug)]
pub(crate) struct Config {
    pub(crate) temperature: f64,
    #[differentiable(skip)]
    pub(crate) steps: usize,
}

#[differentiable(wrt(p))]
fn tempered(p: &Lin, c: &Config, x: &[f64]) -> f64 {
    let mut acc = 0.0;
    for _ in 0..c.steps {
        acc += lin_loss(p, x, 0.0) / c.temperature;
    }
    acc
}

#[test]
fn a_struct_of_constants_beside_a_differentiated_one() {
    let p = lin();
    let c = Config {
        temperature: 2.0,
        steps: 3,
    };
    let g: Lin = tempered_grad(&p, &c, &X);
    let one: Lin = lin_loss_grad(&p, &X, 0.0);
    assert_close(&g, &central(&p, 1e-6, |q| tempered(q, &c, &X)), 1e-7);
    assert!((floats(&g)[0] - 1.5 * floats(&one)[0]).abs() < 1e-12);
}

/// A generic fn over a generic struct: one fn for both float types.
#[differentiable]
fn affine_generic<T: Real>(a: &Affine<T, 2>, x: [T; 2]) -> T {
    tanh(dot(&a.w, &x) + a.b) * 0.5
}

#[test]
fn a_generic_fn_taking_a_generic_struct() {
    let a64 = Affine {
        w: [0.5f64, -0.25],
        b: 0.1,
    };
    let (g, _) = affine_generic_grad(&a64, [1.0, 2.0]);
    assert_close(
        &g,
        &central(&a64, 1e-6, |q| affine_generic(q, [1.0, 2.0])),
        1e-8,
    );
    let a32 = Affine {
        w: [0.5f32, -0.25],
        b: 0.1,
    };
    let (g32, _) = affine_generic_grad::<f32>(&a32, [1.0, 2.0]);
    // The f32 instance computes the f64 one's gradient to f32 precision.
    for (a, b) in floats(&g32).iter().zip(floats(&g)) {
        assert!((f64::from(*a) - b).abs() < 1e-6, "{a} vs {b}");
    }
}
