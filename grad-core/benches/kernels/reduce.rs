//! Reductions (`sum`, `max`, `mean`, `dot`), `mse` forward and backward, and `matvec`
//! forward and backward; the naive loops use a single accumulator.

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion};
use grad_core::{Real, kernels as k};

use crate::common::{Placed, SIZES, bench_copy, data, group, size_options};

/// Benches a one-input reduction; the copy moves `n/2` elements (it reads `n`).
fn reduce1<T: Real>(c: &mut Criterion, op: &str, kernel: fn(&[T]) -> T, naive: fn(&[T]) -> T) {
    let mut g = group::<T>(c, op);
    for n in SIZES {
        size_options(&mut g, n);
        let x = data::<T>(n, -1.0, 1.0, 0, 4);
        let p = n.to_string();
        g.bench_function(BenchmarkId::new("kernel", &p), |b| {
            b.iter(|| kernel(black_box(&x)))
        });
        g.bench_function(BenchmarkId::new("naive", &p), |b| {
            b.iter(|| naive(black_box(&x)))
        });
        bench_copy::<T>(&mut g, &p, n / 2);
    }
    g.finish();
}

/// A two-input reduction `f(a, b) -> T`.
type Reduce2<T> = fn(&[T], &[T]) -> T;

/// Benches a two-input reduction; the copy moves `n` elements (it reads `2n`).
fn reduce2<T: Real>(c: &mut Criterion, op: &str, kernel: Reduce2<T>, naive: Reduce2<T>) {
    let mut g = group::<T>(c, op);
    for n in SIZES {
        size_options(&mut g, n);
        let (a, b) = (data::<T>(n, -1.0, 1.0, 0, 5), data::<T>(n, -1.0, 1.0, 2, 6));
        let p = n.to_string();
        g.bench_function(BenchmarkId::new("kernel", &p), |bn| {
            bn.iter(|| kernel(black_box(&a), black_box(&b)));
        });
        g.bench_function(BenchmarkId::new("naive", &p), |bn| {
            bn.iter(|| naive(black_box(&a), black_box(&b)));
        });
        bench_copy::<T>(&mut g, &p, n);
    }
    g.finish();
}

/// `mse_backward(pred, target, dloss, dpred)`.
type MseBwd<T> = fn(&[T], &[T], T, &mut [T]);

/// Benches `mse_backward`; the copy moves `1.5·n` (it reads `2n`, writes `n`).
fn mse_backward<T: Real>(c: &mut Criterion, kernel: MseBwd<T>, naive: MseBwd<T>) {
    let mut g = group::<T>(c, "mse_bwd");
    for n in SIZES {
        size_options(&mut g, n);
        let (pred, target) = (data::<T>(n, -1.0, 1.0, 0, 7), data::<T>(n, -1.0, 1.0, 1, 8));
        let mut dpred = Placed::<T>::zeros(n, 2);
        let p = n.to_string();
        let dloss = T::ONE;
        g.bench_function(BenchmarkId::new("kernel", &p), |b| {
            b.iter(|| {
                kernel(
                    black_box(&pred),
                    black_box(&target),
                    dloss,
                    black_box(&mut dpred),
                )
            });
        });
        g.bench_function(BenchmarkId::new("naive", &p), |b| {
            b.iter(|| {
                naive(
                    black_box(&pred),
                    black_box(&target),
                    dloss,
                    black_box(&mut dpred),
                )
            });
        });
        bench_copy::<T>(&mut g, &p, n + n / 2);
    }
    g.finish();
}

/// `rows × cols` of the matrix with `n` elements.
fn matrix_shape(n: usize) -> (usize, usize) {
    match n {
        1_000 => (10, 100),
        _ => {
            let side = n.isqrt();
            (side, side)
        }
    }
}

