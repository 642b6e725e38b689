//! One-vector (4 × `f64`) approximations with FMA: `exp`, `ln`, `sigmoid`,
//! `tanh` and `softplus`.
//!
//! They mirror `super::super::math` (the same Cody–Waite reduction, the
//! same degree-11 polynomial [`Consts::EXP_POLY`] and the same flush and
//! clamp points from `super::super::consts`), with each `a·b + c` fused and
//! float↔integer steps done by 64-bit integer instructions. The portable
//! path's `f64` code has no FMA (so that it returns the same bits on every
//! path); without it, its `exp` costs about 2 ns an element here.
//!
//! Error bounds (measured ones are in `crate::testing`):
//! - `exp`: `x = n·ln2 + r`, `|r| ≤ ln2/2`, `2e^r` by Estrin's scheme and
//!   one last Horner step with FMA, times `2^(n−1)` built in the exponent field; `x` clamped to
//!   `EXP_HI` above and results below `e^EXP_FLUSH` (≈ 3.3e−308) flushed to
//!   +0, as on the portable path.
//! - `ln`: fdlibm's `2·atanh(f/(2+f))` as on the portable path, the series
//!   by Estrin's scheme; lanes that are all positive, normal and finite skip
//!   the special-value fix-ups.
//! - `sigmoid`, `tanh`, `softplus`: the portable path's formulas, with this
//!   `exp` and `ln`.

use crate::kernels::consts::Consts;
use core::arch::x86_64::*;

type C = f64;

/// Every lane `v`.
#[inline]
#[target_feature(enable = "avx2,fma")]
fn splat(v: f64) -> __m256d {
    _mm256_set1_pd(v)
}

/// `Σ c[n−1−i]·x^i` (`n ≤ 12` coefficients, highest first) by Estrin's
/// scheme: pairs `c + c′·x` from the lowest coefficient up (the highest
/// alone if `n` is odd), then each level joins neighbours `t + t′·p` with
/// `p = x², x⁴, x⁸`, an odd last term carried up. For 10 or 11
/// coefficients that is 4 FMA steps deep against Horner's 9 or 10, for
/// three more multiplies. The loops run over constants (`c` is a constant
/// table after inlining), so they unroll completely.
#[inline]
#[target_feature(enable = "avx2,fma")]
fn estrin(c: &[f64], x: __m256d) -> __m256d {
    const MAX_TERMS: usize = 6;
    debug_assert!(!c.is_empty() && c.len() <= 2 * MAX_TERMS);
    let mut t = [_mm256_setzero_pd(); MAX_TERMS];
    let mut len = 0;
    for pair in c.rchunks(2) {
        t[len] = match *pair {
            [hi, lo] => _mm256_fmadd_pd(splat(hi), x, splat(lo)),
            [alone] => splat(alone),
            _ => unreachable!("rchunks(2) yields one or two coefficients"),
        };
        len += 1;
    }
    let mut p = _mm256_mul_pd(x, x);
    while len > 1 {
        for j in 0..len / 2 {
            t[j] = _mm256_fmadd_pd(t[2 * j + 1], p, t[2 * j]);
        }
        if len % 2 == 1 {
            t[len / 2] = t[len - 1];
        }
        len = len.div_ceil(2);
        if len > 1 {
            p = _mm256_mul_pd(p, p);
        }
    }
    t[0]
}

/// `Σ c[11−i]·r^i` (12 coefficients, highest first) as `c[11] + r·A(r)`:
/// `A`, of degree 10, by [`estrin`], then one Horner step. Five FMA steps
/// deep against Horner's eleven: Horner's chain (44 cycles of latency)
/// leaves only about four vectors of `exp` in the out-of-order window. The
/// last step keeps Horner's accuracy, because the extra roundings of
/// Estrin's sums reach the result scaled by `|r|` (for `exp`,
/// `2e^r = 2 + r·A(r)`, `|r| ≤ 0.35`: Estrin through the constant term
/// measured 2 ulp against 1).
#[inline]
#[target_feature(enable = "avx2,fma")]
fn poly12(c: &[f64], r: __m256d) -> __m256d {
    debug_assert_eq!(c.len(), 12);
    _mm256_fmadd_pd(estrin(&c[..11], r), r, splat(c[11]))
}

