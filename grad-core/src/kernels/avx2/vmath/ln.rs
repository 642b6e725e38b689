//! `ln` of one vector (8 × `f32`) with FMA: `x = 2^k·c·(1 + r)`, `1/c` and
//! `ln c` from 8-entry tables read by permutes, a degree-5 polynomial for
//! `log1p(r)`, and the special values (zero, negative, subnormal, infinite,
//! NaN) out of line. Its tables are checked against their docs below.

use super::{C, horner, splat};
use crate::kernels::consts::Consts;
use core::arch::x86_64::*;

/// `ln x`: `±0 → −∞`, negative → NaN, `+∞ → +∞`, NaN → NaN; subnormals
/// are scaled into the normal range first (as `math::ln` does).
///
/// Vectors whose lanes are all positive, normal and finite (the common
/// case, one well-predicted branch) skip the special-value fix-ups.
#[inline]
#[target_feature(enable = "avx2,fma")]
pub(crate) fn ln(x: __m256) -> __m256 {
    // Positive, normal and finite: the bits less those of MIN_POSITIVE are
    // below `0x7f00_0000` as unsigned (everything else wraps above). As a
    // signed comparison: add `0x7f80_0000 = 2^31 − 2^23` instead (the sign
    // flip folded in) and compare with `0x7f00_0000 − 2^31`.
    let shifted = _mm256_add_epi32(_mm256_castps_si256(x), _mm256_set1_epi32(0x7f80_0000));
    let normal = _mm256_cmpgt_epi32(
        _mm256_set1_epi32(0x7f00_0000_u32.wrapping_sub(1 << 31) as i32),
        shifted,
    );
    if _mm256_movemask_ps(_mm256_castsi256_ps(normal)) == 0xFF {
        ln_normal(x, _mm256_setzero_ps())
    } else {
        ln_special(x)
    }
}

/// Bits of `0.71875`: [`ln_normal`] writes `x = 2^k·z` with
/// `z ∈ [0.71875, 1.4375)` (the bits of `x` less this, split into the
/// exponent `k` and the 23 bits below), and the top 3 of those 23 bits pick
/// one of eight sub-ranges of `z`, the fifth of which holds 1.
const LN_OFF: i32 = 0x3f38_0000;

/// `1/c` for the centre `c` of each sub-range of [`LN_OFF`] (`1` for the
/// one around 1, so `z − 1` is exact there), each nudged within a few
/// thousand ulps to where `−ln(1/c)` is within 1.3e−11 (relative) of an
/// `f32` ([`LN_LOG_C`]): `r = z/c − 1 ∈ [−0.0557, 0.0625]`. From a search
/// in `f64` and 40-digit arithmetic.
const LN_INV_C: [f32; 8] = [
    1.333_572,
    1.230_969_9,
    1.142_805_9,
    1.066_453_7,
    1.0,
    0.888_807_9,
    0.800_120_6,
    0.727_389_7,
];

/// `ln c = −ln(1/c)` of [`LN_INV_C`], rounded to `f32` (relative error
/// ≤ 1.3e−11, so nearly exact).
const LN_LOG_C: [f32; 8] = [
    -0.287_861_08,
    -0.207_802_4,
    -0.133_486_58,
    -0.064_338_84,
    0.0,
    0.117_874_16,
    0.222_992_82,
    0.318_292_92,
];

/// `log1p(r) ≈ r + r²·Q(r)` on `r ∈ [−0.0559, 0.0627]`, `Q` of degree 3,
/// highest first: a minimax (Remez) fit for the relative error, ≤ 1.06e−8
/// (0.09 ulp) with these `f32` coefficients.
const LN_Q: [f32; 4] = [0.200_581_28, -0.250_813_87, 0.333_332_87, -0.499_999_2];

/// An 8-lane table read at the low 3 bits of each lane of `j`.
#[inline]
#[target_feature(enable = "avx2,fma")]
fn lookup(table: [f32; 8], j: __m256i) -> __m256 {
    let [t0, t1, t2, t3, t4, t5, t6, t7] = table;
    _mm256_permutevar8x32_ps(_mm256_setr_ps(t0, t1, t2, t3, t4, t5, t6, t7), j)
}

