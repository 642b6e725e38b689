//! The row kernels of the softmax family and cross-entropy in AVX2+FMA
//! `f32`: the same stable formulations as `super::super::row` (read its
//! module docs first), with fewer passes over a row.
//!
//! - [`bounds`]: maximum (and minimum) with four accumulators each over
//!   32-float blocks.
//! - `e^{x−m}` and its sum in one pass ([`exp_store_sum`] writes the terms,
//!   [`exp_rest_count`] only sums them, for `log_softmax` and cross-entropy).
//! - softmax scales the stored terms by `1/Σ`; `log_softmax` writes
//!   `(x − m) − ln S`; cross-entropy writes nothing.
//!
//! # `e^{x−m}`
//!
//! `s = x − m ≤ 0`, so no overflow clamp; `e^s = 2·e^r · 2^(n−1)` with
//! `n = round(s·log2 e)`, `r = s − n·ln2` (Cody–Waite, two fused steps) and
//! the degree-6 polynomial `C::EXP_POLY` for `2·e^r`, as `vmath::exp`. One
//! magic constant both rounds `s·log2 e` and leaves `n + 126` in the low
//! bits, so the scale `2^(n−1)` is a single shift.
//!
//! `s` itself rounds with an absolute error up to half an ulp of `s`, which
//! becomes a relative error of `e^s` of the same size: ≤ 2^−21 ≈ 4.8e−7 for
//! `|s| ≤ 16`, but ≈ 1.9e−6 for `|s| ≈ 38`, beyond the 1e−6 budget. So:
//!
//! - a row whose every `x − m` is at least −[`EXACT`] (the max pass also
//!   finds the minimum) runs the short form ([`exp_near`]: no correction,
//!   no flush, `s ≥ −16` keeps `2^(n−1)` normal);
//! - in other rows each 32-float block checks its own `s`; where one is
//!   below −`EXACT` the block adds the exact rounding error `lo` of
//!   `x − m` (TwoSum) to `r` and flushes below `EXP_FLUSH` ([`exp_far`]).
//!
//! With `exp` ≤ 2 ulp and the scaling ≤ 1 ulp the worst relative error of
//! a term stays below 1e−6 either way (`crate::testing` has the measured
//! worst).

use super::map::{W, load, store};
use crate::kernels::consts::Consts;
use core::arch::x86_64::*;

/// Vectors per block.
const U: usize = 2;
/// Floats per block.
const B: usize = U * W;

/// Rows (blocks) whose every `x − m` is at least `−EXACT` skip the TwoSum
/// correction (rounding error of `x − m` ≤ 2^−21 relative there).
const EXACT: f32 = 16.0;

/// `1.5·2^23 + 126`: `s·log2e + MAGIC` rounds `s·log2e` to the integer `n`
/// (ties to even) and holds `n + 126` in its low mantissa bits, so shifting
/// its bits left by 23 gives the float `2^(n−1)` (for `−125 ≤ n ≤ 128`).
const MAGIC: f32 = 12_582_912.0 + 126.0;

/// A block as four vectors.
type Block = [__m256; U];

#[inline]
#[target_feature(enable = "avx2,fma")]
fn splat(v: f32) -> __m256 {
    _mm256_set1_ps(v)
}

/// `e^{s + lo}` without flush: `s ∈ [−EXACT, 0]` or NaN (→ NaN), `lo` a
/// correction of at most half an ulp of `s` (zero in [`exp_near`]).
#[inline]
#[target_feature(enable = "avx2,fma")]
fn exp_lo(s: __m256, lo: __m256, with_lo: bool) -> __m256 {
    let big = _mm256_fmadd_ps(s, splat(f32::LOG2E), splat(MAGIC));
    let n = _mm256_sub_ps(big, splat(MAGIC));
    let r = _mm256_fnmadd_ps(n, splat(f32::LN2_HI), s);
    let r = _mm256_fnmadd_ps(n, splat(f32::LN2_LO), r);
    let r = if with_lo { _mm256_add_ps(r, lo) } else { r };
    let c = f32::EXP_POLY;
    let mut p = splat(c[0]);
    for &ci in &c[1..] {
        p = _mm256_fmadd_ps(p, r, splat(ci));
    }
    let scale = _mm256_castsi256_ps(_mm256_slli_epi32::<23>(_mm256_castps_si256(big)));
    _mm256_mul_ps(p, scale)
}

