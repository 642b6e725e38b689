//! The `#[differentiable]` fns under test: loops and mutation.

use grad::prelude::*;

// ---------------------------------------------------------------- Horner

/// `Σᵢ cᵢ·xⁱ` by Horner's rule, highest coefficient first (a run-time index
/// `c[n − 1 − i]`).
#[differentiable]
pub(crate) fn horner(c: &[f64], x: f64) -> f64 {
    let n = c.len();
    let mut acc = 0.0;
    for i in 0..n {
        acc = acc * x + c[n - 1 - i];
    }
    acc
}

#[differentiable]
pub(crate) fn horner_f32(c: &[f32], x: f32) -> f32 {
    let n = c.len();
    let mut acc = 0.0;
    for i in 0..n {
        acc = acc * x + c[n - 1 - i];
    }
    acc
}

/// The same polynomial, iterating the coefficients by value from the top
/// (`.iter().rev()` is not supported, so the coefficients come reversed).
#[differentiable]
pub(crate) fn horner_iter(c_rev: &[f64], x: f64) -> f64 {
    let mut acc = 0.0;
    for ci in c_rev.iter().copied() {
        acc = acc * x + ci;
    }
    acc
}

// ---------------------------------------------------------------- Euler

/// `steps` explicit Euler steps of `x′ = −k·x` over `[0, t]`:
/// `x0·(1 − k·t/steps)^steps`.
#[differentiable]
pub(crate) fn euler(x0: f64, k: f64, t: f64, steps: usize) -> f64 {
    let dt = t / steps as f64;
    let mut x = x0;
    for _ in 0..steps {
        x -= dt * k * x;
    }
    x
}

#[differentiable]
pub(crate) fn euler_f32(x0: f32, k: f32, t: f32, steps: usize) -> f32 {
    let dt = t / steps as f32;
    let mut x = x0;
    for _ in 0..steps {
        x = x - dt * k * x;
    }
    x
}

// ---------------------------------------------------------------- RNN

/// A tanh RNN: `h ← tanh(W·h + u·aₜ + v·cₜ + b)` over the two input streams
/// `a` and `c`, `W` a flat `n×n` row-major matrix; the loss is `Σ h²` of
/// the last state.
#[differentiable(wrt(w, u, v, b, h0))]
pub(crate) fn rnn(
    w: &[f64],
    u: &[f64],
    v: &[f64],
    b: &[f64],
    h0: &[f64],
    a: &[f64],
    c: &[f64],
) -> f64 {
    let mut h = h0.to_vec();
    for (at, ct) in a.iter().zip(c.iter()) {
        h = tanh(matvec(w, &h) + u * at + v * ct + b);
    }
    sum(h * h)
}

/// The same RNN with the loss summed over every step (a carried scalar
/// next to the carried state).
#[differentiable(wrt(w, u, v, b, h0))]
pub(crate) fn rnn_all(
    w: &[f64],
    u: &[f64],
    v: &[f64],
    b: &[f64],
    h0: &[f64],
    a: &[f64],
    c: &[f64],
) -> f64 {
    let mut h = h0.to_vec();
    let mut loss = 0.0;
    for (at, ct) in a.iter().zip(c.iter()) {
        h = tanh(matvec(w, &h) + u * at + v * ct + b);
        loss += sum(h * h);
    }
    loss
}

#[differentiable(wrt(w, u, v, b, h0))]
pub(crate) fn rnn_f32(
    w: &[f32],
    u: &[f32],
    v: &[f32],
    b: &[f32],
    h0: &[f32],
    a: &[f32],
    c: &[f32],
) -> f32 {
    let mut h = h0.to_vec();
    for (at, ct) in a.iter().zip(c.iter()) {
        h = tanh(matvec(w, &h) + u * at + v * ct + b);
    }
    sum(h * h)
}

// ---------------------------------------------------------------- minibatch

/// Squared error of a linear model summed over a minibatch: `x` is flat
/// `n×d` row-major, one row per sample.
#[differentiable(wrt(w, b))]
pub(crate) fn batch_loss(w: &[f64], b: f64, x: &[f64], y: &[f64]) -> f64 {
    let d = w.len();
    let mut loss = 0.0;
    for i in 0..y.len() {
        let mut z = b;
        for j in 0..d {
            z += w[j] * x[i * d + j];
        }
        let r = z - y[i];
        loss += r * r;
    }
    loss
}

/// The same loss written with `enumerate` over the targets.
#[differentiable(wrt(w, b))]
pub(crate) fn batch_loss_enum(w: &[f64], b: f64, x: &[f64], y: &[f64]) -> f64 {
    let d = w.len();
    let mut loss = 0.0;
    for (i, yi) in y.iter().enumerate() {
        let mut z = b - yi;
        for (j, wj) in w.iter().enumerate() {
            z += wj * x[i * d + j];
        }
        loss += z * z;
    }
    loss
}

