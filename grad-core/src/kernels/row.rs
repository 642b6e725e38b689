//! One-row building blocks of the softmax family and cross-entropy.
//!
//! # Stable formulations
//!
//! For a row `x` with maximum `m = max_j x_j`:
//!
//! ```text
//! softmax(x)_i     = e^{x_i} / Σ_j e^{x_j}
//!                  = e^{x_i − m} / Σ_j e^{x_j − m}          (multiply by e^{−m}/e^{−m})
//! log_softmax(x)_i = x_i − ln Σ_j e^{x_j}
//!                  = (x_i − m) − ln Σ_j e^{x_j − m}          (log-sum-exp)
//! ```
//!
//! Every exponent `x_j − m ≤ 0`, so no `e^…` overflows, and the largest term
//! is `e^0 = 1`, so the sum `S` lies in `[1, n]`: `ln S` is finite and never
//! suffers from underflow to 0. Logits like `[1000, 0, −1000]` give
//! `S = 1 + e^{−1000} + e^{−2000} = 1` and `log_softmax = [0, −1000, −2000]`
//! exactly. Cross-entropy of a row with target `t` is
//! `−log_softmax(x)_t = ln S − (x_t − m)`, a sum of two non-negative terms
//! (no cancellation).
//!
//! Backward (with `y = softmax(x)`, `ℓ = log_softmax(x)`, upstream `g`):
//!
//! ```text
//! ∂L/∂x_i = y_i·(g_i − Σ_j y_j g_j)            softmax
//! ∂L/∂x_i = g_i − e^{ℓ_i}·Σ_j g_j               log_softmax (e^{ℓ_i} = y_i)
//! ∂CE/∂x_i = (y_i − [i = t])·dloss / rows       cross-entropy, mean over rows
//! ```
//!
//! Passes over a row: (1) max, (2) `e^{x−m}` and its sum (stored when the
//! output needs it), (3) scale or shift. A NaN anywhere makes the whole row
//! NaN; a `+∞` logit gives NaN (`∞ − ∞`), as in PyTorch.

use super::driver::{map_in_place, map1, map2, map2_streamed, sum_zip, update};
use super::math;
use super::simd::{S, V};
use crate::Real;

/// `max_j x_j` (−∞ for an empty row, NaN if any is NaN).
#[inline(always)]
pub(crate) fn max<T: Real>(x: &[T]) -> T {
    super::max::imp(x)
}

/// Scratch length for rows that have no output buffer to work in.
const SCRATCH: usize = 1024;

/// `out_i = e^{x_i − m}`: for `f64` on the `Avx2`/`Avx512` paths by the
/// hand-written FMA `exp` (`avx2::vmath64::exp_diff`, the same reduction
/// and TwoSum), else by the generic one.
#[inline(always)]
fn exp_shift_into<T: Real>(x: &[T], m: T, out: &mut [T]) {
    #[cfg(target_arch = "x86_64")]
    if super::fast::f64_avx2::<T>()
        && let (Some(x), Some(out)) = (T::as_f64(x), T::as_f64_mut(out))
    {
        // SAFETY: `f64_avx2` holds only when the active path is `Avx2` or
        // `Avx512`, i.e. when avx2 and fma were detected on this CPU.
        unsafe { super::avx2::map64::exp_shift(x, m.to_f64(), out) };
        return;
    }
    let mv = V::splat(m);
    map1(
        x,
        out,
        #[inline(always)]
        |v| math::exp_diff(v, mv),
    );
}

/// `Σ x` as the `sum` kernel computes it (same association, same bits).
#[inline(always)]
fn total<T: Real>(x: &[T]) -> T {
    sum_zip(
        x,
        x,
        #[inline(always)]
        |a, _| a,
    )
}

/// `Σ_{x_i ≠ m} e_i`: the same values in the same order as [`total`] of
/// `e` with the terms where `x_i = m` set to 0 (the select sits here, in the cheap
/// pass, so the exponential loop keeps fewer registers live).
#[inline(always)]
fn total_rest<T: Real>(e: &[T], x: &[T], m: T) -> T {
    let mv = V::splat(m);
    let zero = V::splat(T::ZERO);
    sum_zip(
        e,
        x,
        #[inline(always)]
        |e, x| V::select(x.eq(mv), zero, e),
    )
}

/// The number of elements equal to `m`, as a float.
#[inline(always)]
fn count<T: Real>(x: &[T], m: T) -> T {
    T::from_usize(x.iter().filter(|&&v| v == m).count())
}

