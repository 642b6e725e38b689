//! Second derivatives: the generated `_hessian` and `_hvp` against
//! forward-mode dual numbers (`num-dual`) and against gradients, one
//! criterion group per question so each reads as ratios of one run.
//!
//! - `hessian10`: the full 10×10 Hessian of [`net_loss`] (a 2-2-1 net's
//!   penalized cross-entropy on three samples: tanh, sigmoid, ln, exp, powi
//!   and products, 10 scalar parameters):
//!   - `grad_hessian`: `net_loss_hessian` (10 `_hvp`s, symmetrized);
//!   - `grad_hvp`: one `net_loss_hvp` (one column);
//!   - `grad_grad`: `net_loss_grad`, the unit the Hessian is counted in;
//!   - `num-dual_hyperdual`: the same fn written generically over
//!     `num_dual::DualNum` ([`dual::net_loss`]), one `HyperDual64` pass per
//!     entry of the upper triangle (55 passes, `∂²f/∂pᵢ∂pⱼ` each, as
//!     `num_dual::second_partial_derivative` does), mirrored;
//!   - `num-dual_dual2_diag`: one `Dual2_64` pass per parameter (10
//!     directional second derivatives `eᵢᵀHeᵢ`): the diagonal only, the
//!     cheapest thing num-dual's scalar types compute, for scale.
//!
//!   `num_dual::hessian` (one `Dual2SVec64<10>` pass, the whole Hessian)
//!   needs num-dual's `nalgebra` feature, which this project's
//!   dev-dependency leaves off (it would add num-dual's nalgebra half to
//!   every test build for one bench row); `tools/second-order-nalgebra.sh`
//!   times it against `net_loss_hessian` in a scratch crate outside the
//!   workspace, on this same file.
//! - `mlp_hvp`: the 784-128-10 tanh MLP with mean cross-entropy of
//!   `benches/mlp_batch.rs` on a minibatch of 64 (`grad::Matrix`, f32 and
//!   f64), 101,770 parameters:
//!   - `grad`: `mlp_loss_grad`;
//!   - `hvp`: `mlp_loss_hvp`, the Hessian times a random direction (exact);
//!   - `fd_hvp`: the central-difference estimate
//!     `(grad(w + εv) − grad(w − εv)) / 2ε`, two gradients and the axpys:
//!     the cheap approximate baseline. A num-dual baseline is not
//!     practical here: forward mode over the loss needs one pass per
//!     parameter for a gradient (101,770), and `Dual64` over a hand-written
//!     gradient would mean rewriting the GEMMs, softmax and tanh kernels
//!     for dual numbers.
//!
//! Before anything is timed, the Hessian is checked against num-dual's
//! (each entry within 1e-10 of its magnitude, both scalar methods), `_hvp`
//! against the Hessian's column, and the MLP's f64 `_hvp` against central
//! differences of its gradient (its f32 one against the f64 one).
//!
//! ```text
//! cargo bench -p grad --bench second_order
//! GRAD_INTERLEAVED=1 cargo bench -p grad --bench second_order   # alternating slices
//! tools/second-order-nalgebra.sh                                # + num_dual::hessian
//! ```

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion, criterion_group};
use grad::prelude::*;

// ---------------------------------------------------------------- 10 parameters

