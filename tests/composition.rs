//! Composition by parameter: a caller matches a callee's `_vjp` slots to its
//! arguments by position among the float arguments, whatever the callee's
//! `wrt(..)`, and a hand-written `_vjp` is a custom derivative.

use grad::prelude::*;

/// Differentiated in both parameters by default.
#[differentiable]
fn prod(a: f64, b: f64) -> f64 {
    a * b
}

/// Needs `∂prod/∂b` only.
#[differentiable(wrt(b))]
fn outer(a: f64, b: f64) -> f64 {
    prod(a, b)
}

#[test]
fn a_caller_gets_the_partial_of_the_parameter_it_differentiates() {
    // ∂(a·b)/∂b = a, not ∂/∂a = b.
    assert_eq!(outer(3.0, 0.5), 1.5);
    assert_eq!(outer_grad(3.0, 0.5), 3.0);
    let (value, db) = outer_value_and_grad(3.0, 0.5);
    assert_eq!((value, db), (1.5, 3.0));
}

/// Only `∂/∂a`: its `_vjp` has a `NotDifferentiated` slot for `b`.
#[differentiable(wrt(a))]
fn prod_a(a: f64, b: f64) -> f64 {
    a * b
}

/// Uses `prod_a` where only `a` is active.
#[differentiable(wrt(x))]
fn uses_prod_a(x: f64, y: f64) -> f64 {
    prod_a(x * x, y)
}

#[test]
fn a_wrt_subset_callee_serves_callers_that_need_its_subset() {
    let slots: (f64, NotDifferentiated) = prod_a_vjp(2.0, 5.0, 1.0);
    assert_eq!(slots, (5.0, NotDifferentiated));
    // ∂(x²·y)/∂x = 2xy
    assert_eq!(uses_prod_a(1.5, 4.0), 9.0);
    assert_eq!(uses_prod_a_grad(1.5, 4.0), 12.0);
}

/// `x^k`, with a hand-written derivative in both parameters.
fn mypow(x: f64, k: f64) -> f64 {
    x.powf(k)
}

/// The custom derivative: the cotangent times (∂/∂x, ∂/∂k).
fn mypow_vjp(x: f64, k: f64, cotangent: f64) -> (f64, f64) {
    (
        cotangent * k * x.powf(k - 1.0),
        cotangent * x.powf(k) * x.ln(),
    )
}

#[differentiable(wrt(k))]
fn pow_in_k(x: f64, k: f64) -> f64 {
    mypow(x, k) * 2.0
}

#[test]
fn a_hand_written_vjp_is_matched_by_parameter() {
    let (x, k) = (1.5_f64, 2.0_f64);
    assert_eq!(pow_in_k(x, k), 4.5);
    let want = 2.0 * x.powf(k) * x.ln();
    assert!(
        (pow_in_k_grad(x, k) - want).abs() < 1e-15,
        "{}",
        pow_in_k_grad(x, k)
    );
}

/// `x^k` whose custom derivative covers `x` only.
fn mypow_x(x: f64, k: f64) -> f64 {
    x.powf(k)
}

/// Covers `x`; `k` gets `NotDifferentiated`.
fn mypow_x_vjp(x: f64, k: f64, cotangent: f64) -> (f64, NotDifferentiated) {
    (cotangent * k * x.powf(k - 1.0), NotDifferentiated)
}

#[differentiable]
fn cube(x: f64) -> f64 {
    mypow_x(x, 3.0)
}

#[test]
fn a_partial_custom_derivative_serves_callers_that_need_what_it_covers() {
    assert_eq!(cube(2.0), 8.0);
    assert_eq!(cube_grad(2.0), 12.0);
}

/// A vector-valued fn differentiated in its scalar parameter only.
#[differentiable(wrt(s))]
fn scaled(v: &[f64], s: f64) -> Vec<f64> {
    v * s
}

