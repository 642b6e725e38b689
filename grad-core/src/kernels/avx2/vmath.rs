//! One-vector (8 × `f32`) approximations with FMA. `softplus` mirrors
//! `super::super::math` (the same range reductions, cut-offs and
//! coefficients from `super::super::consts`, with each `a·b + c` fused);
//! `exp`, `sigmoid`, `tanh` and `ln` have formulas of their own.
//!
//! Error bounds (measured ones are in `crate::testing`):
//! - `exp`: `x = n·ln2/8 + r` (Cody–Waite, `|r| ≤ ln2/16`), `2^(n/8)` from
//!   an 8-entry table read by one permute and an integer add to its
//!   exponent field, a degree-3 polynomial for `e^r` (7 operations on the
//!   multiply ports against 10 for the portable path's degree 6 on
//!   `|r| ≤ ln2/2`); input clamped to `EXP_HI` above and flushed below
//!   `EXP_LO`; ≤ 1.42 ulp. The row kernels' `e^{x−m}` shares its pieces.
//! - `tanh`: a (3,3) rational for `tanh(x/2)` and the doubling formula
//!   `2t/(1 + t²)`, `|x|` clamped to 8.96; no `exp`, one division, no branch
//!   between a small-`x` and a large-`x` formula; ≤ 3.12 ulp (every
//!   `f32` checked).
//! - `sigmoid`: `1/(1+e^{−x})`, `e^{−x}` as in `exp` but reduced from `x`
//!   itself and its last product fused with the `+ 1`; `x` clamped so
//!   `e^{−x}` is +∞ or below 2^−124 beyond the range; ≤ 2.78 ulp.
//! - `ln`: `x = 2^k·c·(1 + r)`, `1/c` and `ln c` from 8-entry tables read
//!   by permutes, a degree-5 polynomial for `log1p(r)` on `|r| ≤ 0.0625`;
//!   no division (the portable path's fdlibm `2·atanh(f/(2+f))` needs
//!   one); ≤ 1.26 ulp.
//! - `softplus`: `max(x,0) + log1p(t)`, `t = e^{−|x|} ∈ (0, 1]` (by the
//!   portable path's more accurate `exp`: see `exp_poly_nonpos`), with
//!   `log1p(t) = 2·atanh(s)`, `s = t/(2+t) ≤ 1/3`, by a degree-3 minimax
//!   polynomial in `(2s)²` (≤ 0.08 ulp); no `ln` and one division.

use crate::kernels::consts::Consts;
use core::arch::x86_64::*;

mod ln;

pub(crate) use ln::ln;

pub(super) type C = f32;

/// Every lane `v`.
#[inline]
#[target_feature(enable = "avx2,fma")]
pub(crate) fn splat(v: f32) -> __m256 {
    _mm256_set1_ps(v)
}