/// `e^{x + lo}` for lanes not above `EXP_HI` (or NaN), `lo` a tiny
/// correction of `x` (added to the reduced argument, as `math::exp_core`
/// does) or `None`, without the flush: `2e^r · 2^(n−1)`, one rounding in
/// the last product. Lanes below `EXP_FLUSH` give garbage (the callers
/// flush them).
#[inline]
#[target_feature(enable = "avx2,fma")]
fn exp_core(x: __m256d, lo: Option<__m256d>) -> __m256d {
    let magic = splat(C::ROUND_MAGIC);
    let big = _mm256_fmadd_pd(x, splat(C::LOG2E), magic);
    let n = _mm256_sub_pd(big, magic);
    // `n` as a 64-bit integer: the low bits of `big` less those of `magic`.
    let k = _mm256_sub_epi64(_mm256_castpd_si256(big), _mm256_castpd_si256(magic));
    // r = x − n·ln2 in two steps (`n·LN2_HI` is exact).
    let r = _mm256_fnmadd_pd(n, splat(C::LN2_HI), x);
    let r = _mm256_fnmadd_pd(n, splat(C::LN2_LO), r);
    let r = lo.map_or(r, |lo| _mm256_add_pd(r, lo));
    // 2^(n−1): n ≥ −1022 above the flush point, so the scale is normal.
    let bias_m1 = _mm256_set1_epi64x(1022);
    let scale = _mm256_slli_epi64::<52>(_mm256_add_epi64(k, bias_m1));
    _mm256_mul_pd(poly12(C::EXP_POLY, r), _mm256_castsi256_pd(scale))
}

/// [`exp_core`] without a correction.
#[inline]
#[target_feature(enable = "avx2,fma")]
fn exp_unflushed(x: __m256d) -> __m256d {
    exp_core(x, None)
}

/// `e^{x − m}` with `x − m` evaluated exactly (TwoSum: `x − m = s + lo`),
/// as `math::exp_diff` does, for `x ≤ m` (the row maximum): the row
/// kernels' exponentials. Results below `e^EXP_FLUSH` → `+0`; a NaN or
/// `∞ − ∞` gives NaN.
#[inline]
#[target_feature(enable = "avx2,fma")]
pub(crate) fn exp_diff(x: __m256d, m: __m256d) -> __m256d {
    let s = _mm256_sub_pd(x, m);
    let bp = _mm256_sub_pd(s, x);
    let ap = _mm256_sub_pd(s, bp);
    let neg_m = _mm256_xor_pd(m, splat(-0.0));
    let lo = _mm256_add_pd(_mm256_sub_pd(x, ap), _mm256_sub_pd(neg_m, bp));
    let y = exp_core(s, Some(lo));
    _mm256_andnot_pd(_mm256_cmp_pd::<_CMP_LT_OQ>(s, splat(C::EXP_FLUSH)), y)
}

/// `e^x`: `+∞ → +∞`, `−∞ → +0`, NaN → NaN, overflow → `+∞`, results
/// below `e^EXP_FLUSH` → `+0`.
#[inline]
#[target_feature(enable = "avx2,fma")]
pub(crate) fn exp(x: __m256d) -> __m256d {
    // `min(c, x)` returns `x` when it is NaN.
    let clamped = _mm256_min_pd(splat(C::EXP_HI), x);
    let y = exp_unflushed(clamped);
    let flushed = _mm256_cmp_pd::<_CMP_LT_OQ>(x, splat(C::EXP_FLUSH));
    _mm256_andnot_pd(flushed, y)
}

/// Logistic sigmoid `1/(1+e^−x)`, stable on the whole line; NaN → NaN:
/// [`sigmoid_finish`] of [`exp_neg_abs`].
#[inline]
#[target_feature(enable = "avx2,fma")]
pub(crate) fn sigmoid(x: __m256d) -> __m256d {
    sigmoid_finish(x, exp_neg_abs(x))
}

