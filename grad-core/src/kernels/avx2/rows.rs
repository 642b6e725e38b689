//! The row kernels of the softmax family and cross-entropy in AVX2+FMA
//! `f32`: the same stable formulations as `super::super::row` (read its
//! module docs first), with fewer passes over a row.
//!
//! - [`bounds`]: maximum and minimum in one pass.
//! - `e^{x−m}` and its sum in one pass ([`exp_store_sum`] writes the terms,
//!   [`exp_rest_count`] only sums them, for `log_softmax` and cross-entropy).
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
//! - a row whose every `x − m` is at least −[`EXACT`] (the max pass also
//!   finds the minimum) runs the short form ([`exp_near`]: no correction,
//!   no flush, `s ≥ −16` keeps the result normal);
//! - in other rows each block of 16 floats checks its own `s`; where one is
//!   below −`EXACT` the block adds the exact rounding error `lo` of
//!   `x − m` (TwoSum) to `r` and flushes below `vmath::EXP_LO` ([`exp_far`]).
//!
//! With `exp` ≤ 2 ulp and the scaling ≤ 1 ulp the worst relative error of
//! a term stays below 1e−6 either way (`crate::testing` has the measured
//! worst).

use super::map::{W, lane_mask, load, load_part, map2, store, store_part};
use super::vmath::{self, splat};
use core::arch::x86_64::*;

/// Vectors per block.
const U: usize = 2;
const _: () = assert!(B * 4 == 64, "one block per cache line (`prefetch`)");
const _: () = assert!(
    U == 2,
    "`pad`, `store_tail` and `tail_mask` split a block in two vectors"
);
/// Floats per block.
const B: usize = U * W;

/// Rows (blocks) whose every `x − m` is at least `−EXACT` skip the TwoSum
/// correction (rounding error of `x − m` ≤ 2^−21 relative there).
const EXACT: f32 = 16.0;

/// A block of vectors.
type Block = [__m256; U];

/// `e^{s + lo}` without flush for `s ∈ [vmath::EXP_LO, 0]` (NaN → NaN),
/// `lo` a correction of at most half an ulp of `s` (unused in
/// [`exp_near`]). Garbage for an infinite `s`.
#[inline]
#[target_feature(enable = "avx2,fma")]
fn exp_lo(s: __m256, lo: __m256, with_lo: bool) -> __m256 {
    let (r, bits) = vmath::reduce_eighths(s, 1.0);
    let r = if with_lo { _mm256_add_ps(r, lo) } else { r };
    // 2e^r = 2 + b·r, times 2^(n/8)/2. The polynomial multiplies last, so
    // a NaN `s` (NaN `p`) still gives NaN.
    let p = _mm256_fmadd_ps(vmath::twice_expm1_over_r(r, 1.0), r, splat(2.0));
    _mm256_mul_ps(p, vmath::half_pow2_eighths(bits))
}

/// `e^s` for `s ∈ [−EXACT, 0]` or NaN.
#[inline]
#[target_feature(enable = "avx2,fma")]
fn exp_near(s: __m256) -> __m256 {
    exp_lo(s, s, false)
}

/// `e^{s + lo}` for `s ≤ 0` (not NaN; `−∞` for an `x` of `−∞`) and the
/// exact rounding error `lo` of `s`: +0 where `s < vmath::EXP_LO` (`n`
/// would leave the normal range), whatever `lo` and the scale hold there.
#[inline]
#[target_feature(enable = "avx2,fma")]
fn exp_far(s: __m256, lo: __m256) -> __m256 {
    let y = exp_lo(s, lo, true);
    _mm256_andnot_ps(_mm256_cmp_ps::<_CMP_LT_OQ>(s, splat(vmath::EXP_LO)), y)
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

/// `op` folded over the 8 lanes of `v` as a tree (halves, then quarters,
/// then pairs).
#[inline]
#[target_feature(enable = "avx2,fma")]
fn horizontal(v: __m256, op: impl Fn(__m128, __m128) -> __m128) -> f32 {
    let h = op(_mm256_castps256_ps128(v), _mm256_extractf128_ps::<1>(v));
    let h = op(h, _mm_movehl_ps(h, h));
    _mm_cvtss_f32(op(h, _mm_movehdup_ps(h)))
}

/// The sum of the 8 lanes of `v`.
#[inline]
#[target_feature(enable = "avx2,fma")]
fn hsum(v: __m256) -> f32 {
    horizontal(v, |a, b| _mm_add_ps(a, b))
}

/// The sum of the lanes of a block of accumulators.
#[inline]
#[target_feature(enable = "avx2,fma")]
fn hsum4(a: Block) -> f32 {
    hsum(a[1..].iter().fold(a[0], |t, &v| _mm256_add_ps(t, v)))
}

/// The tail `t` (shorter than a block) as a block padded with `fill`.
#[inline]
#[target_feature(enable = "avx2,fma")]
fn pad(t: &[f32], fill: f32) -> Block {
    let (a, b) = t.split_at(t.len().min(W));
    [load_part(a, fill), load_part(b, fill)]
}

/// Writes the first `o.len()` lanes (fewer than a block) of `v` to `o`.
#[inline]
#[target_feature(enable = "avx2,fma")]
fn store_tail(o: &mut [f32], v: Block) {
    let (a, b) = o.split_at_mut(o.len().min(W));
    store_part(a, v[0]);
    store_part(b, v[1]);
}

/// All-ones lanes in the first `len` lanes of a block, zero after.
#[inline]
#[target_feature(enable = "avx2,fma")]
fn tail_mask(len: usize) -> Block {
    let first = len.min(W);
    [lane_mask(first), lane_mask(len - first)].map(|k| _mm256_castsi256_ps(k))
}

/// `e^{x−m}` of the last, partial block `t` of a row: the padding is `m`
/// itself (`e = 1`, never a far lane) and its lanes are zeroed after.
#[inline]
#[target_feature(enable = "avx2,fma")]
fn exp_tail<const NEAR: bool>(t: &[f32], m: f32, negm: __m256) -> (Block, Block) {
    let mask = tail_mask(t.len());
    let e = exp_block::<NEAR>(pad(t, m), splat(m), negm);
    let mut out = e;
    for (o, k) in out.iter_mut().zip(mask) {
        *o = _mm256_and_ps(*o, k);
    }
    (out, mask)
}

/// How a row's exponentials are computed (see [`bounds`]).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    /// Every `x − m ≥ −EXACT` (NaNs aside): [`exp_near`] throughout.
    Near,
    /// Some `x − m` below `−EXACT`, `−∞` or NaN (`m` infinite): blocks
    /// check.
    Far,
}

