//! Generated vector gradients vs hand-written fused gradients of the same
//! losses, in f32, at lengths 10, 1 000 and 32 000; one criterion group per
//! loss, holding both implementations at every length, so each pair reads as
//! a ratio of one run.
//!
//! - `cross_entropy(z, class)` w.r.t. the logits: `hand-written` = fused
//!   `softmax(z) − onehot(class)` in plain loops (libm `exp`);
//!   `hand-kernel` = the same through `grad::kernels::cross_entropy_backward`
//!   (SIMD), the best a user can write with this library;
//! - `mse(w * x + b, y)` w.r.t. `w` and `b`: `hand-written` = one loop,
//!   `r = 2(w·x + b − y)/n`, `dw = r·x`, `db = Σr`; `hand-lanes` = the same
//!   with eight partial sums so it vectorizes.
//!
//! Both sides return a freshly allocated gradient, as the generated fns do.
//!
//! ```text
//! cargo bench -p grad --bench vectors
//! tools/vector-bench-ratios.sh     # generated ÷ hand-written per group
//! ```

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use grad::prelude::*;

/// The lengths of the issue.
const LENGTHS: [usize; 3] = [10, 1_000, 32_000];

#[differentiable]
fn ce(z: &[f32], class: usize) -> f32 {
    cross_entropy(z, class)
}

#[differentiable(wrt(w, b))]
fn regression(w: &[f32], x: &[f32], b: f32, y: &[f32]) -> f32 {
    mse(w * x + b, y)
}

mod hand {
    use grad::kernels;

    /// `softmax(z) − onehot(class)`: plain loops (max; exp and sum; scale), one allocation.
    pub(crate) fn ce_grad(z: &[f32], class: usize) -> Vec<f32> {
        let m = z.iter().copied().fold(f32::NEG_INFINITY, f32::max);
        let mut d = vec![0.0; z.len()];
        let mut s = 0.0;
        for (d, &z) in d.iter_mut().zip(z) {
            *d = (z - m).exp();
            s += *d;
        }
        let inv = 1.0 / s;
        for d in &mut d {
            *d *= inv;
        }
        d[class] -= 1.0;
        d
    }

    /// `softmax(z) − onehot(class)` by the library's SIMD kernel, one allocation.
    pub(crate) fn ce_grad_kernel(z: &[f32], class: usize) -> Vec<f32> {
        let mut d = vec![0.0; z.len()];
        kernels::cross_entropy_backward(z, z.len(), &[class], 1.0, &mut d);
        d
    }

    /// `(r·x, Σr)` with `r = 2(w·x + b − y)/n`: one loop, one allocation.
    pub(crate) fn regression_grad(w: &[f32], x: &[f32], b: f32, y: &[f32]) -> (Vec<f32>, f32) {
        let n = w.len();
        assert!(x.len() == n && y.len() == n, "regression: lengths differ");
        let k = 2.0 / n as f32;
        let mut dw = vec![0.0; n];
        let mut db = 0.0;
        for i in 0..n {
            let r = k * (w[i] * x[i] + b - y[i]);
            db += r;
            dw[i] = r * x[i];
        }
        (dw, db)
    }

    /// The same with eight partial sums for `db`, so the loop vectorizes.
    pub(crate) fn regression_grad_lanes(
        w: &[f32],
        x: &[f32],
        b: f32,
        y: &[f32],
    ) -> (Vec<f32>, f32) {
        let n = w.len();
        assert!(x.len() == n && y.len() == n, "regression: lengths differ");
        let k = 2.0 / n as f32;
        let mut dw = vec![0.0; n];
        let mut acc = [0.0_f32; 8];
        let body = n - n % 8;
        for c in (0..body).step_by(8) {
            for (l, a) in acc.iter_mut().enumerate() {
                let i = c + l;
                let r = k * (w[i] * x[i] + b - y[i]);
                *a += r;
                dw[i] = r * x[i];
            }
        }
        let mut db: f32 = acc.iter().sum();
        for i in body..n {
            let r = k * (w[i] * x[i] + b - y[i]);
            db += r;
            dw[i] = r * x[i];
        }
        (dw, db)
    }
}

