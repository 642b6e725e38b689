//! The passes that sum a row's `e^{x−m}`: with the terms stored
//! ([`exp_store_sum`], for softmax and cross-entropy's backward), without
//! ([`exp_sum`]), and `(m, ln S)` with its accurate second pass for
//! confident rows ([`log_sum_exp`], for `log_softmax` and cross-entropy).

use super::super::map::W;
use super::super::vmath::{self, splat};
use super::block::{B, Block, U, accumulate, hsum4, load4, pad, store_tail, store4};
use super::exp::{Class, bounds, exp_block, exp_tail};
use core::arch::x86_64::*;

/// Asks for the cache line of block `j` (64 bytes) of `next` while this
/// pass computes: the next row, read by the next call's first pass, or the
/// output that the next pass writes. A row of the 64×32000 benchmark is
/// 128 KB; streaming it from memory behind the exponentials hides most of
/// the wait of those memory-bound passes.
#[inline]
#[target_feature(enable = "avx2,fma")]
fn prefetch(next: &[f32], j: usize) {
    if let Some(p) = next.get(j * B..) {
        // A hint only: it never faults, even past the end of `next`.
        let p = p.as_ptr().cast::<i8>();
        _mm_prefetch::<_MM_HINT_T0>(p);
    }
}

/// `out = e^{x−m}` for the row maximum `m`; returns `Σ out` (NaN for a NaN
/// row). Lengths equal; `next` is only prefetched.
#[inline]
#[target_feature(enable = "avx2,fma")]
pub(super) fn exp_store_sum(x: &[f32], out: &mut [f32], next: &[f32]) -> f32 {
    match bounds(x) {
        (m, Class::Near) => exp_store_sum_in::<true>(x, m, out, next),
        (m, Class::Far) => exp_store_sum_in::<false>(x, m, out, next),
    }
}

/// [`exp_store_sum`] for a known `m` (`NEAR` as in [`exp_block`]).
#[inline]
#[target_feature(enable = "avx2,fma")]
fn exp_store_sum_in<const NEAR: bool>(x: &[f32], m: f32, out: &mut [f32], next: &[f32]) -> f32 {
    let (mv, negm) = (splat(m), splat(-m));
    let (xc, xt) = x.as_chunks::<B>();
    let (oc, ot) = out.as_chunks_mut::<B>();
    let mut acc = [_mm256_setzero_ps(); U];
    for (j, (xi, oi)) in xc.iter().zip(oc.iter_mut()).enumerate() {
        prefetch(next, j);
        let e = exp_block::<NEAR>(load4(xi), mv, negm);
        store4(oi, e);
        accumulate(&mut acc, e);
    }
    if !xt.is_empty() {
        let (e, _) = exp_tail::<NEAR>(xt, m, negm);
        store_tail(ot, e);
        accumulate(&mut acc, e);
    }
    hsum4(acc)
}

/// `S = Σ e^{x−m}`, nothing written; `next` is only prefetched.
#[inline]
#[target_feature(enable = "avx2,fma")]
fn exp_sum<const NEAR: bool>(x: &[f32], m: f32, next: &[f32]) -> f32 {
    let (mv, negm) = (splat(m), splat(-m));
    let (xc, xt) = x.as_chunks::<B>();
    let mut acc = [_mm256_setzero_ps(); U];
    for (j, xi) in xc.iter().enumerate() {
        prefetch(next, j);
        accumulate(&mut acc, exp_block::<NEAR>(load4(xi), mv, negm));
    }
    if !xt.is_empty() {
        accumulate(&mut acc, exp_tail::<NEAR>(xt, m, negm).0);
    }
    hsum4(acc)
}

/// `ln s` for one `s` by `vmath::ln` (≤ 1.26 ulp): a few dozen cycles on
/// the row's critical path where a libm call took about a hundred.
#[inline]
#[target_feature(enable = "avx2,fma")]
fn ln_one(s: f32) -> f32 {
    _mm256_cvtss_f32(vmath::ln(splat(s)))
}

