//! One-row building blocks of the softmax family and cross-entropy.
//!
//! # Stable formulations
//!
//! For a row `x` with maximum `m = max_j x_j`:
//!
//! ```text
//! softmax(x)_i     = e^{x_i} / Σ_j e^{x_j}
//!                  = e^{x_i − m} / Σ_j e^{x_j − m}          (multiply by e^{−m}/e^{−m})
//! log_softmax(x)_i = x_i − ln Σ_j e^{x_j}
//!                  = (x_i − m) − ln Σ_j e^{x_j − m}          (log-sum-exp)
//! ```
//!
//! Every exponent `x_j − m ≤ 0`, so no `e^…` overflows, and the largest term
//! is `e^0 = 1`, so the sum `S` lies in `[1, n]`: `ln S` is finite and never
//! suffers from underflow to 0. Logits like `[1000, 0, −1000]` give
//! `S = 1 + e^{−1000} + e^{−2000} = 1` and `log_softmax = [0, −1000, −2000]`
//! exactly. Cross-entropy of a row with target `t` is
//! `−log_softmax(x)_t = ln S − (x_t − m)`, a sum of two non-negative terms
//! (no cancellation).
//!
//! Backward (with `y = softmax(x)`, `ℓ = log_softmax(x)`, upstream `g`):
//!
//! ```text
//! ∂L/∂x_i = y_i·(g_i − Σ_j y_j g_j)            softmax
//! ∂L/∂x_i = g_i − e^{ℓ_i}·Σ_j g_j               log_softmax (e^{ℓ_i} = y_i)
//! ∂CE/∂x_i = (y_i − [i = t])·dloss / rows       cross-entropy, mean over rows
//! ```
//!
//! Passes over a row: (1) max, (2) `e^{x−m}` and its sum (stored when the
//! output needs it), (3) scale or shift. A NaN anywhere makes the whole row
//! NaN; a `+∞` logit gives NaN (`∞ − ∞`), as in PyTorch.

use super::driver::{fold, lanes, load, map_in_place, map1, map2, store};
use super::math;
use crate::Real;

/// `max_j x_j` (−∞ for an empty row, NaN if any is NaN).
#[inline(always)]
pub(crate) fn max<T: Real>(x: &[T]) -> T {
    super::max::imp(x)
}

/// Stores `out_i = e^{x_i − m}` and returns their sum.
#[inline(always)]
pub(crate) fn exp_shift_store<T: Real>(x: &[T], m: T, out: &mut [T]) -> T {
    fold(
        x.len(),
        T::ZERO,
        |a, b| a + b,
        |s| {
            let v = lanes(load(x, s), |v| math::exp(v - m));
            store(out, s, &v);
            v
        },
    )
}

/// `Σ_j e^{x_j − m}` without storing.
#[inline(always)]
pub(crate) fn exp_shift_sum<T: Real>(x: &[T], m: T) -> T {
    fold(
        x.len(),
        T::ZERO,
        |a, b| a + b,
        |s| lanes(load(x, s), |v| math::exp(v - m)),
    )
}

/// `ln Σ_j e^{x_j − m}` and `m` for one row.
#[inline(always)]
pub(crate) fn log_sum_exp_parts<T: Real>(x: &[T]) -> (T, T) {
    let m = max(x);
    (m, math::ln(exp_shift_sum(x, m)))
}

/// `out = softmax(x)`; lengths equal.
#[inline(always)]
pub(crate) fn softmax<T: Real>(x: &[T], out: &mut [T]) {
    let m = max(x);
    let s = exp_shift_store(x, m, out);
    let inv = T::ONE / s;
    map_in_place(out, |v| v * inv);
}

/// `out = log_softmax(x)`; lengths equal.
#[inline(always)]
pub(crate) fn log_softmax<T: Real>(x: &[T], out: &mut [T]) {
    let (m, lse) = log_sum_exp_parts(x);
    map1(x, out, |v| (v - m) - lse);
}

/// `dx = y·(dy − Σ y·dy)`; lengths equal.
#[inline(always)]
pub(crate) fn softmax_backward<T: Real>(y: &[T], dy: &[T], dx: &mut [T]) {
    let s = super::dot::imp(y, dy);
    map2(y, dy, dx, |y, g| y * (g - s));
}

/// `dx = dy − e^y·Σ dy` (y = log_softmax); lengths equal.
#[inline(always)]
pub(crate) fn log_softmax_backward<T: Real>(y: &[T], dy: &[T], dx: &mut [T]) {
    let s = fold(dy.len(), T::ZERO, |a, b| a + b, |st| load(dy, st));
    map2(y, dy, dx, |y, g| g - math::exp(y) * s);
}

/// Cross-entropy of one row with target `t`: `ln S − (x_t − m)`.
#[inline(always)]
pub(crate) fn cross_entropy<T: Real>(x: &[T], t: usize) -> T {
    let (m, lse) = log_sum_exp_parts(x);
    lse - (x[t] - m)
}

/// `dx = (softmax(x) − onehot(t))·g`.
#[inline(always)]
pub(crate) fn cross_entropy_backward<T: Real>(x: &[T], t: usize, g: T, dx: &mut [T]) {
    let m = max(x);
    let s = exp_shift_store(x, m, dx);
    let scale = g / s;
    map_in_place(dx, |v| v * scale);
    dx[t] -= g;
}
