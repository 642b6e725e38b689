//! Routes `f32` and `f64` calls of the transcendental kernels to the
//! hand-written AVX2+FMA code in [`super::avx2`] when the active path is
//! `Avx2` or `Avx512`; every other call (the portable path, other targets,
//! `f64` `ln_backward`) runs the generic kernel.

use crate::Real;

/// An elementwise op with hand-written AVX2+FMA `f32` and `f64` kernels.
#[derive(Clone, Copy)]
pub(crate) enum Unary {
    Exp,
    Ln,
    Sigmoid,
    Tanh,
    Softplus,
}

/// A backward elementwise op `dx = f(x, dy)` with a hand-written AVX2+FMA
/// `f32` kernel (and for `SoftplusBackward` an `f64` one).
#[derive(Clone, Copy)]
pub(crate) enum Binary {
    /// `dy / x`.
    LnBackward,
    /// `dy · σ(x)`.
    SoftplusBackward,
}

/// Whether `T` is `f32` and the active path can run the AVX2+FMA kernels.
#[inline]
pub(crate) fn f32_avx2<T: Real>() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        use crate::dispatch::{Path, active};
        T::as_f32(&[]).is_some() && matches!(active(), Path::Avx2 | Path::Avx512)
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

/// Whether `T` is `f64` and the active path can run the AVX2 kernels.
#[inline]
pub(crate) fn f64_avx2<T: Real>() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        use crate::dispatch::{Path, active};
        T::as_f64(&[]).is_some() && matches!(active(), Path::Avx2 | Path::Avx512)
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

/// Runs `op` on the AVX2+FMA path if [`f32_avx2`] or [`f64_avx2`] holds;
/// returns whether it did. Lengths must already be equal.
#[inline]
pub(crate) fn unary<T: Real>(op: Unary, x: &[T], out: &mut [T]) -> bool {
    #[cfg(target_arch = "x86_64")]
    if f32_avx2::<T>()
        && let (Some(x), Some(out)) = (T::as_f32(x), T::as_f32_mut(out))
    {
        // SAFETY: the active path is `Avx2` or `Avx512` only when avx2 and
        // fma were detected on this CPU (`dispatch::detected` picks only
        // available paths, `dispatch::with_path` asserts availability).
        unsafe { avx2_unary(op, x, out) };
        return true;
    }
    #[cfg(target_arch = "x86_64")]
    if f64_avx2::<T>()
        && let (Some(x), Some(out)) = (T::as_f64(x), T::as_f64_mut(out))
    {
        // SAFETY: as above (`f64_avx2`: the active path is `Avx2` or
        // `Avx512`, so avx2 and fma were detected).
        unsafe { avx2_unary64(op, x, out) };
        return true;
    }
    let _ = (op, x, out);
    false
}

/// Runs `op` on the AVX2+FMA path if [`f32_avx2`] holds, or [`f64_avx2`]
/// and `op` has an `f64` kernel; returns whether it did. Lengths must
/// already be equal.
#[inline]
pub(crate) fn binary<T: Real>(op: Binary, x: &[T], dy: &[T], dx: &mut [T]) -> bool {
    #[cfg(target_arch = "x86_64")]
    if f32_avx2::<T>()
        && let (Some(x), Some(dy), Some(dx)) = (T::as_f32(x), T::as_f32(dy), T::as_f32_mut(dx))
    {
        // SAFETY: as in `unary`: the active path is `Avx2` or `Avx512` only
        // when avx2 and fma were detected on this CPU.
        unsafe { avx2_binary(op, x, dy, dx) };
        return true;
    }
    #[cfg(target_arch = "x86_64")]
    if f64_avx2::<T>()
        && let (Some(x), Some(dy), Some(dx)) = (T::as_f64(x), T::as_f64(dy), T::as_f64_mut(dx))
    {
        // SAFETY: as above (`f64_avx2`: the active path is `Avx2` or
        // `Avx512`, so avx2 and fma were detected).
        return unsafe { avx2_binary64(op, x, dy, dx) };
    }
    let _ = (op, x, dy, dx);
    false
}

