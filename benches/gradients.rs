//! Generated `_grad` vs a hand-written closed-form gradient vs forward-mode
//! dual numbers (`num-dual`), one criterion group per function so the three
//! read as ratios of one run.
//!
//! ```text
//! cargo bench -p grad --bench gradients
//! tools/bench-ratios.sh          # generated ÷ hand-written, num-dual ÷ generated
//! GRAD_INTERLEAVED=1 cargo bench -p grad --bench gradients   # ratios from alternating slices
//! ```
//!
//! The num-dual baseline is built without its `nalgebra` feature (nalgebra is
//! not in this project's dependency set), so a gradient of `n` parameters is
//! `n` forward passes with `Dual64`, which is what forward mode costs.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group};
use grad::prelude::*;
use num_dual::Dual64;

// ---------------------------------------------------------------- the functions

#[differentiable]
fn neuron(x: f64, w: f64, b: f64) -> f64 {
    let z = w * x + b;
    sigmoid(z)
}

#[differentiable]
fn poly10(x: f64) -> f64 {
    1.0 + 2.0 * x + 3.0 * x.powi(2) - 4.0 * x.powi(3) + 5.0 * x.powi(4) - 0.5 * x.powi(5)
        + 0.25 * x.powi(6)
        - 0.125 * x.powi(7)
        + 0.0625 * x.powi(8)
        - 0.03125 * x.powi(9)
}

#[differentiable]
fn net3(x: f64, w1: f64, b1: f64, w2: f64, b2: f64, w3: f64, b3: f64) -> f64 {
    let h1 = tanh(w1 * x + b1);
    let h2 = tanh(w2 * h1 + b2);
    sigmoid(w3 * h2 + b3)
}

#[differentiable]
fn tanh_heavy(x: f64, y: f64) -> f64 {
    tanh(tanh(x * y) + tanh(x - y)) * tanh(x) + tanh(y * 0.5)
}

#[differentiable]
fn soft_mix(x: f64, y: f64) -> f64 {
    softplus(x) * exp(-y) + ln(1.0 + x * x) + exp(x * y)
}

#[differentiable]
fn pow_mix(x: f64, y: f64) -> f64 {
    x.powi(3) * y.powf(1.5) + sqrt(x * x + y * y)
}

// ---------------------------------------------------------------- hand-written gradients

#[path = "gradients/hand.rs"]
mod hand;

// ---------------------------------------------------------------- num-dual forward mode

#[path = "gradients/dual.rs"]
mod dual;

/// The gradient of `f` at `at` by forward mode: one `Dual64` pass per parameter.
#[inline(always)]
fn dual_grad<const N: usize>(f: impl Fn([Dual64; N]) -> Dual64, at: [f64; N]) -> [f64; N] {
    std::array::from_fn(|i| {
        let args = std::array::from_fn(|j| {
            let d = Dual64::from_re(at[j]);
            if i == j { d.derivative() } else { d }
        });
        f(args).eps
    })
}

// ---------------------------------------------------------------- benches

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_millis(1200))
        .sample_size(40)
}

/// One group per function: `generated`, `hand-written` (the closed form with the
/// primitives the function is written with), `num-dual`, and where a person
/// would rewrite the math, `hand-optimized`.
macro_rules! group {
    ($c:expr, $name:literal, [$($a:ident = $v:expr),+], $generated:expr, $hand:expr, $dual:expr) => {{
        let mut g = $c.benchmark_group($name);
        $(let $a: f64 = $v;)+
        g.bench_function("generated", |b| b.iter(|| $generated($(black_box($a)),+)));
        g.bench_function("hand-written", |b| b.iter(|| $hand($(black_box($a)),+)));
        g.bench_function("num-dual", |b| {
            b.iter(|| dual_grad(|[$($a),+]| $dual($($a),+), [$(black_box($a)),+]))
        });
        g
    }};
    ($c:expr, $name:literal, [$($a:ident = $v:expr),+], $generated:expr, $hand:expr, $dual:expr, optimized: $opt:expr) => {{
        let mut g = group!($c, $name, [$($a = $v),+], $generated, $hand, $dual);
        $(let $a: f64 = $v;)+
        g.bench_function("hand-optimized", |b| b.iter(|| $opt($(black_box($a)),+)));
        g
    }};
}