/// The row's maximum `m` (NaNs skipped: `_mm256_max_ps(x, acc)` returns
/// `acc` when `x` is NaN) and its [`Class`] (`Near` for an empty row). A
/// NaN still makes the row NaN: its `e^{x−m}` is NaN and joins the sum every
/// output depends on; so does a `+∞` (`∞ − ∞`) or a row of only `−∞`.
#[inline]
#[target_feature(enable = "avx2,fma")]
fn bounds(x: &[f32]) -> (f32, Class) {
    let (xc, xt) = x.as_chunks::<B>();
    let mut hi = [splat(f32::NEG_INFINITY); U];
    let mut lo = [splat(f32::INFINITY); U];
    let mut step = |v: Block| {
        for ((h, l), vi) in hi.iter_mut().zip(lo.iter_mut()).zip(v) {
            *h = _mm256_max_ps(vi, *h);
            *l = _mm256_min_ps(vi, *l);
        }
    };
    for c in xc {
        step(load4(c));
    }
    if let Some(&first) = xt.first() {
        step(pad(xt, first));
    }
    let h = hi[1..].iter().fold(hi[0], |a, &v| _mm256_max_ps(a, v));
    let l = lo[1..].iter().fold(lo[0], |a, &v| _mm256_min_ps(a, v));
    // No lane is NaN (skipped above), so `max`/`min` are exact folds.
    let m = horizontal(h, |a, b| _mm_max_ps(a, b));
    let low = horizontal(l, |a, b| _mm_min_ps(a, b));
    // `fl(low − m) ≥ −EXACT` implies `fl(x − m) ≥ −EXACT` for every x
    // (rounding is monotonic); NaN (false) for an infinite `m`.
    let class = if low - m >= -EXACT {
        Class::Near
    } else {
        Class::Far
    };
    (m, class)
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
    // Every x − m ≥ −EXACT.
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
        *ei = exp_two_sum(xi, si, negm);
    }
    e
}

