//! Elementwise kernels, forward `(x, out)` and backward `(y | x, dy, dx)`.

use std::hint::black_box;

use criterion::Criterion;
use grad_core::{Real, kernels as k};

use crate::common::{Placed, SIZES, data, group, size_options, trio};

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
        let make = || {
            (
                data::<T>(n, range.0, range.1, 0, 1),
                Placed::<T>::zeros(n, 2),
            )
        };
        let run = |f: Fwd<T>| {
            move |(x, out): &mut (Placed<T>, Placed<T>)| {
                f(black_box(&x[..]), black_box(&mut out[..]))
            }
        };
        trio::<T, _>(&mut g, &n.to_string(), n, make, run(kernel), run(naive));
    }
    g.finish();
}

/// The buffers of a backward kernel: `y` (or `x`), `dy`, `dx`.
type BwdBufs<T> = (Placed<T>, Placed<T>, Placed<T>);

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
        let make = || {
            let y = data::<T>(n, range.0, range.1, 0, 2);
            (y, data::<T>(n, -1.0, 1.0, 1, 3), Placed::<T>::zeros(n, 2))
        };
        let run = |f: Bwd<T>| {
            move |(y, dy, dx): &mut BwdBufs<T>| {
                f(
                    black_box(&y[..]),
                    black_box(&dy[..]),
                    black_box(&mut dx[..]),
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

fn naive_exp<T: Real>(x: &[T], out: &mut [T]) {
    for (o, &v) in out.iter_mut().zip(x) {
        *o = v.exp();
    }
}

fn naive_ln<T: Real>(x: &[T], out: &mut [T]) {
    for (o, &v) in out.iter_mut().zip(x) {
        *o = v.ln();
    }
}

fn naive_softplus<T: Real>(x: &[T], out: &mut [T]) {
    for (o, &v) in out.iter_mut().zip(x) {
        *o = (T::ONE + v.exp()).ln();
    }
}

fn naive_exp_backward<T: Real>(y: &[T], dy: &[T], dx: &mut [T]) {
    for ((d, &y), &g) in dx.iter_mut().zip(y).zip(dy) {
        *d = g * y;
    }
}

fn naive_ln_backward<T: Real>(x: &[T], dy: &[T], dx: &mut [T]) {
    for ((d, &x), &g) in dx.iter_mut().zip(x).zip(dy) {
        *d = g / x;
    }
}

fn naive_softplus_backward<T: Real>(x: &[T], dy: &[T], dx: &mut [T]) {
    for ((d, &x), &g) in dx.iter_mut().zip(x).zip(dy) {
        *d = g / (T::ONE + (-x).exp());
    }
}

/// Every elementwise kernel, forward and backward, in `T`.
pub(crate) fn benches<T: Real>(c: &mut Criterion) {
    let act = (-8.0, 8.0);
    let positive = (0.01, 100.0);
    forward::<T>(c, "sigmoid_fwd", act, k::sigmoid, naive_sigmoid);
    forward::<T>(c, "tanh_fwd", act, k::tanh, naive_tanh);
    forward::<T>(c, "relu_fwd", act, k::relu, naive_relu);
    forward::<T>(c, "exp_fwd", act, k::exp, naive_exp);
    forward::<T>(c, "ln_fwd", positive, k::ln, naive_ln);
    forward::<T>(c, "softplus_fwd", act, k::softplus, naive_softplus);
    let (kb, nb) = (k::sigmoid_backward, naive_sigmoid_backward);
    backward::<T>(c, "sigmoid_bwd", (0.0, 1.0), kb, nb);
    let (kb, nb) = (k::tanh_backward, naive_tanh_backward);
    backward::<T>(c, "tanh_bwd", (-1.0, 1.0), kb, nb);
    let (kb, nb) = (k::relu_backward, naive_relu_backward);
    backward::<T>(c, "relu_bwd", act, kb, nb);
    let (kb, nb) = (k::exp_backward, naive_exp_backward);
    backward::<T>(c, "exp_bwd", (0.0, 10.0), kb, nb);
    let (kb, nb) = (k::ln_backward, naive_ln_backward);
    backward::<T>(c, "ln_bwd", positive, kb, nb);
    let (kb, nb) = (k::softplus_backward, naive_softplus_backward);
    backward::<T>(c, "softplus_bwd", act, kb, nb);
}
