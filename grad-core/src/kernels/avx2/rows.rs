//! The row kernels of the softmax family and cross-entropy in AVX2+FMA
//! `f32`: the same stable formulations as `super::super::row` (read its
//! module docs first), with fewer passes over a row.
//!
//! - [`bounds`]: maximum and minimum in one pass.
//! - `e^{x−m}` and its sum in one pass ([`exp_store_sum`] writes the terms,
//!   [`exp_rest_count`](sums::exp_rest_count) only sums them, for `log_softmax` and cross-entropy).
//! - softmax scales the stored terms by `1/Σ`; `log_softmax` writes
//!   `(x − m) − ln S`; cross-entropy writes nothing.
//!
//! # `e^{x−m}`
//!
//! `s = x − m ≤ 0`, so no overflow clamp. `e^s = 2^(n/8)/2 · 2e^r` from
//! `vmath`'s pieces (the ones its `exp` uses): `n = round(8·s·log2 e)`,
//! `r = s − n·ln2/8` (Cody–Waite, two fused steps, `|r| ≤ ln2/16`), a
//! degree-3 polynomial for `2e^r`, and `2^(n/8)/2` from an 8-entry table
//! read by one permute with `⌊n/8⌋` added to its exponent field as an
//! integer. That is 7 operations on the multiply ports a vector, which
//! bound these loops; error ≤ 2 ulp (two roundings and the table's).
//!
//! `s` itself rounds with an absolute error up to half an ulp of `s`, which
//! becomes a relative error of `e^s` of the same size: ≤ 2^−21 ≈ 4.8e−7 for
//! `|s| ≤ 16`, but ≈ 1.9e−6 for `|s| ≈ 38`, beyond the 1e−6 budget. So:
//!
//! - a row whose every `x − m` is at least −[`EXACT`](exp::EXACT) (the max pass also
//!   finds the minimum) runs the short form ([`exp_near`](exp::exp_near): no correction,
//!   no flush, `s ≥ −16` keeps the result normal);
//! - in other rows each block of 16 floats checks its own `s`; where one is
//!   below −`EXACT` the block adds the exact rounding error `lo` of
//!   `x − m` (TwoSum) to `r` and flushes below `vmath::EXP_LO` ([`exp_far`](exp::exp_far)).
//!
//! With `exp` ≤ 2 ulp and the scaling ≤ 1 ulp the worst relative error of
//! a term stays below 1e−6 either way (`crate::testing` has the measured
//! worst).

mod block;
mod exp;
mod sums;
#[cfg(test)]
mod tests;

use super::map::map2;
use super::vmath::{self, splat};
use block::{B, U, accumulate, hsum4, load4, pad, store_tail, store4};
use core::arch::x86_64::*;
pub(super) use exp::exp_two_sum;
use exp::{Class, bounds, exp_tail};
use sums::{exp_store_sum, log_sum_exp};

/// `out *= k`.
#[inline]
#[target_feature(enable = "avx2,fma")]
fn scale(out: &mut [f32], k: f32) {
    let kv = splat(k);
    let (oc, ot) = out.as_chunks_mut::<B>();
    for c in oc {
        let v = load4(c).map(|v| _mm256_mul_ps(v, kv));
        store4(c, v);
    }
    for v in ot {
        *v *= k;
    }
}

/// `out = softmax(x)`, prefetching `next`; lengths equal.
#[inline]
#[target_feature(enable = "avx2,fma")]
fn softmax_next(x: &[f32], out: &mut [f32], next: &[f32]) {
    if x.len() < B {
        // A row shorter than a block: its terms stay in registers (the same
        // arithmetic as below, without storing them and reading them back).
        let (m, class) = bounds(x);
        let negm = splat(-m);
        let (e, _) = match class {
            Class::Near => exp_tail::<true>(x, m, negm),
            Class::Far => exp_tail::<false>(x, m, negm),
        };
        let k = splat(1.0 / hsum4(e));
        return store_tail(out, e.map(|v| _mm256_mul_ps(v, k)));
    }
    // A NaN total (NaN row) makes every output NaN.
    let total = exp_store_sum(x, out, next);
    scale(out, 1.0 / total);
}

/// `out = softmax(x)`; lengths equal.
#[target_feature(enable = "avx2,fma")]
pub(crate) fn softmax(x: &[f32], out: &mut [f32]) {
    softmax_next(x, out, &[]);
}

/// The next row after the one at `start` (empty after the last).
#[inline]
fn next_row(x: &[f32], start: usize, cols: usize) -> &[f32] {
    x.get(start + cols..start + 2 * cols).unwrap_or(&[])
}

/// Softmax of every row of `cols` (`cols > 0`, `x.len()` a multiple of it);
/// lengths equal.
#[target_feature(enable = "avx2,fma")]
pub(crate) fn softmax_rows(x: &[f32], cols: usize, out: &mut [f32]) {
    if super::super::row::short(cols) {
        return super::short_rows::single::softmax_rows(x, cols, out);
    }
    for (i, (xr, or)) in x
        .chunks_exact(cols)
        .zip(out.chunks_exact_mut(cols))
        .enumerate()
    {
        softmax_next(xr, or, next_row(x, i * cols, cols));
    }
}

