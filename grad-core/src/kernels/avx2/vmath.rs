//! One-vector (8 × `f32`) approximations with FMA, mirroring
//! `super::super::math`: the same range reductions, cut-offs and
//! coefficients (`super::super::consts`), with each `a·b + c` fused.
//!
//! Error bounds (measured ones are in `crate::testing`):
//! - `exp`: Cody–Waite reduction, degree-6 polynomial, input clamped to
//!   `[EXP_LO, EXP_HI]` (no compare-and-mask flush); ≤ 2 ulp.
//! - `tanh`: `t = expm1(2|x|)/(expm1(2|x|) + 2)`, `expm1` from the same
//!   reduction with the Taylor polynomial through `r^7/7!` (truncation
//!   ≤ 0.3 ulp on `|r| ≤ ln2/2`) and the exact `2^n − 1`; ≤ 4 ulp, no
//!   branch between a small-`x` and a large-`x` formula.
//! - `sigmoid`: `1/(1+e^{−x})` with `−x` clamped so `e^{−x}` is +∞ or
//!   at most 2^−125 beyond the range; ≤ 3 ulp.
//! - `ln`: fdlibm's `2·atanh(f/(2+f))` form, as the portable path; ≤ 2 ulp.
//! - `softplus`: `max(x,0) + log1p(t)`, `t = e^{−|x|} ∈ (0, 1]`, with
//!   `log1p(t) = 2·atanh(s)`, `s = t/(2+t) ≤ 1/3`, summed through `s^15/15`
//!   (truncation ≤ 0.03 ulp); no `ln` and one division.

use crate::kernels::consts::Consts;
use core::arch::x86_64::*;

type C = f32;

/// Every lane `v`.
#[inline]
#[target_feature(enable = "avx2,fma")]
pub(crate) fn splat(v: f32) -> __m256 {
    _mm256_set1_ps(v)
}

/// Horner evaluation with FMA, highest coefficient first.
#[inline]
#[target_feature(enable = "avx2,fma")]
fn horner(c: &[f32], x: __m256) -> __m256 {
    let mut p = splat(c[0]);
    for &ci in &c[1..] {
        p = _mm256_fmadd_ps(p, x, splat(ci));
    }
    p
}

/// The sign bit of every lane.
#[inline]
#[target_feature(enable = "avx2,fma")]
fn sign() -> __m256 {
    splat(-0.0)
}

/// `|x|` (NaN stays NaN).
#[inline]
#[target_feature(enable = "avx2,fma")]
fn abs(x: __m256) -> __m256 {
    _mm256_andnot_ps(sign(), x)
}

/// `2^n` for an integer-valued `n` in the low bits of `k` (`k + bias` must
/// be a normal exponent).
#[inline]
#[target_feature(enable = "avx2,fma")]
fn pow2(k: __m256i, bias: i32) -> __m256 {
    _mm256_castsi256_ps(_mm256_slli_epi32::<23>(_mm256_add_epi32(
        k,
        _mm256_set1_epi32(bias),
    )))
}

/// `x = n·ln2 + r`, `|r| ≤ ln2/2` (a hair more when the fused product
/// rounds `n` the other way): returns `(r, k)` with `k` holding `n` as an
/// integer. `|x|` must stay below 2^22.
#[inline]
#[target_feature(enable = "avx2,fma")]
fn reduce(x: __m256) -> (__m256, __m256i) {
    let magic = splat(C::ROUND_MAGIC);
    let big = _mm256_fmadd_ps(x, splat(C::LOG2E), magic);
    let n = _mm256_sub_ps(big, magic);
    let k = _mm256_sub_epi32(_mm256_castps_si256(big), _mm256_castps_si256(magic));
    let r = _mm256_fnmadd_ps(n, splat(C::LN2_HI), x);
    let r = _mm256_fnmadd_ps(n, splat(C::LN2_LO), r);
    (r, k)
}

/// Inputs are clamped to this from below: from about −87.0 down, `n`
/// rounds to −126, whose scale is +0, so the result is +0 (the true value
/// is below 1.7e−38; the budgets bound tiny results absolutely). Cheaper
/// than a compare-and-mask flush.
const EXP_LO: f32 = -87.3;

