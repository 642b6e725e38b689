//! Corner cases of the vector rules, each against central differences:
//! annotated calls to vector-valued fns, vectors through `if`, indexing an
//! array literal, nested softmax, one parameter in several roles, scalars
//! computed from the vector they then scale, array/Vec conversions between
//! parameters and outputs, identity outputs, unused and owned parameters,
//! shadowed vector lets.

use grad::prelude::*;

use crate::support::{Flat, Rng, Tol, assert_close, central_diff, dot64};

#[differentiable]
fn layer(w: &[f64], x: &[f64], b: &[f64]) -> Vec<f64> {
    tanh(matvec(w, x) + b)
}

#[differentiable]
fn annotated_call(w: &[f64], x: &[f64], b: &[f64], c: &[f64]) -> f64 {
    let h: Vec<f64> = layer(w, x, b);
    dot(h, c)
}

#[differentiable]
fn through_if(a: &[f64], flag: bool) -> f64 {
    let v = if flag { a * 2.0 } else { a + 1.0 };
    sum(v * v)
}

#[differentiable]
fn index_literal(x: f64, y: f64) -> f64 {
    [x, y * x][1] + [x, y][0]
}

#[differentiable]
fn nested_softmax(a: &[f64]) -> f64 {
    softmax(softmax(a))[0]
}

/// `a` in both arguments: `mse(a, a)` is 0 with gradient 0.
#[differentiable]
fn same_param_twice(a: &[f64]) -> f64 {
    dot(a, a) + mse(a, a) + sum(a * a)
}

#[differentiable]
fn normalize(a: &[f64]) -> f64 {
    dot(a / sum(a), a)
}

#[differentiable]
fn slice_to_array(a: &[f64]) -> [f64; 2] {
    [a[0] * a[1], a[1]]
}

#[differentiable]
fn scale_by_own_sum(a: &[f64]) -> Vec<f64> {
    a * sum(a)
}

#[differentiable]
fn array_to_vec(a: [f64; 3]) -> Vec<f64> {
    a * 2.0
}

#[differentiable]
fn array_matrix_slice_vector(w: [f64; 6], x: &[f64]) -> f64 {
    sum(matvec(w, x))
}

#[differentiable]
fn unused_param(a: &[f64], _unused: &[f64]) -> f64 {
    sum(a)
}

#[differentiable]
fn f32_literals(a: &[f32]) -> f32 {
    sum(2.0 * a - a / 3.0)
}

#[differentiable]
fn negations(a: &[f64], b: &[f64]) -> f64 {
    -a[0] + sum(-(a + b)) * mean(a) * b[1]
}

#[differentiable]
fn bce_of_sigmoid(z: &[f64], y: &[f64]) -> f64 {
    binary_cross_entropy(sigmoid(z), y)
}

#[differentiable]
fn identity(a: &[f64]) -> Vec<f64> {
    a
}

#[differentiable]
fn identity_array(a: [f64; 3]) -> [f64; 3] {
    a
}

#[differentiable]
fn owned_twice(a: Vec<f64>) -> f64 {
    sum(&a) * mean(&a)
}

#[differentiable]
fn shadowed(a: &[f64]) -> f64 {
    let a = a * 2.0;
    let a = a + 1.0;
    sum(a * a)
}

#[differentiable]
fn annotated_array_let(a: &[f64]) -> f64 {
    let v: [f64; 3] = [a[0], a[1], a[2]];
    sum(softmax(v) * v)
}

#[differentiable]
fn scalar_from_scalar_param(a: &[f64], s: f64) -> f64 {
    let k = s * 2.0;
    sum(exp(a * k)) / k
}

/// Cross-entropy with soft targets.
#[differentiable]
fn soft_targets(z: &[f64], t: &[f64]) -> f64 {
    -sum(t * log_softmax(z))
}

/// One attention read-out: keys `k` (4×3), query `q`, values `v`.
#[differentiable]
fn attention(k: &[f64], q: &[f64], v: &[f64]) -> f64 {
    dot(softmax(matvec(k, q) / 3.0_f64.sqrt()), v)
}

#[differentiable]
fn attention32(k: &[f32], q: &[f32], v: &[f32]) -> f32 {
    dot(softmax(matvec(k, q) / 3.0_f32.sqrt()), v)
}

/// Layer normalization, weighted.
#[differentiable]
fn layer_norm(a: &[f64], w: &[f64]) -> f64 {
    let m = mean(a);
    let c = a - m;
    let s = sqrt(mean(c * c) + 1e-5);
    dot(c / s, w)
}

#[differentiable]
fn logsumexp(a: &[f64]) -> f64 {
    ln(sum(exp(a)))
}