/// A 2-2-1 net (tanh and sigmoid hidden units, sigmoid output) with its
/// binary cross-entropy on three fixed samples, plus a Gaussian prior on
/// the weights whose log-precision `s` is learned (MAP):
/// `nll + ½·eˢ·‖w‖² − 3s`.
#[allow(clippy::too_many_arguments)] // reason: 10 scalar parameters is the point
#[differentiable(hessian)]
fn net_loss(
    w11: f64,
    w12: f64,
    w21: f64,
    w22: f64,
    b1: f64,
    b2: f64,
    v1: f64,
    v2: f64,
    c: f64,
    s: f64,
) -> f64 {
    // x = (0.5, -1.2), y = 1
    let h11 = tanh(w11 * 0.5 - w12 * 1.2 + b1);
    let h12 = sigmoid(w21 * 0.5 - w22 * 1.2 + b2);
    let p1 = sigmoid(v1 * h11 + v2 * h12 + c);
    // x = (-0.3, 0.8), y = 0
    let h21 = tanh(w12 * 0.8 - w11 * 0.3 + b1);
    let h22 = sigmoid(w22 * 0.8 - w21 * 0.3 + b2);
    let p2 = sigmoid(v1 * h21 + v2 * h22 + c);
    // x = (1.1, 0.4), y = 1
    let h31 = tanh(w11 * 1.1 + w12 * 0.4 + b1);
    let h32 = sigmoid(w21 * 1.1 + w22 * 0.4 + b2);
    let p3 = sigmoid(v1 * h31 + v2 * h32 + c);
    let nll = -(ln(p1) + ln(1.0 - p2) + ln(p3));
    let w2 = w11.powi(2) + w12.powi(2) + w21.powi(2) + w22.powi(2) + v1.powi(2) + v2.powi(2);
    nll + 0.5 * exp(s) * w2 - 3.0 * s
}

/// The point every method is evaluated at.
///
/// (`pub(crate)`, as the items `tools/second-order-nalgebra.sh` uses from
/// this file.)
pub(crate) const AT: [f64; 10] = [0.7, -1.3, 0.4, 0.8, -0.1, 0.2, 1.5, -0.6, 0.3, -0.5];

/// `f(AT[0], …, AT[9])` for a generated fn of [`net_loss`]'s 10 params
/// (followed by `$rest`, e.g. directions).
macro_rules! at {
    ($f:ident $(, $rest:expr)*) => {{
        let p = black_box(AT);
        $f(p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7], p[8], p[9] $(, $rest)*)
    }};
}

/// The tuple of 10 partials as an array.
type Tuple10 = (f64, f64, f64, f64, f64, f64, f64, f64, f64, f64);
fn array10(t: Tuple10) -> [f64; 10] {
    [t.0, t.1, t.2, t.3, t.4, t.5, t.6, t.7, t.8, t.9]
}

pub(crate) fn grad_hessian() -> Matrix<f64> {
    at!(net_loss_hessian)
}

pub(crate) fn grad_grad() -> Tuple10 {
    at!(net_loss_grad)
}

/// `H·e₃`, one column.
fn grad_hvp() -> Tuple10 {
    at!(
        net_loss_hvp,
        0.0,
        0.0,
        0.0,
        1.0,
        0.0,
        0.0,
        0.0,
        0.0,
        0.0,
        0.0
    )
}

/// [`net_loss`] for any `num_dual` number, op for op.
#[path = "second_order/dual.rs"]
pub(crate) mod dual;

/// The Hessian by num-dual's `HyperDual64`: one pass per `i ≤ j`
/// (`eps1 = eᵢ`, `eps2 = eⱼ`, read `eps1eps2`), mirrored.
#[allow(clippy::needless_range_loop)] // reason: i and j index h both ways, and the seeds
pub(crate) fn num_dual_hyperdual(at: [f64; 10]) -> [[f64; 10]; 10] {
    use num_dual::HyperDual64;
    let mut h = [[0.0; 10]; 10];
    for i in 0..10 {
        for j in i..10 {
            let args = std::array::from_fn(|k| {
                let e1 = if k == i { 1.0 } else { 0.0 };
                let e2 = if k == j { 1.0 } else { 0.0 };
                HyperDual64::new(at[k], e1, e2, 0.0)
            });
            let v = dual::net_loss(args).eps1eps2;
            h[i][j] = v;
            h[j][i] = v;
        }
    }
    h
}

