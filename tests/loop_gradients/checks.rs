//! Each test: a generated gradient through a loop against its closed form
//! (tight) or central differences (step 1e-6, relative 1e-6), and the f32
//! twin against the f64 result (loose).

use grad::Matrix;

use crate::defs::*;
use crate::support::{Rng, central, close, close_all};

/// Loose tolerance for f32 against the f64 result, relative to the largest
/// magnitude of the f64 result (accumulated f32 rounding over the loop).
fn close_f32(what: &str, got: &[f32], want: &[f64], tol: f64) {
    assert_eq!(got.len(), want.len(), "{what}: lengths");
    let scale = want.iter().fold(1.0_f64, |m, w| m.max(w.abs()));
    for (i, (g, w)) in got.iter().zip(want).enumerate() {
        let g = f64::from(*g);
        assert!(
            (g - w).abs() <= tol * scale,
            "{what}[{i}]: f32 {g:e}, f64 {w:e} (tolerance {tol:e} × {scale:e})"
        );
    }
}

fn to_f32(v: &[f64]) -> Vec<f32> {
    v.iter().map(|&x| x as f32).collect()
}

/// `f32` values widened back, so the f64 reference sees the same inputs.
fn widened(v: &[f64]) -> Vec<f64> {
    v.iter().map(|&x| f64::from(x as f32)).collect()
}

// ---------------------------------------------------------------- Horner

#[test]
fn horner_20_coefficients_value_and_derivatives_closed_form() {
    let mut rng = Rng::for_test("horner");
    let c = rng.vec(20, -1.0, 1.0);
    for x in [0.9, -1.1, 0.0, 1.0] {
        let (value, (dc, dx)) = horner_value_and_grad(&c, x);
        assert_eq!(
            value.to_bits(),
            horner(&c, x).to_bits(),
            "value bits at x = {x}"
        );
        let want: f64 = (0..20).map(|i| c[i] * x.powi(i as i32)).sum();
        close(&format!("p({x})"), value, want, 1e-13);
        let want_dx: f64 = (1..20)
            .map(|i| i as f64 * c[i] * x.powi(i as i32 - 1))
            .sum();
        close(&format!("p'({x})"), dx, want_dx, 1e-12);
        let want_dc: Vec<f64> = (0..20).map(|i| x.powi(i)).collect();
        close_all(&format!("dp/dc at {x}"), &dc, &want_dc, 1e-14);
        // The same recurrence over `.iter().copied()` on the reversed
        // coefficients: the same operations in the same order, the same bits.
        let c_rev: Vec<f64> = c.iter().rev().copied().collect();
        let (dc_rev, dx_iter) = horner_iter_grad(&c_rev, x);
        assert_eq!(dx_iter.to_bits(), dx.to_bits(), "iter form d/dx at {x}");
        let dc_back: Vec<f64> = dc_rev.iter().rev().copied().collect();
        assert_eq!(dc_back, dc, "iter form d/dc at {x}");
    }
}

#[test]
fn horner_no_coefficients() {
    assert_eq!(horner_value_and_grad(&[], 0.7), (0.0, (vec![], 0.0)));
}

#[test]
fn horner_f32_against_f64() {
    let mut rng = Rng::for_test("horner_f32");
    let c = widened(&rng.vec(20, -1.0, 1.0));
    let x = f64::from(0.9_f32);
    let (value, (dc, dx)) = horner_f32_value_and_grad(&to_f32(&c), 0.9);
    let (v64, (dc64, dx64)) = horner_value_and_grad(&c, x);
    close_f32("p", &[value], &[v64], 1e-5);
    close_f32("p'", &[dx], &[dx64], 1e-5);
    close_f32("dp/dc", &dc, &dc64, 1e-5);
}

// ---------------------------------------------------------------- Euler

const X0: f64 = 1.5;
const K: f64 = 0.7;
const T: f64 = 2.0;

#[test]
fn euler_1000_steps_discrete_closed_form() {
    let n = 1000;
    let dt = T / n as f64;
    let r = 1.0 - dt * K;
    let rn = r.powi(n as i32);
    let rn1 = r.powi(n as i32 - 1);
    let (x, (dx0, dk, dt_)) = euler_value_and_grad(X0, K, T, n);
    assert_eq!(x.to_bits(), euler(X0, K, T, n).to_bits());
    // x_n = x0·rⁿ with r = 1 − k·t/n: 1000 roundings of a step, ~1e-13.
    close("x_n", x, X0 * rn, 1e-12);
    close("dx_n/dx0 = rⁿ", dx0, rn, 1e-12);
    close("dx_n/dk = −x0·t·rⁿ⁻¹", dk, -X0 * T * rn1, 1e-12);
    close("dx_n/dt = −x0·k·rⁿ⁻¹", dt_, -X0 * K * rn1, 1e-12);
}