#[differentiable(wrt(w, b))]
pub(crate) fn batch_loss_f32(w: &[f32], b: f32, x: &[f32], y: &[f32]) -> f32 {
    let d = w.len();
    let mut loss = 0.0;
    for i in 0..y.len() {
        let mut z = b;
        for j in 0..d {
            z += w[j] * x[i * d + j];
        }
        let r = z - y[i];
        loss += r * r;
    }
    loss
}

/// One sample's loss, no loop.
#[differentiable(wrt(w, b))]
pub(crate) fn sample_loss(w: &[f64], b: f64, x: &[f64], y: f64) -> f64 {
    let r = dot(w, x) + b - y;
    r * r
}

// ---------------------------------------------------------------- products and forms

/// `Σₖ Πᵢ≤ₖ xᵢ`: the sum of the cumulative products.
#[differentiable]
pub(crate) fn cumprod_sum(x: &[f64]) -> f64 {
    let mut p = 1.0;
    let mut total = 0.0;
    for xi in &x {
        p *= xi;
        total += p;
    }
    total
}

/// `Σᵢⱼ xᵢ·Aᵢⱼ·xⱼ`, `A` flat `n×n`.
#[differentiable]
pub(crate) fn quad_form(x: &[f64], a: &[f64]) -> f64 {
    let n = x.len();
    let mut s = 0.0;
    for i in 0..n {
        for j in 0..n {
            s += x[i] * a[i * n + j] * x[j];
        }
    }
    s
}

#[differentiable]
pub(crate) fn quad_form_f32(x: &[f32], a: &[f32]) -> f32 {
    let n = x.len();
    let mut s = 0.0;
    for i in 0..n {
        for j in 0..n {
            s += x[i] * a[i * n + j] * x[j];
        }
    }
    s
}

// ---------------------------------------------------------------- if and loops

/// A loop in each branch of an `if`: `Σ xᵢ²` when `s > 0`, else `−Σ xᵢ·s`.
#[differentiable]
pub(crate) fn loop_in_if(x: &[f64], s: f64) -> f64 {
    let mut acc = 0.0;
    if s > 0.0 {
        for xi in x.iter() {
            acc += xi * xi;
        }
    } else {
        for xi in x.iter() {
            acc -= xi * s;
        }
    }
    acc
}

/// A leaky square: `xᵢ²` where `xᵢ > 0`, `0.1·xᵢ` elsewhere; the `if`
/// inside the loop (no `else`) also rescales a carried factor.
#[differentiable]
pub(crate) fn if_in_loop(x: &[f64], g: f64) -> f64 {
    let mut acc = 0.0;
    let mut f = 1.0;
    for xi in x.iter() {
        if xi > 0.0 {
            acc += f * xi * xi;
        } else {
            acc += 0.1 * xi;
            f *= g;
        }
    }
    acc
}

/// `Σᵢ (i + 1)·xᵢ²` by `enumerate`.
#[differentiable]
pub(crate) fn weighted_squares(x: &[f64]) -> f64 {
    let mut s = 0.0;
    for (i, xi) in x.iter().enumerate() {
        s += (i as f64 + 1.0) * xi * xi;
    }
    s
}

/// `Σᵢ (uᵢ − vᵢ)²` over the shorter of `u` and `v`, by `zip`.
#[differentiable]
pub(crate) fn zip_sq_dist(u: &[f64], v: &[f64]) -> f64 {
    let mut s = 0.0;
    for (a, b) in u.iter().zip(v.iter()) {
        let d = a - b;
        s += d * d;
    }
    s
}

// ---------------------------------------------------------------- carried arrays and matrices

/// An array parameter copied into a carried value: `y ← tanh(a·y) + 1`,
/// `steps` times.
#[differentiable]
pub(crate) fn array_carry(x: [f64; 4], a: f64, steps: usize) -> f64 {
    let mut y = x;
    for _ in 0..steps {
        y = tanh(y * a) + 1.0;
    }
    sum(y * y)
}

/// The same, with `x` also read in the body: `y ← tanh(a·y) + x`.
#[differentiable]
pub(crate) fn array_carry_reread(x: [f64; 4], a: f64, steps: usize) -> f64 {
    let mut y = x;
    for _ in 0..steps {
        y = tanh(y * a) + x;
    }
    sum(y * y)
}

/// `y ← y/2 + x` from `y = x`.
#[allow(dead_code)] // reason: only its gradient is tested
#[differentiable]
pub(crate) fn halving(x: f64, steps: usize) -> f64 {
    let mut y = x;
    for _ in 0..steps {
        y = y * 0.5 + x;
    }
    y
}

/// A matrix carried across iterations: `m ← tanh(m·W)`, `steps` times.
#[differentiable]
pub(crate) fn matrix_carry(m0: &Matrix<f64>, w: &Matrix<f64>, steps: usize) -> f64 {
    let mut m = m0.clone();
    for _ in 0..steps {
        m = tanh(matmul(&m, w));
    }
    sum(m * m)
}

/// `vec![s; n]` as the initial state of a carried vector.
#[differentiable]
pub(crate) fn filled_start(x: &[f64], s: f64) -> f64 {
    let mut h = vec![s; x.len()];
    for _ in 0..3 {
        h = h * x + s;
    }
    sum(h)
}
