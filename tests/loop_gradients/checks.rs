//! Each test: a generated gradient through a loop against its closed form
//! (tight) or central differences (step 1e-6, relative 1e-6), and the f32
//! twin against the f64 result (loose).

use crate::defs::*;
use crate::support::{Rng, central, close, close_all};

#[path = "checks/flow.rs"]
mod flow;
#[path = "checks/models.rs"]
mod models;

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
