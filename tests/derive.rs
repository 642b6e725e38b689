//! `#[derive(Differentiable)]` on a named struct, a tuple struct, a nested
//! struct, a generic struct and a struct with constant fields: `zeros_like`,
//! `add_assign`, `scale`, the visits, `n_floats`, and optimizer steps on them.

use grad::optim::{Adam, Sgd};
use grad::prelude::*;

/// A linear layer: a named struct with a matrix, a vector and a float.
#[derive(Differentiable, Clone, Debug, PartialEq)]
struct Linear {
    w: Matrix<f64>,
    b: Vec<f64>,
    scale: f64,
}

/// A tuple struct of a float and an array.
#[derive(Differentiable, Clone, Debug, PartialEq)]
struct Pair(f32, [f32; 2]);

/// Two layers, a `Vec` of them and a tuple: nested `Differentiable` types.
#[derive(Differentiable, Clone, Debug, PartialEq)]
pub struct Mlp {
    first: Linear,
    rest: Vec<Linear>,
    extra: (f64, [f64; 1]),
}

/// Generic over the float type, with a const-generic array.
#[derive(Differentiable, Clone, Debug, PartialEq)]
struct Generic<T: Real, const N: usize> {
    w: Vec<T>,
    a: [T; N],
    c: T,
}

/// Generic over a nested parameter type.
#[derive(Differentiable, Clone, Debug, PartialEq)]
struct Wrapper<P>
where
    P: Differentiable,
{
    inner: P,
    gain: f64,
}

/// Constants beside the parameters: copied by `zeros_like`, left alone by
/// the arithmetic, not visited.
#[derive(Differentiable, Clone, Debug, PartialEq)]
struct WithConstants {
    steps: usize,
    w: Vec<f64>,
    enabled: bool,
    #[differentiable(skip)]
    name: String,
    label: &'static str,
}

fn linear(k: f64) -> Linear {
    Linear {
        w: Matrix::from_fn(2, 2, |i, j| k + (2 * i + j) as f64),
        b: vec![k, -k],
        scale: 0.5 * k,
    }
}

fn floats<P: Differentiable>(p: &P) -> Vec<P::Float> {
    let mut out = Vec::new();
    p.visit(&mut |x| out.push(x));
    out
}

#[test]
fn named_struct() {
    let mut p = linear(1.0);
    assert_eq!(p.n_floats(), 7);
    assert_eq!(floats(&p), [1.0, 2.0, 3.0, 4.0, 1.0, -1.0, 0.5]);
    let z = p.zeros_like();
    assert_eq!(z.w.shape(), (2, 2));
    assert_eq!(floats(&z), [0.0; 7]);
    let q = p.clone();
    p.add_assign(&q);
    p.scale(0.5);
    assert_eq!(p, q);
    p.visit_mut(&mut |x| *x = -*x);
    assert_eq!(floats(&p), [-1.0, -2.0, -3.0, -4.0, -1.0, 1.0, -0.5]);
    p.zip_mut(&q, &mut |a, b| *a += 2.0 * b);
    assert_eq!(p, q);
    assert_eq!(p.leaves().count(), 3);
}

#[test]
fn tuple_struct() {
    let mut p = Pair(1.0, [2.0, 3.0]);
    assert_eq!(p.n_floats(), 3);
    assert_eq!(p.zeros_like(), Pair(0.0, [0.0, 0.0]));
    p.add_assign(&Pair(1.0, [1.0, 1.0]));
    p.scale(2.0);
    assert_eq!(p, Pair(4.0, [6.0, 8.0]));
    assert_eq!(floats(&p), [4.0_f32, 6.0, 8.0]);
}

#[test]
fn nested_struct() {
    let mut p = Mlp {
        first: linear(1.0),
        rest: vec![linear(2.0), linear(3.0)],
        extra: (9.0, [10.0]),
    };
    assert_eq!(p.n_floats(), 3 * 7 + 2);
    let all = floats(&p);
    assert_eq!(&all[..7], floats(&linear(1.0)).as_slice());
    assert_eq!(&all[14..21], floats(&linear(3.0)).as_slice());
    assert_eq!(&all[21..], [9.0, 10.0]);
    let z = p.zeros_like();
    assert_eq!(z.rest.len(), 2);
    assert!(floats(&z).iter().all(|&x| x == 0.0));
    let q = p.clone();
    p.add_assign(&q);
    assert_eq!(floats(&p), all.iter().map(|x| 2.0 * x).collect::<Vec<_>>());
}

