//! A quick speed check of the kernels against naive scalar loops, measured
//! in the same run on every dispatch path (ignored by default; the criterion
//! benches in `benches/kernels` are the reference measurement):
//!
//! ```text
//! cargo test -p grad-core --release --test kernels_speed -- --ignored --nocapture
//! ```
//!
//! Each figure is the fastest of 15 timed batches (robust on a shared,
//! noisy machine); ratios are naive ÷ kernel.

use grad_core::dispatch::{self, Path};
use grad_core::kernels as k;
use std::hint::black_box;
use std::time::Instant;

/// Seconds per call: the fastest of 15 batches of ~5 ms.
fn time(mut f: impl FnMut()) -> f64 {
    let t0 = Instant::now();
    f();
    let once = t0.elapsed().as_secs_f64().max(1e-9);
    let reps = ((0.005 / once) as usize).clamp(1, 100_000);
    (0..15)
        .map(|_| {
            let t = Instant::now();
            for _ in 0..reps {
                f();
            }
            t.elapsed().as_secs_f64() / reps as f64
        })
        .fold(f64::INFINITY, f64::min)
}

fn data(n: usize, scale: f32) -> Vec<f32> {
    (0..n)
        .map(|i| ((i * 7919 % 1000) as f32 - 500.0) * scale)
        .collect()
}

fn paths() -> Vec<Path> {
    Path::ALL.into_iter().filter(|p| p.is_available()).collect()
}

