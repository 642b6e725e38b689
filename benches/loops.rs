//! Gradients through loops (issue "Loops and mutation", item 8): the
//! generated reverse sweep against a hand-written adjoint of the same loop,
//! one criterion group per function so each reads as a ratio of one run.
//!
//! - `euler10k`: 10,000 explicit Euler steps of `x′ = −k·x`, gradient in
//!   `x0` and `k`. Generated: a tape of one float per step (80,000 bytes).
//!   Hand-written: the same tape, then `dx ← dx·(1 − c)`, `dc ← dc − dx·xᵢ`.
//! - `rnn16x50`: a tanh RNN, 16-wide state, 50 steps,
//!   `h ← tanh(W·h + u·xₜ + b)`, loss `Σ h²`, gradient in `W`, `u`, `b`.
//!   Generated: a tape of one 16-float state per step. Hand-written: the
//!   states in one flat buffer, the backward in place (`dW += dz·hᵀ`
//!   without temporaries).
//! - `minibatch32`: `Σᵢ (w·xᵢ + b − yᵢ)²` over 32 samples of 16 features,
//!   `x[i·d + j]` in a nested loop, gradient in `w` and `b`. Generated: no
//!   tape (the backward step recomputes `w·xᵢ`). Hand-written: one fused
//!   pass, `r` then `dw += 2r·xᵢ`.
//!
//! Before anything is timed every generated gradient is checked against the
//! hand-written one (1e-12 relative).
//!
//! ```text
//! cargo bench -p grad --bench loops
//! GRAD_INTERLEAVED=1 cargo bench -p grad --bench loops   # ratios from alternating slices
//! ```

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group};
use grad::prelude::*;

// ---------------------------------------------------------------- the functions

const STEPS: usize = 10_000;
const WIDTH: usize = 16;
const RNN_STEPS: usize = 50;
const BATCH: usize = 32;
const DIM: usize = 16;

#[differentiable]
fn euler(x0: f64, k: f64, steps: usize) -> f64 {
    let dt = 1.0 / steps as f64;
    let mut x = x0;
    for _ in 0..steps {
        x = x - dt * k * x;
    }
    x
}

#[differentiable(wrt(w, u, b))]
fn rnn(w: &[f64], u: &[f64], b: &[f64], h0: &[f64], xs: &[f64]) -> f64 {
    let mut h = h0.to_vec();
    for x in xs.iter() {
        h = tanh(matvec(w, &h) + u * x + b);
    }
    sum(h * h)
}

#[differentiable(wrt(w, b))]
fn minibatch(w: &[f64], b: f64, x: &[f64], y: &[f64]) -> f64 {
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

// ---------------------------------------------------------------- hand-written adjoints

mod hand {
    /// Euler: the forward pass stores each step's `x` (what `∂/∂c` reads),
    /// the reverse pass runs the steps backwards.
    pub(crate) fn euler(x0: f64, k: f64, steps: usize) -> (f64, f64) {
        let dt = 1.0 / steps as f64;
        let c = dt * k;
        let mut tape = Vec::with_capacity(steps);
        let mut x = x0;
        for _ in 0..steps {
            tape.push(x);
            x -= c * x;
        }
        // x⁺ = x − c·x: ∂x⁺/∂x = 1 − c, ∂x⁺/∂c = −x.
        let (mut dx, mut dc) = (1.0, 0.0);
        for &xi in tape.iter().rev() {
            dc -= dx * xi;
            dx *= 1.0 - c;
        }
        (dx, dc * dt)
    }

    /// The RNN: states `h₀ … h_T` in one flat buffer, then the backward
    /// with two 16-float scratch vectors and `dW` updated in place.
    pub(crate) fn rnn(
        w: &[f64],
        u: &[f64],
        b: &[f64],
        h0: &[f64],
        xs: &[f64],
    ) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
        let n = h0.len();
        let steps = xs.len();
        let mut hs = vec![0.0; (steps + 1) * n];
        hs[..n].copy_from_slice(h0);
        for (t, &x) in xs.iter().enumerate() {
            let (past, next) = hs.split_at_mut((t + 1) * n);
            let h = &past[t * n..];
            for i in 0..n {
                let row = &w[i * n..(i + 1) * n];
                let z: f64 = row.iter().zip(h).map(|(a, b)| a * b).sum::<f64>() + u[i] * x + b[i];
                next[i] = z.tanh();
            }
        }
        let (mut dw, mut du, mut db) = (vec![0.0; n * n], vec![0.0; n], vec![0.0; n]);
        // ∂Σh²/∂h_T = 2·h_T.
        let mut dh: Vec<f64> = hs[steps * n..].iter().map(|h| 2.0 * h).collect();
        let mut dz = vec![0.0; n];
        for t in (0..steps).rev() {
            let h = &hs[t * n..(t + 1) * n];
            let h_next = &hs[(t + 1) * n..(t + 2) * n];
            for i in 0..n {
                dz[i] = dh[i] * (1.0 - h_next[i] * h_next[i]);
                du[i] += dz[i] * xs[t];
                db[i] += dz[i];
            }
            dh.fill(0.0);
            for i in 0..n {
                let row = &w[i * n..(i + 1) * n];
                let drow = &mut dw[i * n..(i + 1) * n];
                for j in 0..n {
                    drow[j] += dz[i] * h[j];
                    dh[j] += row[j] * dz[i];
                }
            }
        }
        (dw, du, db)
    }

    /// The minibatch loss, forward and backward fused in one pass.
    pub(crate) fn minibatch(w: &[f64], b: f64, x: &[f64], y: &[f64]) -> (Vec<f64>, f64) {
        let d = w.len();
        let mut dw = vec![0.0; d];
        let mut db = 0.0;
        for (xi, yi) in x.chunks_exact(d).zip(y) {
            let r = w.iter().zip(xi).map(|(a, b)| a * b).sum::<f64>() + b - yi;
            for (g, xij) in dw.iter_mut().zip(xi) {
                *g += 2.0 * r * xij;
            }
            db += 2.0 * r;
        }
        (dw, db)
    }
}

