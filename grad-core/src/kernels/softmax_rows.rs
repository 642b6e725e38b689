//! `softmax_rows`: softmax of every row of a row-major batch; the checks
//! and the AVX2 gate every batch kernel shares.

use super::check::same_len;
use super::row;
use crate::Real;
use crate::dispatch::multiversion;

/// Checks `len` is a whole number of rows of `cols`.
#[track_caller]
fn check_rows(op: &str, arg: &str, len: usize, cols: usize) {
    if cols == 0 {
        assert!(len == 0, "{op}: cols is 0 but {arg} has length {len}");
    } else {
        assert!(
            len.is_multiple_of(cols),
            "{op}: {arg} has length {len}, not a multiple of cols = {cols}"
        );
    }
}

/// The checks of a batch kernel: every `(name, length)` of `args` as long
/// as the first, which holds whole rows of `cols` (the one named in a
/// ragged-batch panic). Returns `false` for an empty batch (nothing to do).
#[track_caller]
pub(crate) fn check_batch(op: &str, args: &[(&str, usize)], cols: usize) -> bool {
    let (first, len) = args[0];
    for &(name, l) in &args[1..] {
        same_len(op, first, len, name, l);
    }
    check_rows(op, first, len, cols);
    len != 0
}

/// `(x, out)` as `f32` slices when a batch takes the hand-written AVX2
/// batch code: `T` is `f32` and the active path is `Avx2` or `Avx512`.
/// (Rows shorter than `LANES` run one row per lane there, `avx2::short_rows`.)
#[cfg(target_arch = "x86_64")]
#[inline]
pub(crate) fn avx2_batch<'a, T: Real>(
    x: &'a [T],
    out: &'a mut [T],
) -> Option<(&'a [f32], &'a mut [f32])> {
    if !super::fast::f32_avx2::<T>() {
        return None;
    }
    Some((T::as_f32(x)?, T::as_f32_mut(out)?))
}

/// The longest rows the `f64` backward kernels (`softmax_rows_backward`,
/// `log_softmax_rows_backward`) run one row per lane: their per-row work
/// is a few cheap scalar loops, and from about 16 columns on the
/// transposes cost more than those (`softmax_rows_backward` one row per
/// lane against row by row: 34–45 against 45 µs on 4096×10, 41–44 against
/// 30 µs on 2560×16, measured).
#[cfg(target_arch = "x86_64")]
pub(crate) const F64_LANE_BACKWARD_MAX_COLS: usize = 12;

/// `x` and `out` as `f64` slices when rows of `cols` are short and `T`
/// is `f64` on the `Avx2`/`Avx512` paths: the one-row-per-lane kernels of
/// `avx2::short_rows::double` can run.
#[cfg(target_arch = "x86_64")]
#[inline]
pub(crate) fn avx2_short64<'a, T: Real>(
    cols: usize,
    x: &'a [T],
    out: &'a mut [T],
) -> Option<(&'a [f64], &'a mut [f64])> {
    if !(row::short(cols) && super::fast::f64_avx2::<T>()) {
        return None;
    }
    Some((T::as_f64(x)?, T::as_f64_mut(out)?))
}

/// Row-major batch softmax: each consecutive run of `cols` elements of `x`
/// is one row, written to the same place in `out`. Same numerics and error
/// bounds as [`softmax`](super::softmax), row by row; rows shorter than
/// [`LANES`](super::LANES) are summed left to right instead (so their last
/// bit may differ from `softmax` of the row alone). Rows of `LANES` or more
/// run in `f32` on the `Avx2`/`Avx512` paths as
/// [`softmax`](super::softmax) does there (hand-written FMA code whose last
/// bits may differ from the portable path's, within the same bound).
/// In `f64` such rows take their `e^{x−m}` there from hand-written FMA
/// code, with the same effect.
/// Shorter rows (a 10-class classifier's) run there eight at a time, one
/// row per SIMD lane, with the same bound; a row's bits do not depend on
/// the other rows of the batch. In `f64` there, their exponentials come
/// from hand-written FMA code too.
///
/// # Panics
///
/// If `x` and `out` differ in length ("softmax_rows: x has length 6 but out
/// has length 4"), or `x.len()` is not a multiple of `cols` ("softmax_rows: x
/// has length 5, not a multiple of cols = 2"; with `cols = 0`, unless `x` is
/// empty).
///
/// ```
/// let x = [0.0_f32, 0.0, 1000.0, 0.0];
/// let mut out = [0.0; 4];
/// grad_core::kernels::softmax_rows(&x, 2, &mut out);
/// assert_eq!(out, [0.5, 0.5, 1.0, 0.0]);
/// ```
pub fn softmax_rows<T: Real>(x: &[T], cols: usize, out: &mut [T]) {
    if !check_batch("softmax_rows", &[("x", x.len()), ("out", out.len())], cols) {
        return;
    }
    super::par::rows(x, out, cols, |x, out| softmax_rows_serial(x, cols, out));
}

