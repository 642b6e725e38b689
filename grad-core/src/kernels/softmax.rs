//! `softmax` of one row, forward and backward.

use super::check::same_len;
use super::row;
use crate::Real;
use crate::dispatch::multiversion;

/// `out = softmax(x)` along the whole slice, numerically stable
/// (`e^{x_i − max}` / sum; see the derivation in the crate's `kernels::row`
/// source). An empty `x` gives an empty `out`. NaN anywhere makes the row NaN.
///
/// Worst relative error per element against an f64 reference: ≤ 1e−6 (f32),
/// ≤ 1e−13 (f64), absolute ≤ 1e−30 / 1e−300 for smaller values.
/// `f32` on the `Avx2`/`Avx512` paths runs hand-written FMA code (fewer
/// passes, a table-driven `exp`); its last bits may differ from the
/// portable path's, within the same bound.
/// In `f64`, rows of [`LANES`](super::LANES) or more take their `e^{x−m}`
/// there from hand-written FMA code, with the same effect.
///
/// # Panics
///
/// If `x` and `out` differ in length: "softmax: x has length 3 but out has length 4".
///
/// ```
/// let mut out = [0.0_f32; 3];
/// grad_core::kernels::softmax(&[1000.0, 0.0, -1000.0], &mut out);
/// assert_eq!(out, [1.0, 0.0, 0.0]);
/// ```
pub fn softmax<T: Real>(x: &[T], out: &mut [T]) {
    same_len("softmax", "x", x.len(), "out", out.len());
    #[cfg(target_arch = "x86_64")]
    if super::fast::f32_avx2::<T>()
        && let (Some(x), Some(out)) = (T::as_f32(x), T::as_f32_mut(out))
    {
        // SAFETY: the active path is `Avx2` or `Avx512` only when avx2 and
        // fma were detected on this CPU (`dispatch::detected` picks only
        // available paths, `dispatch::with_path` asserts availability).
        unsafe { super::avx2::rows::softmax(x, out) };
        return;
    }
    multiversion!(<T> fwd(x: &[T], out: &mut [T]))
}

#[inline(always)]
fn fwd<T: Real>(x: &[T], out: &mut [T]) {
    row::softmax(x, out);
}

/// Backward of [`softmax`]: `dx_i = y_i·(dy_i − Σ_j y_j·dy_j)` with
/// `y = softmax(x)`; overwrites `dx`.
///
/// Error: max |error| ≤ 1e−6 (f32) / 1e−14 (f64) times the largest sum of
/// the magnitudes of the terms of an output (`testing::Metric::Normwise`).
/// Every path returns the same bits; a `dx` of 16 MB or more is written
/// with streaming (non-temporal) stores, which saves reading it into the
/// cache first.
///
/// # Panics
///
/// If the lengths differ: "softmax_backward: y has length 3 but dy has length 4"
/// (likewise for `dx`).
///
/// ```
/// let y = [0.5_f64, 0.5];
/// let mut dx = [0.0; 2];
/// grad_core::kernels::softmax_backward(&y, &[1.0, 0.0], &mut dx);
/// assert_eq!(dx, [0.25, -0.25]);
/// ```
pub fn softmax_backward<T: Real>(y: &[T], dy: &[T], dx: &mut [T]) {
    same_len("softmax_backward", "y", y.len(), "dy", dy.len());
    same_len("softmax_backward", "y", y.len(), "dx", dx.len());
    #[cfg(target_arch = "x86_64")]
    if dx.len() >= super::avx2::stream::STREAM_MIN
        && super::fast::f32_avx2::<T>()
        && let (Some(y), Some(dy), Some(dx)) = (T::as_f32(y), T::as_f32(dy), T::as_f32_mut(dx))
    {
        // `s` exactly as `bwd` computes it (`dot` gives the same bits on
        // every path).
        let s = super::dot::dot(y, dy);
        // SAFETY: `f32_avx2` holds only when the active path is `Avx2` or
        // `Avx512`, i.e. when avx2 and fma were detected on this CPU.
        unsafe { super::avx2::softmax_backward::backward(y, dy, s, dx) };
        return;
    }
    multiversion!(<T> bwd(y: &[T], dy: &[T], dx: &mut [T]))
}

#[inline(always)]
fn bwd<T: Real>(y: &[T], dy: &[T], dx: &mut [T]) {
    row::softmax_backward(y, dy, dx);
}
