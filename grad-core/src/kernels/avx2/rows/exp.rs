//! `e^{x−m}` of a block of a row (see the `rows` module docs, `# e^{x−m}`):
//! the row's maximum and [`Class`] ([`bounds`]), the short form for near
//! rows and the TwoSum-corrected form for blocks with a far `x − m`.

use super::super::vmath::{self, splat};
use super::block::{B, Block, U, horizontal, load4, pad, tail_mask};
use core::arch::x86_64::*;

/// Rows (blocks) whose every `x − m` is at least `−EXACT` skip the TwoSum
/// correction (rounding error of `x − m` ≤ 2^−21 relative there).
pub(super) const EXACT: f32 = 16.0;

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
pub(super) fn exp_near(s: __m256) -> __m256 {
    exp_lo(s, s, false)
}

/// `e^{s + lo}` for `s ≤ 0` (not NaN; `−∞` for an `x` of `−∞`) and the
/// exact rounding error `lo` of `s`: +0 where `s < vmath::EXP_LO` (`n`
/// would leave the normal range), whatever `lo` and the scale hold there.
#[inline]
#[target_feature(enable = "avx2,fma")]
pub(super) fn exp_far(s: __m256, lo: __m256) -> __m256 {
    let y = exp_lo(s, lo, true);
    _mm256_andnot_ps(_mm256_cmp_ps::<_CMP_LT_OQ>(s, splat(vmath::EXP_LO)), y)
}

/// `e^{x−m}` of the last, partial block `t` of a row: the padding is `m`
/// itself (`e = 1`, never a far lane) and its lanes are zeroed after.
#[inline]
#[target_feature(enable = "avx2,fma")]
pub(super) fn exp_tail<const NEAR: bool>(t: &[f32], m: f32, negm: __m256) -> (Block, Block) {
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
pub(super) enum Class {
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
pub(super) fn bounds(x: &[f32]) -> (f32, Class) {
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
/// the row's every `x − m ≥ −EXACT`; else each block checks (`rows` module docs).
#[inline]
#[target_feature(enable = "avx2,fma")]
pub(super) fn exp_block<const NEAR: bool>(x: Block, m: __m256, negm: __m256) -> Block {
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
pub(in crate::kernels::avx2) fn exp_two_sum(x: __m256, s: __m256, negm: __m256) -> __m256 {
    let bp = _mm256_sub_ps(s, x);
    let ap = _mm256_sub_ps(s, bp);
    let lo = _mm256_add_ps(_mm256_sub_ps(x, ap), _mm256_sub_ps(negm, bp));
    exp_far(s, lo)
}
