//! Branch-free, vectorizable one-element approximations, written once for
//! every [`Real`].
//!
//! Only IEEE-754 `+ − × ÷`, comparisons feeding selects and integer bit
//! operations are used: no libm call, no fused multiply–add, no float↔int
//! conversion instruction. Each of these is exactly specified, so the value
//! is bit-for-bit the same whether LLVM emits scalar SSE2, AVX2 or AVX-512
//! instructions for it — this is what makes every dispatch path agree.
//!
//! Error bounds (measured ones are in `crate::testing::BUDGETS`):
//! - `exp`: Cody–Waite reduction `x = n·ln2 + r`, `|r| ≤ ln2/2`, Taylor
//!   polynomial (truncation ≤ 0.12 ulp), `2^n` built from exponent bits in
//!   two halves so subnormal results are rounded once. ≤ 2 ulp.
//! - `ln`: `x = 2^e·m`, `m ∈ [√½, √2)`, `ln m = 2·atanh(f/(2+f))`, fdlibm's
//!   evaluation order. ≤ 2 ulp.
//! - `tanh`: odd polynomial below 0.625, `1 − 2/(e^{2|x|}+1)` above. ≤ 3 ulp.
//! - `sigmoid`: `1/(1+e^{−|x|})` or `e^{−|x|}/(1+e^{−|x|})`. ≤ 3 ulp.
//! - `softplus`: `max(x,0) + log1p(e^{−|x|})`, `log1p(t) = ln(u)·t/(u−1)`,
//!   `u = 1+t` (Goldberg's trick, exact cancellation of `u`'s rounding).

use crate::Real;
use crate::real::Bits;