// ---------------------------------------------------------------- inputs

/// A deterministic pseudo-random sequence in `[-scale, scale)`.
fn values(n: usize, seed: u64, scale: f64) -> Vec<f64> {
    let mut s = seed;
    (0..n)
        .map(|_| {
            s = s
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            ((s >> 11) as f64 / (1u64 << 53) as f64 * 2.0 - 1.0) * scale
        })
        .collect()
}

struct Inputs {
    w: Vec<f64>,
    u: Vec<f64>,
    b: Vec<f64>,
    h0: Vec<f64>,
    xs: Vec<f64>,
    bw: Vec<f64>,
    bx: Vec<f64>,
    by: Vec<f64>,
}

impl Inputs {
    fn new() -> Self {
        Inputs {
            // ±0.4: spectral radius ≈ 0.92, the state stays alive over 50 steps.
            w: values(WIDTH * WIDTH, 1, 0.4),
            u: values(WIDTH, 2, 0.5),
            b: values(WIDTH, 3, 0.2),
            h0: values(WIDTH, 4, 0.5),
            xs: values(RNN_STEPS, 5, 1.0),
            bw: values(DIM, 6, 1.0),
            bx: values(BATCH * DIM, 7, 2.0),
            by: values(BATCH, 8, 1.0),
        }
    }
}

// ---------------------------------------------------------------- checks

fn close(what: &str, a: &[f64], b: &[f64]) {
    assert_eq!(a.len(), b.len(), "{what}: lengths");
    let scale = b.iter().fold(1.0_f64, |m, v| m.max(v.abs()));
    for (i, (x, y)) in a.iter().zip(b).enumerate() {
        assert!(
            (x - y).abs() <= 1e-12 * scale,
            "{what}[{i}]: generated {x:e}, hand-written {y:e}"
        );
    }
}

/// Every generated gradient against its hand-written adjoint, before timing.
fn agree(p: &Inputs) {
    let (value, g) = euler_value_and_grad(1.5, 0.7, STEPS);
    assert_eq!(value.to_bits(), euler(1.5, 0.7, STEPS).to_bits());
    let h = hand::euler(1.5, 0.7, STEPS);
    close("euler", &[g.0, g.1], &[h.0, h.1]);
    // The hand-written Euler adjoint against the closed form (1 − k/n)ⁿ.
    let r: f64 = 1.0 - 0.7 / STEPS as f64;
    close(
        "euler closed form",
        &[h.0, h.1],
        &[
            r.powi(STEPS as i32),
            -1.5 / STEPS as f64 * STEPS as f64 * r.powi(STEPS as i32 - 1),
        ],
    );
    let g = rnn_grad(&p.w, &p.u, &p.b, &p.h0, &p.xs);
    let h = hand::rnn(&p.w, &p.u, &p.b, &p.h0, &p.xs);
    close("rnn dw", &g.0, &h.0);
    close("rnn du", &g.1, &h.1);
    close("rnn db", &g.2, &h.2);
    // The hand-written RNN adjoint against a central difference on one weight.
    let eps = 1e-6;
    let mut wp = p.w.clone();
    wp[37] += eps;
    let mut wm = p.w.clone();
    wm[37] -= eps;
    let fd =
        (rnn(&wp, &p.u, &p.b, &p.h0, &p.xs) - rnn(&wm, &p.u, &p.b, &p.h0, &p.xs)) / (2.0 * eps);
    assert!(
        (fd - h.0[37]).abs() < 1e-7,
        "rnn dw[37]: central {fd:e}, hand-written {:e}",
        h.0[37]
    );
    let g = minibatch_grad(&p.bw, 0.1, &p.bx, &p.by);
    let h = hand::minibatch(&p.bw, 0.1, &p.bx, &p.by);
    close("minibatch dw", &g.0, &h.0);
    close("minibatch db", &[g.1], &[h.1]);
}