#[test]
fn generic_struct() {
    let mut p = Generic::<f32, 2> {
        w: vec![1.0, 2.0],
        a: [3.0, 4.0],
        c: 5.0,
    };
    assert_eq!(p.n_floats(), 5);
    p.scale(2.0);
    assert_eq!(floats(&p), [2.0_f32, 4.0, 6.0, 8.0, 10.0]);
    let z: Generic<f32, 2> = p.zeros_like();
    assert_eq!(floats(&z), [0.0; 5]);
    let d = Generic::<f64, 0> {
        w: vec![],
        a: [],
        c: 1.5,
    };
    assert_eq!((d.n_floats(), floats(&d)), (1, vec![1.5]));

    let w = Wrapper {
        inner: linear(1.0),
        gain: 2.0,
    };
    assert_eq!(w.n_floats(), 8);
    assert_eq!(floats(&w.zeros_like()), [0.0; 8]);
}

#[test]
fn constant_fields() {
    let mut p = WithConstants {
        steps: 7,
        w: vec![1.0, 2.0],
        enabled: true,
        name: "model".to_string(),
        label: "v1",
    };
    assert_eq!(p.n_floats(), 2);
    let z = p.zeros_like();
    assert_eq!(
        (z.steps, z.w.as_slice(), z.enabled, z.name.as_str(), z.label),
        (7, &[0.0, 0.0][..], true, "model", "v1")
    );
    p.add_assign(&z);
    p.scale(3.0);
    assert_eq!(p.w, [3.0, 6.0]);
    assert_eq!((p.steps, p.name.as_str()), (7, "model"));
}

/// The loss of a `Linear` model on one point, written over its floats (the
/// `#[differentiable]` attribute does not take struct parameters yet).
#[differentiable(wrt(w, b))]
fn loss(w: &[f64], b: &[f64], x: &[f64], y: &[f64]) -> f64 {
    mse(matvec(w, x) + b, y)
}

fn loss_grad_of(p: &Linear, x: &[f64], y: &[f64]) -> Linear {
    let (dw, db) = loss_grad(p.w.as_slice(), &p.b, x, y);
    Linear {
        w: Matrix::from_vec(2, 2, dw),
        b: db,
        scale: 0.0,
    }
}

#[test]
fn optimizers_step_derived_structs() {
    let (x, y) = ([1.0, -1.0], [0.5, 2.0]);
    let start = linear(0.1);
    let loss_of = |p: &Linear| loss(p.w.as_slice(), &p.b, &x, &y);

    let mut p = start.clone();
    let mut sgd = Sgd::new(0.1, 0.9);
    let g = loss_grad_of(&p, &x, &y);
    sgd.step(&mut p, &g);
    // the first momentum step is plain SGD: p − lr·g, float by float
    let expected: Vec<f64> = floats(&start)
        .iter()
        .zip(floats(&g))
        .map(|(p, g)| p - 0.1 * g)
        .collect();
    assert_eq!(floats(&p), expected);

    let mut p = start.clone();
    let mut adam = Adam::new(0.05);
    for _ in 0..300 {
        let g = loss_grad_of(&p, &x, &y);
        adam.step(&mut p, &g);
    }
    assert!(loss_of(&p) < 1e-6, "{}", loss_of(&p));
    assert_eq!(
        p.scale, start.scale,
        "a float with a zero gradient does not move"
    );

    let mut q = WithConstants {
        steps: 1,
        w: vec![1.0, -1.0],
        enabled: false,
        name: String::new(),
        label: "",
    };
    let mut grads = q.zeros_like();
    grads.w = vec![1.0, 1.0];
    let mut adam = Adam::new(0.1);
    adam.step(&mut q, &grads);
    assert!((q.w[0] - 0.9).abs() < 1e-6 && (q.w[1] + 1.1).abs() < 1e-6);
    assert_eq!(q.steps, 1);

    let mut t = Pair(1.0, [1.0, 1.0]);
    Sgd::new(0.5, 0.0).step(&mut t, &Pair(2.0, [0.0, -2.0]));
    assert_eq!(t, Pair(0.0, [1.0, 2.0]));
}
