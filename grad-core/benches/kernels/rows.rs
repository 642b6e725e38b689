//! Row-wise kernels on `rows × cols` batches: softmax, log-softmax and
//! cross-entropy, forward and backward, beside naive scalar row loops.

use std::hint::black_box;

use criterion::{BenchmarkGroup, BenchmarkId, Criterion, measurement::WallTime};
use grad_core::{Real, kernels as k};

use crate::common::{Placed, SHAPES, SIZES, bench_copy, classes, data, group, size_options};

/// `f(x, cols, out)`: a forward op on every row.
type RowsFwd<T> = fn(&[T], usize, &mut [T]);
/// `f(y, dy, cols, dx)`: a backward op on every row.
type RowsBwd<T> = fn(&[T], &[T], usize, &mut [T]);

/// Benches a kernel and its naive loop on one shape, then the copy of `copy` elements.
fn kernel_naive_copy<T: Real>(
    g: &mut BenchmarkGroup<'_, WallTime>,
    p: &str,
    copy: usize,
    mut kernel: impl FnMut(),
    mut naive: impl FnMut(),
) {
    g.bench_function(BenchmarkId::new("kernel", p), |b| b.iter(&mut kernel));
    g.bench_function(BenchmarkId::new("naive", p), |b| b.iter(&mut naive));
    bench_copy::<T>(g, p, copy);
}

fn forward<T: Real>(c: &mut Criterion, op: &str, kernel: RowsFwd<T>, naive: RowsFwd<T>) {
    let mut g = group::<T>(c, op);
    for (rows, cols) in SHAPES {
        let n = rows * cols;
        size_options(&mut g, n);
        let x = data::<T>(n, -5.0, 5.0, 0, 12);
        let mut out = Placed::<T>::zeros(n, 2);
        let mut out2 = Placed::<T>::zeros(n, 2);
        let run_k = || kernel(black_box(&x), cols, black_box(&mut out));
        let run_n = || naive(black_box(&x), cols, black_box(&mut out2));
        kernel_naive_copy::<T>(&mut g, &format!("{rows}x{cols}"), n, run_k, run_n);
    }
    g.finish();
}

fn backward<T: Real>(c: &mut Criterion, op: &str, kernel: RowsBwd<T>, naive: RowsBwd<T>) {
    let mut g = group::<T>(c, op);
    for (rows, cols) in SHAPES {
        let n = rows * cols;
        size_options(&mut g, n);
        let y = data::<T>(n, 0.0, 1.0 / cols as f64, 0, 13);
        let dy = data::<T>(n, -1.0, 1.0, 1, 14);
        let (mut dx, mut dx2) = (Placed::<T>::zeros(n, 2), Placed::<T>::zeros(n, 2));
        let run_k = || kernel(black_box(&y), black_box(&dy), cols, black_box(&mut dx));
        let run_n = || naive(black_box(&y), black_box(&dy), cols, black_box(&mut dx2));
        kernel_naive_copy::<T>(&mut g, &format!("{rows}x{cols}"), n + n / 2, run_k, run_n);
    }
    g.finish();
}

fn cross_entropy<T: Real>(c: &mut Criterion) {
    let mut fwd = group::<T>(c, "cross_entropy_fwd");
    for (rows, cols) in SHAPES {
        let n = rows * cols;
        size_options(&mut fwd, n);
        let (x, t) = (data::<T>(n, -5.0, 5.0, 0, 15), classes(rows, cols));
        let run_k = || {
            black_box(k::cross_entropy(black_box(&x), cols, black_box(&t)));
        };
        let run_n = || {
            black_box(naive_cross_entropy(black_box(&x), cols, black_box(&t)));
        };
        kernel_naive_copy::<T>(&mut fwd, &format!("{rows}x{cols}"), n / 2, run_k, run_n);
    }
    fwd.finish();
    let mut bwd = group::<T>(c, "cross_entropy_bwd");
    for (rows, cols) in SHAPES {
        let n = rows * cols;
        size_options(&mut bwd, n);
        let (x, t) = (data::<T>(n, -5.0, 5.0, 0, 15), classes(rows, cols));
        let (mut d, mut d2) = (Placed::<T>::zeros(n, 2), Placed::<T>::zeros(n, 2));
        let run_k = || {
            let (x, t) = (black_box(&x[..]), black_box(&t[..]));
            k::cross_entropy_backward(x, cols, t, T::ONE, black_box(&mut d));
        };
        let run_n = || {
            let (x, t) = (black_box(&x[..]), black_box(&t[..]));
            naive_cross_entropy_backward(x, cols, t, T::ONE, black_box(&mut d2));
        };
        kernel_naive_copy::<T>(&mut bwd, &format!("{rows}x{cols}"), n, run_k, run_n);
    }
    bwd.finish();
}

/// The row's maximum and `Σ e^(x − max)`, computed the naive way.
fn naive_max_sum<T: Real>(row: &[T]) -> (T, T) {
    let mut m = T::NEG_INFINITY;
    for &v in row {
        if v > m {
            m = v;
        }
    }
    let mut s = T::ZERO;
    for &v in row {
        s += (v - m).exp();
    }
    (m, s)
}

fn naive_softmax_rows<T: Real>(x: &[T], cols: usize, out: &mut [T]) {
    for (xr, or) in x.chunks_exact(cols).zip(out.chunks_exact_mut(cols)) {
        let (m, s) = naive_max_sum(xr);
        for (o, &v) in or.iter_mut().zip(xr) {
            *o = (v - m).exp() / s;
        }
    }
}

