//! Large batches of the row kernels and large elementwise kernels on every
//! core, with the `parallel` feature (rayon); without it, or below the
//! thresholds, or on a one-thread pool, each helper just calls its serial
//! kernel on the whole input.
//!
//! The work is split into runs of whole rows (a multiple of [`ROW_GROUP`]
//! rows, the batch kernels' group of rows) or blocks of [`BLOCK`] elements,
//! about `2 × threads` of them, each run by the serial kernel on the
//! caller's dispatch path ([`crate::dispatch::active`] is per thread). A
//! row's outputs and an element's output do not depend on where the batch
//! is cut, so the results are the bits of the serial kernel (tested in
//! `tests`, on every path); `cross_entropy`'s sum over rows is kept in row
//! order ([`rows_total`]).
//!
//! Thresholds (measured on a shared 2-core Zen 4 with AVX-512 at load 4,
//! against the serial kernel on a one-thread pool; docs/bench-results.md,
//! "MLP gradient on minibatches"): a split costs a few µs of rayon
//! hand-offs, and gained 1.1–1.3× from about 1.3·10⁵ elements.

use crate::Real;

/// Batches of at least this many elements split by rows (`softmax_rows`,
/// `log_softmax_rows`, their backwards, `cross_entropy_backward`, and
/// `cross_entropy` on rows of [`LANES`](super::LANES) or more).
#[cfg(all(feature = "parallel", not(test)))]
pub(crate) const ROWS_MIN_ELEMENTS: usize = 1 << 17;
/// Small in tests, so that the tests of every kernel split too.
#[cfg(all(feature = "parallel", test))]
pub(crate) const ROWS_MIN_ELEMENTS: usize = 1 << 11;

/// Elementwise kernels (`exp`, `ln`, `sigmoid`, `tanh`, `softplus`, forward
/// and backward) on at least this many elements split into blocks.
#[cfg(all(feature = "parallel", not(test)))]
pub(crate) const ELEMENTS_MIN: usize = 1 << 18;
/// Small in tests, as [`ROWS_MIN_ELEMENTS`].
#[cfg(all(feature = "parallel", test))]
pub(crate) const ELEMENTS_MIN: usize = 1 << 11;

/// Rows are split into runs of a multiple of this many rows: the group the
/// short-row kernels run one row per lane.
#[cfg(feature = "parallel")]
const ROW_GROUP: usize = 16;

/// Elementwise work is split into blocks of a multiple of this many
/// elements (a multiple of every SIMD width, 4 KB of `f32`).
#[cfg(feature = "parallel")]
const BLOCK: usize = 1024;

/// The length of each piece when `len` elements split, in multiples of
/// `unit`, or `None` to run serially.
#[cfg(feature = "parallel")]
fn piece(len: usize, unit: usize, min: usize) -> Option<usize> {
    if len < min || unit == 0 {
        return None;
    }
    let threads = rayon::current_num_threads();
    if threads < 2 {
        return None;
    }
    let n = len
        .div_ceil(2 * threads)
        .max(min / 2)
        .next_multiple_of(unit);
    (n < len).then_some(n)
}

/// Runs `f` on the dispatch path `path` (the caller's, on a worker thread).
#[cfg(feature = "parallel")]
fn on_path<R>(path: crate::dispatch::Path, f: impl FnOnce() -> R) -> R {
    if crate::dispatch::active() == path {
        f()
    } else {
        crate::dispatch::with_path(path, f)
    }
}

/// `f(x, out)` on runs of whole rows of `cols` (lengths equal, checked).
#[inline]
pub(crate) fn rows<T: Real>(
    x: &[T],
    out: &mut [T],
    #[cfg_attr(not(feature = "parallel"), allow(unused_variables))] cols: usize,
    f: impl Fn(&[T], &mut [T]) + Sync,
) {
    #[cfg(feature = "parallel")]
    if let Some(n) = piece(x.len(), cols * ROW_GROUP, ROWS_MIN_ELEMENTS) {
        use rayon::prelude::*;
        let path = crate::dispatch::active();
        x.par_chunks(n)
            .zip(out.par_chunks_mut(n))
            .for_each(|(x, o)| on_path(path, || f(x, o)));
        return;
    }
    f(x, out);
}