#[test]
fn wrt_a_scalar_on_a_vector_valued_fn() {
    let v = [1.0, -2.0, 4.0];
    // ∂(s·v)/∂s = v: the VJP is ⟨c, v⟩ in the slot of `s`.
    let (dv, ds) = scaled_vjp(&v, 0.5, &[1.0, 1.0, 0.5]);
    assert_eq!(dv, NotDifferentiated);
    assert_eq!(ds, 1.0 - 2.0 + 2.0);
    // The Jacobian is a column: one one-element row per output.
    assert_eq!(
        scaled_jacobian(&v, 0.5),
        vec![vec![1.0], vec![-2.0], vec![4.0]]
    );
}

/// The method forms of the activations mean what the free forms mean.
#[differentiable]
fn methods(x: f64) -> f64 {
    x.sigmoid() + x.relu() + x.softplus() + x.leaky_relu(0.1)
}

#[test]
fn activation_method_forms() {
    for x in [-2.0, -0.5, 0.5, 3.0] {
        let free = sigmoid(x) + relu(x) + softplus(x) + leaky_relu(x, 0.1);
        assert_eq!(methods(x).to_bits(), free.to_bits());
        let slope = if x > 0.0 { 1.0 } else { 0.1 };
        let relu_d = if x > 0.0 { 1.0 } else { 0.0 };
        let want = sigmoid(x) * (1.0 - sigmoid(x)) + relu_d + sigmoid(x) + slope;
        assert!((methods_grad(x) - want).abs() < 1e-15);
    }
}

/// Softmax probabilities, a vector-valued fn.
#[differentiable]
fn probs(v: &[f64]) -> Vec<f64> {
    softmax(v)
}

/// Uses `probs(v)` as a vector with no annotation: its type is inferred
/// from `dot`.
#[differentiable]
fn weighted_probs(v: &[f64], w: &[f64]) -> f64 {
    dot(probs(v), w)
}

/// The same with the annotation.
#[differentiable]
fn weighted_probs_annotated(v: &[f64], w: &[f64]) -> f64 {
    let p: Vec<f64> = probs(v);
    dot(p, w)
}

/// Through an elementwise op, an index and a vector-valued fn's result.
#[differentiable]
fn scaled_probs(v: &[f64]) -> f64 {
    sum(probs(v) * 2.0) + probs(v)[0]
}

/// A vector-valued fn that returns a call.
#[differentiable]
fn probs_again(v: &[f64]) -> Vec<f64> {
    probs(v)
}

#[test]
fn calls_returning_vectors_need_no_annotation() {
    let (v, w) = ([0.5, -1.0, 2.0], [1.0, 3.0, -2.0]);
    assert_eq!(weighted_probs(&v, &w), weighted_probs_annotated(&v, &w));
    assert_eq!(
        weighted_probs_grad(&v, &w),
        weighted_probs_annotated_grad(&v, &w)
    );
    // ∂/∂w = softmax(v); ∂/∂v = p ⊙ (w − ⟨w, p⟩).
    let p = softmax(v);
    let (dv, dw) = weighted_probs_grad(&v, &w);
    let pw: f64 = (0..3).map(|i| p[i] * w[i]).sum();
    for i in 0..3 {
        assert!((dw[i] - p[i]).abs() < 1e-15);
        assert!((dv[i] - p[i] * (w[i] - pw)).abs() < 1e-15);
    }
    // Σ 2·softmax(v) = 2, so only p₀ contributes: ∂p₀/∂vⱼ = p₀(δ₀ⱼ − pⱼ).
    assert!((scaled_probs(&v) - (2.0 + p[0])).abs() < 1e-15);
    let d = scaled_probs_grad(&v);
    for (j, dj) in d.iter().enumerate() {
        let want = p[0] * (f64::from(u8::from(j == 0)) - p[j]);
        assert!((dj - want).abs() < 1e-15, "{j}: {dj} vs {want}");
    }
    assert_eq!(probs_again(&v), p);
    assert_eq!(
        probs_again_vjp(&v, &[1.0, 0.0, 0.0]),
        probs_vjp(&v, &[1.0, 0.0, 0.0])
    );
}