/// `ln x` for positive, normal, finite lanes, less `extra` (in units of
/// ln 2) from the exponent.
///
/// `x = 2^k·z` ([`LN_OFF`]), `z = c·(1 + r)` with `1/c` and `ln c` from
/// 8-entry tables read by permutes ([`LN_INV_C`], [`LN_LOG_C`]), `r` by one
/// fused `z·(1/c) − 1`, and `ln x = k·ln2 + (ln c + log1p(r))`, the last
/// step fused (`k·ln2` exact inside it; the error of `ln 2` in `f32` costs
/// `k·1.9e−9`, below 0.05 ulp of `k·ln 2`). No division: 16 operations
/// against 24 and a division for the portable path's `2·atanh(f/(2+f))`.
/// ≤ 1.26 ulp (every `f32` checked: 1.251); near 1 (`c = 1`,
/// `ln c = 0`, `k = 0`) the result is `r + r²·Q(r)` with `r` exact.
#[inline]
#[target_feature(enable = "avx2,fma")]
fn ln_normal(x: __m256, extra: __m256) -> __m256 {
    let ix = _mm256_castps_si256(x);
    let t = _mm256_sub_epi32(ix, _mm256_set1_epi32(LN_OFF));
    // `k·2^23` (arithmetic: `k` may be negative) and `z = x·2^−k`.
    let k_bits = _mm256_and_si256(t, _mm256_set1_epi32(!((1 << 23) - 1)));
    let z = _mm256_castsi256_ps(_mm256_sub_epi32(ix, k_bits));
    let k = _mm256_cvtepi32_ps(_mm256_srai_epi32::<23>(t));
    let k = _mm256_sub_ps(k, extra);
    // The sub-range is bits 20..23 of `t`: the permutes read the low 3
    // bits of each lane.
    let j = _mm256_srli_epi32::<20>(t);
    let r = _mm256_fmsub_ps(z, lookup(LN_INV_C, j), splat(1.0));
    let log1p_r = _mm256_fmadd_ps(_mm256_mul_ps(r, r), horner(&LN_Q, r), r);
    let tail = _mm256_add_ps(lookup(LN_LOG_C, j), log1p_r);
    _mm256_fmadd_ps(k, splat(core::f32::consts::LN_2), tail)
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

#[cfg(test)]
mod tests {
    use super::{LN_INV_C, LN_LOG_C, LN_OFF, LN_Q};

    /// The `ln` tables and polynomial hold what their docs claim, checked in
    /// `f64`: each `ln c` within 1.3e−11 (relative) of `−ln(1/c)`, every
    /// `z` of a sub-range giving `r = z·(1/c) − 1` inside the fitted range,
    /// and `r + r²·Q(r)` within 1.1e−8 (relative) of `log1p(r)` there.
    #[test]
    fn ln_tables_and_polynomial_match_their_docs() {
        let (r_lo, r_hi) = (-0.0559, 0.0627);
        for (j, (&inv, &log_c)) in LN_INV_C.iter().zip(&LN_LOG_C).enumerate() {
            let (inv, log_c) = (f64::from(inv), f64::from(log_c));
            let want = -inv.ln();
            assert!(
                (log_c - want).abs() <= 1.3e-11 * want.abs(),
                "entry {j}: ln c = {log_c}, −ln(1/c) = {want}"
            );
            let z = |k: u32| f64::from(f32::from_bits(LN_OFF as u32 + (k << 20)));
            for (end, z) in [("low", z(j as u32)), ("high", z(j as u32 + 1))] {
                let r = z * inv - 1.0;
                assert!(
                    (r_lo..=r_hi).contains(&r),
                    "entry {j}, {end} end z = {z}: r = {r}"
                );
            }
        }
        for i in 0..=10_000 {
            let r = r_lo + (r_hi - r_lo) * f64::from(i) / 10_000.0;
            if r == 0.0 {
                continue;
            }
            let q = LN_Q.iter().fold(0.0, |acc, &c| acc * r + f64::from(c));
            let err = (r + r * r * q) / r.ln_1p() - 1.0;
            assert!(err.abs() <= 1.1e-8, "r = {r}: relative error {err:e}");
        }
    }
}
