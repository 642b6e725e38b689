//! Reductions (`sum`, `max`, `mean`, `dot`), `mse` forward and backward, and `matvec`
//! forward and backward; the naive loops use a single accumulator.

use std::hint::black_box;

use criterion::Criterion;
use grad_core::{Real, kernels as k};

use crate::common::{Placed, SIZES, data, group, size_options, trio};

/// Benches a one-input reduction; the copy moves `n/2` elements (it reads `n`).
fn reduce1<T: Real>(c: &mut Criterion, op: &str, kernel: fn(&[T]) -> T, naive: fn(&[T]) -> T) {
    let mut g = group::<T>(c, op);
    for n in SIZES {
        size_options(&mut g, n);
        let make = || data::<T>(n, -1.0, 1.0, 0, 4);
        let run = |f: fn(&[T]) -> T| {
            move |x: &mut Placed<T>| {
                black_box(f(black_box(&x[..])));
            }
        };
        trio::<T, _>(&mut g, &n.to_string(), n / 2, make, run(kernel), run(naive));
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
        let make = || (data::<T>(n, -1.0, 1.0, 0, 5), data::<T>(n, -1.0, 1.0, 2, 6));
        let run = |f: Reduce2<T>| {
            move |(a, b): &mut (Placed<T>, Placed<T>)| {
                black_box(f(black_box(&a[..]), black_box(&b[..])));
            }
        };
        trio::<T, _>(&mut g, &n.to_string(), n, make, run(kernel), run(naive));
    }
    g.finish();
}

/// `mse_backward(pred, target, dloss, dpred)`.
type MseBwd<T> = fn(&[T], &[T], T, &mut [T]);
/// Three buffers of one benchmark.
type Three<T> = (Placed<T>, Placed<T>, Placed<T>);

/// Benches `mse_backward`; the copy moves `1.5·n` (it reads `2n`, writes `n`).
fn mse_backward<T: Real>(c: &mut Criterion, kernel: MseBwd<T>, naive: MseBwd<T>) {
    let mut g = group::<T>(c, "mse_bwd");
    for n in SIZES {
        size_options(&mut g, n);
        let make = || {
            let pred = data::<T>(n, -1.0, 1.0, 0, 7);
            (
                pred,
                data::<T>(n, -1.0, 1.0, 1, 8),
                Placed::<T>::zeros(n, 2),
            )
        };
        let run = |f: MseBwd<T>| {
            move |(p, t, d): &mut Three<T>| {
                f(
                    black_box(&p[..]),
                    black_box(&t[..]),
                    T::ONE,
                    black_box(&mut d[..]),
                );
            }
        };
        trio::<T, _>(
            &mut g,
            &n.to_string(),
            n + n / 2,
            make,
            run(kernel),
            run(naive),
        );
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

/// `matvec_backward(w, x, dy, dw, dx)`.
type MatvecBwd<T> = fn(&[T], &[T], &[T], &mut [T], &mut [T]);
/// `w`, `x`, `dy`, `dw`, `dx` of `matvec` (forward uses `dy` as its output).
type MatvecBufs<T> = (Placed<T>, Placed<T>, Placed<T>, Placed<T>, Placed<T>);

/// Benches `matvec` forward and backward on square-ish matrices of each size.
fn matvec<T: Real>(c: &mut Criterion) {
    for (dir, copy_of) in [("fwd", 1), ("bwd", 2)] {
        let mut g = group::<T>(c, &format!("matvec_{dir}"));
        for n in SIZES {
            size_options(&mut g, n);
            let (rows, cols) = matrix_shape(n);
            let make = || {
                let (w, x) = (
                    data::<T>(n, -1.0, 1.0, 0, 9),
                    data::<T>(cols, -1.0, 1.0, 1, 10),
                );
                let dy = data::<T>(rows, -1.0, 1.0, 3, 11);
                let dw = Placed::<T>::zeros(if dir == "bwd" { n } else { 0 }, 2);
                (w, x, dy, dw, Placed::<T>::zeros(cols, 3))
            };
            // forward reads w and x and writes rows; backward reads w, x and
            // dy and writes dw and dx.
            let copy = (copy_of * (n + cols) + rows) / 2;
            let p = format!("{rows}x{cols}");
            if dir == "fwd" {
                let run = |f: fn(&[T], &[T], &mut [T])| {
                    move |(w, x, out, _, _): &mut MatvecBufs<T>| {
                        f(
                            black_box(&w[..]),
                            black_box(&x[..]),
                            black_box(&mut out[..]),
                        );
                    }
                };
                trio::<T, _>(&mut g, &p, copy, make, run(k::matvec), run(naive_matvec));
            } else {
                let run = |f: MatvecBwd<T>| {
                    move |(w, x, dy, dw, dx): &mut MatvecBufs<T>| {
                        let (w, x, dy) = (black_box(&w[..]), black_box(&x[..]), black_box(&dy[..]));
                        f(w, x, dy, black_box(&mut dw[..]), black_box(&mut dx[..]));
                    }
                };
                let (kb, nb) = (run(k::matvec_backward), run(naive_matvec_backward));
                trio::<T, _>(&mut g, &p, copy, make, kb, nb);
            }
        }
        g.finish();
    }
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