/// `e^{x − m}` from `s = x ⊖ m` and `negm = −m`: TwoSum gives the exact
/// rounding error `lo` of `s` (`x + (−m) = s + lo`), which [`exp_far`]
/// adds back; flushed to +0 below `vmath::EXP_LO`.
#[inline]
#[target_feature(enable = "avx2,fma")]
pub(super) fn exp_two_sum(x: __m256, s: __m256, negm: __m256) -> __m256 {
    let bp = _mm256_sub_ps(s, x);
    let ap = _mm256_sub_ps(s, bp);
    let lo = _mm256_add_ps(_mm256_sub_ps(x, ap), _mm256_sub_ps(negm, bp));
    exp_far(s, lo)
}

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
fn exp_store_sum(x: &[f32], out: &mut [f32], next: &[f32]) -> f32 {
    match bounds(x) {
        (m, Class::Near) => exp_store_sum_in::<true>(x, m, out, next),
        (m, Class::Far) => exp_store_sum_in::<false>(x, m, out, next),
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
fn log_sum_exp(x: &[f32], next: &[f32], exact_top: impl Fn(f32) -> bool) -> (f32, f32) {
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
    (m, super::super::row::ln_sum(t, c))
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
    (m, super::super::row::ln_sum(t, c))
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
fn exp_rest_count<const NEAR: bool>(x: &[f32], m: f32) -> (f32, f32) {
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

#[cfg(test)]
mod tests {
    //! The AVX2 row kernels against the portable path (through the public
    //! kernels, `dispatch::with_path`) on the rows that take their special
    //! branches: NaN payloads, ±∞, far rows (TwoSum blocks), confident rows
    //! (`S < 2`, the second pass), ties at the maximum, every tail length.
    use crate::dispatch::{Path, with_path};
    use crate::kernels as k;

    /// Relative difference, NaN-aware (both NaN counts as equal).
    fn close(a: f32, b: f32, tol: f32) -> bool {
        (a.is_nan() && b.is_nan()) || a == b || (a - b).abs() <= tol * b.abs().max(1e-30)
    }

    fn rows() -> Vec<Vec<f32>> {
        let mut rows = vec![
            vec![1000.0, 0.0, -1000.0],
            vec![f32::from_bits(0x7fc0_1234), 1.0, 2.0],
            vec![f32::from_bits(0xff80_0001), 1.0],
            vec![1.0, f32::INFINITY, 2.0],
            vec![f32::NEG_INFINITY; 40],
            vec![0.5; 37],
            vec![f32::MAX, f32::MIN, 0.0],
        ];
        for len in 1..=70 {
            let base: Vec<f32> = (0..len)
                .map(|i| ((i * 37 % 23) as f32 - 11.0) * 0.7)
                .collect();
            rows.push(base.clone());
            // Far: spread over 80 units, and one −∞.
            let mut far: Vec<f32> = base.iter().map(|v| v * 7.0).collect();
            far[len / 2] = f32::NEG_INFINITY;
            far[0] = 30.0;
            rows.push(far);
            // Confident: one logit 30 above the rest (S − 1 ≈ n·e^−30).
            let mut conf = base.clone();
            conf[len - 1] = 40.0;
            rows.push(conf);
            // A NaN in the tail.
            let mut nan = base;
            nan[len - 1] = f32::NAN;
            rows.push(nan);
        }
        rows
    }

    #[test]
    fn avx2_rows_match_the_portable_path() {
        if !Path::Avx2.is_available() {
            return;
        }
        for x in rows() {
            let n = x.len();
            let both =
                |f: &dyn Fn() -> Vec<f32>| (with_path(Path::Avx2, f), with_path(Path::Portable, f));
            let ops: [(&str, &dyn Fn() -> Vec<f32>); 5] = [
                ("softmax", &|| {
                    let mut o = vec![0.0; n];
                    k::softmax(&x, &mut o);
                    o
                }),
                ("log_softmax", &|| {
                    let mut o = vec![0.0; n];
                    k::log_softmax(&x, &mut o);
                    o
                }),
                ("cross_entropy", &|| {
                    (0..n).map(|t| k::cross_entropy(&x, n, &[t])).collect()
                }),
                ("cross_entropy_backward", &|| {
                    let mut o = vec![0.0; n];
                    k::cross_entropy_backward(&x, n, &[n - 1], 1.0, &mut o);
                    o
                }),
                ("softmax_rows (3 rows)", &|| {
                    let xs: Vec<f32> = x.iter().chain(&x).chain(&x).copied().collect();
                    let mut o = vec![0.0; 3 * n];
                    k::softmax_rows(&xs, n, &mut o);
                    o
                }),
            ];
            for (name, op) in ops {
                let (fast, slow) = both(op);
                for (i, (&a, &b)) in fast.iter().zip(&slow).enumerate() {
                    assert!(
                        close(a, b, 2e-6),
                        "{name} of {x:?}: [{i}] avx2 {a} vs portable {b}"
                    );
                }
            }
        }
    }

    #[test]
    fn avx2_log_softmax_backward_matches_the_portable_path() {
        if !Path::Avx2.is_available() {
            return;
        }
        for n in [1, 7, 16, 33, 100, 1000] {
            let y: Vec<f32> = (0..n)
                .map(|i| ((i * 13 % 17) as f32) / (8.5 * n as f32))
                .collect();
            let g: Vec<f32> = (0..n)
                .map(|i| ((i * 29 % 31) as f32 - 15.0) / 15.0)
                .collect();
            let run = |p: Path| {
                with_path(p, || {
                    let mut b = vec![0.0; n];
                    k::log_softmax_backward(&y, &g, &mut b);
                    b
                })
            };
            let (fast, slow) = (run(Path::Avx2), run(Path::Portable));
            let scale = slow.iter().fold(1.0_f32, |m, v| m.max(v.abs()));
            for (i, (&a, &b)) in fast.iter().zip(&slow).enumerate() {
                assert!(
                    (a - b).abs() <= 1e-6 * scale,
                    "n = {n}: [{i}] avx2 {a} vs portable {b}"
                );
            }
        }
    }
}
