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

use super::driver::{map_in_place, map1, map2, map2_streamed, sum_zip};
use super::math;
use super::simd::{S, V};
use crate::Real;
mod short_rows;

pub(crate) use short_rows::{
    cross_entropy_backward_short, cross_entropy_short, log_softmax_backward_short,
    log_softmax_short, short, softmax_backward_short, softmax_short,
};
use short_rows::{
    exp_shift_short, rest_count_short, row_max, row_sum, scale_short, softmax_backward_row_short,
};

/// `max_j x_j` (−∞ for an empty row, NaN if any is NaN).
#[inline(always)]
pub(crate) fn max<T: Real>(x: &[T]) -> T {
    super::max::imp(x)
}

/// Scratch length for rows that have no output buffer to work in.
const SCRATCH: usize = 1024;

/// `out_i = e^{x_i − m}`: for `f64` on the `Avx2`/`Avx512` paths by the
/// hand-written FMA `exp` (`avx2::vmath64::exp_diff`, the same reduction
/// and TwoSum), else by the generic one.
#[inline(always)]
fn exp_shift_into<T: Real>(x: &[T], m: T, out: &mut [T]) {
    #[cfg(target_arch = "x86_64")]
    if super::fast::f64_avx2::<T>()
        && let (Some(x), Some(out)) = (T::as_f64(x), T::as_f64_mut(out))
    {
        // SAFETY: `f64_avx2` holds only when the active path is `Avx2` or
        // `Avx512`, i.e. when avx2 and fma were detected on this CPU.
        unsafe { super::avx2::map64::exp_shift(x, m.to_f64(), out) };
        return;
    }
    let mv = V::splat(m);
    map1(
        x,
        out,
        #[inline(always)]
        |v| math::exp_diff(v, mv),
    );
}

/// `Σ x` as the `sum` kernel computes it (same association, same bits).
#[inline(always)]
fn total<T: Real>(x: &[T]) -> T {
    sum_zip(
        x,
        x,
        #[inline(always)]
        |a, _| a,
    )
}

/// `Σ_{x_i ≠ m} e_i`: the same values in the same order as [`total`] of
/// `e` with the terms where `x_i = m` set to 0 (the select sits here, in the cheap
/// pass, so the exponential loop keeps fewer registers live).
#[inline(always)]
fn total_rest<T: Real>(e: &[T], x: &[T], m: T) -> T {
    let mv = V::splat(m);
    let zero = V::splat(T::ZERO);
    sum_zip(
        e,
        x,
        #[inline(always)]
        |e, x| V::select(x.eq(mv), zero, e),
    )
}

/// The number of elements equal to `m`, as a float.
#[inline(always)]
fn count<T: Real>(x: &[T], m: T) -> T {
    T::from_usize(x.iter().filter(|&&v| v == m).count())
}

/// `ln S` from `S = c + T` (c maximal elements, T the sum of the other
/// terms): `ln c + log1p(T/c)`. For the usual `c = 1` this is `log1p(T)`,
/// accurate even when `T` is far below ε (a confident row), where
/// `ln(1 + T)` would round to 0.
#[inline(always)]
pub(crate) fn ln_sum<T: Real>(t: T, c: T) -> T {
    if c == T::ONE {
        // The usual case, in the same bits: `math::ln(1)` is exactly +0
        // (its `f = m − 1 = 0`) and `t/1 = t`.
        return math::log1p(S(t)).0;
    }
    math::ln(S(c)).0 + math::log1p(S(t / c)).0
}

/// `(m, ln Σ_j e^{x_j − m})` for one row without an output buffer: the
/// terms go through a stack scratch block by block.
#[inline(always)]
pub(crate) fn log_sum_exp_parts<T: Real>(x: &[T]) -> (T, T) {
    if short(x.len()) {
        let m = row_max(x);
        let (t, c) = rest_count_short(x, m);
        return (m, ln_sum(t, c));
    }
    let m = max(x);
    // `f64` on the `Avx2`/`Avx512` paths: the sum and the count in one
    // fused pass, nothing stored (its own order of summation: these
    // kernels' bits are path-dependent). `log_softmax` keeps storing its
    // terms: it writes its output after, and a first write into lines
    // already in the cache measured faster (64×32000: 6.1–7.5 ms against
    // 7.9–9.1 through the fused pass).
    #[cfg(target_arch = "x86_64")]
    if super::fast::f64_avx2::<T>()
        && let Some(x) = T::as_f64(x)
    {
        // SAFETY: `f64_avx2` holds only when the active path is `Avx2` or
        // `Avx512`, i.e. when avx2 and fma were detected on this CPU.
        let (t, c) = unsafe { super::avx2::map64::exp_rest_count(x, m.to_f64()) };
        return (m, ln_sum(T::from_f64(t), T::from_f64(c)));
    }
    let mut scratch = [T::ZERO; SCRATCH];
    let mut t = T::ZERO;
    for blk in x.chunks(SCRATCH) {
        let buf = &mut scratch[..blk.len()];
        exp_shift_into(blk, m, buf);
        t += total_rest(buf, blk, m);
    }
    (m, ln_sum(t, count(x, m)))
}