fn gradients(c: &mut Criterion) {
    group!(
        c,
        "neuron",
        [x = 0.7, w = -1.3, b = 0.4],
        neuron_grad,
        hand::neuron,
        dual::neuron
    )
    .finish();
    group!(
        c,
        "poly10",
        [x = 0.9],
        poly10_grad,
        hand::poly10,
        dual::poly10,
        optimized: hand::poly10_optimized
    )
    .finish();
    group!(
        c,
        "net3",
        [
            x = 0.7,
            w1 = -1.3,
            b1 = 0.4,
            w2 = 0.8,
            b2 = -0.1,
            w3 = 1.5,
            b3 = 0.2
        ],
        net3_grad,
        hand::net3,
        dual::net3
    )
    .finish();
    group!(
        c,
        "tanh_heavy",
        [x = 0.7, y = -0.4],
        tanh_heavy_grad,
        hand::tanh_heavy,
        dual::tanh_heavy
    )
    .finish();
    group!(
        c,
        "soft_mix",
        [x = 0.7, y = -0.4],
        soft_mix_grad,
        hand::soft_mix,
        dual::soft_mix
    )
    .finish();
    group!(
        c,
        "pow_mix",
        [x = 0.7, y = 1.4],
        pow_mix_grad,
        hand::pow_mix,
        dual::pow_mix,
        optimized: hand::pow_mix_optimized
    )
    .finish();
}

/// The implementations agree before anything is timed.
fn agree() {
    let close = |a: f64, b: f64| (a - b).abs() <= 1e-9 * (1.0 + b.abs());
    let (x, w, b) = (0.7, -1.3, 0.4);
    let g = neuron_grad(x, w, b);
    let h = hand::neuron(x, w, b);
    let d = dual_grad(|[x, w, b]| dual::neuron(x, w, b), [x, w, b]);
    assert!(close(g.0, h.0) && close(g.1, h.1) && close(g.2, h.2) && close(g.0, d[0]));
    let (g, h, d) = (
        poly10_grad(0.9),
        hand::poly10(0.9),
        dual_grad(|[x]| dual::poly10(x), [0.9]),
    );
    assert!(close(g, h) && close(g, d[0]), "poly10: {g} {h} {d:?}");
    assert!(close(g, hand::poly10_optimized(0.9)));
    let (p, q) = hand::pow_mix_optimized(0.7, 1.4);
    assert!(close(p, pow_mix_grad(0.7, 1.4).0) && close(q, pow_mix_grad(0.7, 1.4).1));
    let a = [0.7, -1.3, 0.4, 0.8, -0.1, 1.5, 0.2];
    let g = net3_grad(a[0], a[1], a[2], a[3], a[4], a[5], a[6]);
    let h = hand::net3(a[0], a[1], a[2], a[3], a[4], a[5], a[6]);
    let d = dual_grad(
        |[x, w1, b1, w2, b2, w3, b3]| dual::net3(x, w1, b1, w2, b2, w3, b3),
        a,
    );
    assert!(close(g.0, h.0) && close(g.3, h.3) && close(g.6, h.6) && close(g.5, d[5]));
    for (generated, hand, dual) in [
        (
            tanh_heavy_grad(0.7, -0.4),
            hand::tanh_heavy(0.7, -0.4),
            dual_grad(|[x, y]| dual::tanh_heavy(x, y), [0.7, -0.4]),
        ),
        (
            soft_mix_grad(0.7, -0.4),
            hand::soft_mix(0.7, -0.4),
            dual_grad(|[x, y]| dual::soft_mix(x, y), [0.7, -0.4]),
        ),
        (
            pow_mix_grad(0.7, 1.4),
            hand::pow_mix(0.7, 1.4),
            dual_grad(|[x, y]| dual::pow_mix(x, y), [0.7, 1.4]),
        ),
    ] {
        assert!(
            close(generated.0, hand.0) && close(generated.1, hand.1),
            "{generated:?} vs {hand:?}"
        );
        assert!(
            close(generated.0, dual[0]) && close(generated.1, dual[1]),
            "{generated:?} vs {dual:?}"
        );
    }
    // The original fns are kept and agree with the value of `_value_and_grad`.
    assert_eq!(neuron_value_and_grad(x, w, b).0, neuron(x, w, b));
    assert_eq!(poly10_value_and_grad(0.9).0, poly10(0.9));
    assert_eq!(
        net3_value_and_grad(a[0], a[1], a[2], a[3], a[4], a[5], a[6]).0,
        net3(a[0], a[1], a[2], a[3], a[4], a[5], a[6])
    );
    assert_eq!(
        tanh_heavy_value_and_grad(0.7, -0.4).0,
        tanh_heavy(0.7, -0.4)
    );
    assert_eq!(soft_mix_value_and_grad(0.7, -0.4).0, soft_mix(0.7, -0.4));
    assert_eq!(pow_mix_value_and_grad(0.7, 1.4).0, pow_mix(0.7, 1.4));
}

