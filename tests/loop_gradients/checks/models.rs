//! Small models trained through loops: a tanh RNN (its loss at the last
//! step and over every step) and a minibatch loss accumulated sample by
//! sample.

use super::{close_f32, to_f32, widened};
use crate::defs::*;
use crate::support::{Rng, central, close, close_all};

// ---------------------------------------------------------------- RNN

/// 16-wide state, 50 steps: `w` (256), `u`, `v`, `b`, `h0` (16 each), the
/// inputs `a` and `c` (50 each).
struct Rnn {
    p: [Vec<f64>; 5],
    a: Vec<f64>,
    c: Vec<f64>,
}

impl Rnn {
    const WIDTH: usize = 16;
    const STEPS: usize = 50;

    fn new(rng: &mut Rng) -> Self {
        let n = Self::WIDTH;
        // Entries ±0.4: spectral radius about √(16·0.4²/3) ≈ 0.92, so the
        // state neither saturates nor dies over 50 steps.
        let w = rng.vec(n * n, -0.4, 0.4);
        let p = [
            w,
            rng.vec(n, -0.5, 0.5),
            rng.vec(n, -0.5, 0.5),
            rng.vec(n, -0.2, 0.2),
            rng.vec(n, -0.5, 0.5),
        ];
        Rnn {
            p,
            a: rng.vec(Self::STEPS, -1.0, 1.0),
            c: rng.vec(Self::STEPS, -1.0, 1.0),
        }
    }

    fn widened(&self) -> Self {
        Rnn {
            p: self.p.clone().map(|v| widened(&v)),
            a: widened(&self.a),
            c: widened(&self.c),
        }
    }

    fn f32(&self) -> ([Vec<f32>; 5], Vec<f32>, Vec<f32>) {
        (
            self.p.clone().map(|v| to_f32(&v)),
            to_f32(&self.a),
            to_f32(&self.c),
        )
    }
}

type Rnn5 = (Vec<f64>, Vec<f64>, Vec<f64>, Vec<f64>, Vec<f64>);

/// The signature of [`rnn`] and [`rnn_all`].
type RnnFn = fn(&[f64], &[f64], &[f64], &[f64], &[f64], &[f64], &[f64]) -> f64;

fn rnn_check(name: &str, f: RnnFn, g: Rnn5) {
    let mut rng = Rng::for_test(name);
    let r = Rnn::new(&mut rng);
    let grads = [g.0, g.1, g.2, g.3, g.4];
    let names = ["w", "u", "v", "b", "h0"];
    for (which, grad) in grads.iter().enumerate() {
        assert_eq!(
            grad.len(),
            r.p[which].len(),
            "{name}: d{} length",
            names[which]
        );
        // All 16 entries of the small ones, 32 sampled entries of w.
        let coords: Vec<usize> = if which == 0 {
            (0..32).map(|_| rng.index(grad.len())).collect()
        } else {
            (0..grad.len()).collect()
        };
        for k in coords {
            let fd = central(&r.p[which], k, 1e-6, |q| {
                let mut p = r.p.clone();
                p[which] = q.to_vec();
                f(&p[0], &p[1], &p[2], &p[3], &p[4], &r.a, &r.c)
            });
            close(
                &format!("{name}: d{}[{k}]", names[which]),
                grad[k],
                fd,
                1e-6,
            );
        }
    }
}

fn rnn_inputs(name: &str) -> Rnn {
    Rnn::new(&mut Rng::for_test(name))
}

#[test]
fn rnn_16_wide_50_steps_against_central_differences() {
    let r = rnn_inputs("rnn");
    let [w, u, v, b, h0] = &r.p;
    let (value, g) = rnn_value_and_grad(w, u, v, b, h0, &r.a, &r.c);
    assert_eq!(value.to_bits(), rnn(w, u, v, b, h0, &r.a, &r.c).to_bits());
    assert!(
        value > 0.1,
        "the state is alive after 50 steps: Σh² = {value}"
    );
    rnn_check("rnn", rnn, g);
}

