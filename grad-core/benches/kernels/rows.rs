//! Row-wise kernels on `rows × cols` batches: softmax, log-softmax and
//! cross-entropy, forward and backward, beside naive scalar row loops.

use std::hint::black_box;

use criterion::Criterion;
use grad_core::{Real, kernels as k};

use crate::common::{Placed, SHAPES, SIZES, classes, data, group, size_options, trio};

/// `f(x, cols, out)`: a forward op on every row.
type RowsFwd<T> = fn(&[T], usize, &mut [T]);
/// `f(y, dy, cols, dx)`: a backward op on every row.
type RowsBwd<T> = fn(&[T], &[T], usize, &mut [T]);

/// Two buffers of one benchmark.
type Two<T> = (Placed<T>, Placed<T>);
/// Three buffers of one benchmark.
type Three<T> = (Placed<T>, Placed<T>, Placed<T>);

/// Benches a row-wise forward op on each `rows × cols` shape; the copy
/// moves `n` elements (it reads `n` and writes `n`).
fn forward<T: Real>(
    c: &mut Criterion,
    op: &str,
    shapes: &[(usize, usize)],
    kernel: RowsFwd<T>,
    naive: RowsFwd<T>,
) {
    let mut g = group::<T>(c, op);
    for &(rows, cols) in shapes {
        let n = rows * cols;
        size_options(&mut g, n);
        let make = || (data::<T>(n, -5.0, 5.0, 0, 12), Placed::<T>::zeros(n, 2));
        let run = |f: RowsFwd<T>| {
            move |(x, out): &mut Two<T>| f(black_box(&x[..]), cols, black_box(&mut out[..]))
        };
        trio::<T, _>(&mut g, &param(rows, cols), n, make, run(kernel), run(naive));
    }
    g.finish();
}

/// Benches a row-wise backward op on each shape; the copy moves `1.5·n`
/// elements (it reads `2n` and writes `n`).
fn backward<T: Real>(
    c: &mut Criterion,
    op: &str,
    shapes: &[(usize, usize)],
    kernel: RowsBwd<T>,
    naive: RowsBwd<T>,
) {
    let mut g = group::<T>(c, op);
    for &(rows, cols) in shapes {
        let n = rows * cols;
        size_options(&mut g, n);
        let make = || {
            let y = data::<T>(n, 0.0, 2.0 / cols as f64, 0, 13);
            (y, data::<T>(n, -1.0, 1.0, 1, 14), Placed::<T>::zeros(n, 2))
        };
        let run = |f: RowsBwd<T>| {
            move |(y, dy, dx): &mut Three<T>| {
                f(
                    black_box(&y[..]),
                    black_box(&dy[..]),
                    cols,
                    black_box(&mut dx[..]),
                );
            }
        };
        trio::<T, _>(
            &mut g,
            &param(rows, cols),
            n + n / 2,
            make,
            run(kernel),
            run(naive),
        );
    }
    g.finish();
}

/// The benchmark parameter: `rows x cols`, or just `cols` for one row.
fn param(rows: usize, cols: usize) -> String {
    if rows == 1 && !SHAPES.contains(&(rows, cols)) {
        cols.to_string()
    } else {
        format!("{rows}x{cols}")
    }
}

/// `cross_entropy(logits, cols, targets)`.
type CeFwd<T> = fn(&[T], usize, &[usize]) -> T;
/// `cross_entropy_backward(logits, cols, targets, dloss, dlogits)`.
type CeBwd<T> = fn(&[T], usize, &[usize], T, &mut [T]);

fn cross_entropy<T: Real>(c: &mut Criterion) {
    let mut fwd = group::<T>(c, "cross_entropy_fwd");
    for (rows, cols) in SHAPES {
        let n = rows * cols;
        size_options(&mut fwd, n);
        let make = || (data::<T>(n, -5.0, 5.0, 0, 15), classes(rows, cols));
        let run = |f: CeFwd<T>| {
            move |(x, t): &mut (Placed<T>, Vec<usize>)| {
                black_box(f(black_box(&x[..]), cols, black_box(&t[..])));
            }
        };
        let (kf, nf) = (run(k::cross_entropy), run(naive_cross_entropy));
        trio::<T, _>(&mut fwd, &param(rows, cols), n / 2, make, kf, nf);
    }
    fwd.finish();
    let mut bwd = group::<T>(c, "cross_entropy_bwd");
    for (rows, cols) in SHAPES {
        let n = rows * cols;
        size_options(&mut bwd, n);
        let make = || {
            let x = data::<T>(n, -5.0, 5.0, 0, 15);
            (x, classes(rows, cols), Placed::<T>::zeros(n, 2))
        };
        let run = |f: CeBwd<T>| {
            move |(x, t, d): &mut (Placed<T>, Vec<usize>, Placed<T>)| {
                let (x, t) = (black_box(&x[..]), black_box(&t[..]));
                f(x, cols, t, T::ONE, black_box(&mut d[..]));
            }
        };
        let (kb, nb) = (
            run(k::cross_entropy_backward),
            run(naive_cross_entropy_backward),
        );
        trio::<T, _>(&mut bwd, &param(rows, cols), n, make, kb, nb);
    }
    bwd.finish();
}

/// The one-row kernel `softmax` as a row-wise op of one row.
fn softmax_one<T: Real>(x: &[T], _cols: usize, out: &mut [T]) {
    k::softmax(x, out);
}

/// The one-row kernel `softmax_backward` as a row-wise op of one row.
fn softmax_one_backward<T: Real>(y: &[T], dy: &[T], _cols: usize, dx: &mut [T]) {
    k::softmax_backward(y, dy, dx);
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

/// Every row-wise kernel in `T`.
pub(crate) fn benches<T: Real>(c: &mut Criterion) {
    let one_row = SIZES.map(|n| (1, n));
    forward::<T>(
        c,
        "softmax_row_fwd",
        &one_row,
        softmax_one,
        naive_softmax_rows,
    );
    let (sk, sn) = (softmax_one_backward, naive_softmax_rows_backward);
    backward::<T>(c, "softmax_row_bwd", &one_row, sk, sn);
    forward::<T>(
        c,
        "softmax_fwd",
        &SHAPES,
        k::softmax_rows,
        naive_softmax_rows,
    );
    let (sk, sn) = (k::softmax_rows_backward, naive_softmax_rows_backward);
    backward::<T>(c, "softmax_bwd", &SHAPES, sk, sn);
    forward::<T>(
        c,
        "log_softmax_fwd",
        &SHAPES,
        k::log_softmax_rows,
        naive_log_softmax_rows,
    );
    let (lk, ln) = (
        k::log_softmax_rows_backward,
        naive_log_softmax_rows_backward,
    );
    backward::<T>(c, "log_softmax_bwd", &SHAPES, lk, ln);
    cross_entropy::<T>(c);
}