/// `σ(x)` from `x` and `e = e^{−|x|} ∈ [0, 1]` ([`exp_neg_abs`]):
/// `num/(1 + e)` with `num = e` for `x < 0`, else 1: no overflow, and the
/// small results of negative `x` keep their relative accuracy.
#[inline]
#[target_feature(enable = "avx2,fma")]
fn sigmoid_finish(x: __m256d, e: __m256d) -> __m256d {
    let one = splat(1.0);
    let negative = _mm256_cmp_pd::<_CMP_LT_OQ>(x, _mm256_setzero_pd());
    let num = _mm256_blendv_pd(one, e, negative);
    _mm256_div_pd(num, _mm256_add_pd(one, e))
}

/// `ln x`: `±0 → −∞`, negative → NaN, `+∞ → +∞`, NaN → NaN; subnormals
/// are scaled into the normal range first (as `math::ln` does).
///
/// Vectors whose lanes are all positive, normal and finite (the common
/// case, one well-predicted branch) skip the special-value fix-ups.
#[inline]
#[target_feature(enable = "avx2,fma")]
pub(crate) fn ln(x: __m256d) -> __m256d {
    // Positive, normal and finite: the bits, as signed integers, lie in
    // [bits(MIN_POSITIVE), bits(+∞)).
    let ix = _mm256_castpd_si256(x);
    let above_tiny = _mm256_cmpgt_epi64(
        ix,
        _mm256_set1_epi64x(f64::MIN_POSITIVE.to_bits() as i64 - 1),
    );
    let below_inf = _mm256_cmpgt_epi64(_mm256_set1_epi64x(f64::INFINITY.to_bits() as i64), ix);
    let normal = _mm256_and_si256(above_tiny, below_inf);
    if _mm256_movemask_pd(_mm256_castsi256_pd(normal)) == 0xF {
        ln_normal(x, _mm256_setzero_pd())
    } else {
        ln_special(x)
    }
}

/// `ln x` for positive, normal, finite lanes, less `extra` from the
/// exponent: the portable path's fdlibm evaluation (`x = 2^e·m`,
/// `m ∈ [√½, √2)`, `f = m − 1`, `s = f/(2+f)`, `ln m = f − (hfsq −
/// s·(hfsq + R))`), with its multiply–adds fused and `R` by [`estrin`].
#[inline]
#[target_feature(enable = "avx2,fma")]
fn ln_normal(x: __m256d, extra: __m256d) -> __m256d {
    let one = splat(1.0);
    let sqrt_half = C::SQRT_HALF.to_bits() as i64;
    // Shift the bit pattern so the exponent field rounds at √½ instead of
    // 1: afterwards `m ∈ [√½, √2)` and `x = 2^e·m`.
    let ix = _mm256_add_epi64(
        _mm256_castpd_si256(x),
        _mm256_set1_epi64x(1.0_f64.to_bits() as i64 - sqrt_half),
    );
    let frac_mask = _mm256_set1_epi64x((1_i64 << 52) - 1);
    let m = _mm256_castsi256_pd(_mm256_add_epi64(
        _mm256_and_si256(ix, frac_mask),
        _mm256_set1_epi64x(sqrt_half),
    ));
    // The biased exponent as a float, without a conversion instruction:
    // 2^52 + e_biased is exact in the mantissa field.
    let two_mant = splat(C::TWO_POW_MANT);
    let ebits = _mm256_srli_epi64::<52>(ix);
    let e = _mm256_castsi256_pd(_mm256_add_epi64(_mm256_castpd_si256(two_mant), ebits));
    let e = _mm256_sub_pd(_mm256_sub_pd(e, two_mant), splat(C::EXP_BIAS_F));
    let e = _mm256_sub_pd(e, extra);
    let f = _mm256_sub_pd(m, one);
    let s = _mm256_div_pd(f, _mm256_add_pd(splat(2.0), f));
    let hfsq = _mm256_mul_pd(_mm256_mul_pd(f, f), splat(0.5));
    let z = _mm256_mul_pd(s, s);
    // `R/z` by [`estrin`]: a correction below 3% of the result, so its
    // extra roundings do not show.
    let r = _mm256_mul_pd(z, estrin(C::LN_POLY, z));
    // e·LN2_HI is exact (LN2_HI has 32 trailing zero bits, |e| < 2^11).
    let t = _mm256_fmadd_pd(
        s,
        _mm256_add_pd(hfsq, r),
        _mm256_mul_pd(e, splat(C::LN2_LO)),
    );
    let t = _mm256_sub_pd(_mm256_sub_pd(hfsq, t), f);
    _mm256_fmsub_pd(e, splat(C::LN2_HI), t)
}