/// `f(a, b, out)` on runs of whole rows of `cols` (lengths equal, checked).
#[inline]
pub(crate) fn rows2<T: Real>(
    a: &[T],
    b: &[T],
    out: &mut [T],
    #[cfg_attr(not(feature = "parallel"), allow(unused_variables))] cols: usize,
    f: impl Fn(&[T], &[T], &mut [T]) + Sync,
) {
    #[cfg(feature = "parallel")]
    if let Some(n) = piece(a.len(), cols * ROW_GROUP, ROWS_MIN_ELEMENTS) {
        use rayon::prelude::*;
        let path = crate::dispatch::active();
        a.par_chunks(n)
            .zip(b.par_chunks(n))
            .zip(out.par_chunks_mut(n))
            .for_each(|((a, b), o)| on_path(path, || f(a, b, o)));
        return;
    }
    f(a, b, out);
}

/// `f(x, targets, out)` on runs of whole rows of `cols`, one target per
/// row (lengths checked).
#[inline]
pub(crate) fn rows_targets<T: Real>(
    x: &[T],
    targets: &[usize],
    out: &mut [T],
    #[cfg_attr(not(feature = "parallel"), allow(unused_variables))] cols: usize,
    f: impl Fn(&[T], &[usize], &mut [T]) + Sync,
) {
    #[cfg(feature = "parallel")]
    if let Some(n) = piece(x.len(), cols * ROW_GROUP, ROWS_MIN_ELEMENTS) {
        use rayon::prelude::*;
        let path = crate::dispatch::active();
        x.par_chunks(n)
            .zip(targets.par_chunks(n / cols))
            .zip(out.par_chunks_mut(n))
            .for_each(|((x, t), o)| on_path(path, || f(x, t, o)));
        return;
    }
    f(x, targets, out);
}

/// `total(x, targets)`, the sum over rows of `cols` of a per-row value
/// summed left to right from zero. Split, each row's value is
/// `total(row, [target])` (one row: `0 + value`), and the values are
/// summed in row order afterwards: the same bits.
#[inline]
pub(crate) fn rows_total<T: Real>(
    x: &[T],
    targets: &[usize],
    #[cfg_attr(not(feature = "parallel"), allow(unused_variables))] cols: usize,
    total: impl Fn(&[T], &[usize]) -> T + Sync,
) -> T {
    #[cfg(feature = "parallel")]
    if let Some(n) = piece(x.len(), cols * ROW_GROUP, ROWS_MIN_ELEMENTS) {
        use rayon::prelude::*;
        let path = crate::dispatch::active();
        let mut each = vec![T::ZERO; targets.len()];
        x.par_chunks(n)
            .zip(targets.par_chunks(n / cols))
            .zip(each.par_chunks_mut(n / cols))
            .for_each(|((x, t), e)| {
                on_path(path, || {
                    for ((xr, t), e) in x.chunks_exact(cols).zip(t.chunks_exact(1)).zip(e) {
                        *e = total(xr, t);
                    }
                })
            });
        return each.iter().fold(T::ZERO, |s, &v| s + v);
    }
    total(x, targets)
}

/// `f(x, out)` on blocks of elements (lengths equal, checked).
#[inline]
pub(crate) fn elements<T: Real>(x: &[T], out: &mut [T], f: impl Fn(&[T], &mut [T]) + Sync) {
    #[cfg(feature = "parallel")]
    if let Some(n) = piece(x.len(), BLOCK, ELEMENTS_MIN) {
        use rayon::prelude::*;
        let path = crate::dispatch::active();
        x.par_chunks(n)
            .zip(out.par_chunks_mut(n))
            .for_each(|(x, o)| on_path(path, || f(x, o)));
        return;
    }
    f(x, out);
}

