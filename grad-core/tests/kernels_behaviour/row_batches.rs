//! Batches of rows (`softmax_rows`, `log_softmax_rows` and their
//! backwards, long and short rows) against the one-row kernels and the
//! portable path, in `f32` and `f64`.

use grad_core::Real;
use grad_core::dispatch::{self, Path};
use grad_core::kernels as k;

use super::paths;

/// Rows for the batched-against-one-row checks: ordinary, confident (one
/// logit 40 above the rest), tied at the maximum, with −∞, far (spread over
/// 200 units), with a NaN, with +∞.
fn batch_rows<T: Real>(cols: usize) -> Vec<T> {
    let mut x = Vec::new();
    for kind in 0..7 {
        let mut row: Vec<f64> = (0..cols)
            .map(|i| ((i * 37 % 23) as f64 - 11.0) * 0.7)
            .collect();
        match kind {
            1 => row[cols / 2] = 40.0,
            2 => row.iter_mut().step_by(2).for_each(|v| *v = 9.0),
            3 => row[0] = f64::NEG_INFINITY,
            4 => row.iter_mut().for_each(|v| *v *= 13.0),
            5 => row[cols - 1] = f64::NAN,
            6 => row[cols / 3] = f64::INFINITY,
            _ => {}
        }
        x.extend(row.into_iter().map(T::from_f64));
    }
    x
}

/// Both bit patterns equal (NaN payloads aside).
fn same_bits<T: Real>(a: &[T], b: &[T]) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|(&x, &y)| {
            x.to_f64().to_bits() == y.to_f64().to_bits() || (x.is_nan() && y.is_nan())
        })
}

/// The relative distance the one-row-per-lane kernels may keep from the
/// portable path (each within its budget of the truth): 2e−6 in `f32`,
/// 1e−14 in `f64` (about 17 and 45 ulps).
fn lane_tolerance<T: Real>() -> f64 {
    if T::MANTISSA_BITS < 30 { 2e-6 } else { 1e-14 }
}

/// `a` within `rel` (relative) of `b`, element by element, with NaNs and
/// infinities in the same places.
fn close_to<T: Real>(a: &[T], b: &[T], rel: f64) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|(&x, &y)| {
            let (x, y) = (x.to_f64(), y.to_f64());
            (x.is_nan() && y.is_nan())
                || x == y
                || (x.is_finite() && y.is_finite() && (x - y).abs() <= rel * y.abs())
        })
}

/// `a` within `rel` of `b` relative to each row's `Σ|dy|` (the scale of a
/// backward's terms, which may cancel), with NaNs in the same places.
fn normwise_close<T: Real>(a: &[T], b: &[T], dy: &[T], cols: usize, rel: f64) -> bool {
    a.len() == b.len()
        && a.chunks(cols)
            .zip(b.chunks(cols))
            .zip(dy.chunks(cols))
            .all(|((ar, br), gr)| {
                let scale: f64 = gr.iter().map(|g| g.to_f64().abs()).sum::<f64>() + 1e-300;
                ar.iter().zip(br).all(|(&x, &y)| {
                    let (x, y) = (x.to_f64(), y.to_f64());
                    (x.is_nan() && y.is_nan()) || x == y || (x - y).abs() <= rel * scale
                })
            })
}

/// A pattern in `[−1, 1]`: the output gradients of these checks.
fn batch_dy<T: Real>(len: usize) -> Vec<T> {
    (0..len)
        .map(|i| T::from_f64(((i * 29 % 31) as f64 - 15.0) / 15.0))
        .collect()
}

fn assert_log_softmax_rows_is_log_softmax_of_each_row<T: Real>() {
    let nine = T::from_f64(9.0);
    let tol = lane_tolerance::<T>();
    for cols in [
        1, 2, 3, 4, 5, 7, 8, 9, 10, 15, 16, 17, 31, 32, 33, 100, 1000,
    ] {
        let x = batch_rows::<T>(cols);
        let dy = batch_dy::<T>(x.len());
        let per_row = |p: Path| {
            dispatch::with_path(p, || {
                let mut y = vec![T::ZERO; x.len()];
                let mut dx = vec![T::ZERO; x.len()];
                for ((xr, yr), (gr, dr)) in x
                    .chunks(cols)
                    .zip(y.chunks_mut(cols))
                    .zip(dy.chunks(cols).zip(dx.chunks_mut(cols)))
                {
                    k::log_softmax(xr, yr);
                    k::log_softmax_backward(yr, gr, dr);
                }
                (y, dx)
            })
        };
        for p in paths() {
            let reference = if cols < k::LANES { Path::Portable } else { p };
            let (want_y, want_dx) = per_row(reference);
            let (y, dx) = dispatch::with_path(p, || {
                let mut y = vec![nine; x.len()];
                k::log_softmax_rows(&x, cols, &mut y);
                // The backward from the reference `y`, so both see the same input.
                let mut dx = vec![nine; x.len()];
                k::log_softmax_rows_backward(&want_y, &dy, cols, &mut dx);
                (y, dx)
            });
            let short_avx2 = cols < k::LANES && p != Path::Portable;
            let ty = core::any::type_name::<T>();
            assert!(
                same_bits(&y, &want_y) || (short_avx2 && close_to(&y, &want_y, tol)),
                "{ty} log_softmax_rows, cols = {cols}, {p:?}: {y:?} vs {want_y:?}"
            );
            assert!(
                same_bits(&dx, &want_dx)
                    || (short_avx2 && normwise_close(&dx, &want_dx, &dy, cols, tol)),
                "{ty} log_softmax_rows_backward, cols = {cols}, {p:?}: {dx:?} vs {want_dx:?}"
            );
        }
    }
}