#[test]
fn euler_1000_steps_against_the_exponential_within_the_method_error() {
    // Explicit Euler is first order: n·ln(1 − k·dt) = −k·t − k²·t·dt/2 − …,
    // so x_n / x(t) − 1 ≈ −k²·t·dt/2 (= −4.9e-4 here). The gradient is
    // within the same order of its continuous counterpart.
    for n in [1000, 2000] {
        let dt = T / n as f64;
        let leading = K * K * T * dt / 2.0;
        let exact = X0 * (-K * T).exp();
        let (x, (dx0, dk, dt_)) = euler_value_and_grad(X0, K, T, n);
        let rel = x / exact - 1.0;
        assert!(
            rel < 0.0 && (rel.abs() - leading).abs() < 0.01 * leading,
            "n = {n}: relative error {rel:e}, leading term −{leading:e}"
        );
        let tol = 2.0 * K * dt * (1.0 + K * T);
        close(
            &format!("d/dx0 vs e^(−kt), n = {n}"),
            dx0,
            (-K * T).exp(),
            tol,
        );
        close(
            &format!("d/dk vs −t·x0·e^(−kt), n = {n}"),
            dk,
            -T * exact,
            tol,
        );
        close(
            &format!("d/dt vs −k·x0·e^(−kt), n = {n}"),
            dt_,
            -K * exact,
            tol,
        );
    }
}

#[test]
fn euler_gradient_against_central_differences() {
    let n = 1000;
    let (dx0, dk, dt_) = euler_grad(X0, K, T, n);
    let p = [X0, K, T];
    let f = |q: &[f64]| euler(q[0], q[1], q[2], n);
    for (k, (name, g)) in [("x0", dx0), ("k", dk), ("t", dt_)].into_iter().enumerate() {
        close(&format!("d/d{name}"), g, central(&p, k, 1e-6, f), 1e-8);
    }
}

#[test]
fn euler_zero_steps_is_the_identity() {
    let (x, (dx0, dk, dt_)) = euler_value_and_grad(X0, K, T, 0);
    assert_eq!((x, dx0, dk), (X0, 1.0, 0.0));
    // dt = t/0 = ∞ and ∂dt/∂t = 1/0 = ∞: the zero adjoint of dt times ∞ is
    // NaN in IEEE arithmetic (the same as PyTorch), not a dropped term.
    assert!(dt_.is_nan(), "d/dt = {dt_}");
}

#[test]
fn euler_f32_against_the_discrete_closed_form() {
    let n = 1000;
    let (x0, k, t) = (X0 as f32, K as f32, T as f32);
    let (x, (dx0, dk, dt_)) = euler_f32_value_and_grad(x0, k, t, n);
    assert_eq!(x.to_bits(), euler_f32(x0, k, t, n).to_bits());
    let dt = f64::from(t) / n as f64;
    let r = 1.0 - dt * f64::from(k);
    let rn1 = r.powi(n as i32 - 1);
    // 1000 f32 steps: each rounds by ~6e-8 relative, 6e-5 in all at worst.
    close_f32("x_n", &[x], &[f64::from(x0) * r.powi(n as i32)], 2e-4);
    close_f32("d/dx0", &[dx0], &[r.powi(n as i32)], 2e-4);
    close_f32("d/dk", &[dk], &[-f64::from(x0 * t) * rn1], 2e-4);
    close_f32("d/dt", &[dt_], &[-f64::from(x0 * k) * rn1], 2e-4);
}

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

// ---------------------------------------------------------------- products and forms

#[test]
fn cumulative_product_closed_form_and_central_differences() {
    let x = [0.9, -1.2, 1.1, 0.8, -0.7, 1.3, 0.95, -1.05];
    let g = cumprod_sum_grad(&x);
    let prefix: Vec<f64> = x
        .iter()
        .scan(1.0, |p, xi| {
            *p *= xi;
            Some(*p)
        })
        .collect();
    close("value", cumprod_sum(&x), prefix.iter().sum(), 1e-15);
    for j in 0..x.len() {
        // ∂/∂xⱼ Σₖ Pₖ = Σₖ≥ⱼ Pₖ / xⱼ (no xⱼ is 0).
        let want: f64 = prefix[j..].iter().sum::<f64>() / x[j];
        close(&format!("d/dx{j} closed form"), g[j], want, 1e-14);
        close(
            &format!("d/dx{j} central"),
            g[j],
            central(&x, j, 1e-6, cumprod_sum),
            1e-8,
        );
    }
}