/// `e^x`, with `x` clamped to `EXP_HI` from above (`clamp_hi`) and to
/// `EXP_LO` from below (`clamp_lo`); either may be left out (constants
/// after inlining) by callers whose inputs cannot leave that side of the
/// range. Both clamps keep a NaN: `min(hi, x)` and `max(lo, x)` return `x`
/// when it is NaN.
#[inline]
#[target_feature(enable = "avx2,fma")]
fn exp_core(x: __m256, clamp_hi: bool, clamp_lo: bool) -> __m256 {
    let x = if clamp_lo {
        _mm256_max_ps(splat(EXP_LO), x)
    } else {
        x
    };
    let x = if clamp_hi {
        _mm256_min_ps(splat(C::EXP_HI), x)
    } else {
        x
    };
    let (r, k) = reduce(x);
    // 2·e^r · 2^(n−1), one rounding (see `math::exp_core`); n ≥ −126 after
    // the clamp, so the scale is a normal number or +0.
    _mm256_mul_ps(horner(C::EXP_POLY, r), pow2(k, 126))
}

/// `e^x`: `+∞ → +∞`, `−∞ → +0`, NaN → NaN, overflow → `+∞`; results
/// below 2^−125 may be `+0`.
#[inline]
#[target_feature(enable = "avx2,fma")]
pub(crate) fn exp(x: __m256) -> __m256 {
    exp_core(x, true, true)
}

/// `e^x` for `x ≤ 0` or NaN.
#[inline]
#[target_feature(enable = "avx2,fma")]
pub(crate) fn exp_nonpos(x: __m256) -> __m256 {
    exp_core(x, false, true)
}

/// Taylor coefficients of `(e^r − 1 − r)/r²` through `r^5/7!`.
const EXPM1_POLY: [f32; 6] = [
    1.0 / 5040.0,
    1.0 / 720.0,
    1.0 / 120.0,
    1.0 / 24.0,
    1.0 / 6.0,
    0.5,
];

/// `tanh x`, odd, saturating to ±1; NaN → NaN.
#[inline]
#[target_feature(enable = "avx2,fma")]
pub(crate) fn tanh(x: __m256) -> __m256 {
    // 2·min(|x|, SAT): `min(sat, a)` keeps a NaN.
    let a = _mm256_min_ps(splat(C::TANH_SAT), abs(x));
    let y = _mm256_add_ps(a, a);
    let (r, k) = reduce(y);
    // expm1(y) = 2^n·expm1(r) + (2^n − 1): for n = 0 exactly expm1(r), for
    // n ≥ 1 no cancellation (2^n − 1 ≥ 2^n/2 and expm1(r) > −0.3).
    let q = _mm256_fmadd_ps(_mm256_mul_ps(r, r), horner(&EXPM1_POLY, r), r);
    let s = pow2(k, 127);
    let em = _mm256_fmadd_ps(s, q, _mm256_sub_ps(s, splat(1.0)));
    let t = _mm256_div_ps(em, _mm256_add_ps(em, splat(2.0)));
    // Put the sign of x back (tanh(−0) = −0).
    _mm256_or_ps(t, _mm256_and_ps(x, sign()))
}

/// Logistic sigmoid `1/(1+e^−x)`, stable on the whole line; NaN → NaN.
///
/// `e^−x` with `−x` clamped to `[EXP_LO, EXP_HI]`: above, `e` overflows to
/// +∞ and the result is +0 (the true value is below 1.2e−38); below, `e`
/// is at most 2^−125 and the result rounds to 1. No sign test is needed:
/// for `x < 0` the quotient `1/(1+e^{|x|})` keeps its relative accuracy.
#[inline]
#[target_feature(enable = "avx2,fma")]
pub(crate) fn sigmoid(x: __m256) -> __m256 {
    let one = splat(1.0);
    let e = exp(_mm256_xor_ps(x, sign()));
    _mm256_div_ps(one, _mm256_add_ps(one, e))
}

/// Taylor coefficients of `atanh(s)/s − 1` in `z = s²`, through `z^7`.
const ATANH_POLY: [f32; 7] = [
    1.0 / 15.0,
    1.0 / 13.0,
    1.0 / 11.0,
    1.0 / 9.0,
    1.0 / 7.0,
    1.0 / 5.0,
    1.0 / 3.0,
];

/// `ln(1 + e^x)`, stable on the whole line; NaN → NaN.
#[inline]
#[target_feature(enable = "avx2,fma")]
pub(crate) fn softplus(x: __m256) -> __m256 {
    let zero = _mm256_setzero_ps();
    // `max(0, x)` returns `x` when `x` is NaN.
    let m = _mm256_max_ps(zero, x);
    let t = exp_nonpos(_mm256_or_ps(x, sign()));
    // log1p(t) = 2·atanh(s), s = t/(2+t) ∈ [0, 1/3].
    let s2 = _mm256_div_ps(_mm256_add_ps(t, t), _mm256_add_ps(t, splat(2.0)));
    let half = _mm256_mul_ps(s2, splat(0.5));
    let z = _mm256_mul_ps(half, half);
    let l = _mm256_fmadd_ps(_mm256_mul_ps(s2, z), horner(&ATANH_POLY, z), s2);
    _mm256_add_ps(m, l)
}