/// `e^s` for `s ∈ [−EXACT, 0]` or NaN.
#[inline]
#[target_feature(enable = "avx2,fma")]
fn exp_near(s: __m256) -> __m256 {
    exp_lo(s, s, false)
}

/// `e^{s + lo}` for `s ≤ 0` or NaN and the exact rounding error `lo` of
/// `s`: +0 where `s < EXP_FLUSH`, whatever `lo` holds (NaN when an operand
/// of `x − m` was infinite; the scale is garbage there too).
#[inline]
#[target_feature(enable = "avx2,fma")]
fn exp_far(s: __m256, lo: __m256) -> __m256 {
    let y = exp_lo(s, lo, true);
    _mm256_andnot_ps(_mm256_cmp_ps::<_CMP_LT_OQ>(s, splat(f32::EXP_FLUSH)), y)
}

/// Loads a block.
#[inline]
#[target_feature(enable = "avx2,fma")]
fn load4(c: &[f32; B]) -> Block {
    let (q, _) = c.as_chunks::<W>();
    core::array::from_fn(|j| load(&q[j]))
}

/// Stores a block.
#[inline]
#[target_feature(enable = "avx2,fma")]
fn store4(c: &mut [f32; B], v: Block) {
    let (q, _) = c.as_chunks_mut::<W>();
    for (qi, vi) in q.iter_mut().zip(v) {
        store(qi, vi);
    }
}

/// The sum of the 8 lanes of `v`.
#[inline]
#[target_feature(enable = "avx2,fma")]
fn hsum(v: __m256) -> f32 {
    let h = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps::<1>(v));
    let h = _mm_add_ps(h, _mm_movehl_ps(h, h));
    let h = _mm_add_ss(h, _mm_movehdup_ps(h));
    _mm_cvtss_f32(h)
}

/// The sum of the lanes of a block of accumulators.
#[inline]
#[target_feature(enable = "avx2,fma")]
fn hsum4(a: Block) -> f32 {
    hsum(a[1..].iter().fold(a[0], |t, &v| _mm256_add_ps(t, v)))
}

/// The tail `t` as a block padded with `fill`.
#[inline]
#[target_feature(enable = "avx2,fma")]
fn pad(t: &[f32], fill: f32) -> [f32; B] {
    let mut buf = [fill; B];
    buf[..t.len()].copy_from_slice(t);
    buf
}

/// The row's maximum `m` and whether every `x − m` is at least −[`EXACT`]
/// (true for an empty row). NaNs are skipped (`_mm256_max_ps(x, acc)`
/// returns `acc` when `x` is NaN); they make the row NaN in the next pass
/// (their `e^{x−m}` is NaN and joins the sum every output depends on).
/// `m` is −∞ for an empty row or one of NaNs and −∞.
#[inline]
#[target_feature(enable = "avx2,fma")]
fn bounds(x: &[f32]) -> (f32, bool) {
    let (xc, xt) = x.as_chunks::<B>();
    let mut hi = [splat(f32::NEG_INFINITY); U];
    let mut lo = [splat(f32::INFINITY); U];
    let mut step = |v: Block| {
        for ((h, l), vi) in hi.iter_mut().zip(lo.iter_mut()).zip(v) {
            // The second operand is returned when either is NaN.
            *h = _mm256_max_ps(vi, *h);
            *l = _mm256_min_ps(vi, *l);
        }
    };
    for c in xc {
        step(load4(c));
    }
    if !xt.is_empty() {
        step(load4(&pad(xt, f32::NAN)));
    }
    let h = hi[1..].iter().fold(hi[0], |a, &v| _mm256_max_ps(a, v));
    let l = lo[1..].iter().fold(lo[0], |a, &v| _mm256_min_ps(a, v));
    let (mut hs, mut ls) = ([0.0_f32; W], [0.0_f32; W]);
    store(&mut hs, h);
    store(&mut ls, l);
    let m = hs.iter().fold(f32::NEG_INFINITY, |a, &v| a.max(v));
    let low = ls.iter().fold(f32::INFINITY, |a, &v| a.min(v));
    // `fl(low − m) ≥ −EXACT` implies `fl(x − m) ≥ −EXACT` for every x
    // (rounding is monotonic); false if `m` is infinite.
    (m, low - m >= -EXACT)
}