/// Three layers, vector-valued.
#[differentiable]
fn three_layers(w1: &[f64], w2: &[f64], w3: &[f64], x: &[f64]) -> Vec<f64> {
    let h1 = relu(matvec(w1, x));
    let h2 = softplus(matvec(w2, h1));
    sigmoid(matvec(w3, h2))
}

/// Non-float slices are constants: class indices, masks.
#[differentiable]
fn constant_slices(z: &[f64], classes: &[usize], k: usize, mask: &[bool]) -> f64 {
    if mask[k] {
        cross_entropy(z, classes[k])
    } else {
        mean(z)
    }
}

#[test]
fn non_float_slices_are_constants() {
    let z = [1.0, 2.0, 3.0];
    let g = constant_slices_grad(&z, &[2, 0], 1, &[false, true]);
    assert_close(
        "cross_entropy(z, classes[1])",
        &z,
        &g,
        &crate::closed::l_cross_entropy(&z, 0),
        f64::CLOSED,
    );
    let g = constant_slices_grad(&z, &[2, 0], 0, &[false, true]);
    assert_close("mean(z)", &z, &g, &[1.0 / 3.0; 3], f64::CLOSED);
}

/// `got` against the central difference of `f` at `at`.
#[track_caller]
fn fd(what: &str, at: &[f64], got: &[f64], f: impl Fn(&[f64]) -> f64) {
    assert_close(what, at, got, &central_diff(f, at), f64::FD);
}

#[test]
fn probes_scalar_valued() {
    let mut rng = Rng::for_test("probes");
    for _ in 0..8 {
        let (w, x, b, c) = (
            rng.vec(6, -1.0, 1.0),
            rng.vec(2, -2.0, 2.0),
            rng.vec(3, -1.0, 1.0),
            rng.vec(3, -1.0, 1.0),
        );
        let at = [w.clone(), x.clone(), b.clone(), c.clone()].concat();
        fd(
            "annotated_call",
            &at,
            &annotated_call_grad(&w, &x, &b, &c).flat(),
            |p| annotated_call(&p[..6], &p[6..8], &p[8..11], &p[11..]),
        );
        let a = rng.vec(4, 0.5, 2.0);
        for flag in [true, false] {
            fd("through_if", &a, &through_if_grad(&a, flag), |p| {
                through_if(p, flag)
            });
        }
        let (s, t) = (rng.uniform(-2.0, 2.0), rng.uniform(-2.0, 2.0));
        fd(
            "index_literal",
            &[s, t],
            &index_literal_grad(s, t).flat(),
            |p| index_literal(p[0], p[1]),
        );
        fd(
            "nested_softmax",
            &a,
            &nested_softmax_grad(&a),
            nested_softmax,
        );
        let g = same_param_twice_grad(&a);
        fd("same_param_twice", &a, &g, same_param_twice);
        fd("normalize", &a, &normalize_grad(&a), normalize);
        fd(
            "array_matrix_slice_vector",
            &at[..8],
            &array_matrix_slice_vector_grad(w[..6].try_into().unwrap(), &x).flat(),
            |p| array_matrix_slice_vector(p[..6].try_into().unwrap(), &p[6..8]),
        );
        let (g, unused) = unused_param_grad(&a, &b);
        assert_eq!(g, vec![1.0; 4], "unused_param: ∂/∂a");
        assert_eq!(
            unused,
            vec![0.0; 3],
            "unused_param: ∂/∂unused is zeros of its length"
        );
        let a32: Vec<f32> = a.iter().map(|&v| v as f32).collect();
        let g32 = f32_literals_grad(&a32);
        assert!(
            g32.iter().all(|&g| (g - (2.0 - 1.0 / 3.0)).abs() < 1e-6),
            "f32_literals: {g32:?}"
        );
        let bb = rng.vec(4, -2.0, 2.0);
        let ab = [a.clone(), bb.clone()].concat();
        fd("negations", &ab, &negations_grad(&a, &bb).flat(), |p| {
            negations(&p[..4], &p[4..])
        });
        let (z, y) = (rng.vec(4, -3.0, 3.0), rng.vec(4, 0.0, 1.0));
        let zy = [z.clone(), y.clone()].concat();
        fd(
            "bce_of_sigmoid",
            &zy,
            &bce_of_sigmoid_grad(&z, &y).flat(),
            |p| bce_of_sigmoid(&p[..4], &p[4..]),
        );
        fd("owned_twice", &a, &owned_twice_grad(a.clone()), |p| {
            owned_twice(p.to_vec())
        });
        fd("shadowed", &a, &shadowed_grad(&a), shadowed);
        fd(
            "annotated_array_let",
            &a,
            &annotated_array_let_grad(&a),
            annotated_array_let,
        );
        let mut as_ = a.clone();
        as_.push(s.abs() + 0.5);
        fd(
            "scalar_from_scalar_param",
            &as_,
            &scalar_from_scalar_param_grad(&a, s.abs() + 0.5).flat(),
            |p| scalar_from_scalar_param(&p[..4], p[4]),
        );
    }
}

