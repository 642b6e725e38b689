//! Branch-free, vectorizable one-element approximations, written once for
//! every [`Real`].
//!
//! Each function is generic over [`Lanes`]: it runs on a whole chunk
//! `V<T>` (each step applied to every lane before the next, so independent
//! lanes interleave in the pipeline) or on one `S<T>`, with identical bits.
//!
//! Only IEEE-754 `+ − × ÷`, comparisons feeding selects and integer bit
//! operations are used: no libm call, no fused multiply–add, no float↔int
//! conversion instruction. Each of these is exactly specified, so the value
//! is bit-for-bit the same whether LLVM emits scalar SSE2, AVX2 or AVX-512
//! instructions for it — this is what makes every dispatch path agree.
//!
//! Error bounds (measured ones are in `crate::testing::BUDGETS`):
//! - `exp`: Cody–Waite reduction `x = n·ln2 + r`, `|r| ≤ ln2/2`,
//!   near-minimax polynomial (≤ 0.05 ulp), `2^(n−1)` built from exponent
//!   bits; results below 2^−125 (f32) / 2^−1021 (f64) flush to +0. ≤ 2 ulp.
//! - `ln`: `x = 2^e·m`, `m ∈ [√½, √2)`, `ln m = 2·atanh(f/(2+f))`, fdlibm's
//!   evaluation order. ≤ 2 ulp.
//! - `tanh`: odd polynomial below 0.625, `1 − 2/(e^{2|x|}+1)` above. ≤ 3 ulp.
//! - `sigmoid`: `1/(1+e^{−|x|})` or `e^{−|x|}/(1+e^{−|x|})`. ≤ 3 ulp.
//! - `softplus`: `max(x,0) + log1p(e^{−|x|})`, `log1p(t) = ln(u)·t/(u−1)`,
//!   `u = 1+t` (Goldberg's trick, exact cancellation of `u`'s rounding).

use super::simd::Lanes;
use crate::Real;
use crate::real::Bits;

/// Horner evaluation, highest coefficient first. The coefficient table is a
/// constant, so the loop unrolls completely.
#[inline(always)]
fn horner<T: Real, F: Lanes<T>>(c: &[T], x: F) -> F {
    let mut p = F::splat(c[0]);
    for &ci in &c[1..] {
        p = p * x + F::splat(ci);
    }
    p
}

/// The sign bit.
#[inline(always)]
fn sign_mask<T: Real>() -> T::Bits {
    (-T::ZERO).to_bits()
}

/// `|x|` by clearing the sign bit (NaN stays NaN).
#[inline(always)]
pub(crate) fn abs<T: Real, F: Lanes<T>>(x: F) -> F {
    F::from_int(F::iand(x.bits(), F::int(!sign_mask::<T>())))
}

/// NaN-propagating maximum: NaN if either is NaN; on ties keeps `a`.
#[inline(always)]
pub(crate) fn max_nan<T: Real, F: Lanes<T>>(a: F, x: F) -> F {
    F::select(F::or(x.gt(a), x.nan()), x, a)
}

/// `e^x`. `+∞ → +∞`, `−∞ → +0`, NaN → NaN, overflow → `+∞`, results below
/// `e^EXP_FLUSH` (≈ 1.8e−38 f32, 3.3e−308 f64) → `+0`.
#[inline(always)]
pub(crate) fn exp<T: Real, F: Lanes<T>>(x: F) -> F {
    exp_core(x, F::splat(T::ZERO), false, true, true)
}

/// `e^x` for `x ≤ 0` or NaN (no overflow clamp needed; same bits as [`exp`]
/// on that domain).
#[inline(always)]
pub(crate) fn exp_nonpos<T: Real, F: Lanes<T>>(x: F) -> F {
    exp_core(x, F::splat(T::ZERO), false, false, true)
}

/// `e^x` for `0 ≤ x ≤ EXP_HI` (no clamp, no flush; same bits as [`exp`] on
/// that domain).
#[inline(always)]
fn exp_bounded<T: Real, F: Lanes<T>>(x: F) -> F {
    exp_core(x, F::splat(T::ZERO), false, false, false)
}