#[test]
#[ignore = "timing; run with --release --ignored --nocapture"]
fn speed_report() {
    println!("\n| op (f32) | size | path | kernel µs | naive µs | naive ÷ kernel |");
    println!("|---|---|---|---|---|---|");
    let row = |op: &str, size: &str, p: Path, t: f64, naive: f64| {
        println!(
            "| {op} | {size} | {} | {:.2} | {:.2} | {:.1}× |",
            p.name(),
            t * 1e6,
            naive * 1e6,
            naive / t
        );
    };
    for n in [1000, 65_536, 1 << 20] {
        let x = data(n, 0.02);
        let mut out = vec![0.0_f32; n];
        let naive_sig = time(|| {
            for (o, &v) in out.iter_mut().zip(black_box(&x)) {
                *o = 1.0 / (1.0 + (-v).exp());
            }
            black_box(&out);
        });
        let naive_tanh = time(|| {
            for (o, &v) in out.iter_mut().zip(black_box(&x)) {
                *o = v.tanh();
            }
            black_box(&out);
        });
        let naive_exp = time(|| {
            for (o, &v) in out.iter_mut().zip(black_box(&x)) {
                *o = v.exp();
            }
            black_box(&out);
        });
        for p in paths() {
            dispatch::with_path(p, || {
                let s = n.to_string();
                row(
                    "sigmoid",
                    &s,
                    p,
                    time(|| k::sigmoid(black_box(&x), &mut out)),
                    naive_sig,
                );
                row(
                    "tanh",
                    &s,
                    p,
                    time(|| k::tanh(black_box(&x), &mut out)),
                    naive_tanh,
                );
                row(
                    "exp",
                    &s,
                    p,
                    time(|| k::exp(black_box(&x), &mut out)),
                    naive_exp,
                );
                if n == 1000 {
                    row(
                        "relu",
                        &s,
                        p,
                        time(|| k::relu(black_box(&x), &mut out)),
                        naive_exp,
                    );
                }
            });
        }
    }
    for (rows, cols) in [(4096, 10), (256, 1000), (64, 32_000)] {
        let n = rows * cols;
        let x = data(n, 0.02);
        let t: Vec<usize> = (0..rows).map(|r| r * 7 % cols).collect();
        let mut out = vec![0.0_f32; n];
        let mut y = vec![0.0_f32; n];
        k::softmax_rows(&x, cols, &mut y);
        let naive_sm = time(|| {
            for (xr, or) in black_box(&x).chunks(cols).zip(out.chunks_mut(cols)) {
                let m = xr.iter().cloned().fold(f32::NEG_INFINITY, f32::max);
                let mut s = 0.0;
                for (o, &v) in or.iter_mut().zip(xr) {
                    *o = (v - m).exp();
                    s += *o;
                }
                for o in or.iter_mut() {
                    *o /= s;
                }
            }
            black_box(&out);
        });
        let naive_ce = time(|| {
            let mut tot = 0.0_f32;
            for (xr, &tt) in black_box(&x).chunks(cols).zip(&t) {
                let m = xr.iter().cloned().fold(f32::NEG_INFINITY, f32::max);
                let s: f32 = xr.iter().map(|&v| (v - m).exp()).sum();
                tot += s.ln() - (xr[tt] - m);
            }
            black_box(tot / rows as f32);
        });
        let naive_smb = time(|| {
            for ((yr, gr), dr) in black_box(&y)
                .chunks(cols)
                .zip(x.chunks(cols))
                .zip(out.chunks_mut(cols))
            {
                let s: f32 = yr.iter().zip(gr).map(|(a, b)| a * b).sum();
                for ((d, &a), &g) in dr.iter_mut().zip(yr).zip(gr) {
                    *d = a * (g - s);
                }
            }
            black_box(&out);
        });
        let naive_ceb = time(|| {
            for ((xr, &tt), dr) in black_box(&x).chunks(cols).zip(&t).zip(out.chunks_mut(cols)) {
                let m = xr.iter().cloned().fold(f32::NEG_INFINITY, f32::max);
                let mut s = 0.0;
                for (o, &v) in dr.iter_mut().zip(xr) {
                    *o = (v - m).exp();
                    s += *o;
                }
                let g = 1.0 / rows as f32;
                for o in dr.iter_mut() {
                    *o *= g / s;
                }
                dr[tt] -= g;
            }
            black_box(&out);
        });
        for p in paths() {
            dispatch::with_path(p, || {
                let s = format!("{rows}×{cols}");
                row(
                    "softmax_rows",
                    &s,
                    p,
                    time(|| k::softmax_rows(black_box(&x), cols, &mut out)),
                    naive_sm,
                );
                row(
                    "cross_entropy",
                    &s,
                    p,
                    time(|| {
                        black_box(k::cross_entropy(black_box(&x), cols, &t));
                    }),
                    naive_ce,
                );
                row(
                    "softmax_rows_backward",
                    &s,
                    p,
                    time(|| k::softmax_rows_backward(black_box(&y), &x, cols, &mut out)),
                    naive_smb,
                );
                row(
                    "cross_entropy_backward",
                    &s,
                    p,
                    time(|| k::cross_entropy_backward(black_box(&x), cols, &t, 1.0, &mut out)),
                    naive_ceb,
                );
            });
        }
    }
    let n = 1 << 20;
    let a = data(n, 0.02);
    let b = data(n, 0.01);
    let naive_sum = time(|| {
        let mut s = 0.0_f32;
        for &v in black_box(&a) {
            s += v;
        }
        black_box(s);
    });
    let naive_dot = time(|| {
        let mut s = 0.0_f32;
        for (&u, &v) in black_box(&a).iter().zip(&b) {
            s += u * v;
        }
        black_box(s);
    });
    let naive_mse = time(|| {
        let mut s = 0.0_f32;
        for (&u, &v) in black_box(&a).iter().zip(&b) {
            s += (u - v) * (u - v);
        }
        black_box(s / n as f32);
    });
    for p in paths() {
        dispatch::with_path(p, || {
            row(
                "sum",
                "1048576",
                p,
                time(|| {
                    black_box(k::sum(black_box(&a)));
                }),
                naive_sum,
            );
            row(
                "dot",
                "1048576",
                p,
                time(|| {
                    black_box(k::dot(black_box(&a), &b));
                }),
                naive_dot,
            );
            row(
                "mse",
                "1048576",
                p,
                time(|| {
                    black_box(k::mse(black_box(&a), &b));
                }),
                naive_mse,
            );
        });
    }
    let n = 1 << 24;
    let a = data(n, 0.001);
    let b = data(n, 0.002);
    let mut out = vec![0.0_f32; n];
    let copy = time(|| {
        out.copy_from_slice(black_box(&a));
        black_box(&out);
    });
    println!(
        "\n| op (f32, 16 777 216) | path | kernel ms | copy of the output bytes ms | kernel ÷ copy |"
    );
    println!("|---|---|---|---|---|");
    for p in paths() {
        dispatch::with_path(p, || {
            for (op, t) in [
                ("relu", time(|| k::relu(black_box(&a), &mut out))),
                (
                    "relu_backward",
                    time(|| k::relu_backward(black_box(&a), &b, &mut out)),
                ),
                (
                    "sigmoid_backward",
                    time(|| k::sigmoid_backward(black_box(&a), &b, &mut out)),
                ),
                (
                    "tanh_backward",
                    time(|| k::tanh_backward(black_box(&a), &b, &mut out)),
                ),
                (
                    "mse_backward",
                    time(|| k::mse_backward(black_box(&a), &b, 1.0, &mut out)),
                ),
            ] {
                println!(
                    "| {op} | {} | {:.2} | {:.2} | {:.2} |",
                    p.name(),
                    t * 1e3,
                    copy * 1e3,
                    t / copy
                );
            }
        });
    }
}
