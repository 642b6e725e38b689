//! Batches of short rows (cols < L): a chunk per row would spend most of its
//! lanes on padding, so the per-row scalars (max, sum) are computed with a
//! plain loop and the exponentials run elementwise over the whole batch.
//! Sums over a row are then sequential (left to right) rather than the
//! lane-parallel order of the single-row kernels; the error bounds are the
//! same (and every dispatch path still gives the same bits). The one-row
//! kernels of `super` use the same loops for a single short row.

use super::super::driver::{map2, update};
use super::super::math;
use super::super::simd::{S, V};
use super::{SCRATCH, count};
use crate::Real;

/// Whether rows of `cols` take the short-row path.
#[inline(always)]
pub(crate) fn short(cols: usize) -> bool {
    cols < super::super::LANES
}

/// NaN-propagating maximum of a short row.
#[inline(always)]
pub(super) fn row_max<T: Real>(x: &[T]) -> T {
    x.iter()
        .fold(T::NEG_INFINITY, |a, &v| math::max_nan(S(a), S(v)).0)
}

/// Left-to-right sum of a short row.
#[inline(always)]
pub(super) fn row_sum<T: Real>(x: &[T]) -> T {
    x.iter().fold(T::ZERO, |a, &v| a + v)
}

/// Fills each row of `buf` with the maximum of the same row of `x`.
#[inline(always)]
fn fill_row_max<T: Real>(x: &[T], cols: usize, buf: &mut [T]) {
    for (xr, br) in x.chunks_exact(cols).zip(buf.chunks_exact_mut(cols)) {
        br.fill(row_max(xr));
    }
}

/// `out_i = e^{x_i − m}` for a short row, element by element: the same
/// per-element arithmetic as [`exp_shift_into`](super::exp_shift_into) (through `S`), without
/// padding the row to a chunk of `L` lanes, most of them padding. The
/// single-row kernels take these scalar forms for short rows.
#[inline(always)]
pub(super) fn exp_shift_short<T: Real>(x: &[T], m: T, out: &mut [T]) {
    for (o, &v) in out.iter_mut().zip(x) {
        *o = math::exp_diff(S(v), S(m)).0;
    }
}

/// The batches of short rows: `acc_i` holds the maximum `m` of `x_i`'s
/// row and becomes `e^{x_i − m}`, or 0 where `x_i = m` if `skip_max`.
/// `f64` on the `Avx2`/`Avx512` paths runs the hand-written FMA `exp`.
#[inline(always)]
fn exp_shift_by_row<T: Real>(acc: &mut [T], x: &[T], skip_max: bool) {
    #[cfg(target_arch = "x86_64")]
    if super::super::fast::f64_avx2::<T>()
        && let (Some(acc), Some(x)) = (T::as_f64_mut(acc), T::as_f64(x))
    {
        // SAFETY: `f64_avx2` holds only when the active path is `Avx2` or
        // `Avx512`, i.e. when avx2 and fma were detected on this CPU.
        unsafe { super::super::avx2::map64::exp_shift_by_row(acc, x, skip_max) };
        return;
    }
    let zero = V::splat(T::ZERO);
    if skip_max {
        update(
            acc,
            x,
            #[inline(always)]
            |m, v| V::select(v.eq(m), zero, math::exp_diff(v, m)),
        );
    } else {
        update(
            acc,
            x,
            #[inline(always)]
            |m, v| math::exp_diff(v, m),
        );
    }
}

/// The batches of short rows: `acc_i` holds the `Σ dy` of `y_i`'s row and
/// becomes `e^{y_i}·Σ dy` (the `log_softmax` backward). `f64` on the
/// `Avx2`/`Avx512` paths runs the hand-written FMA `exp`.
#[inline(always)]
fn exp_times_by_row<T: Real>(acc: &mut [T], y: &[T]) {
    #[cfg(target_arch = "x86_64")]
    if super::super::fast::f64_avx2::<T>()
        && let (Some(acc), Some(y)) = (T::as_f64_mut(acc), T::as_f64(y))
    {
        // SAFETY: `f64_avx2` holds only when the active path is `Avx2` or
        // `Avx512`, i.e. when avx2 and fma were detected on this CPU.
        unsafe { super::super::avx2::map64::exp_times_by_row(acc, y) };
        return;
    }
    update(
        acc,
        y,
        #[inline(always)]
        |s, y| math::exp(y) * s,
    );
}