/// Horner evaluation with FMA, highest coefficient first.
#[inline]
#[target_feature(enable = "avx2,fma")]
pub(super) fn horner(c: &[f32], x: __m256) -> __m256 {
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

/// `2^(j/8)`, `j = 0..8`, rounded to nearest (relative error ≤ 3.2e−8).
const POW2_EIGHTHS: [f32; 8] = [
    1.0,
    1.090_507_7,
    1.189_207_1,
    1.296_839_6,
    core::f32::consts::SQRT_2,
    1.542_210_8,
    1.681_792_8,
    1.834_008_1,
];

/// The bits of `2^(j/8)/2` less `j·2^20`, for [`half_pow2_eighths`]. Half,
/// so that `2^(n/8)/2` stays finite up to `n/8 = 128` (`e^89` overflows
/// only in the last product).
const HALF_POW2_EIGHTHS: [i32; 8] = {
    let mut t = [0_i32; 8];
    let mut j = 0;
    while j < 8 {
        t[j] = (POW2_EIGHTHS[j] * 0.5).to_bits() as i32 - ((j as i32) << 20);
        j += 1;
    }
    t
};

/// `e^r − 1 ≈ r + P2·r² + P3·r³` on `|r| ≤ 0.0434` (`ln2/16` and the
/// slack of a reduction that rounds `n` the other way): a minimax search
/// for the relative error of `1 + r + P2·r² + P3·r³` against `e^r`, which
/// is at most 2.7e−8 (0.22 ulp) with these `f32` coefficients.
const P2: f32 = 0.500_065_6;
/// See [`P2`].
const P3: f32 = 0.166_696_6;

/// `σx = n·ln2/8 + r` for a sign `σ = ±1`, `|r| ≤ 0.0434`: returns
/// `(σr, bits)`, `n` in the low bits of `bits` (two's complement, for
/// [`half_pow2_eighths`]). `σ = −1` reduces `−x` without negating it
/// (every constant negated, which is exact): `σr` is then exactly `−r`.
/// `r` is right for `|x| < 2800` (`n·LN2_HI/8` exact while `|n| < 2^15`);
/// callers clamp or flush beyond, where it is garbage.
#[inline]
#[target_feature(enable = "avx2,fma")]
pub(crate) fn reduce_eighths(x: __m256, sigma: f32) -> (__m256, __m256i) {
    let magic = splat(C::ROUND_MAGIC);
    let big = _mm256_fmadd_ps(x, splat(sigma * 8.0 * C::LOG2E), magic);
    let n = _mm256_sub_ps(big, magic);
    let r = _mm256_fnmadd_ps(n, splat(sigma * C::LN2_HI / 8.0), x);
    let r = _mm256_fnmadd_ps(n, splat(sigma * C::LN2_LO / 8.0), r);
    (r, _mm256_castps_si256(big))
}

/// `2^(n/8)/2` exactly, for `n` in the low bits of `bits` (from
/// [`reduce_eighths`]) with `⌊n/8⌋ ∈ [−125, 128]`: the permute reads
/// `2^(j/8)/2` for `j = n mod 8` (the low 3 bits) and `n·2^20` adds
/// `⌊n/8⌋` to its exponent field (the table entries are less `j·2^20`),
/// which stays in `[1, 254]`: a normal number.
#[inline]
#[target_feature(enable = "avx2,fma")]
pub(crate) fn half_pow2_eighths(bits: __m256i) -> __m256 {
    let [t0, t1, t2, t3, t4, t5, t6, t7] = HALF_POW2_EIGHTHS;
    let table = _mm256_setr_epi32(t0, t1, t2, t3, t4, t5, t6, t7);
    let t = _mm256_permutevar8x32_epi32(table, bits);
    _mm256_castsi256_ps(_mm256_add_epi32(t, _mm256_slli_epi32::<20>(bits)))
}

/// `b` with `b·r = 2(e^r − 1)` ([`P2`], [`P3`]), from `σr` as
/// [`reduce_eighths`] returns it: `b = 2 + 2·P2·r + 2·P3·r²` (every factor
/// 2 exact).
#[inline]
#[target_feature(enable = "avx2,fma")]
pub(crate) fn twice_expm1_over_r(sigma_r: __m256, sigma: f32) -> __m256 {
    let a = _mm256_fmadd_ps(splat(2.0 * P3), sigma_r, splat(sigma * 2.0 * P2));
    _mm256_fmadd_ps(a, sigma_r, splat(2.0))
}

/// Inputs below this flush `e^x` to +0: from here down `⌊n/8⌋` would
/// leave [`half_pow2_eighths`]' range, and `e^x < 2^−125` (the budgets
/// bound tiny results absolutely).
pub(crate) const EXP_LO: f32 = -86.64;

/// `e^x`: `+∞ → +∞`, `−∞ → +0`, NaN → NaN, overflow → `+∞`; results
/// below 2^−125 may be `+0`.
///
/// `2^(n/8)/2 · 2e^r` as `s·q + s + s` with `s = 2^(n/8)/2` and
/// `q = 2(e^r − 1)`, the largest terms added last: ≤ 1.42 ulp (every `f32`
/// checked). `x` is clamped to `EXP_HI` from above (the clamp keeps a NaN:
/// `min(hi, x)` returns `x`); `x < EXP_LO` (and `−∞`, whose `r` is NaN)
/// flushes to +0.
#[inline]
#[target_feature(enable = "avx2,fma")]
pub(crate) fn exp(x: __m256) -> __m256 {
    let x = _mm256_min_ps(splat(C::EXP_HI), x);
    let (r, bits) = reduce_eighths(x, 1.0);
    let s = half_pow2_eighths(bits);
    let q = _mm256_mul_ps(twice_expm1_over_r(r, 1.0), r);
    let y = _mm256_add_ps(_mm256_fmadd_ps(s, q, s), s);
    _mm256_andnot_ps(_mm256_cmp_ps::<_CMP_LT_OQ>(x, splat(EXP_LO)), y)
}

/// [`exp_poly_nonpos`] clamps its input to this from below: from about
/// −87.0 down, `n` rounds to −126, whose scale is +0, so the result is +0
/// (the true value is below 1.7e−38; the budgets bound tiny results
/// absolutely). Cheaper than a compare-and-mask flush.
const EXP_POLY_LO: f32 = -87.3;

/// `e^x` for `x ≤ 0` or NaN, the portable path's way: `x = n·ln2 + r`,
/// `|r| ≤ ln2/2`, `2e^r` by the degree-6 [`Consts::EXP_POLY`] and
/// `2^(n−1)` built in the exponent field, one rounding each: ≤ 1.10 ulp
/// (every `f32` checked) against [`exp`]'s 1.42, for three more operations.
/// `softplus` uses it: its `log1p(t) ≈ t` passes the error of a small `t`
/// on undamped: with [`exp`] its worst error over every `f32` would be 3.74
/// ulp (budget 4), with this one it is 2.80.
#[inline]
#[target_feature(enable = "avx2,fma")]
fn exp_poly_nonpos(x: __m256) -> __m256 {
    let x = _mm256_max_ps(splat(EXP_POLY_LO), x);
    let magic = splat(C::ROUND_MAGIC);
    let big = _mm256_fmadd_ps(x, splat(C::LOG2E), magic);
    let n = _mm256_sub_ps(big, magic);
    let k = _mm256_sub_epi32(_mm256_castps_si256(big), _mm256_castps_si256(magic));
    let r = _mm256_fnmadd_ps(n, splat(C::LN2_HI), x);
    let r = _mm256_fnmadd_ps(n, splat(C::LN2_LO), r);
    // 2·e^r · 2^(n−1) (see `math::exp_core`); n ≥ −126 after the clamp, so
    // the scale is a normal number or +0.
    let scale = _mm256_slli_epi32::<23>(_mm256_add_epi32(k, _mm256_set1_epi32(126)));
    _mm256_mul_ps(horner(C::EXP_POLY, r), _mm256_castsi256_ps(scale))
}

/// `|x|` is clamped to this: [`tanh`] of it is exactly 1 (checked by the
/// tests: `tanh(±1000) = ±1`), so everything beyond saturates to ±1. The
/// true `tanh` rounds to 1 from 9.011 on; between 8.96 and there, 1 is
/// 0.6 ulp from it.
const TANH_CLAMP: f32 = 8.96;

/// `c` of [`tanh_rational`]: both polynomials are scaled by it so that
/// `c·x·P`, `c·Q` and the numerator and denominator built from them sit
/// high in their binades for small and moderate `x`, where a rounding
/// costs the fewest ulps. Chosen by sweeping `c` over `(1, 2)` against an
/// exhaustive check of every `f32` (a power of two changes nothing).
const TANH_SCALE: f32 = 1.85;

/// `k·c·[P(0), …]` or `k·c·[Q(0), …]` of [`tanh_rational`], highest
/// first: the `f32` coefficients times `c`, rounded once more in `f32`
/// (the check that found the error bound used exactly these values), then
/// times `k`, a power of two (exact).
const fn scaled(c: [f64; 4], k: f32) -> [f32; 4] {
    [
        c[3] as f32 * TANH_SCALE * k,
        c[2] as f32 * TANH_SCALE * k,
        c[1] as f32 * TANH_SCALE * k,
        c[0] as f32 * TANH_SCALE * k,
    ]
}

/// `tanh(y)/y ≈ P(y²)/Q(y²)` on `y ∈ [0, 4.5]`: a (3,3) rational
/// fitted for the relative error by a linearized Remez iteration in `f64`
/// (max 4.3e−8 with `f32` coefficients, in exact arithmetic), rewritten
/// in `z = x² = 4y²` (coefficient `k` divided by `4^k`). Lowest first.
const fn tanh_rational() -> ([f32; 4], [f32; 4]) {
    let p = [
        1.0,
        0.125_964_025_998_337_61 / 4.0,
        0.002_557_787_293_510_319 / 16.0,
        5.497_641_510_779_665_6e-6 / 64.0,
    ];
    let q = [
        1.0,
        0.459_297_111_158_201_3 / 4.0,
        0.022_323_941_740_742_648 / 16.0,
        0.000_175_091_710_178_154_9 / 64.0,
    ];
    (scaled(p, 1.0), scaled(q, 2.0))
}

/// `c·P` and `2c·Q` of [`tanh_rational`], highest coefficient first. Every
/// coefficient is positive, so Horner's rule never cancels. (Horner's rule
/// on `2c·Q` gives exactly twice its result on `c·Q`: [`tanh`] needs `2Q`
/// and `Q` only in `2Q·2Q`, so the 2 costs no multiply.)
const TANH_PQ: ([f32; 4], [f32; 4]) = tanh_rational();

/// `tanh x`, odd, saturating to ±1; NaN → NaN.
///
/// No `exp`: with `t = tanh(x/2) = (x/2)·P/Q` from [`tanh_rational`],
/// `tanh x = 2t/(1 + t²) = 2xP·2Q / ((2Q)² + (xP)²)`, one division (and
/// homogeneous, so the scale `c` cancels). The doubling formula damps the
/// error of `t` by `(1 − t²)/(1 + t²)`: near saturation, where Horner's
/// rounding errors in `P` and `Q` grow, they barely reach the result.
/// 14 operations a vector against 24 for `expm1(2|x|)/(expm1(2|x|) + 2)`,
/// 11 of them on the multiply ports (`2xP` is `xP + xP`; a hash of the
/// results for every `f32` is the one `4·xP·Q` with a multiply gave).
/// Worst error 3.12 ulp, found by checking every `f32` (the formula is
/// exactly odd: the clamp is symmetric and every rounding is to nearest).
#[inline]
#[target_feature(enable = "avx2,fma")]
pub(crate) fn tanh(x: __m256) -> __m256 {
    // `min(c, x)` and `max(−c, x)` return `x` when it is NaN; ±0 stays.
    let x = _mm256_max_ps(splat(-TANH_CLAMP), _mm256_min_ps(splat(TANH_CLAMP), x));
    let z = _mm256_mul_ps(x, x);
    let xp = _mm256_mul_ps(x, horner(&TANH_PQ.0, z));
    // 2·c·Q (the factor 2 is in the coefficients, exactly).
    let q2 = horner(&TANH_PQ.1, z);
    let den = _mm256_fmadd_ps(q2, q2, _mm256_mul_ps(xp, xp));
    _mm256_div_ps(_mm256_mul_ps(_mm256_add_ps(xp, xp), q2), den)
}

/// Logistic sigmoid `1/(1+e^−x)`, stable on the whole line; NaN → NaN.
///
/// `e^−x = 2^(n/8)/2 · 2e^r` as in [`exp`], reduced from `x` itself
/// ([`reduce_eighths`] with `σ = −1`) and its last product fused with the
/// `+ 1`: `1 + e^−x` in two roundings. `x` is clamped to
/// `[−EXP_HI, −EXP_LO]`: below, `e^−x` overflows to +∞ and the result is
/// +0 (the true value is below 2.3e−39); above, `e^−x` is below 2^−124
/// and the result rounds to 1. No sign test is needed: for `x < 0` the
/// quotient `1/(1+e^{|x|})` keeps its relative accuracy. ≤ 2.78 ulp
/// (every `f32` checked).
#[inline]
#[target_feature(enable = "avx2,fma")]
pub(crate) fn sigmoid(x: __m256) -> __m256 {
    _mm256_div_ps(splat(1.0), sigmoid_denominator(x))
}

/// `1 + e^{−x}`, of which [`sigmoid`] is the reciprocal: `+∞` for `x`
/// from about −88.7 down, exactly 1 from about 17 up (`e^{−x}` below half
/// an ulp of 1), NaN for NaN.
/// `softplus`'s backward divides `dy` by it (one multiply and one rounding
/// fewer than `dy·σ(x)`).
#[inline]
#[target_feature(enable = "avx2,fma")]
pub(crate) fn sigmoid_denominator(x: __m256) -> __m256 {
    let one = splat(1.0);
    // `max`/`min` with the constant first keep a NaN `x`.
    let x = _mm256_min_ps(splat(-EXP_LO), _mm256_max_ps(splat(-C::EXP_HI), x));
    let (neg_r, bits) = reduce_eighths(x, -1.0);
    let s = half_pow2_eighths(bits);
    // 2e^r = 2 + b·r = 2 − b·(−r).
    let p = _mm256_fnmadd_ps(twice_expm1_over_r(neg_r, -1.0), neg_r, splat(2.0));
    _mm256_fmadd_ps(p, s, one)
}

/// `atanh(s)/s − 1 ≈ w·Q(w)` in `w = (2s)² ∈ [0, 4/9]` (`s ≤ 1/3`), `Q` of
/// degree 3, highest first: a minimax (Remez) fit for the absolute error,
/// which is the relative error of `log1p(t) = 2s·(1 + w·Q(w))`: ≤ 4.94e−9
/// (0.08 ulp) with these `f32` coefficients. Four terms where the Taylor
/// series needs seven for 0.03 ulp: three fewer steps in the chain of
/// [`softplus_finish`].
const ATANH_Q: [f32; 4] = [0.000_547_352_7, 0.002_187_433, 0.012_506_781, 0.083_333_015];

/// `ln(1 + e^x)`, stable on the whole line; NaN → NaN: the two halves
/// [`softplus_exp`] and [`softplus_finish`] in one vector (the streaming
/// form of the kernel, for outputs beyond the caches, runs this).
#[inline]
#[target_feature(enable = "avx2,fma")]
pub(crate) fn softplus(x: __m256) -> __m256 {
    softplus_finish(x, softplus_exp(x))
}

/// `t = e^{−|x|} ∈ [0, 1]` (NaN → NaN), the first half of `softplus`
/// (`max(x, 0) + log1p(t)`). The kernel runs the two halves as separate
/// passes over each chunk (`map::map1_two_pass`): in one pass, the chain
/// of an `exp`, a division and a polynomial is too long for the
/// out-of-order window to overlap more than about four vectors.
#[inline]
#[target_feature(enable = "avx2,fma")]
pub(crate) fn softplus_exp(x: __m256) -> __m256 {
    exp_poly_nonpos(_mm256_or_ps(x, sign()))
}

/// `max(x, 0) + log1p(t)` for `t` from [`softplus_exp`]:
/// `log1p(t) = 2·atanh(s)`, `s = t/(2+t)`. `2s` is computed as one
/// quotient `2t/(2+t)` (it stays normal where `s` alone would be
/// subnormal), and the series runs in `w = (2s)²` ([`ATANH_Q`]), so no
/// multiply by ½ sits in the chain.
#[inline]
#[target_feature(enable = "avx2,fma")]
pub(crate) fn softplus_finish(x: __m256, t: __m256) -> __m256 {
    // `max(0, x)` returns `x` when `x` is NaN.
    let m = _mm256_max_ps(_mm256_setzero_ps(), x);
    let s2 = _mm256_div_ps(_mm256_add_ps(t, t), _mm256_add_ps(t, splat(2.0)));
    let w = _mm256_mul_ps(s2, s2);
    let l = _mm256_fmadd_ps(_mm256_mul_ps(s2, w), horner(&ATANH_Q, w), s2);
    _mm256_add_ps(m, l)
}