/// `f(a, b, out)` on blocks of elements (lengths equal, checked).
#[inline]
pub(crate) fn elements2<T: Real>(
    a: &[T],
    b: &[T],
    out: &mut [T],
    f: impl Fn(&[T], &[T], &mut [T]) + Sync,
) {
    #[cfg(feature = "parallel")]
    if let Some(n) = piece(a.len(), BLOCK, ELEMENTS_MIN) {
        use rayon::prelude::*;
        let path = crate::dispatch::active();
        a.par_chunks(n)
            .zip(b.par_chunks(n))
            .zip(out.par_chunks_mut(n))
            .for_each(|((a, b), o)| on_path(path, || f(a, b, o)));
        return;
    }
    f(a, b, out);
}

#[cfg(all(test, feature = "parallel"))]
mod tests {
    //! Split runs give the serial kernel's bits, on every path, in f32 and
    //! f64, with rows of a 10-class classifier, of `LANES` and more, and
    //! with a few `+∞` rows (the kernels' fix-up code).
    use super::{ELEMENTS_MIN, ROWS_MIN_ELEMENTS};
    use crate::Real;
    use crate::dispatch::{Path, with_path};
    use crate::kernels as k;

    /// Every output of every kernel on `x` (rows of `cols`).
    fn outputs<T: Real>(x: &[T], cols: usize) -> Vec<Vec<T>> {
        let rows = x.len() / cols;
        let targets: Vec<usize> = (0..rows).map(|i| (i * 7) % cols).collect();
        let dy: Vec<T> = (0..x.len())
            .map(|i| T::from_f64(((i % 13) as f64 - 6.0) * 0.1))
            .collect();
        let mut all = Vec::new();
        let mut run = |f: &dyn Fn(&mut [T])| {
            let mut out = vec![T::ZERO; x.len()];
            f(&mut out);
            all.push(out);
        };
        run(&|o| k::softmax_rows(x, cols, o));
        run(&|o| k::softmax_rows_backward(x, &dy, cols, o));
        run(&|o| k::log_softmax_rows(x, cols, o));
        run(&|o| k::log_softmax_rows_backward(x, &dy, cols, o));
        run(&|o| k::cross_entropy_backward(x, cols, &targets, T::from_f64(0.75), o));
        // Finite logits: a `+∞` would make the loss `+∞` in any order.
        let finite: Vec<T> = x
            .iter()
            .map(|&v| if v == T::INFINITY { T::ZERO } else { v })
            .collect();
        run(&|o| o[0] = k::cross_entropy(&finite, cols, &targets));
        run(&|o| k::tanh(x, o));
        run(&|o| k::tanh_backward(x, &dy, o));
        run(&|o| k::exp(x, o));
        run(&|o| k::sigmoid_backward(x, &dy, o));
        all
    }

    fn same_bits<T: Real>(cols: usize) {
        // Enough rows to split both the row and the elementwise kernels
        // into uneven pieces.
        let rows = (ROWS_MIN_ELEMENTS.max(ELEMENTS_MIN) / cols) * 2 + 37;
        let mut x: Vec<T> = (0..rows * cols)
            .map(|i| T::from_f64((((i * 7919) % 1009) as f64 - 504.0) * 0.01))
            .collect();
        for r in [1, rows / 2, rows - 1] {
            x[r * cols + 3] = T::INFINITY;
        }
        for path in Path::ALL.into_iter().filter(|p| p.is_available()) {
            let on = |threads| {
                let pool = rayon::ThreadPoolBuilder::new()
                    .num_threads(threads)
                    .build()
                    .unwrap();
                pool.install(|| with_path(path, || outputs(&x, cols)))
            };
            let serial = on(1);
            for threads in [2, 3] {
                let split = on(threads);
                for (i, (s, p)) in serial.iter().zip(&split).enumerate() {
                    let same = s.iter().zip(p).all(|(a, b)| {
                        a.to_f64().to_bits() == b.to_f64().to_bits() || (a.is_nan() && b.is_nan())
                    });
                    assert!(same, "kernel {i}, {path:?}, cols {cols}, {threads} threads");
                }
            }
        }
    }

    #[test]
    fn split_runs_give_the_serial_bits() {
        for cols in [10, 33, 1000] {
            same_bits::<f32>(cols);
            same_bits::<f64>(cols);
        }
    }
}
