//! `log_softmax_rows`: `log_softmax` of every row of a row-major batch,
//! forward and backward.

use super::row;
use super::softmax_rows::check_batch;
use crate::Real;
use crate::dispatch::multiversion;

/// Row-major batch `log_softmax`: each consecutive run of `cols` elements
/// of `x` is one row, written to the same place in `out`, as
/// [`log_softmax`](super::log_softmax) of that row. Same numerics and error
/// bounds (relative error ≤ 1e−6 in `f32`, ≤ 1e−13 in `f64`, against an f64
/// reference).
///
/// Rows shorter than [`LANES`](super::LANES) run batched, where one call
/// per row would spend most of its time on a 10-class row's call and
/// padding: on the `Avx2`/`Avx512` paths sixteen rows at a time, one row
/// per SIMD lane (hand-written FMA code, in `f32` and `f64`, within the
/// same bound of the portable path's `log_softmax` of each row; a row's
/// bits do not depend on the other rows of the batch), elsewhere with the
/// exponentials of many rows in one elementwise pass and the bits of the
/// portable path's `log_softmax` of each row. Longer rows run in `f32` on the
/// `Avx2`/`Avx512` paths as `log_softmax` does there (hand-written FMA
/// code whose last bits may differ from the portable path's, within the
/// same bound). In `f64` such rows take their `e^{x−m}` there from
/// hand-written FMA code, with the same effect.
///
/// # Panics
///
/// If `x` and `out` differ in length ("log_softmax_rows: x has length 6 but
/// out has length 4"), or `x.len()` is not a multiple of `cols`
/// ("log_softmax_rows: x has length 5, not a multiple of cols = 2"; with
/// `cols = 0`, unless `x` is empty).
///
/// ```
/// let x = [0.0_f32, 0.0, 1000.0, 0.0];
/// let mut out = [0.0; 4];
/// grad_core::kernels::log_softmax_rows(&x, 2, &mut out);
/// let ln_half = 0.5_f32.ln();
/// assert_eq!(out, [ln_half, ln_half, 0.0, -1000.0]);
/// ```
pub fn log_softmax_rows<T: Real>(x: &[T], cols: usize, out: &mut [T]) {
    if !check_batch(
        "log_softmax_rows",
        &[("x", x.len()), ("out", out.len())],
        cols,
    ) {
        return;
    }
    super::par::rows(x, out, cols, |x, out| log_softmax_rows_serial(x, cols, out));
}

/// [`log_softmax_rows`] after its checks, on one thread.
fn log_softmax_rows_serial<T: Real>(x: &[T], cols: usize, out: &mut [T]) {
    #[cfg(target_arch = "x86_64")]
    if let Some((x, out)) = super::softmax_rows::avx2_batch(x, &mut *out) {
        // SAFETY: `avx2_batch` returns `Some` only when the active path is
        // `Avx2` or `Avx512`, i.e. when avx2 and fma were detected on this
        // CPU.
        unsafe { super::avx2::rows::log_softmax_rows(x, cols, out) };
        return;
    }
    #[cfg(target_arch = "x86_64")]
    if let Some((x, out)) = super::softmax_rows::avx2_short64(cols, x, &mut *out) {
        // SAFETY: `avx2_short64` returns `Some` only when the active path
        // is `Avx2` or `Avx512`, i.e. when avx2 and fma were detected.
        unsafe { super::avx2::short_rows::double::log_softmax_rows(x, cols, out) };
        return;
    }
    multiversion!(<T> fwd(x: &[T], cols: usize, out: &mut [T]))
}

#[inline(always)]
fn fwd<T: Real>(x: &[T], cols: usize, out: &mut [T]) {
    if row::short(cols) {
        return row::log_softmax_short(x, cols, out);
    }
    for (xr, or) in x.chunks_exact(cols).zip(out.chunks_exact_mut(cols)) {
        row::log_softmax(xr, or);
    }
}

/// Backward of [`log_softmax_rows`], row by row as
/// [`log_softmax_backward`](super::log_softmax_backward):
/// `dx_i = dy_i − e^{y_i}·Σ_j dy_j` over each row, `y = log_softmax_rows(x)`;
/// overwrites `dx`. Same error bound (normwise, ≤ 1e−6 in `f32`). Rows
/// shorter than [`LANES`](super::LANES) run batched: on the
/// `Avx2`/`Avx512` paths sixteen rows at a time, one row per SIMD lane
/// (hand-written FMA code, within the same bound; in `f64` rows of up to
/// 12), elsewhere with the bits of the portable path's
/// `log_softmax_backward` of each row (in `f64` on the `Avx2`/`Avx512`
/// paths but for `e^{y_i}`, from hand-written FMA code).
///
/// # Panics
///
/// If `y`, `dy`, `dx` differ in length ("log_softmax_rows_backward: y has
/// length 4 but dy has length 6"), or the length is not a multiple of
/// `cols`.
///
/// ```
/// let half = 0.5_f64.ln();
/// let y = [half, half, 0.0, f64::NEG_INFINITY];
/// let mut dx = [9.0; 4];
/// grad_core::kernels::log_softmax_rows_backward(&y, &[1.0, 0.0, 1.0, 0.0], 2, &mut dx);
/// assert_eq!(dx, [0.5, -0.5, 0.0, 0.0]);
/// ```
pub fn log_softmax_rows_backward<T: Real>(y: &[T], dy: &[T], cols: usize, dx: &mut [T]) {
    let args = [("y", y.len()), ("dy", dy.len()), ("dx", dx.len())];
    if !check_batch("log_softmax_rows_backward", &args, cols) {
        return;
    }
    super::par::rows2(y, dy, dx, cols, |y, dy, dx| {
        backward_serial(y, dy, cols, dx)
    });
}

/// [`log_softmax_rows_backward`] after its checks, on one thread.
fn backward_serial<T: Real>(y: &[T], dy: &[T], cols: usize, dx: &mut [T]) {
    #[cfg(target_arch = "x86_64")]
    if let Some((y, dx)) = super::softmax_rows::avx2_batch(y, &mut *dx)
        && let Some(dy) = T::as_f32(dy)
    {
        // SAFETY: as in `log_softmax_rows`: `avx2_batch` returns `Some`
        // only when avx2 and fma were detected on this CPU.
        unsafe { super::avx2::rows::log_softmax_rows_backward(y, dy, cols, dx) };
        return;
    }
    #[cfg(target_arch = "x86_64")]
    if cols <= super::softmax_rows::F64_LANE_BACKWARD_MAX_COLS
        && let Some((y, dx)) = super::softmax_rows::avx2_short64(cols, y, &mut *dx)
        && let Some(dy) = T::as_f64(dy)
    {
        // SAFETY: as above (`avx2_short64`: avx2 and fma were detected).
        unsafe { super::avx2::short_rows::double::log_softmax_rows_backward(y, dy, cols, dx) };
        return;
    }
    multiversion!(<T> bwd(y: &[T], dy: &[T], cols: usize, dx: &mut [T]))
}

#[inline(always)]
fn bwd<T: Real>(y: &[T], dy: &[T], cols: usize, dx: &mut [T]) {
    if row::short(cols) {
        return row::log_softmax_backward_short(y, dy, cols, dx);
    }
    for ((yr, gr), dr) in y
        .chunks_exact(cols)
        .zip(dy.chunks_exact(cols))
        .zip(dx.chunks_exact_mut(cols))
    {
        row::log_softmax_backward(yr, gr, dr);
    }
}
