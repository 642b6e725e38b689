//! `cross_entropy`: mean softmax cross-entropy over a row-major batch.

use super::row;
use crate::Real;
use crate::dispatch::multiversion;

/// Checks shapes and targets; returns the number of rows.
#[track_caller]
fn check(op: &str, logits: usize, cols: usize, targets: &[usize]) -> usize {
    let rows = targets.len();
    let want = rows.checked_mul(cols);
    assert!(
        want == Some(logits),
        "{op}: logits has length {logits} but targets.len() × cols = {rows} × {cols}"
    );
    for (i, &t) in targets.iter().enumerate() {
        assert!(
            t < cols,
            "{op}: targets[{i}] = {t} is out of range for cols = {cols} classes"
        );
    }
    rows
}

/// Mean over rows of `−log_softmax(row)[target]`: `logits` is row-major
/// with `cols` classes per row and one row per entry of `targets` (PyTorch
/// `F.cross_entropy`, reduction `mean`). Fused and stable:
/// `ln Σ e^{x − m} − (x_t − m)` per row, no overflow for any finite logits.
/// No rows gives NaN (the mean of nothing, as PyTorch); NaN propagates.
///
/// Worst relative error against an f64 reference: ≤ 1e−6 (f32), ≤ 1e−14
/// (f64).
/// `f32` on the `Avx2`/`Avx512` paths runs hand-written FMA code (fewer
/// passes, a table-driven `exp`; rows shorter than
/// [`LANES`](super::LANES) sixteen at a time, one row per SIMD lane); its
/// last bits may differ from the portable path's, within the same bound.
/// In `f64` there, the exponentials come from hand-written FMA code, and
/// rows shorter than [`LANES`](super::LANES) run sixteen at a time, one row
/// per lane, with the same effect.
///
/// # Panics
///
/// If `logits.len() != targets.len() × cols` ("cross_entropy: logits has
/// length 5 but targets.len() × cols = 2 × 3"), or a target is not below
/// `cols` ("cross_entropy: targets\[1\] = 3 is out of range for cols = 3
/// classes").
///
/// ```
/// let logits = [1000.0_f32, 0.0, -1000.0, 0.0, 0.0, 0.0];
/// let loss = grad_core::kernels::cross_entropy(&logits, 3, &[1, 2]);
/// assert!((loss - (1000.0 + 3.0_f32.ln()) / 2.0).abs() < 1e-3);
/// ```
pub fn cross_entropy<T: Real>(logits: &[T], cols: usize, targets: &[usize]) -> T {
    let rows = check("cross_entropy", logits.len(), cols, targets);
    if rows == 0 {
        return T::NAN;
    }
    // Short rows run sixteen to a SIMD group whose per-row losses are summed
    // inside the kernel: split, their sum would change order, so they stay
    // on one thread (a 10-class batch needs 3000+ rows for 15 µs of work).
    let total = if row::short(cols) {
        total_serial(logits, cols, targets)
    } else {
        super::par::rows_total(logits, targets, cols, |x, t| total_serial(x, cols, t))
    };
    total / T::from_usize(rows)
}

/// The sum over rows of [`cross_entropy`] (not divided by the number of
/// rows), after its checks, on one thread; row by row from zero.
fn total_serial<T: Real>(logits: &[T], cols: usize, targets: &[usize]) -> T {
    // Rows shorter than `LANES` run one row per lane on the AVX2 path
    // (`avx2::short_rows`), in `f32` and in `f64`.
    #[cfg(target_arch = "x86_64")]
    if super::fast::f32_avx2::<T>()
        && let Some(x) = T::as_f32(logits)
    {
        // SAFETY: the active path is `Avx2` or `Avx512` only when avx2 and
        // fma were detected on this CPU (`dispatch::detected` picks only
        // available paths, `dispatch::with_path` asserts availability).
        let total = unsafe { super::avx2::rows::cross_entropy_sum(x, cols, targets) };
        return T::from_f32(total);
    }
    #[cfg(target_arch = "x86_64")]
    if row::short(cols)
        && super::fast::f64_avx2::<T>()
        && let Some(x) = T::as_f64(logits)
    {
        // SAFETY: as above (`f64_avx2`: the active path is `Avx2` or
        // `Avx512`, so avx2 and fma were detected).
        let total = unsafe { super::avx2::short_rows::double::cross_entropy_sum(x, cols, targets) };
        return T::from_f64_exact(total);
    }
    multiversion!(<T> fwd(logits: &[T], cols: usize, targets: &[usize]) -> T)
}