#[test]
fn nested_quadratic_form_gradient_is_a_plus_at_x_and_x_xt() {
    let n = 8;
    let mut rng = Rng::for_test("quad_form");
    let x = rng.vec(n, -1.0, 1.0);
    let a = rng.vec(n * n, -1.0, 1.0);
    let (dx, da) = quad_form_grad(&x, &a);
    for i in 0..n {
        let want: f64 = (0..n).map(|j| (a[i * n + j] + a[j * n + i]) * x[j]).sum();
        close(&format!("dx[{i}]"), dx[i], want, 1e-13);
        for j in 0..n {
            close(&format!("dA[{i},{j}]"), da[i * n + j], x[i] * x[j], 1e-15);
        }
    }
    let x = widened(&x);
    let a = widened(&a);
    let (dx64, da64) = quad_form_grad(&x, &a);
    let (dx32, da32) = quad_form_f32_grad(&to_f32(&x), &to_f32(&a));
    close_f32("f32 dx", &dx32, &dx64, 1e-5);
    close_f32("f32 dA", &da32, &da64, 1e-6);
}

// ---------------------------------------------------------------- if and loops

#[test]
fn loops_inside_the_branches_of_an_if() {
    let x = [0.5, -1.5, 2.0, 0.25];
    let (v, (dx, ds)) = loop_in_if_value_and_grad(&x, 0.5);
    close("s > 0: Σx²", v, x.iter().map(|t| t * t).sum(), 1e-15);
    close_all("s > 0: 2x", &dx, &x.map(|t| 2.0 * t), 1e-15);
    assert_eq!(ds, 0.0);
    let (v, (dx, ds)) = loop_in_if_value_and_grad(&x, -0.5);
    let sx: f64 = x.iter().sum();
    close("s ≤ 0: −s·Σx", v, 0.5 * sx, 1e-15);
    close_all("s ≤ 0: −s", &dx, &[0.5; 4], 1e-15);
    close("s ≤ 0: −Σx", ds, -sx, 1e-15);
}

#[test]
fn if_inside_a_loop_against_central_differences() {
    let x = [0.5, -1.5, 2.0, -0.25, 0.75, -0.6, 1.2];
    let g = 0.8;
    let (v, (dx, dg)) = if_in_loop_value_and_grad(&x, g);
    // The same thing in plain Rust.
    let (mut want, mut f) = (0.0, 1.0);
    for &xi in &x {
        if xi > 0.0 {
            want += f * xi * xi;
        } else {
            want += 0.1 * xi;
            f *= g;
        }
    }
    assert_eq!(v.to_bits(), f64::to_bits(want));
    for (k, &dxk) in dx.iter().enumerate() {
        close(
            &format!("dx[{k}]"),
            dxk,
            central(&x, k, 1e-6, |q| if_in_loop(q, g)),
            1e-8,
        );
    }
    close(
        "dg",
        dg,
        central(&[g], 0, 1e-6, |q| if_in_loop(&x, q[0])),
        1e-8,
    );
    // Closed form: f before a positive xᵢ is g^mᵢ (mᵢ non-positive ones before it).
    let mut m = 0;
    let mut want_dg = 0.0;
    for &xi in &x {
        if xi > 0.0 {
            want_dg += f64::from(m) * g.powi(m - 1) * xi * xi;
        } else {
            m += 1;
        }
    }
    close("dg closed form", dg, want_dg, 1e-14);
}

#[test]
fn enumerate_weights_by_the_index() {
    let x = [0.5, -1.5, 2.0, 0.25, -0.75];
    let g = weighted_squares_grad(&x);
    let want: Vec<f64> = (0..5).map(|i| 2.0 * (i as f64 + 1.0) * x[i]).collect();
    assert_eq!(g, want);
}