#[test]
fn rnn_loss_over_every_step_against_central_differences() {
    let r = rnn_inputs("rnn_all");
    let [w, u, v, b, h0] = &r.p;
    rnn_check("rnn_all", rnn_all, rnn_all_grad(w, u, v, b, h0, &r.a, &r.c));
}

#[test]
fn rnn_f32_against_f64() {
    let r = rnn_inputs("rnn_f32").widened();
    let [w, u, v, b, h0] = &r.p;
    let g64 = rnn_grad(w, u, v, b, h0, &r.a, &r.c);
    let ([w, u, v, b, h0], a, c) = r.f32();
    let g32 = rnn_f32_grad(&w, &u, &v, &b, &h0, &a, &c);
    close_f32("dw", &g32.0, &g64.0, 1e-3);
    close_f32("du", &g32.1, &g64.1, 1e-3);
    close_f32("dv", &g32.2, &g64.2, 1e-3);
    close_f32("db", &g32.3, &g64.3, 1e-3);
    close_f32("dh0", &g32.4, &g64.4, 1e-3);
}

// ---------------------------------------------------------------- minibatch

const BATCH: usize = 32;
const DIM: usize = 5;

fn batch(name: &str) -> (Vec<f64>, f64, Vec<f64>, Vec<f64>) {
    let mut rng = Rng::for_test(name);
    let w = rng.vec(DIM, -1.0, 1.0);
    let b = rng.uniform_f64(-0.5, 0.5);
    (
        w,
        b,
        rng.vec(BATCH * DIM, -2.0, 2.0),
        rng.vec(BATCH, -1.0, 1.0),
    )
}

#[test]
fn minibatch_loop_equals_the_sum_of_per_sample_gradients() {
    let (w, b, x, y) = batch("minibatch");
    let (loss, (dw, db)) = batch_loss_value_and_grad(&w, b, &x, &y);
    let mut want_loss = 0.0;
    let mut want_dw = vec![0.0; DIM];
    let mut want_db = 0.0;
    for i in 0..BATCH {
        let xi = &x[i * DIM..(i + 1) * DIM];
        want_loss += sample_loss(&w, b, xi, y[i]);
        let (gw, gb) = sample_loss_grad(&w, b, xi, y[i]);
        for (s, g) in want_dw.iter_mut().zip(&gw) {
            *s += g;
        }
        want_db += gb;
    }
    close("loss", loss, want_loss, 1e-13);
    close_all("dw", &dw, &want_dw, 1e-12);
    close("db", db, want_db, 1e-12);
    // Closed form: dw = 2·Σ rᵢ·xᵢ, db = 2·Σ rᵢ.
    let r: Vec<f64> = (0..BATCH)
        .map(|i| (0..DIM).map(|j| w[j] * x[i * DIM + j]).sum::<f64>() + b - y[i])
        .collect();
    let closed: Vec<f64> = (0..DIM)
        .map(|j| 2.0 * (0..BATCH).map(|i| r[i] * x[i * DIM + j]).sum::<f64>())
        .collect();
    close_all("dw closed form", &dw, &closed, 1e-12);
    close("db closed form", db, 2.0 * r.iter().sum::<f64>(), 1e-12);
    // The enumerate form of the same loss.
    let (loss_e, (dw_e, db_e)) = batch_loss_enum_value_and_grad(&w, b, &x, &y);
    close("enumerate loss", loss_e, loss, 1e-13);
    close_all("enumerate dw", &dw_e, &dw, 1e-12);
    close("enumerate db", db_e, db, 1e-12);
}

#[test]
fn minibatch_f32_against_f64() {
    let (w, b, x, y) = batch("minibatch_f32");
    let (w, b, x, y) = (widened(&w), f64::from(b as f32), widened(&x), widened(&y));
    let (dw, db) = batch_loss_grad(&w, b, &x, &y);
    let (dw32, db32) = batch_loss_f32_grad(&to_f32(&w), b as f32, &to_f32(&x), &to_f32(&y));
    close_f32("dw", &dw32, &dw, 1e-5);
    close_f32("db", &[db32], &[db], 1e-5);
}