// ---------------------------------------------------------------- criterion

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_millis(1500))
        .sample_size(40)
}

fn benches(c: &mut Criterion) {
    let p = Inputs::new();
    agree(&p);
    let mut g = c.benchmark_group("euler10k");
    g.bench_function("generated", |bn| {
        bn.iter(|| euler_grad(black_box(1.5), black_box(0.7), black_box(STEPS)))
    });
    g.bench_function("hand-written", |bn| {
        bn.iter(|| hand::euler(black_box(1.5), black_box(0.7), black_box(STEPS)))
    });
    g.finish();
    let mut g = c.benchmark_group("rnn16x50");
    g.bench_function("generated", |bn| {
        bn.iter(|| rnn_grad(black_box(&p.w), &p.u, &p.b, &p.h0, &p.xs))
    });
    g.bench_function("hand-written", |bn| {
        bn.iter(|| hand::rnn(black_box(&p.w), &p.u, &p.b, &p.h0, &p.xs))
    });
    g.finish();
    let mut g = c.benchmark_group("minibatch32");
    g.bench_function("generated", |bn| {
        bn.iter(|| minibatch_grad(black_box(&p.bw), black_box(0.1), &p.bx, &p.by))
    });
    g.bench_function("hand-written", |bn| {
        bn.iter(|| hand::minibatch(black_box(&p.bw), black_box(0.1), &p.bx, &p.by))
    });
    g.finish();
}

criterion_group! {
    name = group_all;
    config = config();
    targets = benches
}

// ---------------------------------------------------------------- interleaved ratios

/// Nanoseconds per call of `f`, over `calls` calls.
fn ns_per_call<R>(f: &mut impl FnMut() -> R, calls: u32) -> f64 {
    let start = Instant::now();
    for _ in 0..calls {
        black_box(f());
    }
    start.elapsed().as_nanos() as f64 / f64::from(calls)
}

/// Times generated and hand-written in short alternating slices (so both
/// see the same load) and keeps each one's fastest slice.
fn race<A, B>(
    name: &str,
    calls: u32,
    mut generated: impl FnMut() -> A,
    mut hand: impl FnMut() -> B,
) {
    const ROUNDS: usize = 60;
    let (mut best_g, mut best_h) = (f64::INFINITY, f64::INFINITY);
    for round in 0..ROUNDS {
        if round % 2 == 0 {
            best_g = best_g.min(ns_per_call(&mut generated, calls));
            best_h = best_h.min(ns_per_call(&mut hand, calls));
        } else {
            best_h = best_h.min(ns_per_call(&mut hand, calls));
            best_g = best_g.min(ns_per_call(&mut generated, calls));
        }
    }
    println!(
        "{name:<12} generated {:>10.1} ns  hand-written {:>10.1} ns  generated/hand-written {:.2}",
        best_g,
        best_h,
        best_g / best_h
    );
}

/// `GRAD_INTERLEAVED=1 cargo bench -p grad --bench loops`.
fn interleaved() {
    let p = Inputs::new();
    agree(&p);
    race(
        "euler10k",
        40,
        || euler_grad(black_box(1.5), black_box(0.7), black_box(STEPS)),
        || hand::euler(black_box(1.5), black_box(0.7), black_box(STEPS)),
    );
    race(
        "rnn16x50",
        100,
        || rnn_grad(black_box(&p.w), &p.u, &p.b, &p.h0, &p.xs),
        || hand::rnn(black_box(&p.w), &p.u, &p.b, &p.h0, &p.xs),
    );
    race(
        "minibatch32",
        4_000,
        || minibatch_grad(black_box(&p.bw), black_box(0.1), &p.bx, &p.by),
        || hand::minibatch(black_box(&p.bw), black_box(0.1), &p.bx, &p.by),
    );
}

fn main() {
    if std::env::var_os("GRAD_INTERLEAVED").is_some() {
        interleaved();
        return;
    }
    group_all();
    Criterion::default().configure_from_args().final_summary();
}