/// `e^{x − m}` with `x − m` evaluated exactly (Knuth's TwoSum: `x − m =
/// s + lo` with `s` the rounded difference), so the result does not inherit
/// the rounding error of the subtraction, which would otherwise be up to
/// `|x − m|·ε/2` relative (e.g. 1.1e−6 for `x − m = −38` in f32).
#[inline(always)]
pub(crate) fn exp_diff<T: Real, F: Lanes<T>>(x: F, m: F) -> F {
    let s = x - m;
    let bp = s - x;
    let ap = s - bp;
    let lo = (x - ap) + (-m - bp);
    // Infinite operands make `lo` NaN: for x = −∞ the result is flushed to
    // +0 below regardless; for m = ±∞ or NaN the answer is NaN anyway.
    // x ≤ m for the row maximum m, so no overflow clamp is needed.
    exp_core(s, lo, true, false, true)
}

/// `e^{x + lo}` for a tiny correction `lo` (used only when `with_lo`);
/// `clamp_hi` / `flush` may be turned off (constants after inlining) by
/// callers whose inputs cannot exceed `EXP_HI` / fall below `EXP_FLUSH`.
#[inline(always)]
fn exp_core<T: Real, F: Lanes<T>>(x: F, lo: F, with_lo: bool, clamp_hi: bool, flush: bool) -> F {
    let flushed = x.lt(F::splat(T::EXP_FLUSH));
    // Clamp above (NaN fails the comparison and passes through); inputs
    // below EXP_FLUSH may give garbage here and are replaced by +0 at the end.
    let hi_c = F::splat(T::EXP_HI);
    let x = if clamp_hi {
        F::select(x.gt(hi_c), hi_c, x)
    } else {
        x
    };
    // n = round(x·log2 e), both as a float and as an integer in the low bits.
    let magic = F::splat(T::ROUND_MAGIC);
    let big = x * F::splat(T::LOG2E) + magic;
    let n = big - magic;
    let k = F::isub(big.bits(), magic.bits());
    // r = x − n·ln2, in two steps (n·LN2_HI is exact).
    let r = (x - n * F::splat(T::LN2_HI)) - n * F::splat(T::LN2_LO);
    let r = if with_lo { r + lo } else { r };
    // 2·e^r · 2^(n−1): the scale is normal from the flush point up to the
    // largest clamped input, and 2·e^r·2^(n−1) overflows to +∞ exactly when
    // e^x does; one rounding (the final product).
    let p2 = horner(T::EXP_POLY, r);
    let bias_m1 = F::int(<T::Bits as Bits>::from_u32(T::EXPONENT_BIAS - 1));
    let s = F::from_int(F::ishl(F::iadd(k, bias_m1), T::MANTISSA_BITS));
    let y = p2 * s;
    if flush {
        F::select(flushed, F::splat(T::ZERO), y)
    } else {
        y
    }
}

/// `ln(1 + t)` for `t ≥ 0`, accurate for tiny `t`: when `u = 1 + t` rounds
/// to 1 the answer is `t`; otherwise `ln(u)·t/(u − 1)` cancels the rounding
/// error of `u` (Goldberg's trick). NaN → NaN.
#[inline(always)]
pub(crate) fn log1p<T: Real, F: Lanes<T>>(t: F) -> F {
    let one = F::splat(T::ONE);
    let u = one + t;
    let v = ln(u) * (t / (u - one));
    F::select(u.eq(one), t, v)
}

