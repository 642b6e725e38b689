//! The gradient of a 784-128-10 tanh MLP with softmax cross-entropy at batch 1
//! (f32), three ways in one criterion group so they read as ratios of one run:
//!
//! - `generated`: `mlp_loss_grad` from `#[differentiable]`;
//! - `hand_written`: the same gradient by hand on `grad::kernels` (matvec,
//!   tanh, cross-entropy backward, matvec backward, tanh backward, and the
//!   outer product `dw1 = dz1·xᵀ` row by row), allocating only the returned
//!   gradients, as the generated fn does;
//! - `copy_400kb`: copying a 784·128-float buffer into another, the memory
//!   floor (`w1` is 400 KB read at least once, `dw1` 400 KB written once).
//!
//! The same model and initialization as `/work/shared/peers/mlp.py` (uniform
//! weights in ±0.05, inputs in ±0.5, class 0), which times PyTorch and JAX.
//!
//! ```text
//! cargo bench -p grad --bench mlp
//! GRAD_INTERLEAVED=1 cargo bench -p grad --bench mlp   # alternating slices
//! tools/mlp-peers.sh                                   # optional: the peers
//! ```

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group};
use grad::kernels;
use grad::prelude::*;

const IN: usize = 784;
const HID: usize = 128;
const OUT: usize = 10;

#[differentiable(wrt(w1, b1, w2, b2))]
fn mlp_loss(w1: &[f32], b1: &[f32], w2: &[f32], b2: &[f32], x: &[f32], class: usize) -> f32 {
    let h = tanh(matvec(w1, x) + b1);
    cross_entropy(matvec(w2, h) + b2, class)
}

/// The gradients of `w1`, `b1`, `w2`, `b2`.
type Grads = (Vec<f32>, Vec<f32>, Vec<f32>, Vec<f32>);

/// `mlp_loss`'s gradient by hand: forward with the kernels into stack
/// buffers, then backward; the four returned `Vec`s are the only allocations.
fn hand_written(w1: &[f32], b1: &[f32], w2: &[f32], b2: &[f32], x: &[f32], class: usize) -> Grads {
    // Forward: h = tanh(w1·x + b1), z = w2·h + b2.
    let mut a = [0.0_f32; HID];
    kernels::matvec(w1, x, &mut a);
    for (a, &b) in a.iter_mut().zip(b1) {
        *a += b;
    }
    let mut h = [0.0_f32; HID];
    kernels::tanh(&a, &mut h);
    let mut z = [0.0_f32; OUT];
    kernels::matvec(w2, &h, &mut z);
    for (z, &b) in z.iter_mut().zip(b2) {
        *z += b;
    }
    // Backward: dz = softmax(z) − onehot(class) = db2.
    let mut db2 = vec![0.0_f32; OUT];
    kernels::cross_entropy_backward(&z, OUT, &[class], 1.0, &mut db2);
    // dw2 = dz·hᵀ, dh = w2ᵀ·dz.
    let mut dw2 = vec![0.0_f32; OUT * HID];
    let mut dh = [0.0_f32; HID];
    kernels::matvec_backward(w2, &h, &db2, &mut dw2, &mut dh);
    // da = dh·(1 − h²) = db1.
    let mut db1 = vec![0.0_f32; HID];
    kernels::tanh_backward(&h, &dh, &mut db1);
    // dw1 = da·xᵀ, row by row into fresh capacity (dx is not needed, so not
    // matvec_backward; no zeroing pass before the products).
    let mut dw1 = Vec::with_capacity(HID * IN);
    for &g in &db1 {
        dw1.extend(x.iter().map(|&xi| g * xi));
    }
    (dw1, db1, dw2, db2)
}

/// SplitMix64 (as `tests/common/rng.rs`): tiny, seeded, reproducible.
struct Rng(u64);

impl Rng {
    fn uniform(&mut self, lo: f32, hi: f32) -> f32 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        let u = ((z ^ (z >> 31)) >> 40) as f32 / (1u64 << 24) as f32;
        lo + (hi - lo) * u
    }

    fn vec(&mut self, n: usize, half: f32) -> Vec<f32> {
        (0..n).map(|_| self.uniform(-half, half)).collect()
    }
}

/// The parameters and one input, from a fixed seed.
struct Model {
    w1: Vec<f32>,
    b1: Vec<f32>,
    w2: Vec<f32>,
    b2: Vec<f32>,
    x: Vec<f32>,
    class: usize,
}