/// A deterministic vector of length `n` in `[lo, hi)`.
fn data(n: usize, seed: u32, lo: f32, hi: f32) -> Vec<f32> {
    let mut s = seed.wrapping_mul(0x9e37_79b9) | 1;
    (0..n)
        .map(|_| {
            s ^= s << 13;
            s ^= s >> 17;
            s ^= s << 5;
            lo + (hi - lo) * (s >> 8) as f32 / (1u32 << 24) as f32
        })
        .collect()
}

/// The generated and hand-written gradients agree before anything is timed.
fn agree() {
    for n in LENGTHS {
        let z = data(n, 1, -4.0, 4.0);
        let g = ce_grad(&z, n / 2);
        for h in [hand::ce_grad(&z, n / 2), hand::ce_grad_kernel(&z, n / 2)] {
            for (a, b) in g.iter().zip(&h) {
                assert!((a - b).abs() <= 1e-6, "ce_grad at n = {n}: {a} vs {b}");
            }
        }
        let (w, x, y) = (
            data(n, 2, -1.0, 1.0),
            data(n, 3, -1.0, 1.0),
            data(n, 4, -1.0, 1.0),
        );
        let ((gw, gb), (hw, hb)) = (
            regression_grad(&w, &x, 0.3, &y),
            hand::regression_grad(&w, &x, 0.3, &y),
        );
        for (a, b) in gw.iter().zip(&hw) {
            assert!(
                (a - b).abs() <= 1e-6,
                "regression dw at n = {n}: {a} vs {b}"
            );
        }
        assert!(
            (gb - hb).abs() <= 1e-4 * (1.0 + hb.abs()),
            "regression db at n = {n}: {gb} vs {hb}"
        );
    }
}

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_millis(1000))
        .sample_size(30)
}

fn vectors(c: &mut Criterion) {
    agree();
    let mut g = c.benchmark_group("cross_entropy");
    for n in LENGTHS {
        let z = data(n, 1, -4.0, 4.0);
        let class = n / 2;
        g.bench_with_input(BenchmarkId::new("generated", n), &z, |b, z| {
            b.iter(|| ce_grad(black_box(z), black_box(class)))
        });
        g.bench_with_input(BenchmarkId::new("hand-written", n), &z, |b, z| {
            b.iter(|| hand::ce_grad(black_box(z), black_box(class)))
        });
        g.bench_with_input(BenchmarkId::new("hand-kernel", n), &z, |b, z| {
            b.iter(|| hand::ce_grad_kernel(black_box(z), black_box(class)))
        });
    }
    g.finish();

    let mut g = c.benchmark_group("mse");
    for n in LENGTHS {
        let (w, x, y) = (
            data(n, 2, -1.0, 1.0),
            data(n, 3, -1.0, 1.0),
            data(n, 4, -1.0, 1.0),
        );
        g.bench_function(BenchmarkId::new("generated", n), |b| {
            b.iter(|| regression_grad(black_box(&w), black_box(&x), black_box(0.3), black_box(&y)))
        });
        g.bench_function(BenchmarkId::new("hand-written", n), |b| {
            b.iter(|| {
                hand::regression_grad(black_box(&w), black_box(&x), black_box(0.3), black_box(&y))
            })
        });
        g.bench_function(BenchmarkId::new("hand-lanes", n), |b| {
            b.iter(|| {
                hand::regression_grad_lanes(
                    black_box(&w),
                    black_box(&x),
                    black_box(0.3),
                    black_box(&y),
                )
            })
        });
    }
    g.finish();
}

criterion_group! {
    name = benches;
    config = config();
    targets = vectors
}
criterion_main!(benches);