/// `out *= k` for a short row.
#[inline(always)]
pub(super) fn scale_short<T: Real>(out: &mut [T], k: T) {
    for v in out.iter_mut() {
        *v *= k;
    }
}

/// `(T, c)` of [`ln_sum`](super::ln_sum) for a short row with maximum `m`: the sum of the
/// terms `e^{x_i − m}` where `x_i ≠ m`, left to right, and the count of
/// the others.
#[inline(always)]
pub(super) fn rest_count_short<T: Real>(x: &[T], m: T) -> (T, T) {
    let (mut t, mut c) = (T::ZERO, T::ZERO);
    for &v in x {
        if v == m {
            c += T::ONE;
        } else {
            t += math::exp_diff(S(v), S(m)).0;
        }
    }
    (t, c)
}

/// [`softmax_backward`](super::softmax_backward) of one short row: `s = Σ y·dy` left to right, then
/// `dx = y·(dy − s)`.
#[inline(always)]
pub(super) fn softmax_backward_row_short<T: Real>(y: &[T], dy: &[T], dx: &mut [T]) {
    let s = y.iter().zip(dy).fold(T::ZERO, |a, (&p, &q)| a + p * q);
    for ((d, &p), &q) in dx.iter_mut().zip(y).zip(dy) {
        *d = p * (q - s);
    }
}

/// Row-major batch softmax of short rows.
#[inline(always)]
pub(crate) fn softmax_short<T: Real>(x: &[T], cols: usize, out: &mut [T]) {
    fill_row_max(x, cols, out);
    exp_shift_by_row(out, x, false);
    for or in out.chunks_exact_mut(cols) {
        scale_short(or, T::ONE / row_sum(or));
    }
}

/// Backward of [`softmax_short`].
#[inline(always)]
pub(crate) fn softmax_backward_short<T: Real>(y: &[T], dy: &[T], cols: usize, dx: &mut [T]) {
    for ((yr, gr), dr) in y
        .chunks_exact(cols)
        .zip(dy.chunks_exact(cols))
        .zip(dx.chunks_exact_mut(cols))
    {
        softmax_backward_row_short(yr, gr, dr);
    }
}

/// Working memory of [`group_log_sum_exp`], made once per kernel call
/// (zeroing it for every group of rows cost more than the group's sums):
/// the terms `e^{x − m}` of a group, and per row the sum `T` of its
/// non-maximal terms and the count `c` of its maximal ones.
struct GroupScratch<T> {
    terms: [T; SCRATCH],
    rest: [T; SCRATCH],
    count: [T; SCRATCH],
}

impl<T: Real> GroupScratch<T> {
    #[inline(always)]
    fn new() -> Self {
        GroupScratch {
            terms: [T::ZERO; SCRATCH],
            rest: [T::ZERO; SCRATCH],
            count: [T::ZERO; SCRATCH],
        }
    }
}

/// `m` and `ln Σ e^{x − m}` of every row of a group of short rows (`xg`,
/// at most [`SCRATCH`] elements): per row `m` and the count `c` of its
/// maximal elements, then the non-maximal exponentials elementwise over
/// the group, then per row their sum `T` (left to right), then
/// `ln c + log1p(T/c)` elementwise over the rows. The same values, in the
/// same order, as [`log_sum_exp_parts`](super::log_sum_exp_parts) of each row alone (`c` is an exact
/// integer either way).
#[inline(always)]
fn group_log_sum_exp<T: Real>(
    xg: &[T],
    cols: usize,
    scratch: &mut GroupScratch<T>,
    maxes: &mut [T],
    lse: &mut [T],
) {
    let rows = xg.len() / cols;
    let GroupScratch { terms, rest, count } = scratch;
    let terms = &mut terms[..xg.len()];
    for (((xr, er), m), c) in xg
        .chunks_exact(cols)
        .zip(terms.chunks_exact_mut(cols))
        .zip(maxes.iter_mut())
        .zip(count.iter_mut())
    {
        *m = row_max(xr);
        *c = self::count(xr, *m);
        er.fill(*m);
    }
    // Maximal elements: 0 in `terms`, the others e^{x − m}. Adding those
    // zeros below leaves each sum's bits as skipping them would (every term
    // is ≥ +0), without a branch per element.
    exp_shift_by_row(terms, xg, true);
    for (er, t) in terms.chunks_exact(cols).zip(rest.iter_mut()) {
        *t = row_sum(er);
    }
    #[cfg(target_arch = "x86_64")]
    if super::super::fast::f64_avx2::<T>()
        && let (Some(t), Some(c), Some(lse)) = (
            T::as_f64(&rest[..rows]),
            T::as_f64(&count[..rows]),
            T::as_f64_mut(&mut lse[..rows]),
        )
    {
        // SAFETY: `f64_avx2` holds only when the active path is `Avx2` or
        // `Avx512`, i.e. when avx2 and fma were detected on this CPU.
        unsafe { super::super::avx2::map64::ln_sums(t, c, lse) };
        return;
    }
    map2(
        &rest[..rows],
        &count[..rows],
        &mut lse[..rows],
        #[inline(always)]
        |t, c| math::ln(c) + math::log1p(t / c),
    );
}

