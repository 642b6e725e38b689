//! Per-type constants of the vectorizable approximations in [`super::math`].
//!
//! Every approximation is written once, generically, in `math`; this sealed
//! trait supplies the numbers that differ between `f32` and `f64`. Each
//! constant says where it comes from and what error it contributes.

/// Constants of the vectorizable `exp`, `ln` and `tanh` (sealed: implemented
/// for `f32` and `f64` only, as a supertrait of [`crate::Real`]).
pub trait Consts: Sized + 'static {
    /// `exp` returns +0 below this (flush): the smallest input whose
    /// `2^(n−1)` scale is still a normal number (f32: e^−86.9 ≈ 1.8e−38;
    /// f64: e^−708 ≈ 3.3e−308). The absolute error of the flush is below
    /// that value.
    const EXP_FLUSH: Self;
    /// Inputs above this are clamped here before `exp`; `e^EXP_HI` rounds to
    /// +∞ (f32: e^89 > 2^128; f64: e^710 > 2^1024).
    const EXP_HI: Self;
    /// `log2(e)` rounded to nearest.
    const LOG2E: Self;
    /// `1.5·2^p` (p = fraction bits): adding and subtracting it rounds a
    /// float of magnitude < 2^(p−1) to the nearest integer (ties to even)
    /// without a conversion instruction, and the integer sits in the low bits.
    const ROUND_MAGIC: Self;
    /// High part of ln 2 (Cody–Waite): few enough significant bits that
    /// `n·LN2_HI` is exact for every `n` `exp` and `ln` produce.
    const LN2_HI: Self;
    /// `ln 2 − LN2_HI`, rounded to nearest.
    const LN2_LO: Self;
    /// `2·e^r` on `|r| ≤ 0.35` (⊇ ln2/2 plus rounding slack), highest
    /// degree first: interpolation at Chebyshev nodes of `e^r` in 60-digit
    /// decimal arithmetic (near-minimax), coefficients doubled (exact) so
    /// that the scale `2^(n−1)` stays finite for the largest results.
    /// Approximation error below 0.05 ulp (see each impl).
    const EXP_POLY: &'static [Self];
    /// `ln`: coefficients `2/(2k+1)`, highest first, of
    /// `R(z) = Σ 2 z^k/(2k+1)` in `ln(1+f) = 2·atanh(s)`, `s = f/(2+f)`,
    /// `z = s²`, `|s| ≤ 0.1716`.
    const LN_POLY: &'static [Self];
    /// `2^SUBNORMAL_SCALE_EXP`: makes a subnormal `ln` input normal.
    const SUBNORMAL_SCALE: Self;
    /// Exponent of [`Self::SUBNORMAL_SCALE`].
    const SUBNORMAL_SCALE_EXP: Self;
    /// `√½` rounded to nearest: `ln` reduces its argument to `[√½, √2)`.
    const SQRT_HALF: Self;
    /// `2^p` (p = fraction bits): adding a small integer to its bit pattern
    /// and subtracting it again converts that integer to a float exactly.
    const TWO_POW_MANT: Self;
    /// The exponent bias as a float.
    const EXP_BIAS_F: Self;
    /// Below this `|x|`, `tanh` uses the odd polynomial (no cancellation);
    /// above it `1 − 2/(e^{2|x|}+1)`, whose relative error is at most
    /// ≈ 2.5 ulp·(1 − y)/y ≤ 2 ulp there (y = tanh 0.625 = 0.555).
    const TANH_CUT: Self;
    /// Above this `|x|`, `tanh(x)` rounds to ±1 (f32: 1 − tanh 9.1 < 2^−25;
    /// f64: 1 − tanh 19.1 < 2^−54); inputs are clamped here.
    const TANH_SAT: Self;
    /// `tanh(x) = x + x·z·P(z)`, `z = x²`, `|x| < TANH_CUT`: highest degree
    /// first. Fitted by interpolation at Chebyshev nodes of
    /// `(tanh(√z)/√z − 1)/z` on `z ∈ [0, 0.625²]` in 60-digit decimal
    /// arithmetic; worst relative error of the exact-coefficient polynomial
    /// given per impl.
    const TANH_POLY: &'static [Self];

    /// The slice as `f32`s when `Self` is `f32` (the hand-written AVX2+FMA
    /// kernels in `super::avx2` are f32-only), else `None`.
    fn as_f32(x: &[Self]) -> Option<&[f32]>;
    /// The mutable counterpart of [`Consts::as_f32`].
    fn as_f32_mut(x: &mut [Self]) -> Option<&mut [f32]>;
    /// `v` as `Self` (exact: only called when `Self` is `f32`).
    fn from_f32(v: f32) -> Self;
    /// The slice as `f64`s when `Self` is `f64` (for the few AVX2 kernels
    /// written for both), else `None`.
    fn as_f64(x: &[Self]) -> Option<&[f64]>;
    /// The mutable counterpart of [`Consts::as_f64`].
    fn as_f64_mut(x: &mut [Self]) -> Option<&mut [f64]>;
    /// `v` as `Self` (exact: only called when `Self` is `f64`).
    fn from_f64_exact(v: f64) -> Self;
}