fn naive_softmax_rows_backward<T: Real>(y: &[T], dy: &[T], cols: usize, dx: &mut [T]) {
    let rows = y.chunks_exact(cols).zip(dy.chunks_exact(cols));
    for ((yr, gr), dr) in rows.zip(dx.chunks_exact_mut(cols)) {
        let mut s = T::ZERO;
        for (&y, &g) in yr.iter().zip(gr) {
            s += y * g;
        }
        for ((d, &y), &g) in dr.iter_mut().zip(yr).zip(gr) {
            *d = y * (g - s);
        }
    }
}

/// `log_softmax` on every row through the one-row kernel.
fn log_softmax_rows<T: Real>(x: &[T], cols: usize, out: &mut [T]) {
    for (xr, or) in x.chunks_exact(cols).zip(out.chunks_exact_mut(cols)) {
        k::log_softmax(xr, or);
    }
}

/// `log_softmax_backward` on every row through the one-row kernel.
fn log_softmax_rows_backward<T: Real>(y: &[T], dy: &[T], cols: usize, dx: &mut [T]) {
    let rows = y.chunks_exact(cols).zip(dy.chunks_exact(cols));
    for ((yr, gr), dr) in rows.zip(dx.chunks_exact_mut(cols)) {
        k::log_softmax_backward(yr, gr, dr);
    }
}

fn naive_log_softmax_rows<T: Real>(x: &[T], cols: usize, out: &mut [T]) {
    for (xr, or) in x.chunks_exact(cols).zip(out.chunks_exact_mut(cols)) {
        let (m, s) = naive_max_sum(xr);
        let lse = m + s.ln();
        for (o, &v) in or.iter_mut().zip(xr) {
            *o = v - lse;
        }
    }
}

fn naive_log_softmax_rows_backward<T: Real>(y: &[T], dy: &[T], cols: usize, dx: &mut [T]) {
    let rows = y.chunks_exact(cols).zip(dy.chunks_exact(cols));
    for ((yr, gr), dr) in rows.zip(dx.chunks_exact_mut(cols)) {
        let mut s = T::ZERO;
        for &g in gr {
            s += g;
        }
        for ((d, &y), &g) in dr.iter_mut().zip(yr).zip(gr) {
            *d = g - y.exp() * s;
        }
    }
}

fn naive_cross_entropy<T: Real>(x: &[T], cols: usize, targets: &[usize]) -> T {
    let mut loss = T::ZERO;
    for (xr, &t) in x.chunks_exact(cols).zip(targets) {
        let (m, s) = naive_max_sum(xr);
        loss += m + s.ln() - xr[t];
    }
    loss / T::from_usize(targets.len())
}

fn naive_cross_entropy_backward<T: Real>(
    x: &[T],
    cols: usize,
    targets: &[usize],
    dloss: T,
    dx: &mut [T],
) {
    let scale = dloss / T::from_usize(targets.len());
    for ((xr, dr), &t) in x
        .chunks_exact(cols)
        .zip(dx.chunks_exact_mut(cols))
        .zip(targets)
    {
        let (m, s) = naive_max_sum(xr);
        for (d, &v) in dr.iter_mut().zip(xr) {
            *d = (v - m).exp() / s * scale;
        }
        dr[t] -= scale;
    }
}

/// The one-row kernels `softmax` and `softmax_backward` on a single row of
/// each length in [`SIZES`], beside the naive row loop and a copy.
fn one_row<T: Real>(c: &mut Criterion) {
    let mut fwd = group::<T>(c, "softmax_row_fwd");
    for n in SIZES {
        size_options(&mut fwd, n);
        let x = data::<T>(n, -5.0, 5.0, 0, 16);
        let (mut out, mut out2) = (Placed::<T>::zeros(n, 2), Placed::<T>::zeros(n, 2));
        let run_k = || k::softmax(black_box(&x), black_box(&mut out));
        let run_n = || naive_softmax_rows(black_box(&x), n, black_box(&mut out2));
        kernel_naive_copy::<T>(&mut fwd, &n.to_string(), n, run_k, run_n);
    }
    fwd.finish();
    let mut bwd = group::<T>(c, "softmax_row_bwd");
    for n in SIZES {
        size_options(&mut bwd, n);
        let y = data::<T>(n, 0.0, 2.0 / n as f64, 0, 17);
        let dy = data::<T>(n, -1.0, 1.0, 1, 18);
        let (mut dx, mut dx2) = (Placed::<T>::zeros(n, 2), Placed::<T>::zeros(n, 2));
        let run_k = || k::softmax_backward(black_box(&y), black_box(&dy), black_box(&mut dx));
        let run_n =
            || naive_softmax_rows_backward(black_box(&y), black_box(&dy), n, black_box(&mut dx2));
        kernel_naive_copy::<T>(&mut bwd, &n.to_string(), n + n / 2, run_k, run_n);
    }
    bwd.finish();
}

/// Every row-wise kernel in `T`.
pub(crate) fn benches<T: Real>(c: &mut Criterion) {
    one_row::<T>(c);
    forward::<T>(c, "softmax_fwd", k::softmax_rows, naive_softmax_rows);
    backward::<T>(
        c,
        "softmax_bwd",
        k::softmax_rows_backward,
        naive_softmax_rows_backward,
    );
    forward::<T>(
        c,
        "log_softmax_fwd",
        log_softmax_rows,
        naive_log_softmax_rows,
    );
    let (lk, ln) = (log_softmax_rows_backward, naive_log_softmax_rows_backward);
    backward::<T>(c, "log_softmax_bwd", lk, ln);
    cross_entropy::<T>(c);
}