/// Rows of `cols` per group of [`group_log_sum_exp`].
#[inline(always)]
fn rows_per_group(cols: usize) -> usize {
    (SCRATCH / cols).max(1)
}

/// Sum over rows of the cross-entropy of short rows, `ln S − (x_t − m)`
/// per row from [`group_log_sum_exp`].
#[inline(always)]
pub(crate) fn cross_entropy_short<T: Real>(x: &[T], cols: usize, targets: &[usize]) -> T {
    let rows_per = rows_per_group(cols);
    let mut maxes = [T::ZERO; SCRATCH];
    let mut lse = [T::ZERO; SCRATCH];
    let mut scratch = GroupScratch::new();
    let mut total = T::ZERO;
    for (xg, tg) in x.chunks(rows_per * cols).zip(targets.chunks(rows_per)) {
        let rows = tg.len();
        group_log_sum_exp(xg, cols, &mut scratch, &mut maxes[..rows], &mut lse[..rows]);
        for (((xr, &t), &l), &m) in xg
            .chunks_exact(cols)
            .zip(tg)
            .zip(&lse[..rows])
            .zip(&maxes[..rows])
        {
            total += l - (xr[t] - m);
        }
    }
    total
}

/// Row-major batch `log_softmax` of short rows: `(x − m) − ln S` per row
/// from [`group_log_sum_exp`], the same bits as [`log_softmax`](super::log_softmax) of each row.
#[inline(always)]
pub(crate) fn log_softmax_short<T: Real>(x: &[T], cols: usize, out: &mut [T]) {
    let group = rows_per_group(cols) * cols;
    let mut maxes = [T::ZERO; SCRATCH];
    let mut lse = [T::ZERO; SCRATCH];
    let mut scratch = GroupScratch::new();
    for (xg, og) in x.chunks(group).zip(out.chunks_mut(group)) {
        let rows = xg.len() / cols;
        group_log_sum_exp(xg, cols, &mut scratch, &mut maxes[..rows], &mut lse[..rows]);
        for (or, &m) in og.chunks_exact_mut(cols).zip(&maxes[..rows]) {
            or.fill(m);
        }
        update(
            og,
            xg,
            #[inline(always)]
            |m, v| v - m,
        );
        for (or, &l) in og.chunks_exact_mut(cols).zip(&lse[..rows]) {
            for o in or.iter_mut() {
                *o -= l;
            }
        }
    }
}

/// Backward of [`log_softmax_short`]: `dx = dy − e^y·s`, `s` the row's
/// `Σ dy` left to right, the same bits as [`log_softmax_backward`](super::log_softmax_backward) of each
/// row; the exponentials run elementwise over the batch.
#[inline(always)]
pub(crate) fn log_softmax_backward_short<T: Real>(y: &[T], dy: &[T], cols: usize, dx: &mut [T]) {
    for (gr, dr) in dy.chunks_exact(cols).zip(dx.chunks_exact_mut(cols)) {
        dr.fill(row_sum(gr));
    }
    exp_times_by_row(dx, y);
    update(
        dx,
        dy,
        #[inline(always)]
        |p, g| g - p,
    );
}

/// Backward of the cross-entropy of short rows, `g = dloss/rows`.
#[inline(always)]
pub(crate) fn cross_entropy_backward_short<T: Real>(
    x: &[T],
    cols: usize,
    targets: &[usize],
    g: T,
    dx: &mut [T],
) {
    fill_row_max(x, cols, dx);
    exp_shift_by_row(dx, x, false);
    for (dr, &t) in dx.chunks_exact_mut(cols).zip(targets) {
        scale_short(dr, g / row_sum(dr));
        dr[t] -= g;
    }
}