impl Consts for f32 {
    fn as_f64(_: &[f32]) -> Option<&[f64]> {
        None
    }
    fn as_f64_mut(_: &mut [f32]) -> Option<&mut [f64]> {
        None
    }
    fn from_f64_exact(v: f64) -> f32 {
        v as f32
    }
    fn as_f32(x: &[f32]) -> Option<&[f32]> {
        Some(x)
    }
    fn as_f32_mut(x: &mut [f32]) -> Option<&mut [f32]> {
        Some(x)
    }
    fn from_f32(v: f32) -> f32 {
        v
    }
    const EXP_FLUSH: f32 = -86.9;
    const EXP_HI: f32 = 89.0;
    const LOG2E: f32 = core::f32::consts::LOG2_E;
    const ROUND_MAGIC: f32 = 12_582_912.0; // 1.5 · 2^23
    const LN2_HI: f32 = 355.0 / 512.0; // exact: 9 significant bits
    const LN2_LO: f32 = -2.121_944_4e-4; // ln 2 − 355/512 = −2.12194440054690583e−4
    // Degree 6: relative error 2.7e−9 (0.05 ulp) on |r| ≤ 0.35.
    const EXP_POLY: &'static [f32] = &[
        0.002_788_429_568_841_083_f64 as f32,
        0.016_751_917_253_177_952_f64 as f32,
        0.083_332_680_578_200_85_f64 as f32,
        0.333_328_108_404_632_45_f64 as f32,
        1.000_000_009_997_012_6_f64 as f32,
        2.000_000_080_023_722_3_f64 as f32,
        2.0,
    ];
    // Through z^4: the first omitted term is s^11·2/11, relative 2e−9 (0.03 ulp).
    const LN_POLY: &'static [f32] = &[2.0 / 9.0, 2.0 / 7.0, 2.0 / 5.0, 2.0 / 3.0];
    const SUBNORMAL_SCALE: f32 = 16_777_216.0; // 2^24
    const SUBNORMAL_SCALE_EXP: f32 = 24.0;
    const SQRT_HALF: f32 = core::f32::consts::FRAC_1_SQRT_2;
    const TWO_POW_MANT: f32 = 8_388_608.0; // 2^23
    const EXP_BIAS_F: f32 = 127.0;
    const TANH_CUT: f32 = 0.625;
    const TANH_SAT: f32 = 10.0;
    // Degree 4 in z: interpolation error 1.7e−8 relative (0.3 ulp); the
    // fitted values are given in full and rounded to f32 here.
    const TANH_POLY: &'static [f32] = &[
        -0.006_096_714_165_908_197_f64 as f32,
        0.020_997_178_999_074_752_f64 as f32,
        -0.053_850_909_578_513_58_f64 as f32,
        0.133_327_697_369_763_27_f64 as f32,
        -0.333_333_289_441_342_55_f64 as f32,
    ];
}