/// The Hessian's diagonal by num-dual's `Dual2_64`: one pass per parameter.
fn num_dual_dual2_diag(at: [f64; 10]) -> [f64; 10] {
    use num_dual::Dual2_64;
    std::array::from_fn(|i| {
        let args =
            std::array::from_fn(|k| Dual2_64::new(at[k], if k == i { 1.0 } else { 0.0 }, 0.0));
        dual::net_loss(args).v2
    })
}

/// The generated Hessian equals num-dual's (both scalar methods), entry by
/// entry within 1e-10 of the entry's magnitude (1e-10 of the largest entry
/// for entries below 1e-6 of it); `_hvp` is its column; `_grad` and the
/// value agree with num-dual's first derivatives.
fn check_hessian10() {
    let h = grad_hessian();
    assert_eq!(h.shape(), (10, 10));
    let hd = num_dual_hyperdual(AT);
    let diag = num_dual_dual2_diag(AT);
    let scale = hd.iter().flatten().fold(0.0_f64, |s, v| s.max(v.abs()));
    let close = |a: f64, b: f64| (a - b).abs() <= 1e-10 * b.abs().max(1e-6 * scale);
    for i in 0..10 {
        for j in 0..10 {
            assert!(
                close(h[(i, j)], hd[i][j]),
                "hessian[{i}][{j}]: grad {:e}, num-dual {:e}",
                h[(i, j)],
                hd[i][j]
            );
        }
        assert!(close(h[(i, i)], diag[i]), "hessian[{i}][{i}] vs Dual2");
    }
    let col = array10(grad_hvp());
    for (i, &v) in col.iter().enumerate() {
        assert!(
            close(v, hd[i][3]),
            "hvp[{i}] = {v:e}, num-dual {:e}",
            hd[i][3]
        );
    }
    // First derivatives and the value, from the same HyperDual passes.
    let g = array10(grad_grad());
    for (i, &gi) in g.iter().enumerate() {
        let args = std::array::from_fn(|k| {
            num_dual::HyperDual64::new(AT[k], if k == i { 1.0 } else { 0.0 }, 0.0, 0.0)
        });
        let r = dual::net_loss(args);
        assert!(
            (gi - r.eps1).abs() <= 1e-12 * (1.0 + r.eps1.abs()),
            "grad[{i}]"
        );
        assert!((at!(net_loss) - r.re).abs() <= 1e-12 * r.re.abs(), "value");
    }
}

// ---------------------------------------------------------------- the MLP, batch 64

#[path = "second_order/mlp.rs"]
mod mlp;

use mlp::{
    BATCH, Mlp, check_mlp, mlp_loss_f32_grad, mlp_loss_f32_hvp, mlp_loss_f64_grad, mlp_loss_f64_hvp,
};

// ---------------------------------------------------------------- benches

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .sample_size(30)
}

fn hessian10(c: &mut Criterion) {
    let mut g = c.benchmark_group("hessian10");
    g.bench_function("grad_hessian", |b| b.iter(grad_hessian));
    g.bench_function("grad_hvp", |b| b.iter(grad_hvp));
    g.bench_function("grad_grad", |b| b.iter(grad_grad));
    g.bench_function("num-dual_hyperdual", |b| {
        b.iter(|| num_dual_hyperdual(black_box(AT)))
    });
    g.bench_function("num-dual_dual2_diag", |b| {
        b.iter(|| num_dual_dual2_diag(black_box(AT)))
    });
    g.finish();
}

fn mlp_hvp(c: &mut Criterion) {
    let (m32, m64) = (Mlp::<f32>::new(), Mlp::<f64>::new());
    check_mlp(&m32, &m64);
    let mut g = c.benchmark_group("mlp_hvp");
    g.bench_function(BenchmarkId::new("grad", "f32"), |b| {
        b.iter(|| m32.grad(mlp_loss_f32_grad))
    });
    g.bench_function(BenchmarkId::new("hvp", "f32"), |b| {
        b.iter(|| m32.hvp(mlp_loss_f32_hvp))
    });
    g.bench_function(BenchmarkId::new("fd_hvp", "f32"), |b| {
        b.iter(|| m32.fd_hvp(mlp_loss_f32_grad, 1e-2))
    });
    g.bench_function(BenchmarkId::new("grad", "f64"), |b| {
        b.iter(|| m64.grad(mlp_loss_f64_grad))
    });
    g.bench_function(BenchmarkId::new("hvp", "f64"), |b| {
        b.iter(|| m64.hvp(mlp_loss_f64_hvp))
    });
    g.bench_function(BenchmarkId::new("fd_hvp", "f64"), |b| {
        b.iter(|| m64.fd_hvp(mlp_loss_f64_grad, 1e-5))
    });
    g.finish();
}