#[test]
fn log_softmax_rows_is_log_softmax_of_each_row() {
    // Short rows (below `LANES`) run one row per lane on the AVX2 paths
    // (within `lane_tolerance` of the portable path's `log_softmax` of each
    // row, both being within their budget of the truth; the backward
    // normwise) and with the portable path's bits elsewhere. Longer rows
    // are `log_softmax` of each row on the same path.
    assert_log_softmax_rows_is_log_softmax_of_each_row::<f32>();
    assert_log_softmax_rows_is_log_softmax_of_each_row::<f64>();
}

fn assert_long_rows_agree_with_the_portable_path<T: Real>() {
    let tol = lane_tolerance::<T>();
    let ty = core::any::type_name::<T>();
    for cols in [32, 33, 100, 1000, 1003] {
        let x = batch_rows::<T>(cols);
        let rows = x.len() / cols;
        let targets: Vec<usize> = (0..rows).map(|r| r * 7 % cols).collect();
        let run = |p: Path| {
            dispatch::with_path(p, || {
                let mut ls = vec![T::from_f64(9.0); x.len()];
                k::log_softmax_rows(&x, cols, &mut ls);
                let ce: Vec<T> = x
                    .chunks(cols)
                    .zip(&targets)
                    .map(|(xr, &t)| k::cross_entropy(xr, cols, &[t]))
                    .collect();
                (ls, ce)
            })
        };
        let (ls_p, ce_p) = run(Path::Portable);
        for p in paths() {
            let (ls, ce) = run(p);
            assert!(
                close_to(&ls, &ls_p, tol),
                "{ty} log_softmax_rows, cols = {cols}, {p:?}: {ls:?} vs {ls_p:?}"
            );
            assert!(
                close_to(&ce, &ce_p, tol),
                "{ty} cross_entropy, cols = {cols}, {p:?}: {ce:?} vs {ce_p:?}"
            );
        }
    }
}

#[test]
fn long_rows_agree_with_the_portable_path() {
    // Rows of 32 columns and more: `f32` on the AVX2 paths runs
    // `avx2::rows`, `f64` `cross_entropy` takes each row's `S` from one
    // fused pass (`avx2::map64::exp_rest_count`); both within
    // `lane_tolerance` of the portable path on ordinary, confident, tied,
    // far, −∞, NaN and +∞ rows.
    assert_long_rows_agree_with_the_portable_path::<f32>();
    assert_long_rows_agree_with_the_portable_path::<f64>();
}

fn assert_softmax_rows_backward_is_softmax_backward_of_each_row<T: Real>() {
    for cols in [1, 2, 3, 4, 5, 10, 31, 32, 33, 100] {
        let x = batch_rows::<T>(cols);
        let mut y = vec![T::ZERO; x.len()];
        k::softmax_rows(&x, cols, &mut y);
        let dy = batch_dy::<T>(x.len());
        for p in paths() {
            dispatch::with_path(p, || {
                let mut want = vec![T::ZERO; x.len()];
                for ((yr, gr), dr) in y
                    .chunks(cols)
                    .zip(dy.chunks(cols))
                    .zip(want.chunks_mut(cols))
                {
                    k::softmax_backward(yr, gr, dr);
                }
                let mut dx = vec![T::from_f64(9.0); x.len()];
                k::softmax_rows_backward(&y, &dy, cols, &mut dx);
                let ty = core::any::type_name::<T>();
                assert!(
                    same_bits(&dx, &want),
                    "{ty} softmax_rows_backward, cols = {cols}, {p:?}: {dx:?} vs {want:?}"
                );
            });
        }
    }
}

#[test]
fn softmax_rows_backward_is_softmax_backward_of_each_row() {
    // Every path gives the same bits for these two (the one-row-per-lane
    // code does the generic kernel's operations in its order).
    assert_softmax_rows_backward_is_softmax_backward_of_each_row::<f32>();
    assert_softmax_rows_backward_is_softmax_backward_of_each_row::<f64>();
}