impl Consts for f64 {
    fn as_f32(_: &[f64]) -> Option<&[f32]> {
        None
    }
    fn as_f32_mut(_: &mut [f64]) -> Option<&mut [f32]> {
        None
    }
    fn from_f32(v: f32) -> f64 {
        f64::from(v)
    }
    fn as_f64(x: &[f64]) -> Option<&[f64]> {
        Some(x)
    }
    fn as_f64_mut(x: &mut [f64]) -> Option<&mut [f64]> {
        Some(x)
    }
    fn from_f64_exact(v: f64) -> f64 {
        v
    }
    const EXP_FLUSH: f64 = -708.0;
    const EXP_HI: f64 = 710.0;
    const LOG2E: f64 = core::f64::consts::LOG2_E;
    const ROUND_MAGIC: f64 = 6_755_399_441_055_744.0; // 1.5 · 2^52
    // fdlibm's split of ln 2: LN2_HI = 6.93147180369123816490e−01 has its
    // low 32 fraction bits zero; LN2_LO = 1.90821492927058770002e−10.
    const LN2_HI: f64 = f64::from_bits(0x3FE6_2E42_FEE0_0000);
    const LN2_LO: f64 = f64::from_bits(0x3DEA_39EF_3579_3C76);
    // Degree 11: relative error 4.8e−18 (0.04 ulp) on |r| ≤ 0.35.
    const EXP_POLY: &'static [f64] = &[
        5.022_237_993_064_272e-8,
        5.526_827_641_075_93e-7,
        5.511_447_554_676_122e-6,
        4.960_296_278_443_649_6e-5,
        3.968_253_978_602_926e-4,
        2.777_777_791_234_762_5e-3,
        1.666_666_666_663_695e-2,
        8.333_333_333_294_693e-2,
        3.333_333_333_333_336_5e-1,
        1.000_000_000_000_004,
        2.0,
        2.0,
    ];
    // Through z^10: the first omitted term is relative 6e−19 (0.005 ulp).
    const LN_POLY: &'static [f64] = &[
        2.0 / 21.0,
        2.0 / 19.0,
        2.0 / 17.0,
        2.0 / 15.0,
        2.0 / 13.0,
        2.0 / 11.0,
        2.0 / 9.0,
        2.0 / 7.0,
        2.0 / 5.0,
        2.0 / 3.0,
    ];
    const SUBNORMAL_SCALE: f64 = 18_014_398_509_481_984.0; // 2^54
    const SUBNORMAL_SCALE_EXP: f64 = 54.0;
    const SQRT_HALF: f64 = core::f64::consts::FRAC_1_SQRT_2;
    const TWO_POW_MANT: f64 = 4_503_599_627_370_496.0; // 2^52
    const EXP_BIAS_F: f64 = 1023.0;
    const TANH_CUT: f64 = 0.625;
    const TANH_SAT: f64 = 20.0;
    // Degree 11 in z: interpolation error 1.5e−18 relative (0.014 ulp).
    const TANH_POLY: &'static [f64] = &[
        6.485_163_482_793_113e-6,
        -3.120_110_142_579_74e-5,
        9.257_116_129_556_769e-5,
        -2.375_906_496_055_562e-4,
        5.896_606_577_757_043e-4,
        -1.455_775_412_047_805_5e-3,
        3.592_121_751_154_962_2e-3,
        -8.863_235_103_240_878e-3,
        2.186_948_851_900_830_5e-2,
        -5.396_825_396_789_699e-2,
        1.333_333_333_333_304_2e-1,
        -3.333_333_333_333_333e-1,
    ];
}
