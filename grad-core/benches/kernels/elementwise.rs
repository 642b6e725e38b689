//! Elementwise kernels, forward `(x, out)` and backward `(y | x, dy, dx)`.

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion};
use grad_core::{Real, kernels as k};

use crate::common::{Placed, SIZES, bench_copy, data, group, size_options};

/// A forward kernel `f(x, out)`.
type Fwd<T> = fn(&[T], &mut [T]);
/// A backward kernel `f(y, dy, dx)` (`relu_backward` takes `x` for `y`).
type Bwd<T> = fn(&[T], &[T], &mut [T]);

/// Benches a forward kernel beside its naive loop and a copy of `n` elements
/// (it reads `n` and writes `n`).
fn forward<T: Real>(c: &mut Criterion, op: &str, range: (f64, f64), kernel: Fwd<T>, naive: Fwd<T>) {
    let mut g = group::<T>(c, op);
    for n in SIZES {
        size_options(&mut g, n);
        let x = data::<T>(n, range.0, range.1, 0, 1);
        let mut out = Placed::<T>::zeros(n, 2);
        let p = n.to_string();
        g.bench_function(BenchmarkId::new("kernel", &p), |b| {
            b.iter(|| kernel(black_box(&x), black_box(&mut out)));
        });
        g.bench_function(BenchmarkId::new("naive", &p), |b| {
            b.iter(|| naive(black_box(&x), black_box(&mut out)));
        });
        bench_copy::<T>(&mut g, &p, n);
    }
    g.finish();
}

/// Benches a backward kernel beside its naive loop and a copy of `1.5·n`
/// elements (it reads `2n` and writes `n`). `range` is that of `y` (or `x`).
fn backward<T: Real>(
    c: &mut Criterion,
    op: &str,
    range: (f64, f64),
    kernel: Bwd<T>,
    naive: Bwd<T>,
) {
    let mut g = group::<T>(c, op);
    for n in SIZES {
        size_options(&mut g, n);
        let y = data::<T>(n, range.0, range.1, 0, 2);
        let dy = data::<T>(n, -1.0, 1.0, 1, 3);
        let mut dx = Placed::<T>::zeros(n, 2);
        let p = n.to_string();
        g.bench_function(BenchmarkId::new("kernel", &p), |b| {
            b.iter(|| kernel(black_box(&y), black_box(&dy), black_box(&mut dx)));
        });
        g.bench_function(BenchmarkId::new("naive", &p), |b| {
            b.iter(|| naive(black_box(&y), black_box(&dy), black_box(&mut dx)));
        });
        bench_copy::<T>(&mut g, &p, n + n / 2);
    }
    g.finish();
}

fn naive_sigmoid<T: Real>(x: &[T], out: &mut [T]) {
    for (o, &v) in out.iter_mut().zip(x) {
        *o = T::ONE / (T::ONE + (-v).exp());
    }
}

fn naive_tanh<T: Real>(x: &[T], out: &mut [T]) {
    for (o, &v) in out.iter_mut().zip(x) {
        *o = v.tanh();
    }
}

fn naive_relu<T: Real>(x: &[T], out: &mut [T]) {
    for (o, &v) in out.iter_mut().zip(x) {
        *o = if v > T::ZERO { v } else { T::ZERO };
    }
}

fn naive_sigmoid_backward<T: Real>(y: &[T], dy: &[T], dx: &mut [T]) {
    for ((d, &y), &g) in dx.iter_mut().zip(y).zip(dy) {
        *d = g * y * (T::ONE - y);
    }
}

fn naive_tanh_backward<T: Real>(y: &[T], dy: &[T], dx: &mut [T]) {
    for ((d, &y), &g) in dx.iter_mut().zip(y).zip(dy) {
        *d = g * (T::ONE - y * y);
    }
}

fn naive_relu_backward<T: Real>(x: &[T], dy: &[T], dx: &mut [T]) {
    for ((d, &x), &g) in dx.iter_mut().zip(x).zip(dy) {
        *d = if x > T::ZERO { g } else { T::ZERO };
    }
}

/// Every elementwise kernel, forward and backward, in `T`.
pub(crate) fn benches<T: Real>(c: &mut Criterion) {
    let act = (-8.0, 8.0);
    forward::<T>(c, "sigmoid_fwd", act, k::sigmoid, naive_sigmoid);
    forward::<T>(c, "tanh_fwd", act, k::tanh, naive_tanh);
    forward::<T>(c, "relu_fwd", act, k::relu, naive_relu);
    let sig = k::sigmoid_backward;
    backward::<T>(c, "sigmoid_bwd", (0.0, 1.0), sig, naive_sigmoid_backward);
    backward::<T>(
        c,
        "tanh_bwd",
        (-1.0, 1.0),
        k::tanh_backward,
        naive_tanh_backward,
    );
    backward::<T>(c, "relu_bwd", act, k::relu_backward, naive_relu_backward);
}