/// Horner evaluation, highest coefficient first. The coefficient table is a
/// constant, so the loop unrolls completely.
#[inline(always)]
fn horner<T: Real>(c: &[T], x: T) -> T {
    let mut p = c[0];
    for &ci in &c[1..] {
        p = p * x + ci;
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
pub(crate) fn abs<T: Real>(x: T) -> T {
    T::from_bits(x.to_bits() & !sign_mask::<T>())
}

/// NaN test as a plain comparison (vectorizes to one compare).
#[inline(always)]
#[allow(clippy::eq_op, reason = "x != x is the branch-free NaN test")]
pub(crate) fn is_nan<T: Real>(x: T) -> bool {
    x != x
}

/// NaN-propagating maximum: NaN if either is NaN; on ties keeps `a`.
#[inline(always)]
pub(crate) fn max_nan<T: Real>(a: T, x: T) -> T {
    if x > a || is_nan(x) { x } else { a }
}

/// `e^x`. `+∞ → +∞`, `−∞ → +0`, NaN → NaN, overflow → `+∞`, results below
/// the subnormal range → `+0`.
#[inline(always)]
pub(crate) fn exp<T: Real>(x: T) -> T {
    // Clamp (NaN fails both comparisons and passes through).
    let x = if x < T::EXP_LO { T::EXP_LO } else { x };
    let x = if x > T::EXP_HI { T::EXP_HI } else { x };
    // n = round(x·log2 e), both as a float and as an integer in the low bits.
    let big = x * T::LOG2E + T::ROUND_MAGIC;
    let n = big - T::ROUND_MAGIC;
    let k = big.to_bits().wrapping_sub(T::ROUND_MAGIC.to_bits());
    // r = x − n·ln2, in two steps (n·LN2_HI is exact).
    let r = (x - n * T::LN2_HI) - n * T::LN2_LO;
    let p = horner(T::EXP_POLY, r);
    // 2^n = 2^k1 · 2^k2 with k1 = ⌊k/2⌋: both factors are normal for every
    // clamped input, p·2^k1 is exact and only the last product rounds, so
    // subnormal results are correctly scaled and overflow gives +∞.
    let off = <T::Bits as Bits>::from_u32(4096);
    let k1 = (k.wrapping_add(off) >> 1).wrapping_sub(off >> 1);
    let k2 = k.wrapping_sub(k1);
    let bias = <T::Bits as Bits>::from_u32(T::EXPONENT_BIAS);
    let s1 = T::from_bits(k1.wrapping_add(bias) << T::MANTISSA_BITS);
    let s2 = T::from_bits(k2.wrapping_add(bias) << T::MANTISSA_BITS);
    p * s1 * s2
}

/// `ln x`. `+0/−0 → −∞`, negative → NaN, `+∞ → +∞`, NaN → NaN; subnormal
/// inputs are exact-scaled into the normal range first.
#[inline(always)]
pub(crate) fn ln<T: Real>(x: T) -> T {
    let tiny = x < T::MIN_POSITIVE;
    let xs = if tiny { x * T::SUBNORMAL_SCALE } else { x };
    // Shift the bit pattern so the exponent field rounds at √½ instead of 1:
    // afterwards m ∈ [√½, √2) and x = 2^e·m.
    let sqrt_half = T::SQRT_HALF.to_bits();
    let ix = xs
        .to_bits()
        .wrapping_add(T::ONE.to_bits().wrapping_sub(sqrt_half));
    let one = <T::Bits as Bits>::from_u32(1);
    let frac_mask = (one << T::MANTISSA_BITS).wrapping_sub(one);
    let m = T::from_bits((ix & frac_mask).wrapping_add(sqrt_half));
    // Biased exponent → float without a conversion instruction.
    let ebits = ix >> T::MANTISSA_BITS;
    let e = T::from_bits(T::TWO_POW_MANT.to_bits().wrapping_add(ebits)) - T::TWO_POW_MANT;
    let e = e - T::EXP_BIAS_F;
    let e = if tiny { e - T::SUBNORMAL_SCALE_EXP } else { e };
    // ln m = f − (hfsq − s·(hfsq + R)), f = m − 1 (exact), s = f/(2+f).
    let f = m - T::ONE;
    let s = f / (T::ONE + T::ONE + f);
    let hfsq = T::from_f64(0.5) * f * f;
    let z = s * s;
    let r = z * horner(T::LN_POLY, z);
    let y = e * T::LN2_HI - ((hfsq - (s * (hfsq + r) + e * T::LN2_LO)) - f);
    // Special values.
    let y = if x == T::INFINITY { x } else { y };
    let y = if x == T::ZERO { T::NEG_INFINITY } else { y };
    let y = if x < T::ZERO { T::NAN } else { y };
    if is_nan(x) { x } else { y }
}

/// `tanh x`, odd, saturating to ±1; NaN → NaN.
#[inline(always)]
pub(crate) fn tanh<T: Real>(x: T) -> T {
    let sign = sign_mask::<T>();
    let a = abs(x);
    // Large |x|: 1 − 2/(e^{2a}+1), no overflow thanks to the clamp.
    let ac = if a > T::TANH_SAT { T::TANH_SAT } else { a };
    let e = exp(ac + ac);
    let big = T::ONE - (T::ONE + T::ONE) / (e + T::ONE);
    let big = T::from_bits(big.to_bits() | (x.to_bits() & sign));
    // Small |x|: x + x·z·P(z), accurate to the last bit near 0.
    let z = x * x;
    let small = x + x * z * horner(T::TANH_POLY, z);
    if a < T::TANH_CUT { small } else { big }
}

/// Logistic sigmoid `1/(1+e^−x)`, stable on the whole line; NaN → NaN.
#[inline(always)]
pub(crate) fn sigmoid<T: Real>(x: T) -> T {
    let e = exp(-abs(x));
    let num = if x < T::ZERO { e } else { T::ONE };
    num / (T::ONE + e)
}

/// `ln(1 + e^x)`, stable on the whole line; NaN → NaN.
#[inline(always)]
pub(crate) fn softplus<T: Real>(x: T) -> T {
    let t = exp(-abs(x));
    let u = T::ONE + t;
    // log1p(t): when u = 1 exactly, log1p(t) = t to working precision;
    // otherwise ln(u)·t/(u−1) cancels the rounding error of u.
    let l = if u == T::ONE {
        t
    } else {
        ln(u) * (t / (u - T::ONE))
    };
    let m = if x > T::ZERO { x } else { T::ZERO };
    m + l
}