/// `(m, ln S)` of one row, nothing written. `exact_top`: the caller needs
/// `ln S` to a small relative error even when `S − 1` is tiny (the output
/// `−ln S` of a maximal element of `log_softmax`, or the cross-entropy of a
/// row whose target is maximal).
///
/// One pass sums every term, the maximal ones (exactly 1) included. If
/// `S ≥ 2`, `ln S ≥ ln 2` and its relative error is that of `S`; otherwise
/// a cross-entropy with a non-maximal target is itself `≥ ln 2` (the target
/// term `e_t ≤ 1` gives `ln S − ln e_t ≥ ln(1 + 1/e_t)`), so `S` will do
/// again. Only when `S < 2` and `exact_top` does a second pass sum the
/// non-maximal terms `T` apart and count the maximal ones `c`, for
/// `ln c + log1p(T/c)` (`row::ln_sum`).
#[inline]
#[target_feature(enable = "avx2,fma")]
pub(super) fn log_sum_exp(x: &[f32], next: &[f32], exact_top: impl Fn(f32) -> bool) -> (f32, f32) {
    let (m, class) = bounds(x);
    if x.len() < B {
        return match class {
            Class::Near => short_log_sum_exp::<true>(x, m, exact_top),
            Class::Far => short_log_sum_exp::<false>(x, m, exact_top),
        };
    }
    let near = class == Class::Near;
    let s = match class {
        Class::Near => exp_sum::<true>(x, m, next),
        Class::Far => exp_sum::<false>(x, m, next),
    };
    // `S ∈ [1, n]`: `S − 1` is exact.
    if !(s < 2.0 && exact_top(m)) {
        return (m, ln_one(s));
    }
    let (t, c) = if near {
        exp_rest_count::<true>(x, m)
    } else {
        exp_rest_count::<false>(x, m)
    };
    (m, crate::kernels::row::ln_sum(t, c))
}

/// [`log_sum_exp`] of a row shorter than a block (`m` and `NEAR` from
/// [`bounds`]): its terms stay in registers, and `S` and its two parts come
/// from the same terms (no second pass).
#[inline]
#[target_feature(enable = "avx2,fma")]
fn short_log_sum_exp<const NEAR: bool>(
    x: &[f32],
    m: f32,
    exact_top: impl Fn(f32) -> bool,
) -> (f32, f32) {
    let (mv, negm) = (splat(m), splat(-m));
    let (e, valid) = exp_tail::<NEAR>(x, m, negm);
    let s = hsum4(e);
    if !(s < 2.0 && exact_top(m)) {
        return (m, ln_one(s));
    }
    let mut acc = [_mm256_setzero_ps(); U];
    let mut cnt = _mm256_setzero_si256();
    rest_count_step(pad(x, m), e, valid, mv, &mut acc, &mut cnt);
    let (t, c) = rest_count_total(acc, cnt);
    (m, crate::kernels::row::ln_sum(t, c))
}

/// `(Σ acc, Σ cnt)` of [`rest_count_step`]'s accumulators.
#[inline]
#[target_feature(enable = "avx2,fma")]
fn rest_count_total(acc: Block, cnt: __m256i) -> (f32, f32) {
    let mut lanes = [0_i32; W];
    // SAFETY: `lanes` is 8 contiguous i32s (32 bytes) we hold exclusively;
    // `storeu` has no alignment requirement.
    unsafe { _mm256_storeu_si256(lanes.as_mut_ptr().cast(), cnt) };
    let c: i64 = lanes.iter().map(|&v| i64::from(v)).sum();
    (hsum4(acc), c as f32)
}

/// Adds a block's `e = e^{x−m}` where `x ≠ m` to `acc` and counts the
/// `valid` lanes where `x = m` (`e = 1`) in `cnt`.
#[inline]
#[target_feature(enable = "avx2,fma")]
fn rest_count_step(
    v: Block,
    e: Block,
    valid: Block,
    mv: __m256,
    acc: &mut Block,
    cnt: &mut __m256i,
) {
    for (((a, ei), vi), k) in acc.iter_mut().zip(e).zip(v).zip(valid) {
        let top = _mm256_and_ps(k, _mm256_cmp_ps::<_CMP_EQ_OQ>(vi, mv));
        *a = _mm256_add_ps(*a, _mm256_andnot_ps(top, ei));
        // A true lane is −1 as an integer.
        *cnt = _mm256_sub_epi32(*cnt, _mm256_castps_si256(top));
    }
}

/// `(Σ_{x_j ≠ m} e^{x_j−m}, #{j : x_j = m})`, nothing written: the two
/// parts of `S` that `row::ln_sum` turns into an accurate `ln S` (a plain
/// `ln(1 + T)` would lose a small `T` to rounding).
#[inline(never)]
#[target_feature(enable = "avx2,fma")]
pub(super) fn exp_rest_count<const NEAR: bool>(x: &[f32], m: f32) -> (f32, f32) {
    let (mv, negm) = (splat(m), splat(-m));
    let mut acc = [_mm256_setzero_ps(); U];
    let mut cnt = _mm256_setzero_si256();
    let (xc, xt) = x.as_chunks::<B>();
    let all = [_mm256_castsi256_ps(_mm256_set1_epi32(-1)); U];
    for c in xc {
        let v = load4(c);
        let e = exp_block::<NEAR>(v, mv, negm);
        rest_count_step(v, e, all, mv, &mut acc, &mut cnt);
    }
    if !xt.is_empty() {
        let (e, valid) = exp_tail::<NEAR>(xt, m, negm);
        rest_count_step(pad(xt, m), e, valid, mv, &mut acc, &mut cnt);
    }
    rest_count_total(acc, cnt)
}
