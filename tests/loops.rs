//! Loops and mutation in #[differentiable] fns: a dot-product loop (which
//! stores nothing), Euler steps against the closed form, Horner.

use grad::differentiable;

#[differentiable]
fn dotloop(w: &[f64], x: &[f64]) -> f64 {
    let mut acc = 0.0;
    for i in 0..w.len() {
        acc += w[i] * x[i];
    }
    acc
}

#[allow(dead_code)] // reason: only its gradient is tested here
#[differentiable]
fn euler(x0: f64, k: f64, steps: usize) -> f64 {
    let dt = 1.0 / steps as f64;
    let mut x = x0;
    for _ in 0..steps {
        x = x - dt * k * x;
    }
    x
}

#[differentiable]
fn horner(c: &[f64], x: f64) -> f64 {
    let mut acc = 0.0;
    for ci in c.iter() {
        acc = acc * x + ci;
    }
    acc
}

#[test]
fn loops_work() {
    let w = [1.0, 2.0, 3.0];
    let x = [0.5, -1.0, 2.0];
    let (dw, dx) = dotloop_grad(&w, &x);
    assert_eq!(dw, x.to_vec());
    assert_eq!(dx, w.to_vec());
    let (v, (dx0, dk)) = euler_value_and_grad(1.0, 0.7, 1000);
    assert!((v - (1.0f64 - 0.7 / 1000.0).powi(1000)).abs() < 1e-12);
    assert!((dx0 - v).abs() < 1e-12);
    let exact_dk = -(1.0f64 - 0.7 / 1000.0).powi(999);
    assert!((dk - exact_dk).abs() < 1e-12, "{dk} {exact_dk}");
    let c = [1.0, -2.0, 3.0];
    let (dc, dxh) = horner_grad(&c, 0.5);
    assert_eq!(dc, vec![0.25, 0.5, 1.0]);
    assert!((dxh - (2.0 * 0.5 - 2.0)).abs() < 1e-12);
}
