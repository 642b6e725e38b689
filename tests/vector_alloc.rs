//! Heap allocations of generated vector code (issue 4, item 3): for `[T; N]`
//! parameters nothing is allocated; for slices only the returned gradients
//! and the intermediates the backward pass must keep.
//!
//! A counting global allocator counts, per thread, every `alloc`,
//! `alloc_zeroed` and `realloc`; each check runs a generated function between
//! two reads of the current thread's counter, so the test harness's own
//! threads cannot disturb the count.

use grad::prelude::*;

#[path = "common/counting.rs"]
mod counting;

#[global_allocator]
static GLOBAL: counting::Counting = counting::Counting;

/// Heap allocations made on this thread while running `f`.
fn allocations<R>(f: impl FnOnce() -> R) -> usize {
    counting::counted(f).0
}

// ---------- arrays: nothing allocated ----------

#[differentiable]
fn a_ce(z: [f64; 4], class: usize) -> f64 {
    cross_entropy(z, class)
}

#[differentiable]
fn a_regression(w: [f64; 4], x: [f64; 4], b: f64, y: &[f64; 4]) -> f64 {
    mse(w * x + b, y)
}

#[differentiable]
fn a_dense(w: [f32; 6], x: [f32; 3], b: [f32; 2], c: [f32; 2]) -> f32 {
    let h = tanh(matvec(w, x) + b);
    dot(h, c) + sum(softmax(h) * h) + h[1]
}

#[differentiable]
fn a_probs(a: [f64; 3]) -> [f64; 3] {
    softmax(a * 2.0 - 1.0)
}

#[differentiable]
fn a_literal(x: f64, y: f64) -> f64 {
    let v = [x, y, x * y];
    log_softmax(v)[2] + bce_with_logits(v, [0.0, 1.0, 1.0])
}

#[test]
fn array_parameters_allocate_nothing() {
    let z = [0.5, -1.0, 2.0, 0.0];
    assert_eq!(allocations(|| a_ce(z, 2)), 0, "a_ce");
    assert_eq!(allocations(|| a_ce_grad(z, 2)), 0, "a_ce_grad");
    assert_eq!(
        allocations(|| a_ce_value_and_grad(z, 2)),
        0,
        "a_ce_value_and_grad"
    );
    let y = [1.0, 2.0, 3.0, 4.0];
    assert_eq!(
        allocations(|| a_regression(z, z, 0.5, &y)),
        0,
        "a_regression"
    );
    assert_eq!(
        allocations(|| a_regression_grad(z, z, 0.5, &y)),
        0,
        "a_regression_grad"
    );
    assert_eq!(
        allocations(|| a_regression_value_and_grad(z, z, 0.5, &y)),
        0,
        "a_regression_value_and_grad"
    );
    let (w, x, b) = (
        [0.1_f32, 0.2, 0.3, -0.4, 0.5, -0.6],
        [1.0, -1.0, 0.5],
        [0.0, 0.1],
    );
    assert_eq!(allocations(|| a_dense(w, x, b, b)), 0, "a_dense");
    assert_eq!(allocations(|| a_dense_grad(w, x, b, b)), 0, "a_dense_grad");
    assert_eq!(
        allocations(|| a_dense_value_and_grad(w, x, b, b)),
        0,
        "a_dense_value_and_grad"
    );
    let a = [0.5, -1.0, 2.0];
    assert_eq!(allocations(|| a_probs(a)), 0, "a_probs");
    assert_eq!(
        allocations(|| a_probs_vjp(a, &[1.0, 0.0, -1.0])),
        0,
        "a_probs_vjp"
    );
    assert_eq!(allocations(|| a_literal(0.5, -1.0)), 0, "a_literal");
    assert_eq!(
        allocations(|| a_literal_grad(0.5, -1.0)),
        0,
        "a_literal_grad"
    );
    assert_eq!(
        allocations(|| a_literal_value_and_grad(0.5, -1.0)),
        0,
        "a_literal_value_and_grad"
    );
    // The Jacobian is a `Vec<Vec<T>>` by its signature: the outer vector and
    // one row per output (4), plus today one one-hot cotangent `Vec` per row
    // (3; a reused buffer, or an array for array outputs, would save them).
    assert_eq!(
        allocations(|| a_probs_jacobian(a)),
        1 + 3 + 3,
        "a_probs_jacobian"
    );
}

// ---------- slices: the returned gradients and kept intermediates only ----------

#[differentiable]
fn s_ce(z: &[f64], class: usize) -> f64 {
    cross_entropy(z, class)
}

#[differentiable]
fn s_regression(w: &[f64], x: &[f64], b: f64, y: &[f64]) -> f64 {
    mse(w * x + b, y)
}

#[differentiable(wrt(w, b))]
fn s_regression_wb(w: &[f64], x: &[f64], b: f64, y: &[f64]) -> f64 {
    mse(w * x + b, y)
}

#[differentiable]
fn s_dense(w: &[f64], x: &[f64], b: &[f64], c: &[f64]) -> f64 {
    dot(tanh(matvec(w, x) + b), c)
}

#[differentiable]
fn s_probs(a: &[f64]) -> Vec<f64> {
    softmax(a)
}

#[test]
fn slice_parameters_allocate_gradients_and_kept_intermediates_only() {
    let z = vec![0.5, -1.0, 2.0, 0.0];
    let y = vec![1.0, 2.0, 3.0, 4.0];
    // Forward passes of scalar-valued fns: reductions of slices need no buffer.
    assert_eq!(allocations(|| s_ce(&z, 2)), 0, "s_ce");
    // One gradient, `softmax(z) − onehot`, computed in place in the returned Vec.
    assert_eq!(allocations(|| s_ce_grad(&z, 2)), 1, "s_ce_grad");
    assert_eq!(
        allocations(|| s_ce_value_and_grad(&z, 2)),
        1,
        "s_ce_value_and_grad"
    );
    // Three vector gradients (dw, dx, dy; db is a scalar), plus the adjoint dp
    // of the prediction p = w·x + b (read by the loop of dw, dx, dy and by the
    // sum that gives db). `_grad` computes p inside the loop of dp; with the
    // value, p is kept too, for the `mse` kernel (the public `mse`'s bits).
    assert_eq!(
        allocations(|| s_regression_grad(&z, &z, 0.5, &y)),
        1 + 3,
        "s_regression_grad"
    );
    assert_eq!(
        allocations(|| s_regression_value_and_grad(&z, &z, 0.5, &y)),
        2 + 3,
        "s_regression_value_and_grad"
    );
    // wrt(w, b): dp and dw.
    assert_eq!(
        allocations(|| s_regression_wb_grad(&z, &z, 0.5, &y)),
        1 + 1,
        "s_regression_wb_grad"
    );
    // Dense layer: Wx (the matvec kernel's output), Wx + b (the tanh kernel's
    // input), h = tanh(Wx + b) (kept for the backward pass) and dh = ḡ·c (the
    // tanh_backward kernel's input), and four gradients are returned (dw, dx,
    // db, dc).
    let (w, x, b, c) = (vec![0.1; 8], vec![1.0, -1.0], vec![0.0; 4], vec![0.5; 4]);
    assert_eq!(
        allocations(|| s_dense_grad(&w, &x, &b, &c)),
        4 + 4,
        "s_dense_grad"
    );
    // Vector-valued: the forward result (returned) and its VJP (returned).
    assert_eq!(allocations(|| s_probs(&z)), 1, "s_probs");
    assert_eq!(
        allocations(|| s_probs_vjp(&z, &y)),
        1 + 1,
        "s_probs_vjp: p kept, grad returned"
    );
}