/// `out = log_softmax(x) = (x − m) − ln S`; lengths equal.
#[target_feature(enable = "avx2,fma")]
pub(crate) fn log_softmax(x: &[f32], out: &mut [f32]) {
    // The output's lines are fetched during the exponentials, so that the
    // writing pass finds them in cache.
    let (m, lse) = log_sum_exp(x, out, |_| true);
    if m == f32::INFINITY {
        // A +∞ logit: the generic row code's answer (−∞ for the finite
        // entries, NaN for the +∞ ones, as PyTorch), so every path agrees.
        return super::super::row::log_softmax(x, out);
    }
    let (mv, lv) = (splat(m), splat(lse));
    let (xc, xt) = x.as_chunks::<B>();
    let (oc, ot) = out.as_chunks_mut::<B>();
    for (xi, oi) in xc.iter().zip(oc.iter_mut()) {
        let v = load4(xi).map(|v| _mm256_sub_ps(_mm256_sub_ps(v, mv), lv));
        store4(oi, v);
    }
    if !xt.is_empty() {
        store_tail(
            ot,
            pad(xt, 0.0).map(|v| _mm256_sub_ps(_mm256_sub_ps(v, mv), lv)),
        );
    }
}

/// `log_softmax` of every row of `cols` (`cols > 0`, `x.len()` a multiple
/// of it); lengths equal.
#[target_feature(enable = "avx2,fma")]
pub(crate) fn log_softmax_rows(x: &[f32], cols: usize, out: &mut [f32]) {
    if super::super::row::short(cols) {
        return super::short_rows::single::log_softmax_rows(x, cols, out);
    }
    for (xr, or) in x.chunks_exact(cols).zip(out.chunks_exact_mut(cols)) {
        log_softmax(xr, or);
    }
}

/// [`log_softmax_backward`] of every row of `cols` (`cols > 0`, lengths
/// equal and a multiple of it).
#[target_feature(enable = "avx2,fma")]
pub(crate) fn log_softmax_rows_backward(y: &[f32], dy: &[f32], cols: usize, dx: &mut [f32]) {
    if super::super::row::short(cols) {
        return super::short_rows::single::log_softmax_rows_backward(y, dy, cols, dx);
    }
    for ((yr, gr), dr) in y
        .chunks_exact(cols)
        .zip(dy.chunks_exact(cols))
        .zip(dx.chunks_exact_mut(cols))
    {
        log_softmax_backward(yr, gr, dr);
    }
}

/// `Σ_rows ln S − (x_t − m)` over the rows of `cols` (`x.len() = cols ·
/// targets.len()`, every target below `cols`).
#[target_feature(enable = "avx2,fma")]
pub(crate) fn cross_entropy_sum(x: &[f32], cols: usize, targets: &[usize]) -> f32 {
    if super::super::row::short(cols) {
        return super::short_rows::single::cross_entropy_sum(x, cols, targets);
    }
    let mut total = 0.0_f32;
    for (i, (xr, &t)) in x.chunks_exact(cols).zip(targets).enumerate() {
        let xt = xr[t];
        let (m, lse) = log_sum_exp(xr, next_row(x, i * cols, cols), |m| xt == m);
        total += if m == f32::INFINITY {
            // A +∞ logit: the generic row code's answer (+∞ for a finite
            // target, NaN for a +∞ one), so every path agrees.
            super::super::row::cross_entropy(xr, t)
        } else {
            lse - (xt - m)
        };
    }
    total
}

/// `dx = (softmax(x) − onehot(t))·g` row by row (shapes as
/// [`cross_entropy_sum`], `dx` as long as `x`).
#[target_feature(enable = "avx2,fma")]
pub(crate) fn cross_entropy_backward(
    x: &[f32],
    cols: usize,
    targets: &[usize],
    g: f32,
    dx: &mut [f32],
) {
    if super::super::row::short(cols) {
        return super::short_rows::single::cross_entropy_backward(x, cols, targets, g, dx);
    }
    for (i, ((xr, &t), dr)) in x
        .chunks_exact(cols)
        .zip(targets)
        .zip(dx.chunks_exact_mut(cols))
        .enumerate()
    {
        let total = exp_store_sum(xr, dr, next_row(x, i * cols, cols));
        scale(dr, g / total);
        dr[t] -= g;
    }
}

/// Backward of [`log_softmax`]: `dx = dy − e^y·Σ dy` (`vmath::exp`, one
/// fused multiply–add); lengths equal.
#[target_feature(enable = "avx2,fma")]
pub(crate) fn log_softmax_backward(y: &[f32], dy: &[f32], dx: &mut [f32]) {
    let (gc, gt) = dy.as_chunks::<B>();
    let mut acc = [_mm256_setzero_ps(); U];
    for gi in gc {
        accumulate(&mut acc, load4(gi));
    }
    accumulate(&mut acc, pad(gt, 0.0));
    let s = splat(hsum4(acc));
    map2(y, dy, dx, |y, g| _mm256_fnmadd_ps(vmath::exp(y), s, g));
}