fn benches(c: &mut Criterion) {
    agree();
    gradients(c);
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

/// Times the implementations in short alternating slices (so all of them see
/// the same load) and keeps each one's fastest slice.
fn race(name: &str, impls: &mut [(&str, &mut dyn FnMut() -> f64)]) {
    const ROUNDS: usize = 60;
    const CALLS: u32 = 4_000;
    let mut best = vec![f64::INFINITY; impls.len()];
    for round in 0..ROUNDS {
        for k in 0..impls.len() {
            let i = (k + round) % impls.len();
            let t = ns_per_call(&mut impls[i].1, CALLS);
            best[i] = best[i].min(t);
        }
    }
    let line: Vec<String> = impls
        .iter()
        .zip(&best)
        .map(|((n, _), t)| format!("{n} {t:.2}ns"))
        .collect();
    println!(
        "{name:<11} {}   generated/hand-written {:.2}   num-dual/generated {:.2}",
        line.join("  "),
        best[0] / best[1],
        best[2] / best[0]
    );
}

/// `race!(name, [x = 0.7, ...], generated, hand, dual)`: the same three
/// implementations as the criterion group, returning a checksum so nothing is
/// optimized away.
macro_rules! race {
    ($name:literal, [$($a:ident = $v:expr),+], $generated:expr, $hand:expr, $dual:expr) => {{
        $(let $a: f64 = $v;)+
        race(
            $name,
            &mut [
                ("generated", &mut || sum($generated($(black_box($a)),+))),
                ("hand-written", &mut || sum($hand($(black_box($a)),+))),
                ("num-dual", &mut || {
                    dual_grad(|[$($a),+]| $dual($($a),+), [$(black_box($a)),+]).iter().sum()
                }),
            ],
        );
    }};
}

/// Sums a gradient of any arity (the checksum `race` keeps alive).
fn sum(g: impl Into<Partials>) -> f64 {
    g.into().0
}

/// A gradient's checksum.
struct Partials(f64);

impl From<f64> for Partials {
    fn from(g: f64) -> Self {
        Partials(g)
    }
}

impl From<(f64, f64)> for Partials {
    fn from(g: (f64, f64)) -> Self {
        Partials(g.0 + g.1)
    }
}

impl From<(f64, f64, f64)> for Partials {
    fn from(g: (f64, f64, f64)) -> Self {
        Partials(g.0 + g.1 + g.2)
    }
}

impl From<(f64, f64, f64, f64, f64, f64, f64)> for Partials {
    fn from(g: (f64, f64, f64, f64, f64, f64, f64)) -> Self {
        Partials(g.0 + g.1 + g.2 + g.3 + g.4 + g.5 + g.6)
    }
}

/// `GRAD_INTERLEAVED=1 cargo bench -p grad --bench gradients`: ratios from
/// alternating slices instead of criterion's one-after-the-other groups; on a
/// loaded machine these are the steadier numbers.
fn interleaved() {
    agree();
    race!(
        "neuron",
        [x = 0.7, w = -1.3, b = 0.4],
        neuron_grad,
        hand::neuron,
        dual::neuron
    );
    race!("poly10", [x = 0.9], poly10_grad, hand::poly10, dual::poly10);
    race!(
        "net3",
        [
            x = 0.7,
            w1 = -1.3,
            b1 = 0.4,
            w2 = 0.8,
            b2 = -0.1,
            w3 = 1.5,
            b3 = 0.2
        ],
        net3_grad,
        hand::net3,
        dual::net3
    );
    race!(
        "tanh_heavy",
        [x = 0.7, y = -0.4],
        tanh_heavy_grad,
        hand::tanh_heavy,
        dual::tanh_heavy
    );
    race!(
        "soft_mix",
        [x = 0.7, y = -0.4],
        soft_mix_grad,
        hand::soft_mix,
        dual::soft_mix
    );
    race!(
        "pow_mix",
        [x = 0.7, y = 1.4],
        pow_mix_grad,
        hand::pow_mix,
        dual::pow_mix
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