#[inline(always)]
fn fwd<T: Real>(logits: &[T], cols: usize, targets: &[usize]) -> T {
    if row::short(cols) {
        row::cross_entropy_short(logits, cols, targets)
    } else {
        let mut total = T::ZERO;
        for (x, &t) in logits.chunks_exact(cols).zip(targets) {
            total += row::cross_entropy(x, t);
        }
        total
    }
}

/// Backward of [`cross_entropy`]: row by row
/// `dlogits = (softmax(row) − onehot(target))·dloss/rows`; overwrites
/// `dlogits`.
///
/// Error: max |error| ≤ 1e−6 (f32) / 1e−14 (f64) times the largest sum of
/// the magnitudes of the terms of an output (`testing::Metric::Normwise`).
///
/// # Panics
///
/// As [`cross_entropy`], and if `dlogits` and `logits` differ in length
/// ("cross_entropy_backward: logits has length 6 but dlogits has length 5").
///
/// ```
/// let mut d = [0.0_f64; 2];
/// grad_core::kernels::cross_entropy_backward(&[0.0, 0.0], 2, &[0], 1.0, &mut d);
/// assert_eq!(d, [-0.5, 0.5]);
/// ```
pub fn cross_entropy_backward<T: Real>(
    logits: &[T],
    cols: usize,
    targets: &[usize],
    dloss: T,
    dlogits: &mut [T],
) {
    super::check::same_len(
        "cross_entropy_backward",
        "logits",
        logits.len(),
        "dlogits",
        dlogits.len(),
    );
    let rows = check("cross_entropy_backward", logits.len(), cols, targets);
    if rows == 0 {
        return;
    }
    // Every piece scales by `dloss / rows` of the whole batch.
    let g = dloss / T::from_usize(rows);
    super::par::rows_targets(logits, targets, dlogits, cols, |x, t, d| {
        backward_serial(x, cols, t, g, d);
    });
}

/// [`cross_entropy_backward`] after its checks, on one thread, with the
/// scale `g = dloss / rows` of the whole batch.
fn backward_serial<T: Real>(logits: &[T], cols: usize, targets: &[usize], g: T, dlogits: &mut [T]) {
    #[cfg(target_arch = "x86_64")]
    if super::fast::f32_avx2::<T>()
        && let (Some(x), Some(d)) = (T::as_f32(logits), T::as_f32_mut(dlogits))
        && let Some(&[g]) = T::as_f32(&[g])
    {
        // SAFETY: the active path is `Avx2` or `Avx512` only when avx2 and
        // fma were detected on this CPU (`dispatch::detected` picks only
        // available paths, `dispatch::with_path` asserts availability).
        unsafe { super::avx2::rows::cross_entropy_backward(x, cols, targets, g, d) };
        return;
    }
    #[cfg(target_arch = "x86_64")]
    if let Some((x, d)) = super::softmax_rows::avx2_short64(cols, logits, &mut *dlogits)
        && let Some(&[g]) = T::as_f64(&[g])
    {
        // SAFETY: `avx2_short64` returns `Some` only when the active path
        // is `Avx2` or `Avx512`, i.e. when avx2 and fma were detected.
        unsafe { super::avx2::short_rows::double::cross_entropy_backward(x, cols, targets, g, d) };
        return;
    }
    multiversion!(<T> bwd(logits: &[T], cols: usize, targets: &[usize], g: T, dlogits: &mut [T]))
}

#[inline(always)]
fn bwd<T: Real>(logits: &[T], cols: usize, targets: &[usize], g: T, dlogits: &mut [T]) {
    if row::short(cols) {
        return row::cross_entropy_backward_short(logits, cols, targets, g, dlogits);
    }
    for ((x, &t), d) in logits
        .chunks_exact(cols)
        .zip(targets)
        .zip(dlogits.chunks_exact_mut(cols))
    {
        row::cross_entropy_backward(x, t, g, d);
    }
}