/// [`ln`] of a vector with a zero, negative, subnormal, infinite or NaN
/// lane.
#[inline(never)]
#[cold]
#[target_feature(enable = "avx2,fma")]
fn ln_special(x: __m256d) -> __m256d {
    let zero = _mm256_setzero_pd();
    let tiny = _mm256_cmp_pd::<_CMP_LT_OQ>(x, splat(f64::MIN_POSITIVE));
    let xs = _mm256_blendv_pd(x, _mm256_mul_pd(x, splat(C::SUBNORMAL_SCALE)), tiny);
    let y = ln_normal(xs, _mm256_and_pd(tiny, splat(C::SUBNORMAL_SCALE_EXP)));
    // Special values: +∞ → +∞, ±0 → −∞, negative → NaN, NaN → NaN.
    let inf = splat(f64::INFINITY);
    let y = _mm256_blendv_pd(y, inf, _mm256_cmp_pd::<_CMP_EQ_OQ>(x, inf));
    let y = _mm256_blendv_pd(
        y,
        splat(f64::NEG_INFINITY),
        _mm256_cmp_pd::<_CMP_EQ_OQ>(x, zero),
    );
    let y = _mm256_blendv_pd(y, splat(f64::NAN), _mm256_cmp_pd::<_CMP_LT_OQ>(x, zero));
    _mm256_blendv_pd(y, x, _mm256_cmp_pd::<_CMP_UNORD_Q>(x, x))
}

/// `tanh x`, odd, saturating to ±1; NaN → NaN. The portable path's
/// formulas: `|x| + |x|·z·P(z)` (`z = x²`, [`poly12`]) below
/// `TANH_CUT`, `1 − 2/(e^{2|x|} + 1)` above (`|x|` clamped to `TANH_SAT`),
/// both computed and one selected, then the sign of `x` put back.
#[inline]
#[target_feature(enable = "avx2,fma")]
pub(crate) fn tanh(x: __m256d) -> __m256d {
    let one = splat(1.0);
    let sign = splat(-0.0);
    let a = _mm256_andnot_pd(sign, x);
    // `min(c, a)` returns `a` when it is NaN.
    let ac = _mm256_min_pd(splat(C::TANH_SAT), a);
    // 0 ≤ 2·ac ≤ 2·TANH_SAT: neither clamp nor flush is needed.
    let e = exp_unflushed(_mm256_add_pd(ac, ac));
    let big = _mm256_sub_pd(one, _mm256_div_pd(splat(2.0), _mm256_add_pd(e, one)));
    let z = _mm256_mul_pd(a, a);
    let small = _mm256_fmadd_pd(_mm256_mul_pd(a, z), poly12(C::TANH_POLY, z), a);
    let y = _mm256_blendv_pd(
        big,
        small,
        _mm256_cmp_pd::<_CMP_LT_OQ>(a, splat(C::TANH_CUT)),
    );
    _mm256_or_pd(y, _mm256_and_pd(x, sign))
}

/// `ln(1 + t)` as `math::log1p` computes it: `t` where `u = 1 + t` rounds
/// to 1, else `ln(u)·t/(u − 1)` (Goldberg's trick), with [`ln`] (special
/// values included: `+∞ → NaN` by `∞/∞`, NaN → NaN, as there).
#[inline]
#[target_feature(enable = "avx2,fma")]
pub(crate) fn log1p(t: __m256d) -> __m256d {
    let one = splat(1.0);
    let u = _mm256_add_pd(one, t);
    let v = _mm256_mul_pd(ln(u), _mm256_div_pd(t, _mm256_sub_pd(u, one)));
    _mm256_blendv_pd(v, t, _mm256_cmp_pd::<_CMP_EQ_OQ>(u, one))
}

