//! `log_softmax` of one row, forward and backward.

use super::check::same_len;
use super::row;
use crate::Real;
use crate::dispatch::multiversion;

/// `out = log_softmax(x) = (x − m) − ln Σ e^{x − m}`, `m = max x`:
/// numerically stable for every finite input (logits `[1000, 0, −1000]` give
/// `[0, −1000, −2000]`). Empty in, empty out; NaN anywhere makes the row NaN.
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
/// If `x` and `out` differ in length: "log_softmax: x has length 3 but out has length 4".
///
/// ```
/// let mut out = [0.0_f32; 3];
/// grad_core::kernels::log_softmax(&[1000.0, 0.0, -1000.0], &mut out);
/// assert_eq!(out, [0.0, -1000.0, -2000.0]);
/// ```
pub fn log_softmax<T: Real>(x: &[T], out: &mut [T]) {
    same_len("log_softmax", "x", x.len(), "out", out.len());
    #[cfg(target_arch = "x86_64")]
    if super::fast::f32_avx2::<T>()
        && let (Some(x), Some(out)) = (T::as_f32(x), T::as_f32_mut(out))
    {
        // SAFETY: the active path is `Avx2` or `Avx512` only when avx2 and
        // fma were detected on this CPU (`dispatch::detected` picks only
        // available paths, `dispatch::with_path` asserts availability).
        unsafe { super::avx2::rows::log_softmax(x, out) };
        return;
    }
    multiversion!(<T> fwd(x: &[T], out: &mut [T]))
}

#[inline(always)]
fn fwd<T: Real>(x: &[T], out: &mut [T]) {
    row::log_softmax(x, out);
}

/// Backward of [`log_softmax`]: `dx_i = dy_i − e^{y_i}·Σ_j dy_j` with
/// `y = log_softmax(x)`; overwrites `dx`.
///
/// Error: max |error| ≤ 1e−6 (f32) / 1e−14 (f64) times the largest sum of
/// the magnitudes of the terms of an output (`testing::Metric::Normwise`).
/// `f32` on the `Avx2`/`Avx512` paths uses the AVX2 `exp` and one fused
/// multiply–add; where `dy_i` and `e^{y_i}·Σ dy` nearly cancel its result
/// may differ from the portable path's by more than a few ulps, within the
/// same normwise bound. `f64` there takes `e^{y_i}` of rows of
/// [`LANES`](super::LANES) or more from hand-written FMA code, with the
/// same effect.
///
/// # Panics
///
/// If the lengths differ: "log_softmax_backward: y has length 3 but dy has length 4"
/// (likewise for `dx`).
///
/// ```
/// let y = [0.5_f64.ln(), 0.5_f64.ln()];
/// let mut dx = [0.0; 2];
/// grad_core::kernels::log_softmax_backward(&y, &[1.0, 0.0], &mut dx);
/// assert!((dx[0] - 0.5).abs() < 1e-15 && (dx[1] + 0.5).abs() < 1e-15);
/// ```
pub fn log_softmax_backward<T: Real>(y: &[T], dy: &[T], dx: &mut [T]) {
    same_len("log_softmax_backward", "y", y.len(), "dy", dy.len());
    same_len("log_softmax_backward", "y", y.len(), "dx", dx.len());
    #[cfg(target_arch = "x86_64")]
    if super::fast::f32_avx2::<T>()
        && let (Some(y), Some(dy), Some(dx)) = (T::as_f32(y), T::as_f32(dy), T::as_f32_mut(dx))
    {
        // SAFETY: the active path is `Avx2` or `Avx512` only when avx2 and
        // fma were detected on this CPU (`dispatch::detected` picks only
        // available paths, `dispatch::with_path` asserts availability).
        unsafe { super::avx2::rows::log_softmax_backward(y, dy, dx) };
        return;
    }
    multiversion!(<T> bwd(y: &[T], dy: &[T], dx: &mut [T]))
}

#[inline(always)]
fn bwd<T: Real>(y: &[T], dy: &[T], dx: &mut [T]) {
    row::log_softmax_backward(y, dy, dx);
}