/// `ln S` from `S = c + T` (c maximal elements, T the sum of the other
/// terms): `ln c + log1p(T/c)`. For the usual `c = 1` this is `log1p(T)`,
/// accurate even when `T` is far below ε (a confident row), where
/// `ln(1 + T)` would round to 0.
#[inline(always)]
pub(crate) fn ln_sum<T: Real>(t: T, c: T) -> T {
    if c == T::ONE {
        // The usual case, in the same bits: `math::ln(1)` is exactly +0
        // (its `f = m − 1 = 0`) and `t/1 = t`.
        return math::log1p(S(t)).0;
    }
    math::ln(S(c)).0 + math::log1p(S(t / c)).0
}

/// `(m, ln Σ_j e^{x_j − m})` for one row without an output buffer: the
/// terms go through a stack scratch block by block.
#[inline(always)]
pub(crate) fn log_sum_exp_parts<T: Real>(x: &[T]) -> (T, T) {
    if short(x.len()) {
        let m = row_max(x);
        let (t, c) = rest_count_short(x, m);
        return (m, ln_sum(t, c));
    }
    let m = max(x);
    // `f64` on the `Avx2`/`Avx512` paths: the sum and the count in one
    // fused pass, nothing stored (its own order of summation: these
    // kernels' bits are path-dependent). `log_softmax` keeps storing its
    // terms: it writes its output after, and a first write into lines
    // already in the cache measured faster (64×32000: 6.1–7.5 ms against
    // 7.9–9.1 through the fused pass).
    #[cfg(target_arch = "x86_64")]
    if super::fast::f64_avx2::<T>()
        && let Some(x) = T::as_f64(x)
    {
        // SAFETY: `f64_avx2` holds only when the active path is `Avx2` or
        // `Avx512`, i.e. when avx2 and fma were detected on this CPU.
        let (t, c) = unsafe { super::avx2::map64::exp_rest_count(x, m.to_f64()) };
        return (m, ln_sum(T::from_f64(t), T::from_f64(c)));
    }
    let mut scratch = [T::ZERO; SCRATCH];
    let mut t = T::ZERO;
    for blk in x.chunks(SCRATCH) {
        let buf = &mut scratch[..blk.len()];
        exp_shift_into(blk, m, buf);
        t += total_rest(buf, blk, m);
    }
    (m, ln_sum(t, count(x, m)))
}

/// `out = softmax(x)`; lengths equal.
#[inline(always)]
pub(crate) fn softmax<T: Real>(x: &[T], out: &mut [T]) {
    if short(x.len()) {
        exp_shift_short(x, row_max(x), out);
        return scale_short(out, T::ONE / row_sum(out));
    }
    let m = max(x);
    exp_shift_into(x, m, out);
    let inv = V::splat(T::ONE / total(out));
    map_in_place(
        out,
        #[inline(always)]
        |v| v * inv,
    );
}

/// `out = log_softmax(x)`; lengths equal.
#[inline(always)]
pub(crate) fn log_softmax<T: Real>(x: &[T], out: &mut [T]) {
    if short(x.len()) {
        let m = row_max(x);
        let (t, c) = rest_count_short(x, m);
        let lse = ln_sum(t, c);
        for (o, &v) in out.iter_mut().zip(x) {
            *o = (v - m) - lse;
        }
        return;
    }
    let m = max(x);
    exp_shift_into(x, m, out);
    let lse = ln_sum(total_rest(out, x, m), count(x, m));
    let (m, lse) = (V::splat(m), V::splat(lse));
    map1(
        x,
        out,
        #[inline(always)]
        |v| (v - m) - lse,
    );
}

/// `dx = y·(dy − Σ y·dy)`; lengths equal.
#[inline(always)]
pub(crate) fn softmax_backward<T: Real>(y: &[T], dy: &[T], dx: &mut [T]) {
    if short(y.len()) {
        return softmax_backward_row_short(y, dy, dx);
    }
    let s = V::splat(super::dot::imp(y, dy));
    map2_streamed(
        y,
        dy,
        dx,
        #[inline(always)]
        |y, g| y * (g - s),
    );
}

/// `dx = dy − e^y·Σ dy` (y = log_softmax); lengths equal.
#[inline(always)]
pub(crate) fn log_softmax_backward<T: Real>(y: &[T], dy: &[T], dx: &mut [T]) {
    if short(y.len()) {
        let s = row_sum(dy);
        for ((d, &y), &g) in dx.iter_mut().zip(y).zip(dy) {
            *d = g - math::exp(S(y)).0 * s;
        }
        return;
    }
    let s = sum_zip(
        dy,
        dy,
        #[inline(always)]
        |g, _| g,
    );
    // `f64` on the `Avx2`/`Avx512` paths: `e^y` by the hand-written FMA
    // `exp` (the same sum and the same multiply and subtraction).
    #[cfg(target_arch = "x86_64")]
    if super::fast::f64_avx2::<T>()
        && let (Some(y), Some(dy), Some(dx)) = (T::as_f64(y), T::as_f64(dy), T::as_f64_mut(dx))
    {
        // SAFETY: `f64_avx2` holds only when the active path is `Avx2` or
        // `Avx512`, i.e. when avx2 and fma were detected on this CPU.
        unsafe { super::avx2::map64::minus_exp_scaled(y, dy, s.to_f64(), dx) };
        return;
    }
    let s = V::splat(s);
    map2(
        y,
        dy,
        dx,
        #[inline(always)]
        |y, g| g - math::exp(y) * s,
    );
}