/// [`softmax_rows`] after its checks, on one thread.
fn softmax_rows_serial<T: Real>(x: &[T], cols: usize, out: &mut [T]) {
    #[cfg(target_arch = "x86_64")]
    if let Some((x, out)) = avx2_batch(x, &mut *out) {
        // SAFETY: `avx2_batch` returns `Some` only when the active path is
        // `Avx2` or `Avx512`, i.e. when avx2 and fma were detected on this
        // CPU (`dispatch::detected` picks only available paths,
        // `dispatch::with_path` asserts availability).
        unsafe { super::avx2::rows::softmax_rows(x, cols, out) };
        return;
    }
    #[cfg(target_arch = "x86_64")]
    if let Some((x, out)) = avx2_short64(cols, x, &mut *out) {
        // SAFETY: `avx2_short64` returns `Some` only when the active path
        // is `Avx2` or `Avx512`, i.e. when avx2 and fma were detected.
        unsafe { super::avx2::short_rows::double::softmax_rows(x, cols, out) };
        return;
    }
    multiversion!(<T> fwd(x: &[T], cols: usize, out: &mut [T]))
}

#[inline(always)]
fn fwd<T: Real>(x: &[T], cols: usize, out: &mut [T]) {
    if row::short(cols) {
        return row::softmax_short(x, cols, out);
    }
    for (xr, or) in x.chunks_exact(cols).zip(out.chunks_exact_mut(cols)) {
        row::softmax(xr, or);
    }
}

/// Backward of [`softmax_rows`], row by row as
/// [`softmax_backward`](super::softmax_backward); overwrites `dx`. The
/// same bits on every path (rows shorter than [`LANES`](super::LANES) run
/// sixteen at a time on the `Avx2`/`Avx512` paths, one row per lane, with
/// the same operations in the same order; in `f64` rows of up to 12).
///
/// # Panics
///
/// If `y`, `dy`, `dx` differ in length ("softmax_rows_backward: y has length
/// 4 but dy has length 6"), or the length is not a multiple of `cols`.
///
/// ```
/// let y = [0.5_f64, 0.5, 1.0, 0.0];
/// let mut dx = [9.0; 4];
/// grad_core::kernels::softmax_rows_backward(&y, &[1.0, 0.0, 1.0, 0.0], 2, &mut dx);
/// assert_eq!(dx, [0.25, -0.25, 0.0, 0.0]);
/// ```
pub fn softmax_rows_backward<T: Real>(y: &[T], dy: &[T], cols: usize, dx: &mut [T]) {
    let args = [("y", y.len()), ("dy", dy.len()), ("dx", dx.len())];
    if !check_batch("softmax_rows_backward", &args, cols) {
        return;
    }
    super::par::rows2(y, dy, dx, cols, |y, dy, dx| {
        backward_serial(y, dy, cols, dx)
    });
}

/// [`softmax_rows_backward`] after its checks, on one thread.
fn backward_serial<T: Real>(y: &[T], dy: &[T], cols: usize, dx: &mut [T]) {
    #[cfg(target_arch = "x86_64")]
    if row::short(cols)
        && let Some((y, dx)) = avx2_batch(y, &mut *dx)
        && let Some(dy) = T::as_f32(dy)
    {
        // SAFETY: as in `softmax_rows`: `avx2_batch` returns `Some` only
        // when avx2 and fma were detected on this CPU.
        unsafe { super::avx2::short_rows::single::softmax_rows_backward(y, dy, cols, dx) };
        return;
    }
    #[cfg(target_arch = "x86_64")]
    if cols <= F64_LANE_BACKWARD_MAX_COLS
        && let Some((y, dx)) = avx2_short64(cols, y, &mut *dx)
        && let Some(dy) = T::as_f64(dy)
    {
        // SAFETY: as above (`avx2_short64`: avx2 and fma were detected).
        unsafe { super::avx2::short_rows::double::softmax_rows_backward(y, dy, cols, dx) };
        return;
    }
    multiversion!(<T> bwd(y: &[T], dy: &[T], cols: usize, dx: &mut [T]))
}

#[inline(always)]
fn bwd<T: Real>(y: &[T], dy: &[T], cols: usize, dx: &mut [T]) {
    if row::short(cols) {
        return row::softmax_backward_short(y, dy, cols, dx);
    }
    for ((yr, gr), dr) in y
        .chunks_exact(cols)
        .zip(dy.chunks_exact(cols))
        .zip(dx.chunks_exact_mut(cols))
    {
        row::softmax_backward(yr, gr, dr);
    }
}