#[test]
fn probes_models() {
    let mut rng = Rng::for_test("probes_models");
    for _ in 0..8 {
        let (z, t) = (rng.vec(5, -3.0, 3.0), rng.vec(5, 0.0, 1.0));
        let at = [z.clone(), t.clone()].concat();
        fd(
            "soft_targets",
            &at,
            &soft_targets_grad(&z, &t).flat(),
            |p| soft_targets(&p[..5], &p[5..]),
        );
        let (k, q, v) = (
            rng.vec(12, -1.0, 1.0),
            rng.vec(3, -2.0, 2.0),
            rng.vec(4, -1.0, 1.0),
        );
        let at = [k.clone(), q.clone(), v.clone()].concat();
        let got = attention_grad(&k, &q, &v).flat();
        fd("attention", &at, &got, |p| {
            attention(&p[..12], &p[12..15], &p[15..])
        });
        let to32 = |v: &[f64]| v.iter().map(|&x| x as f32).collect::<Vec<f32>>();
        let got32 = attention32_grad(&to32(&k), &to32(&q), &to32(&v)).flat();
        assert_close("f32 attention", &at, &got32, &got, f32::FD);
        let (a, w) = (rng.vec(6, -2.0, 2.0), rng.vec(6, -1.0, 1.0));
        let at = [a.clone(), w.clone()].concat();
        fd("layer_norm", &at, &layer_norm_grad(&a, &w).flat(), |p| {
            layer_norm(&p[..6], &p[6..])
        });
        fd("logsumexp", &a, &logsumexp_grad(&a), logsumexp);
        let softmax_of_a: Vec<f64> = crate::closed::softmax(&a);
        assert_close(
            "∇logsumexp = softmax",
            &a,
            &logsumexp_grad(&a),
            &softmax_of_a,
            f64::CLOSED,
        );
        let (w1, w2, w3, x) = (
            rng.vec(20, -1.0, 1.0),
            rng.vec(15, -1.0, 1.0),
            rng.vec(6, -1.0, 1.0),
            rng.vec(4, -2.0, 2.0),
        );
        let c = rng.vec(2, -1.0, 1.0);
        let at = [w1.clone(), w2.clone(), w3.clone(), x.clone()].concat();
        fd_vjp(
            "three_layers",
            &at,
            &c,
            &three_layers_vjp(&w1, &w2, &w3, &x, &c).flat(),
            |p| three_layers(&p[..20], &p[20..35], &p[35..41], &p[41..]),
        );
    }
}

/// `vjp(c)` against the central difference of `c·f`.
#[track_caller]
fn fd_vjp(what: &str, at: &[f64], c: &[f64], got: &[f64], f: impl Fn(&[f64]) -> Vec<f64>) {
    assert_close(
        what,
        at,
        got,
        &central_diff(|p| dot64(&f(p), c), at),
        f64::FD,
    );
}

#[test]
fn probes_vector_valued() {
    let mut rng = Rng::for_test("probes_vjp");
    for _ in 0..8 {
        let a = rng.vec(3, 0.5, 2.0);
        let c = rng.vec(3, -1.0, 1.0);
        let arr: [f64; 3] = a[..].try_into().unwrap();
        fd_vjp(
            "scale_by_own_sum",
            &a,
            &c,
            &scale_by_own_sum_vjp(&a, &c),
            scale_by_own_sum,
        );
        fd_vjp("array_to_vec", &a, &c, &array_to_vec_vjp(arr, &c), |p| {
            array_to_vec(p.try_into().unwrap())
        });
        fd_vjp("identity", &a, &c, &identity_vjp(&a, &c), identity);
        fd_vjp(
            "identity_array",
            &a,
            &c,
            &identity_array_vjp(arr, &c),
            |p| identity_array(p.try_into().unwrap()).to_vec(),
        );
        assert_eq!(
            identity_jacobian(&a),
            vec![
                vec![1.0, 0.0, 0.0],
                vec![0.0, 1.0, 0.0],
                vec![0.0, 0.0, 1.0]
            ]
        );
        fd_vjp(
            "slice_to_array",
            &a,
            &c[..2],
            &slice_to_array_vjp(&a, &c[..2]),
            |p| slice_to_array(p).to_vec(),
        );
        assert_eq!(
            slice_to_array_jacobian(&a).len(),
            2,
            "slice_to_array: one Jacobian row per output"
        );
    }
}