/// Benches `matvec` forward and backward on square-ish matrices of each size.
fn matvec<T: Real>(c: &mut Criterion) {
    let mut fwd = group::<T>(c, "matvec_fwd");
    for n in SIZES {
        size_options(&mut fwd, n);
        let (rows, cols) = matrix_shape(n);
        let (w, x) = (
            data::<T>(n, -1.0, 1.0, 0, 9),
            data::<T>(cols, -1.0, 1.0, 1, 10),
        );
        let mut out = Placed::<T>::zeros(rows, 2);
        let p = format!("{rows}x{cols}");
        fwd.bench_function(BenchmarkId::new("kernel", &p), |b| {
            b.iter(|| k::matvec(black_box(&w), black_box(&x), black_box(&mut out)));
        });
        fwd.bench_function(BenchmarkId::new("naive", &p), |b| {
            b.iter(|| naive_matvec(black_box(&w), black_box(&x), black_box(&mut out)));
        });
        bench_copy::<T>(&mut fwd, &p, (n + rows + cols) / 2);
    }
    fwd.finish();
    let mut bwd = group::<T>(c, "matvec_bwd");
    for n in SIZES {
        size_options(&mut bwd, n);
        let (rows, cols) = matrix_shape(n);
        let (w, x) = (
            data::<T>(n, -1.0, 1.0, 0, 9),
            data::<T>(cols, -1.0, 1.0, 1, 10),
        );
        let dy = data::<T>(rows, -1.0, 1.0, 3, 11);
        let (mut dw, mut dx) = (Placed::<T>::zeros(n, 2), Placed::<T>::zeros(cols, 3));
        let p = format!("{rows}x{cols}");
        bwd.bench_function(BenchmarkId::new("kernel", &p), |b| {
            b.iter(|| {
                let (w, x, dy) = (black_box(&w), black_box(&x), black_box(&dy));
                k::matvec_backward(w, x, dy, black_box(&mut dw), black_box(&mut dx));
            });
        });
        bwd.bench_function(BenchmarkId::new("naive", &p), |b| {
            b.iter(|| {
                let (w, x, dy) = (black_box(&w), black_box(&x), black_box(&dy));
                naive_matvec_backward(w, x, dy, black_box(&mut dw), black_box(&mut dx));
            });
        });
        bench_copy::<T>(&mut bwd, &p, n + cols + rows / 2);
    }
    bwd.finish();
}

fn naive_sum<T: Real>(x: &[T]) -> T {
    let mut s = T::ZERO;
    for &v in x {
        s += v;
    }
    s
}

fn naive_mean<T: Real>(x: &[T]) -> T {
    naive_sum(x) / T::from_usize(x.len())
}

fn naive_max<T: Real>(x: &[T]) -> T {
    let mut m = T::NEG_INFINITY;
    for &v in x {
        m = m.max(v);
    }
    m
}

fn naive_dot<T: Real>(a: &[T], b: &[T]) -> T {
    let mut s = T::ZERO;
    for (&x, &y) in a.iter().zip(b) {
        s += x * y;
    }
    s
}

fn naive_mse<T: Real>(pred: &[T], target: &[T]) -> T {
    let mut s = T::ZERO;
    for (&p, &t) in pred.iter().zip(target) {
        s += (p - t) * (p - t);
    }
    s / T::from_usize(pred.len())
}

fn naive_mse_backward<T: Real>(pred: &[T], target: &[T], dloss: T, dpred: &mut [T]) {
    let scale = T::from_f64(2.0) * dloss / T::from_usize(pred.len());
    for ((d, &p), &t) in dpred.iter_mut().zip(pred).zip(target) {
        *d = scale * (p - t);
    }
}

fn naive_matvec<T: Real>(w: &[T], x: &[T], out: &mut [T]) {
    for (o, row) in out.iter_mut().zip(w.chunks_exact(x.len())) {
        *o = naive_dot(row, x);
    }
}

fn naive_matvec_backward<T: Real>(w: &[T], x: &[T], dy: &[T], dw: &mut [T], dx: &mut [T]) {
    dx.fill(T::ZERO);
    let cols = x.len();
    for ((row, dw_row), &g) in w.chunks_exact(cols).zip(dw.chunks_exact_mut(cols)).zip(dy) {
        for j in 0..cols {
            dx[j] += row[j] * g;
            dw_row[j] = g * x[j];
        }
    }
}

/// Every reduction, `mse` and `matvec` kernel in `T`.
pub(crate) fn benches<T: Real>(c: &mut Criterion) {
    reduce1::<T>(c, "sum", k::sum, naive_sum);
    reduce1::<T>(c, "max", k::max, naive_max);
    reduce1::<T>(c, "mean", k::mean, naive_mean);
    reduce2::<T>(c, "dot", k::dot, naive_dot);
    reduce2::<T>(c, "mse_fwd", k::mse, naive_mse);
    mse_backward::<T>(c, k::mse_backward, naive_mse_backward);
    matvec::<T>(c);
}