impl Model {
    fn new() -> Self {
        let mut rng = Rng(0x5eed_0784_0128_0010);
        Model {
            w1: rng.vec(HID * IN, 0.05),
            b1: rng.vec(HID, 0.05),
            w2: rng.vec(OUT * HID, 0.05),
            b2: rng.vec(OUT, 0.05),
            x: rng.vec(IN, 0.5),
            class: 0,
        }
    }

    fn generated(&self) -> Grads {
        let m = black_box(self);
        mlp_loss_grad(&m.w1, &m.b1, &m.w2, &m.b2, &m.x, m.class)
    }

    fn hand_written(&self) -> Grads {
        let m = black_box(self);
        hand_written(&m.w1, &m.b1, &m.w2, &m.b2, &m.x, m.class)
    }
}

/// The hand-written gradient equals the generated one (each of the four within
/// 1e-5 of its largest magnitude), and the loss is what it should be.
fn agree(m: &Model) {
    let g = m.generated();
    let h = m.hand_written();
    for (name, g, h) in [
        ("w1", &g.0, &h.0),
        ("b1", &g.1, &h.1),
        ("w2", &g.2, &h.2),
        ("b2", &g.3, &h.3),
    ] {
        assert_eq!(g.len(), h.len(), "d{name}: lengths");
        let scale = h.iter().fold(0.0_f32, |s, v| s.max(v.abs()));
        assert!(scale > 0.0, "d{name} is all zeros");
        let worst = g
            .iter()
            .zip(h)
            .fold(0.0_f32, |s, (a, b)| s.max((a - b).abs()));
        assert!(
            worst <= 1e-5 * scale,
            "d{name}: generated and hand-written differ by {worst:e} (scale {scale:e})"
        );
    }
    let loss = mlp_loss(&m.w1, &m.b1, &m.w2, &m.b2, &m.x, m.class);
    assert!(
        loss.is_finite() && (loss - (OUT as f32).ln()).abs() < 0.5,
        "loss {loss}"
    );
}

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .sample_size(50)
}

fn mlp(c: &mut Criterion) {
    let m = Model::new();
    agree(&m);
    let src = m.w1.clone();
    let mut dst = vec![0.0_f32; HID * IN];
    let mut g = c.benchmark_group("mlp");
    g.bench_function("generated", |b| b.iter(|| m.generated()));
    g.bench_function("hand_written", |b| b.iter(|| m.hand_written()));
    g.bench_function("copy_400kb", |b| {
        b.iter(|| black_box(&mut dst[..]).copy_from_slice(black_box(&src)))
    });
    g.finish();
}

criterion_group! {
    name = group_all;
    config = config();
    targets = mlp
}

/// One implementation under `interleaved`, called for its effect.
type Timed<'a> = Box<dyn FnMut() + 'a>;

/// `GRAD_INTERLEAVED=1`: the three in short alternating slices (all see the
/// same load); prints each one's fastest and median slice, in µs per call.
fn interleaved() {
    const ROUNDS: usize = 200;
    const CALLS: u32 = 50;
    let m = Model::new();
    agree(&m);
    let src = m.w1.clone();
    let mut dst = vec![0.0_f32; HID * IN];
    let mut impls: [(&str, Timed); 3] = [
        ("generated", Box::new(|| drop(black_box(m.generated())))),
        (
            "hand_written",
            Box::new(|| drop(black_box(m.hand_written()))),
        ),
        (
            "copy_400kb",
            Box::new(|| black_box(&mut dst[..]).copy_from_slice(black_box(&src))),
        ),
    ];
    let mut slices = vec![Vec::with_capacity(ROUNDS); impls.len()];
    for round in 0..ROUNDS {
        for k in 0..impls.len() {
            let i = (k + round) % impls.len();
            let start = Instant::now();
            for _ in 0..CALLS {
                (impls[i].1)();
            }
            slices[i].push(start.elapsed().as_secs_f64() * 1e6 / f64::from(CALLS));
        }
    }
    let mut median = [0.0; 3];
    for (i, s) in slices.iter_mut().enumerate() {
        s.sort_by(f64::total_cmp);
        median[i] = s[s.len() / 2];
        println!(
            "{:<13} fastest {:8.2} µs   median {:8.2} µs",
            impls[i].0, s[0], median[i]
        );
    }
    println!(
        "generated/hand_written {:.2}   generated/copy_400kb {:.2}   (medians)",
        median[0] / median[1],
        median[0] / median[2]
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