/// Cross-entropy of one row with target `t`: `ln S − (x_t − m)`.
#[inline(always)]
pub(crate) fn cross_entropy<T: Real>(x: &[T], t: usize) -> T {
    let (m, lse) = log_sum_exp_parts(x);
    lse - (x[t] - m)
}

/// `dx = (softmax(x) − onehot(t))·g`.
#[inline(always)]
pub(crate) fn cross_entropy_backward<T: Real>(x: &[T], t: usize, g: T, dx: &mut [T]) {
    if short(x.len()) {
        exp_shift_short(x, row_max(x), dx);
        scale_short(dx, g / row_sum(dx));
        dx[t] -= g;
        return;
    }
    let m = max(x);
    exp_shift_into(x, m, dx);
    let scale = V::splat(g / total(dx));
    map_in_place(
        dx,
        #[inline(always)]
        |v| v * scale,
    );
    dx[t] -= g;
}

// ---------------------------------------------------------------------------
// Batches of short rows (cols < L): a chunk per row would spend most of its
// lanes on padding, so the per-row scalars (max, sum) are computed with a
// plain loop and the exponentials run elementwise over the whole batch.
// Sums over a row are then sequential (left to right) rather than the
// lane-parallel order of the single-row kernels; the error bounds are the
// same (and every dispatch path still gives the same bits).

/// Whether rows of `cols` take the short-row path.
#[inline(always)]
pub(crate) fn short(cols: usize) -> bool {
    cols < super::LANES
}

/// NaN-propagating maximum of a short row.
#[inline(always)]
fn row_max<T: Real>(x: &[T]) -> T {
    x.iter()
        .fold(T::NEG_INFINITY, |a, &v| math::max_nan(S(a), S(v)).0)
}

/// Left-to-right sum of a short row.
#[inline(always)]
fn row_sum<T: Real>(x: &[T]) -> T {
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
/// per-element arithmetic as [`exp_shift_into`] (through `S`), without
/// padding the row to a chunk of `L` lanes, most of them padding. The
/// single-row kernels take these scalar forms for short rows.
#[inline(always)]
fn exp_shift_short<T: Real>(x: &[T], m: T, out: &mut [T]) {
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
    if super::fast::f64_avx2::<T>()
        && let (Some(acc), Some(x)) = (T::as_f64_mut(acc), T::as_f64(x))
    {
        // SAFETY: `f64_avx2` holds only when the active path is `Avx2` or
        // `Avx512`, i.e. when avx2 and fma were detected on this CPU.
        unsafe { super::avx2::map64::exp_shift_by_row(acc, x, skip_max) };
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
    if super::fast::f64_avx2::<T>()
        && let (Some(acc), Some(y)) = (T::as_f64_mut(acc), T::as_f64(y))
    {
        // SAFETY: `f64_avx2` holds only when the active path is `Avx2` or
        // `Avx512`, i.e. when avx2 and fma were detected on this CPU.
        unsafe { super::avx2::map64::exp_times_by_row(acc, y) };
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
fn scale_short<T: Real>(out: &mut [T], k: T) {
    for v in out.iter_mut() {
        *v *= k;
    }
}

/// `(T, c)` of [`ln_sum`] for a short row with maximum `m`: the sum of the
/// terms `e^{x_i − m}` where `x_i ≠ m`, left to right, and the count of
/// the others.
#[inline(always)]
fn rest_count_short<T: Real>(x: &[T], m: T) -> (T, T) {
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

/// [`softmax_backward`] of one short row: `s = Σ y·dy` left to right, then
/// `dx = y·(dy − s)`.
#[inline(always)]
fn softmax_backward_row_short<T: Real>(y: &[T], dy: &[T], dx: &mut [T]) {
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
/// same order, as [`log_sum_exp_parts`] of each row alone (`c` is an exact
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
    if super::fast::f64_avx2::<T>()
        && let (Some(t), Some(c), Some(lse)) = (
            T::as_f64(&rest[..rows]),
            T::as_f64(&count[..rows]),
            T::as_f64_mut(&mut lse[..rows]),
        )
    {
        // SAFETY: `f64_avx2` holds only when the active path is `Avx2` or
        // `Avx512`, i.e. when avx2 and fma were detected on this CPU.
        unsafe { super::avx2::map64::ln_sums(t, c, lse) };
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
/// from [`group_log_sum_exp`], the same bits as [`log_softmax`] of each row.
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
/// `Σ dy` left to right, the same bits as [`log_softmax_backward`] of each
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