/// `e^{x−m}` of a block, `m ≥` every non-NaN `x` (`negm = −m`). `NEAR`:
/// the row's every `x − m ≥ −EXACT`; else each block checks (module docs).
#[inline]
#[target_feature(enable = "avx2,fma")]
fn exp_block<const NEAR: bool>(x: Block, m: __m256, negm: __m256) -> Block {
    let s = x.map(|v| _mm256_sub_ps(v, m));
    if !NEAR {
        let low = s[1..].iter().fold(s[0], |a, &v| _mm256_min_ps(a, v));
        if _mm256_movemask_ps(_mm256_cmp_ps::<_CMP_LT_OQ>(low, splat(-EXACT))) != 0 {
            return exp_block_far(x, s, negm);
        }
    }
    // Every x − m ≥ −EXACT (or NaN, which stays NaN).
    s.map(|v| exp_near(v))
}

/// `e^{x−m}` of a block with some `s = x − m` below `−EXACT`: TwoSum gives
/// the exact `x + (−m) = s + lo`. Out of line, off the usual path.
#[cold]
#[inline(never)]
#[target_feature(enable = "avx2,fma")]
fn exp_block_far(x: Block, s: Block, negm: __m256) -> Block {
    let mut e = s;
    for ((ei, &xi), &si) in e.iter_mut().zip(&x).zip(&s) {
        let bp = _mm256_sub_ps(si, xi);
        let ap = _mm256_sub_ps(si, bp);
        let lo = _mm256_add_ps(_mm256_sub_ps(xi, ap), _mm256_sub_ps(negm, bp));
        *ei = exp_far(si, lo);
    }
    e
}

/// Asks for the cache lines of block `j` of `next` (the next row, read by
/// the next call's first pass) while this pass computes: a row of the
/// 64×32000 benchmark is 128 KB, and streaming it from memory behind the
/// exponentials hides most of that pass's wait.
#[inline]
#[target_feature(enable = "avx2,fma")]
fn prefetch(next: &[f32], j: usize) {
    if let Some(p) = next.get(j * B..) {
        // A hint only: it never faults, even past the end of `next`.
        let p = p.as_ptr().cast::<i8>();
        _mm_prefetch::<_MM_HINT_T0>(p);
        _mm_prefetch::<_MM_HINT_T0>(p.wrapping_add(64));
    }
}

/// `out = e^{x−m}` for the row maximum `m`; returns `Σ out` (NaN if any `x`
/// is NaN). Lengths equal; `next` is only prefetched.
#[inline]
#[target_feature(enable = "avx2,fma")]
fn exp_store_sum(x: &[f32], out: &mut [f32], next: &[f32]) -> f32 {
    let (m, near) = bounds(x);
    if near {
        exp_store_sum_in::<true>(x, m, out, next)
    } else {
        exp_store_sum_in::<false>(x, m, out, next)
    }
}

/// Adds a block to the accumulators.
#[inline]
#[target_feature(enable = "avx2,fma")]
fn accumulate(acc: &mut Block, e: Block) {
    for (a, ei) in acc.iter_mut().zip(e) {
        *a = _mm256_add_ps(*a, ei);
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
        // The −∞ padding needs the checked form (its e^{x−m} flushes to +0).
        let e = exp_block::<false>(load4(&pad(xt, f32::NEG_INFINITY)), mv, negm);
        let mut buf = [0.0_f32; B];
        store4(&mut buf, e);
        ot.copy_from_slice(&buf[..ot.len()]);
        accumulate(&mut acc, e);
    }
    hsum4(acc)
}