#[test]
fn zip_stops_at_the_shorter_and_leaves_the_rest_zero() {
    let u = [0.5, -1.5, 2.0, 0.25, -0.75];
    let v = [1.0, 0.5, -0.5, 0.0, 0.25, 9.0, -9.0];
    let (du, dv) = zip_sq_dist_grad(&u, &v);
    let want: Vec<f64> = (0..5).map(|i| 2.0 * (u[i] - v[i])).collect();
    assert_eq!(du, want);
    let mut want_v: Vec<f64> = want.iter().map(|d| -d).collect();
    want_v.extend([0.0, 0.0]);
    assert_eq!(dv, want_v);
    // Swapped: the first one is now the longer one.
    let (dv2, du2) = zip_sq_dist_grad(&v, &u);
    assert_eq!((dv2, du2), (want_v, want));
}

// ---------------------------------------------------------------- carried arrays and matrices

#[test]
fn array_parameter_carried_across_iterations() {
    let x = [0.5, -1.5, 2.0, 0.25];
    let a = 0.8;
    for steps in [0, 1, 10] {
        let (dx, da): ([f64; 4], f64) = array_carry_grad(x, a, steps);
        for (k, &dxk) in dx.iter().enumerate() {
            let fd = central(&x, k, 1e-6, |q| {
                array_carry(q.try_into().unwrap(), a, steps)
            });
            close(&format!("{steps} steps: dx[{k}]"), dxk, fd, 1e-8);
        }
        let fd = central(&[a], 0, 1e-6, |q| array_carry(x, q[0], steps));
        close(&format!("{steps} steps: da"), da, fd, 1e-8);
    }
}

/// A carried value copied from a parameter the body also reads: both
/// adjoints reach the parameter.
#[test]
fn array_parameter_carried_and_read_in_the_body() {
    let x = [0.5, -1.5, 2.0, 0.25];
    let a = 0.8;
    // Zero steps: Σx², gradient 2x and nothing for a.
    assert_eq!(array_carry_reread_grad(x, a, 0), (x.map(|t| 2.0 * t), 0.0));
    for steps in [1, 10] {
        let (dx, da) = array_carry_reread_grad(x, a, steps);
        for (k, &dxk) in dx.iter().enumerate() {
            let fd = central(&x, k, 1e-6, |q| {
                array_carry_reread(q.try_into().unwrap(), a, steps)
            });
            close(&format!("{steps} steps: dx[{k}]"), dxk, fd, 1e-8);
        }
        let fd = central(&[a], 0, 1e-6, |q| array_carry_reread(x, q[0], steps));
        close(&format!("{steps} steps: da"), da, fd, 1e-8);
    }
}

#[test]
fn scalar_carried_from_a_parameter_read_in_the_body() {
    // y₀ = x, yₙ = yₙ₋₁/2 + x: yₙ = (2 − 2⁻ⁿ)·x, so dyₙ/dx = 2 − 2⁻ⁿ = 1, 1.5, 1.75.
    for (steps, want) in [(0, 1.0), (1, 1.5), (2, 1.75)] {
        assert_eq!(halving_grad(1.0, steps), want, "{steps} steps");
    }
}

#[test]
fn matrix_carried_across_iterations() {
    let mut rng = Rng::for_test("matrix_carry");
    let m0 = rng.vec(12, -1.0, 1.0);
    let w = rng.vec(16, -0.8, 0.8);
    let mat = |r, c, v: &[f64]| Matrix::from_vec(r, c, v.to_vec());
    let (dm0, dw) = matrix_carry_grad(&mat(3, 4, &m0), &mat(4, 4, &w), 5);
    assert_eq!((dm0.shape(), dw.shape()), ((3, 4), (4, 4)));
    for k in 0..12 {
        let fd = central(&m0, k, 1e-6, |q| {
            matrix_carry(&mat(3, 4, q), &mat(4, 4, &w), 5)
        });
        close(&format!("dm0[{k}]"), dm0.as_slice()[k], fd, 1e-8);
    }
    for k in 0..16 {
        let fd = central(&w, k, 1e-6, |q| {
            matrix_carry(&mat(3, 4, &m0), &mat(4, 4, q), 5)
        });
        close(&format!("dw[{k}]"), dw.as_slice()[k], fd, 1e-8);
    }
}

#[test]
fn vec_of_a_parameter_as_the_initial_state() {
    let x = [0.5, -1.5, 2.0, 0.25];
    let s = 0.7;
    let (dx, ds) = filled_start_grad(&x, s);
    // h₃ = s·(x³ + x² + x + 1) per element.
    let want_ds: f64 = x.iter().map(|t| t * t * t + t * t + t + 1.0).sum();
    close("ds", ds, want_ds, 1e-14);
    close_all(
        "dx",
        &dx,
        &x.map(|t| s * (3.0 * t * t + 2.0 * t + 1.0)),
        1e-14,
    );
}