/// `e^{−|x|}` (NaN → NaN; below `e^EXP_FLUSH`, +0): the first half of
/// `sigmoid` and `softplus`. The `softplus` kernel runs
/// [`softplus_finish`] in a second pass over each chunk
/// (`map64::map1_two_pass`), as the `f32` one does; for `sigmoid` two
/// passes measured no faster (1.46–2.19 against 1.58–1.99 ns an element,
/// four interleaved pairs).
#[inline]
#[target_feature(enable = "avx2,fma")]
pub(crate) fn exp_neg_abs(x: __m256d) -> __m256d {
    let neg_abs = _mm256_or_pd(x, splat(-0.0));
    _mm256_andnot_pd(
        _mm256_cmp_pd::<_CMP_LT_OQ>(neg_abs, splat(C::EXP_FLUSH)),
        exp_unflushed(neg_abs),
    )
}

/// `ln(1 + e^x)` from `x` and `t` of [`exp_neg_abs`], stable on the whole
/// line; NaN → NaN. The portable path's formula: `max(x, 0) + log1p(t)`,
/// `log1p(t)` as `t` when `u = 1 + t` rounds to 1, else `ln(u)·t/(u − 1)`
/// (Goldberg's trick).
#[inline]
#[target_feature(enable = "avx2,fma")]
pub(crate) fn softplus_finish(x: __m256d, t: __m256d) -> __m256d {
    let one = splat(1.0);
    let u = _mm256_add_pd(one, t);
    // u ∈ [1, 2] (or NaN, which reaches the result through `max` as well).
    let v = _mm256_mul_pd(
        ln_normal(u, _mm256_setzero_pd()),
        _mm256_div_pd(t, _mm256_sub_pd(u, one)),
    );
    let l = _mm256_blendv_pd(v, t, _mm256_cmp_pd::<_CMP_EQ_OQ>(u, one));
    // `max(0, x)` returns `x` when it is NaN.
    _mm256_add_pd(_mm256_max_pd(_mm256_setzero_pd(), x), l)
}

#[cfg(test)]
mod tests {
    use super::estrin;
    use crate::dispatch::Path;
    use core::arch::x86_64::{__m256d, _mm256_set1_pd, _mm256_storeu_pd};

    /// `estrin(c, x)` in lane 0, for an AVX2+FMA CPU.
    #[target_feature(enable = "avx2,fma")]
    fn estrin_at(c: &[f64], x: f64) -> f64 {
        let v: __m256d = estrin(c, _mm256_set1_pd(x));
        let mut out = [0.0; 4];
        // SAFETY: `out` is 4 contiguous f64s we hold exclusively; `storeu`
        // has no alignment requirement.
        unsafe { _mm256_storeu_pd(out.as_mut_ptr(), v) };
        out[0]
    }

    /// [`estrin`] evaluates every length it accepts (1 to 12 coefficients,
    /// odd and even, not only the 10 and 11 the kernels use) to within a
    /// few roundings of Horner's rule in `f64`; a term dropped or joined
    /// with the wrong power of `x` is off by far more.
    #[test]
    fn estrin_matches_horner_for_every_length() {
        assert!(
            Path::Avx2.is_available(),
            "this test needs an AVX2+FMA CPU (the project's machines have one)"
        );
        for n in 1..=12 {
            // Highest first; positive and shrinking, so the sums do not cancel.
            let c: Vec<f64> = (0..n).map(|i| 1.0 / (n - i) as f64).collect();
            for k in 0..=40 {
                let x = -0.9 + 1.8 * f64::from(k) / 40.0;
                let horner = c.iter().fold(0.0, |p, &ci| p * x + ci);
                // SAFETY: an AVX2+FMA CPU, asserted above.
                let got = unsafe { estrin_at(&c, x) };
                let scale: f64 = c
                    .iter()
                    .rev()
                    .enumerate()
                    .map(|(i, ci)| ci * x.abs().powi(i as i32))
                    .sum();
                assert!(
                    (got - horner).abs() <= 8.0 * f64::EPSILON * scale,
                    "{n} coefficients, x = {x}: Estrin {got:e}, Horner {horner:e}"
                );
            }
        }
    }
}