/// `ln x`: `±0 → −∞`, negative → NaN, `+∞ → +∞`, NaN → NaN; subnormals
/// are scaled into the normal range first. Same steps as `math::ln`.
///
/// Vectors whose lanes are all positive, normal and finite (the common
/// case, one well-predicted branch) skip the special-value fix-ups.
#[inline]
#[target_feature(enable = "avx2,fma")]
pub(crate) fn ln(x: __m256) -> __m256 {
    let normal = _mm256_and_ps(
        _mm256_cmp_ps::<_CMP_GE_OQ>(x, splat(f32::MIN_POSITIVE)),
        _mm256_cmp_ps::<_CMP_LT_OQ>(x, splat(f32::INFINITY)),
    );
    if _mm256_movemask_ps(normal) == 0xFF {
        ln_normal(x, _mm256_setzero_ps())
    } else {
        ln_special(x)
    }
}

/// `ln x` for positive, normal, finite lanes, less `extra` (in units of
/// ln 2) from the exponent.
#[inline]
#[target_feature(enable = "avx2,fma")]
fn ln_normal(x: __m256, extra: __m256) -> __m256 {
    let one = splat(1.0);
    // Exponent field rounded at √½: m ∈ [√½, √2), x = 2^e·m.
    let sqrt_half = _mm256_set1_epi32(C::SQRT_HALF.to_bits() as i32);
    let shift = (1.0_f32.to_bits().wrapping_sub(C::SQRT_HALF.to_bits())) as i32;
    let ix = _mm256_add_epi32(_mm256_castps_si256(x), _mm256_set1_epi32(shift));
    let frac = _mm256_and_si256(ix, _mm256_set1_epi32((1 << 23) - 1));
    let m = _mm256_castsi256_ps(_mm256_add_epi32(frac, sqrt_half));
    let e = _mm256_cvtepi32_ps(_mm256_srli_epi32::<23>(ix));
    let e = _mm256_sub_ps(_mm256_sub_ps(e, splat(C::EXP_BIAS_F)), extra);
    // ln m = f − (hfsq − s·(hfsq + R)), f = m − 1, s = f/(2+f).
    let f = _mm256_sub_ps(m, one);
    let s = _mm256_div_ps(f, _mm256_add_ps(splat(2.0), f));
    let hfsq = _mm256_mul_ps(_mm256_mul_ps(splat(0.5), f), f);
    let z = _mm256_mul_ps(s, s);
    let r = _mm256_mul_ps(z, horner(C::LN_POLY, z));
    let inner = _mm256_fmadd_ps(
        s,
        _mm256_add_ps(hfsq, r),
        _mm256_mul_ps(e, splat(C::LN2_LO)),
    );
    _mm256_fmadd_ps(
        e,
        splat(C::LN2_HI),
        _mm256_sub_ps(f, _mm256_sub_ps(hfsq, inner)),
    )
}

/// [`ln`] of a vector with a zero, negative, subnormal, infinite or NaN
/// lane.
#[inline(never)]
#[cold]
#[target_feature(enable = "avx2,fma")]
fn ln_special(x: __m256) -> __m256 {
    let zero = _mm256_setzero_ps();
    let tiny = _mm256_cmp_ps::<_CMP_LT_OQ>(x, splat(f32::MIN_POSITIVE));
    let xs = _mm256_blendv_ps(x, _mm256_mul_ps(x, splat(C::SUBNORMAL_SCALE)), tiny);
    let y = ln_normal(xs, _mm256_and_ps(tiny, splat(C::SUBNORMAL_SCALE_EXP)));
    // Special values: +∞ → +∞, ±0 → −∞, negative → NaN, NaN → NaN.
    let inf = splat(f32::INFINITY);
    let y = _mm256_blendv_ps(y, inf, _mm256_cmp_ps::<_CMP_EQ_OQ>(x, inf));
    let y = _mm256_blendv_ps(
        y,
        splat(f32::NEG_INFINITY),
        _mm256_cmp_ps::<_CMP_EQ_OQ>(x, zero),
    );
    let y = _mm256_blendv_ps(y, splat(f32::NAN), _mm256_cmp_ps::<_CMP_LT_OQ>(x, zero));
    _mm256_blendv_ps(y, x, _mm256_cmp_ps::<_CMP_UNORD_Q>(x, x))
}