/// `out = softmax(x)`; lengths equal.
#[inline(always)]
pub(crate) fn softmax<T: Real>(x: &[T], out: &mut [T]) {
    if short(x.len()) {
        exp_shift_short(x, row_max(x), out);
        return scale_short(out, T::ONE / row_sum(out));
    }
    let m = max(x);
    exp_shift_into(x, m, out);
    let inv = V::splat(T::ONE / total(out));
    map_in_place(
        out,
        #[inline(always)]
        |v| v * inv,
    );
}

/// `out = log_softmax(x)`; lengths equal.
#[inline(always)]
pub(crate) fn log_softmax<T: Real>(x: &[T], out: &mut [T]) {
    if short(x.len()) {
        let m = row_max(x);
        let (t, c) = rest_count_short(x, m);
        let lse = ln_sum(t, c);
        for (o, &v) in out.iter_mut().zip(x) {
            *o = (v - m) - lse;
        }
        return;
    }
    let m = max(x);
    exp_shift_into(x, m, out);
    let lse = ln_sum(total_rest(out, x, m), count(x, m));
    let (m, lse) = (V::splat(m), V::splat(lse));
    map1(
        x,
        out,
        #[inline(always)]
        |v| (v - m) - lse,
    );
}

/// `dx = y·(dy − Σ y·dy)`; lengths equal.
#[inline(always)]
pub(crate) fn softmax_backward<T: Real>(y: &[T], dy: &[T], dx: &mut [T]) {
    if short(y.len()) {
        return softmax_backward_row_short(y, dy, dx);
    }
    let s = V::splat(super::dot::imp(y, dy));
    map2_streamed(
        y,
        dy,
        dx,
        #[inline(always)]
        |y, g| y * (g - s),
    );
}

/// `dx = dy − e^y·Σ dy` (y = log_softmax); lengths equal.
#[inline(always)]
pub(crate) fn log_softmax_backward<T: Real>(y: &[T], dy: &[T], dx: &mut [T]) {
    if short(y.len()) {
        let s = row_sum(dy);
        for ((d, &y), &g) in dx.iter_mut().zip(y).zip(dy) {
            *d = g - math::exp(S(y)).0 * s;
        }
        return;
    }
    let s = sum_zip(
        dy,
        dy,
        #[inline(always)]
        |g, _| g,
    );
    // `f64` on the `Avx2`/`Avx512` paths: `e^y` by the hand-written FMA
    // `exp` (the same sum and the same multiply and subtraction).
    #[cfg(target_arch = "x86_64")]
    if super::fast::f64_avx2::<T>()
        && let (Some(y), Some(dy), Some(dx)) = (T::as_f64(y), T::as_f64(dy), T::as_f64_mut(dx))
    {
        // SAFETY: `f64_avx2` holds only when the active path is `Avx2` or
        // `Avx512`, i.e. when avx2 and fma were detected on this CPU.
        unsafe { super::avx2::map64::minus_exp_scaled(y, dy, s.to_f64(), dx) };
        return;
    }
    let s = V::splat(s);
    map2(
        y,
        dy,
        dx,
        #[inline(always)]
        |y, g| g - math::exp(y) * s,
    );
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
    if short(x.len()) {
        exp_shift_short(x, row_max(x), dx);
        scale_short(dx, g / row_sum(dx));
        dx[t] -= g;
        return;
    }
    let m = max(x);
    exp_shift_into(x, m, dx);
    let scale = V::splat(g / total(dx));
    map_in_place(
        dx,
        #[inline(always)]
        |v| v * scale,
    );
    dx[t] -= g;
}