/// The `f64` forward ops on the AVX2+FMA path (every [`Unary`] op).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
fn avx2_unary64(op: Unary, x: &[f64], out: &mut [f64]) {
    use super::avx2::{
        map64::{map1, map1_two_pass},
        vmath64,
    };
    match op {
        Unary::Exp => map1(x, out, |v| vmath64::exp(v)),
        Unary::Sigmoid => map1(x, out, |v| vmath64::sigmoid(v)),
        Unary::Ln => map1(x, out, |v| vmath64::ln(v)),
        Unary::Tanh => map1(x, out, |v| vmath64::tanh(v)),
        Unary::Softplus => map1_two_pass(
            x,
            out,
            |v| vmath64::exp_neg_abs(v),
            |v, t| vmath64::softplus_finish(v, t),
        ),
    }
}

/// The `f64` backward ops with an AVX2+FMA kernel (`softplus_backward`,
/// `dy·σ(x)`; `ln_backward`, a division, gains nothing); returns whether
/// `op` is one of them and ran.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
fn avx2_binary64(op: Binary, x: &[f64], dy: &[f64], dx: &mut [f64]) -> bool {
    use super::avx2::{map64::map2, vmath64};
    use core::arch::x86_64::_mm256_mul_pd;
    match op {
        Binary::SoftplusBackward => map2(x, dy, dx, |x, g| _mm256_mul_pd(g, vmath64::sigmoid(x))),
        Binary::LnBackward => return false,
    }
    true
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
fn avx2_binary(op: Binary, x: &[f32], dy: &[f32], dx: &mut [f32]) {
    use super::avx2::vmath;
    use core::arch::x86_64::_mm256_div_ps;
    match op {
        Binary::LnBackward => avx2_map2(x, dy, dx, |x, g| _mm256_div_ps(g, x)),
        // `dy·σ(x) = dy/(1 + e^{−x})`: one rounding, no multiply.
        Binary::SoftplusBackward => avx2_map2(x, dy, dx, |x, g| {
            _mm256_div_ps(g, vmath::sigmoid_denominator(x))
        }),
    }
}

/// `avx2::map::map2`, or its streaming form for an output larger than the
/// caches (`kernels::stream`).
#[cfg(target_arch = "x86_64")]
#[inline]
#[target_feature(enable = "avx2,fma")]
fn avx2_map2(
    a: &[f32],
    b: &[f32],
    out: &mut [f32],
    f: impl Fn(core::arch::x86_64::__m256, core::arch::x86_64::__m256) -> core::arch::x86_64::__m256,
) {
    use super::avx2::{map::map2, stream};
    if out.len() >= stream::STREAM_MIN {
        stream::map2_streaming(a, b, out, f);
        stream::fence();
    } else {
        map2(a, b, out, f);
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
fn avx2_unary(op: Unary, x: &[f32], out: &mut [f32]) {
    use super::avx2::vmath;
    match op {
        Unary::Exp => avx2_map1(x, out, |v| vmath::exp(v)),
        Unary::Ln => avx2_map1(x, out, |v| vmath::ln(v)),
        Unary::Sigmoid => avx2_map1(x, out, |v| vmath::sigmoid(v)),
        Unary::Tanh => avx2_map1(x, out, |v| vmath::tanh(v)),
        Unary::Softplus if out.len() < super::avx2::stream::STREAM_MIN => {
            super::avx2::map::map1_two_pass(
                x,
                out,
                |v| vmath::softplus_exp(v),
                |v, t| vmath::softplus_finish(v, t),
            )
        }
        Unary::Softplus => avx2_map1(x, out, |v| vmath::softplus(v)),
    }
}

/// `avx2::map::map1`, or its streaming form for an output larger than the
/// caches (`kernels::stream`).
#[cfg(target_arch = "x86_64")]
#[inline]
#[target_feature(enable = "avx2,fma")]
fn avx2_map1(
    x: &[f32],
    out: &mut [f32],
    f: impl Fn(core::arch::x86_64::__m256) -> core::arch::x86_64::__m256,
) {
    use super::avx2::{map::map1, stream};
    if out.len() >= stream::STREAM_MIN {
        // The second load of `x` reads the same lines (from L1).
        stream::map2_streaming(x, x, out, |v, _| f(v));
        stream::fence();
    } else {
        map1(x, out, f);
    }
}