fn assert_short_row_batches_agree_across_paths_and_groupings<T: Real>() {
    let tol = lane_tolerance::<T>();
    let nine = T::from_f64(9.0);
    let ty = core::any::type_name::<T>();
    for cols in [1, 2, 3, 4, 5, 7, 8, 9, 10, 15, 16, 17, 24, 31] {
        for rows in [1, 3, 4, 5, 7, 8, 9, 15, 16, 17, 23, 40] {
            let mut x = batch_rows::<T>(cols);
            let mut s = 0x9e37_79b9_u32;
            while x.len() < rows * cols {
                s ^= s << 13;
                s ^= s >> 17;
                s ^= s << 5;
                x.push(T::from_f64(f64::from(s % 4000) / 100.0 - 20.0));
            }
            x.truncate(rows * cols);
            let targets: Vec<usize> = (0..rows).map(|r| r * 7 % cols).collect();
            let run = |p: Path| {
                dispatch::with_path(p, || {
                    let (mut sm, mut ls) = (vec![nine; x.len()], vec![nine; x.len()]);
                    k::softmax_rows(&x, cols, &mut sm);
                    k::log_softmax_rows(&x, cols, &mut ls);
                    let ce = k::cross_entropy(&x, cols, &targets);
                    // Each row alone, through the same batch kernels.
                    let (mut sm1, mut ls1) = (vec![nine; x.len()], vec![nine; x.len()]);
                    let mut ce1 = Vec::new();
                    for ((xr, (a, b)), &t) in x
                        .chunks(cols)
                        .zip(sm1.chunks_mut(cols).zip(ls1.chunks_mut(cols)))
                        .zip(&targets)
                    {
                        k::softmax_rows(xr, cols, a);
                        k::log_softmax_rows(xr, cols, b);
                        ce1.push(k::cross_entropy(xr, cols, &[t]));
                    }
                    let mut cb = vec![nine; x.len()];
                    k::cross_entropy_backward(&x, cols, &targets, T::from_usize(rows), &mut cb);
                    let mut cb1 = vec![nine; x.len()];
                    for ((xr, d), &t) in x.chunks(cols).zip(cb1.chunks_mut(cols)).zip(&targets) {
                        k::cross_entropy_backward(xr, cols, &[t], T::ONE, d);
                    }
                    (sm, ls, ce, sm1, ls1, ce1, cb, cb1)
                })
            };
            let (sm_p, ls_p, ce_p, _, _, _, cb_p, _) = run(Path::Portable);
            for p in paths() {
                let (sm, ls, ce, sm1, ls1, ce1, cb, cb1) = run(p);
                let at = format!("{ty}, cols = {cols}, rows = {rows}, {p:?}");
                assert!(same_bits(&sm, &sm1), "softmax_rows alone vs batched, {at}");
                assert!(
                    same_bits(&ls, &ls1),
                    "log_softmax_rows alone vs batched, {at}"
                );
                assert!(
                    close_to(&sm, &sm_p, tol),
                    "softmax_rows vs portable, {at}: {sm:?} vs {sm_p:?}"
                );
                assert!(
                    close_to(&ls, &ls_p, tol),
                    "log_softmax_rows vs portable, {at}: {ls:?} vs {ls_p:?}"
                );
                assert!(
                    close_to(&[ce], &[ce_p], tol),
                    "cross_entropy vs portable, {at}: {ce:?} vs {ce_p:?}"
                );
                assert!(
                    same_bits(&cb, &cb1),
                    "cross_entropy_backward alone vs batched, {at}"
                );
                let ones = vec![T::ONE; x.len()];
                assert!(
                    normwise_close(&cb, &cb_p, &ones, cols, tol),
                    "cross_entropy_backward vs portable, {at}: {cb:?} vs {cb_p:?}"
                );
                let ce1_mean = ce1.iter().fold(T::ZERO, |a, &v| a + v) / T::from_usize(rows);
                assert!(
                    close_to(&[ce], &[ce1_mean], tol),
                    "cross_entropy alone vs batched, {at}"
                );
            }
        }
    }
}

#[test]
fn short_row_batches_agree_across_paths_and_groupings() {
    // Rows below `LANES` run one row per lane in groups (16 rows in `f32`,
    // 8 in `f64`) on the AVX2 paths, the last groups on padded copies:
    // every row must come out as it does alone (same bits, whatever the
    // batch size or its neighbours), and within `lane_tolerance` of the
    // portable path.
    assert_short_row_batches_agree_across_paths_and_groupings::<f32>();
    assert_short_row_batches_agree_across_paths_and_groupings::<f64>();
}