/// `S = Σ e^{x−m}`, nothing written.
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
        let v = load4(&pad(xt, f32::NEG_INFINITY));
        accumulate(&mut acc, exp_block::<false>(v, mv, negm));
    }
    hsum4(acc)
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
fn log_sum_exp(x: &[f32], next: &[f32], exact_top: impl Fn(f32) -> bool) -> (f32, f32) {
    let (m, near) = bounds(x);
    let s = if near {
        exp_sum::<true>(x, m, next)
    } else {
        exp_sum::<false>(x, m, next)
    };
    // `S ∈ [1, n]` (or NaN): `S − 1` is exact.
    if !(s < 2.0 && exact_top(m)) {
        return (m, super::super::row::ln_sum(s - 1.0, 1.0));
    }
    let (t, c) = if near {
        exp_rest_count::<true>(x, m)
    } else {
        exp_rest_count::<false>(x, m)
    };
    (m, super::super::row::ln_sum(t, c))
}

/// Adds a block's `e^{x−m}` where `x ≠ m` to `acc` and counts the lanes
/// where `x = m` (`e = 1`) in `cnt`.
#[inline]
#[target_feature(enable = "avx2,fma")]
fn rest_count_step<const NEAR: bool>(
    v: Block,
    mv: __m256,
    negm: __m256,
    acc: &mut Block,
    cnt: &mut __m256i,
) {
    let e = exp_block::<NEAR>(v, mv, negm);
    for ((a, ei), vi) in acc.iter_mut().zip(e).zip(v) {
        let top = _mm256_cmp_ps::<_CMP_EQ_OQ>(vi, mv);
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
fn exp_rest_count<const NEAR: bool>(x: &[f32], m: f32) -> (f32, f32) {
    let (mv, negm) = (splat(m), splat(-m));
    let mut acc = [_mm256_setzero_ps(); U];
    let mut cnt = _mm256_setzero_si256();
    let (xc, xt) = x.as_chunks::<B>();
    for c in xc {
        rest_count_step::<NEAR>(load4(c), mv, negm, &mut acc, &mut cnt);
    }
    if !xt.is_empty() {
        // The −∞ padding needs the checked form (its e^{x−m} flushes to +0).
        let v = load4(&pad(xt, f32::NEG_INFINITY));
        rest_count_step::<false>(v, mv, negm, &mut acc, &mut cnt);
    }
    let mut lanes = [0_i32; W];
    // SAFETY: `lanes` is 8 contiguous i32s (32 bytes) we hold exclusively;
    // `storeu` has no alignment requirement.
    unsafe { _mm256_storeu_si256(lanes.as_mut_ptr().cast(), cnt) };
    let c: i64 = lanes.iter().map(|&v| i64::from(v)).sum();
    (hsum4(acc), c as f32)
}

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
    let (m, lse) = log_sum_exp(x, &[], |_| true);
    let (mv, lv) = (splat(m), splat(lse));
    let (xc, xt) = x.as_chunks::<B>();
    let (oc, ot) = out.as_chunks_mut::<B>();
    for (xi, oi) in xc.iter().zip(oc.iter_mut()) {
        let v = load4(xi).map(|v| _mm256_sub_ps(_mm256_sub_ps(v, mv), lv));
        store4(oi, v);
    }
    for (o, &v) in ot.iter_mut().zip(xt) {
        *o = (v - m) - lse;
    }
}

/// `Σ_rows ln S − (x_t − m)` over the rows of `cols` (`x.len() = cols ·
/// targets.len()`, every target below `cols`).
#[target_feature(enable = "avx2,fma")]
pub(crate) fn cross_entropy_sum(x: &[f32], cols: usize, targets: &[usize]) -> f32 {
    let mut total = 0.0_f32;
    for (i, (xr, &t)) in x.chunks_exact(cols).zip(targets).enumerate() {
        let xt = xr[t];
        let (m, lse) = log_sum_exp(xr, next_row(x, i * cols, cols), |m| xt == m);
        total += lse - (xt - m);
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