fn benches(c: &mut Criterion) {
    check_hessian10();
    hessian10(c);
    mlp_hvp(c);
}

criterion_group! {
    name = group_all;
    config = config();
    targets = benches
}

// ---------------------------------------------------------------- interleaved ratios

/// Times `impls` in short alternating slices (all see the same load) and
/// prints each one's fastest slice and its ratio to the first.
pub(crate) fn race(name: &str, calls: u32, rounds: usize, impls: &mut [(&str, &mut dyn FnMut())]) {
    let mut best = vec![f64::INFINITY; impls.len()];
    for round in 0..rounds {
        for k in 0..impls.len() {
            let i = (k + round) % impls.len();
            let start = Instant::now();
            for _ in 0..calls {
                (impls[i].1)();
            }
            let ns = start.elapsed().as_nanos() as f64 / f64::from(calls);
            best[i] = best[i].min(ns);
        }
    }
    println!("{name}");
    for (i, (label, _)) in impls.iter().enumerate() {
        println!(
            "  {label:<22} {:>12.1} ns   ÷ {} {:6.2}",
            best[i],
            impls[0].0,
            best[i] / best[0]
        );
    }
}

/// `GRAD_INTERLEAVED=1`: the same comparisons, fastest slice each.
fn interleaved() {
    check_hessian10();
    race(
        "hessian10",
        2_000,
        60,
        &mut [
            ("grad_grad", &mut || {
                black_box(grad_grad());
            }),
            ("grad_hvp", &mut || {
                black_box(grad_hvp());
            }),
            ("grad_hessian", &mut || drop(black_box(grad_hessian()))),
            ("num-dual_hyperdual", &mut || {
                black_box(num_dual_hyperdual(black_box(AT)));
            }),
            ("num-dual_dual2_diag", &mut || {
                black_box(num_dual_dual2_diag(black_box(AT)));
            }),
        ],
    );
    let (m32, m64) = (Mlp::<f32>::new(), Mlp::<f64>::new());
    check_mlp(&m32, &m64);
    for (t, g, h, f) in [
        (
            "f32",
            &mut (|| drop(black_box(m32.grad(mlp_loss_f32_grad)))) as &mut dyn FnMut(),
            &mut (|| drop(black_box(m32.hvp(mlp_loss_f32_hvp)))) as &mut dyn FnMut(),
            &mut (|| drop(black_box(m32.fd_hvp(mlp_loss_f32_grad, 1e-2)))) as &mut dyn FnMut(),
        ),
        (
            "f64",
            &mut (|| drop(black_box(m64.grad(mlp_loss_f64_grad)))) as &mut dyn FnMut(),
            &mut (|| drop(black_box(m64.hvp(mlp_loss_f64_hvp)))) as &mut dyn FnMut(),
            &mut (|| drop(black_box(m64.fd_hvp(mlp_loss_f64_grad, 1e-5)))) as &mut dyn FnMut(),
        ),
    ] {
        race(
            &format!("mlp_hvp/{t} (batch {BATCH})"),
            5,
            40,
            &mut [("grad", g), ("hvp", h), ("fd_hvp", f)],
        );
    }
}

fn main() {
    if std::env::var_os("GRAD_INTERLEAVED").is_some() {
        interleaved();
        return;
    }
    group_all();
    Criterion::default().configure_from_args().final_summary();
}