/// `ln x`. `+0/−0 → −∞`, negative → NaN, `+∞ → +∞`, NaN → NaN; subnormal
/// inputs are exact-scaled into the normal range first.
#[inline(always)]
pub(crate) fn ln<T: Real, F: Lanes<T>>(x: F) -> F {
    let one = F::splat(T::ONE);
    let zero = F::splat(T::ZERO);
    let tiny = x.lt(F::splat(T::MIN_POSITIVE));
    let xs = F::select(tiny, x * F::splat(T::SUBNORMAL_SCALE), x);
    // Shift the bit pattern so the exponent field rounds at √½ instead of 1:
    // afterwards m ∈ [√½, √2) and x = 2^e·m.
    let sqrt_half = T::SQRT_HALF.to_bits();
    let ix = F::iadd(xs.bits(), F::int(T::ONE.to_bits().wrapping_sub(sqrt_half)));
    let unit = <T::Bits as Bits>::from_u32(1);
    let frac_mask = F::int((unit << T::MANTISSA_BITS).wrapping_sub(unit));
    let m = F::from_int(F::iadd(F::iand(ix, frac_mask), F::int(sqrt_half)));
    // Biased exponent → float without a conversion instruction.
    let ebits = F::ishr(ix, T::MANTISSA_BITS);
    let two_mant = F::splat(T::TWO_POW_MANT);
    let e = F::from_int(F::iadd(two_mant.bits(), ebits)) - two_mant;
    let e = e - F::splat(T::EXP_BIAS_F);
    let e = F::select(tiny, e - F::splat(T::SUBNORMAL_SCALE_EXP), e);
    // ln m = f − (hfsq − s·(hfsq + R)), f = m − 1 (exact), s = f/(2+f).
    let f = m - one;
    let s = f / (one + one + f);
    let hfsq = F::splat(T::from_f64(0.5)) * f * f;
    let z = s * s;
    let r = z * horner(T::LN_POLY, z);
    let y = e * F::splat(T::LN2_HI) - ((hfsq - (s * (hfsq + r) + e * F::splat(T::LN2_LO))) - f);
    // Special values.
    let y = F::select(x.eq(F::splat(T::INFINITY)), x, y);
    let y = F::select(x.eq(zero), F::splat(T::NEG_INFINITY), y);
    let y = F::select(x.lt(zero), F::splat(T::NAN), y);
    F::select(x.nan(), x, y)
}

/// `tanh x`, odd, saturating to ±1; NaN → NaN.
#[inline(always)]
pub(crate) fn tanh<T: Real, F: Lanes<T>>(x: F) -> F {
    let one = F::splat(T::ONE);
    let sat = F::splat(T::TANH_SAT);
    let a = abs(x);
    // Large |x|: 1 − 2/(e^{2a}+1), no overflow thanks to the clamp.
    let ac = F::select(a.gt(sat), sat, a);
    // 0 ≤ 2·ac ≤ 2·TANH_SAT: neither clamp nor flush can trigger (a NaN
    // stays NaN).
    let e = exp_bounded(ac + ac);
    let big = one - (one + one) / (e + one);
    // Small |x|: a + a·z·P(z), accurate to the last bit near 0.
    let z = a * a;
    let small = a + a * z * horner(T::TANH_POLY, z);
    let y = F::select(a.lt(F::splat(T::TANH_CUT)), small, big);
    // tanh is odd: put the sign of x back (also gives tanh(−0) = −0).
    F::from_int(F::ior(
        y.bits(),
        F::iand(x.bits(), F::int(sign_mask::<T>())),
    ))
}

/// Logistic sigmoid `1/(1+e^−x)`, stable on the whole line; NaN → NaN.
#[inline(always)]
pub(crate) fn sigmoid<T: Real, F: Lanes<T>>(x: F) -> F {
    let one = F::splat(T::ONE);
    let e = exp_nonpos(-abs(x));
    let num = F::select(x.lt(F::splat(T::ZERO)), e, one);
    num / (one + e)
}

/// `ln(1 + e^x)`, stable on the whole line; NaN → NaN.
#[inline(always)]
pub(crate) fn softplus<T: Real, F: Lanes<T>>(x: F) -> F {
    let zero = F::splat(T::ZERO);
    let l = log1p(exp_nonpos(-abs(x)));
    let m = F::select(x.gt(zero), x, zero);
    m + l
}
