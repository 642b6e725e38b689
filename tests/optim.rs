//! `grad::optim::{Sgd, Adam}` against PyTorch's update rules written out by
//! hand, step by step, in plain `f64` arithmetic; a convergence check; and
//! the absence of allocations after the first step.
//!
//! The reference rules are the algorithms of PyTorch's documentation:
//! <https://pytorch.org/docs/stable/generated/torch.optim.SGD.html> and
//! <https://pytorch.org/docs/stable/generated/torch.optim.Adam.html>
//! (`maximize = False`, `amsgrad = False`), with the defaults stated there.

use grad::optim::{Adam, Sgd};
use grad::prelude::*;

#[path = "common/counting.rs"]
mod counting;

#[global_allocator]
static GLOBAL: counting::Counting = counting::Counting;

/// Allocations made on this thread while running `f`.
fn allocations_in(f: impl FnOnce()) -> usize {
    counting::counted(f).0
}

/// The gradient fed at step `t` (1, 2, ...) for parameters `p`: the
/// gradient of Σ (i+1)·(pᵢ − 0.3)² plus a step-dependent push, so that
/// successive gradients differ in size and sign.
fn gradient(p: &[f64], t: usize) -> Vec<f64> {
    p.iter()
        .enumerate()
        .map(|(i, &x)| {
            2.0 * (i as f64 + 1.0) * (x - 0.3) + 0.1 * (t as f64) * (-1.0_f64).powi(i as i32)
        })
        .collect()
}

const P0: [f64; 4] = [1.0, -2.0, 0.5, 0.0];
const STEPS: usize = 5;

/// `a` and `b` agree to rounding.
fn close(a: &[f64], b: &[f64]) {
    assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(b) {
        assert!((x - y).abs() <= 1e-13 * (1.0 + y.abs()), "{a:?} vs {b:?}");
    }
}

/// torch.optim.SGD, as its documentation states the algorithm, for one
/// parameter tensor:
///
/// ```text
/// g_t ← ∇f(θ_{t−1})
/// if λ ≠ 0: g_t ← g_t + λ θ_{t−1}
/// if μ ≠ 0:
///     if t > 1: b_t ← μ b_{t−1} + (1 − τ) g_t   else: b_t ← g_t
///     if nesterov: g_t ← g_t + μ b_t            else: g_t ← b_t
/// θ_t ← θ_{t−1} − γ g_t
/// ```
fn sgd_reference(lr: f64, momentum: f64, dampening: f64, wd: f64, nesterov: bool) -> Vec<f64> {
    let mut theta = P0.to_vec();
    let mut b = vec![0.0; P0.len()];
    for t in 1..=STEPS {
        let grad = gradient(&theta, t);
        for i in 0..theta.len() {
            let mut g = grad[i];
            if wd != 0.0 {
                g += wd * theta[i];
            }
            if momentum != 0.0 {
                b[i] = if t > 1 {
                    momentum * b[i] + (1.0 - dampening) * g
                } else {
                    g
                };
                g = if nesterov { g + momentum * b[i] } else { b[i] };
            }
            theta[i] -= lr * g;
        }
    }
    theta
}

/// `STEPS` steps of `opt` on the parameters `P0`, split across a `Vec` and
/// a 1×2 `Matrix` (a tuple) to check that the state follows the shape.
fn run_sgd(mut opt: Sgd<(Vec<f64>, Matrix<f64>)>) -> Vec<f64> {
    let mut p = (P0[..2].to_vec(), Matrix::from_vec(1, 2, P0[2..].to_vec()));
    for t in 1..=STEPS {
        let flat = [p.0.as_slice(), p.1.as_slice()].concat();
        let g = gradient(&flat, t);
        let g = (g[..2].to_vec(), Matrix::from_vec(1, 2, g[2..].to_vec()));
        opt.step(&mut p, &g);
    }
    [p.0.as_slice(), p.1.as_slice()].concat()
}

#[test]
fn sgd_plain_is_pytorch() {
    // one step by hand: θ₁ = θ₀ − 0.1·g₁, g₁[0] = 2·1·(1 − 0.3) + 0.1 = 1.5
    let mut p = P0.to_vec();
    Sgd::new(0.1, 0.0).step(&mut p, &gradient(&P0, 1));
    assert_eq!(p[0], 1.0 - 0.1 * 1.5);
    close(
        &run_sgd(Sgd::new(0.1, 0.0)),
        &sgd_reference(0.1, 0.0, 0.0, 0.0, false),
    );
}

#[test]
fn sgd_momentum_is_pytorch() {
    // two steps of the first float by hand: b₁ = g₁ = 1.5, θ₁ = 1 − 0.1·1.5 = 0.85;
    // g₂ = 2·(0.85 − 0.3) + 0.2 = 1.3, b₂ = 0.9·1.5 + 1.3 = 2.65, θ₂ = 0.85 − 0.265 = 0.585
    let mut p = vec![P0[0]];
    let mut opt = Sgd::new(0.1, 0.9);
    for t in 1..=2 {
        let g = gradient(&p, t);
        opt.step(&mut p, &g);
    }
    assert!((p[0] - 0.585).abs() < 1e-15);
    close(
        &run_sgd(Sgd::new(0.1, 0.9)),
        &sgd_reference(0.1, 0.9, 0.0, 0.0, false),
    );
    close(
        &run_sgd(Sgd::new(0.05, 0.5).dampening(0.25)),
        &sgd_reference(0.05, 0.5, 0.25, 0.0, false),
    );
}

#[test]
fn sgd_nesterov_is_pytorch() {
    close(
        &run_sgd(Sgd::new(0.1, 0.9).nesterov(true)),
        &sgd_reference(0.1, 0.9, 0.0, 0.0, true),
    );
}

#[test]
fn sgd_weight_decay_is_pytorch() {
    close(
        &run_sgd(Sgd::new(0.1, 0.0).weight_decay(0.01)),
        &sgd_reference(0.1, 0.0, 0.0, 0.01, false),
    );
    close(
        &run_sgd(Sgd::new(0.1, 0.9).nesterov(true).weight_decay(0.05)),
        &sgd_reference(0.1, 0.9, 0.0, 0.05, true),
    );
}

#[test]
#[should_panic(expected = "Nesterov momentum needs a momentum > 0")]
fn sgd_nesterov_without_momentum_panics() {
    Sgd::new(0.1, 0.0).nesterov(true).step(&mut 1.0_f64, &1.0);
}

/// torch.optim.Adam, as its documentation states the algorithm
/// (`amsgrad = False`, `maximize = False`), for one parameter tensor:
///
/// ```text
/// g_t ← ∇f(θ_{t−1})
/// if λ ≠ 0: g_t ← g_t + λ θ_{t−1}
/// m_t ← β₁ m_{t−1} + (1 − β₁) g_t
/// v_t ← β₂ v_{t−1} + (1 − β₂) g_t²
/// m̂_t ← m_t / (1 − β₁ᵗ)
/// v̂_t ← v_t / (1 − β₂ᵗ)
/// θ_t ← θ_{t−1} − γ m̂_t / (√v̂_t + ε)
/// ```
fn adam_reference(lr: f64, (b1, b2): (f64, f64), eps: f64, wd: f64) -> Vec<f64> {
    let mut theta = P0.to_vec();
    let (mut m, mut v) = (vec![0.0; P0.len()], vec![0.0; P0.len()]);
    for t in 1..=STEPS {
        let grad = gradient(&theta, t);
        for i in 0..theta.len() {
            let mut g = grad[i];
            if wd != 0.0 {
                g += wd * theta[i];
            }
            m[i] = b1 * m[i] + (1.0 - b1) * g;
            v[i] = b2 * v[i] + (1.0 - b2) * g * g;
            let m_hat = m[i] / (1.0 - b1.powi(t as i32));
            let v_hat = v[i] / (1.0 - b2.powi(t as i32));
            theta[i] -= lr * m_hat / (v_hat.sqrt() + eps);
        }
    }
    theta
}

fn run_adam(mut opt: Adam<(Vec<f64>, Matrix<f64>)>) -> Vec<f64> {
    let mut p = (P0[..2].to_vec(), Matrix::from_vec(1, 2, P0[2..].to_vec()));
    for t in 1..=STEPS {
        let flat = [p.0.as_slice(), p.1.as_slice()].concat();
        let g = gradient(&flat, t);
        let g = (g[..2].to_vec(), Matrix::from_vec(1, 2, g[2..].to_vec()));
        opt.step(&mut p, &g);
    }
    [p.0.as_slice(), p.1.as_slice()].concat()
}

#[test]
fn adam_is_pytorch() {
    // one step by hand: m̂₁ = g₁, v̂₁ = g₁², so θ₁ = θ₀ − lr·g₁/(|g₁| + ε)
    let mut p = P0.to_vec();
    let g = gradient(&P0, 1);
    Adam::new(0.01).step(&mut p, &g);
    for i in 0..4 {
        let expected = P0[i] - 0.01 * g[i] / (g[i].abs() + 1e-8);
        assert!(
            (p[i] - expected).abs() < 1e-15,
            "{i}: {} vs {expected}",
            p[i]
        );
    }
    close(
        &run_adam(Adam::new(0.01)),
        &adam_reference(0.01, (0.9, 0.999), 1e-8, 0.0),
    );
    close(
        &run_adam(Adam::new(0.1).betas((0.8, 0.99)).eps(1e-6)),
        &adam_reference(0.1, (0.8, 0.99), 1e-6, 0.0),
    );
}

#[test]
fn adam_weight_decay_is_pytorch() {
    close(
        &run_adam(Adam::new(0.01).weight_decay(0.1)),
        &adam_reference(0.01, (0.9, 0.999), 1e-8, 0.1),
    );
}

/// ‖x − c‖²-like loss with different curvatures along each coordinate.
#[differentiable(wrt(x))]
fn quadratic(x: &[f64], c: &[f64]) -> f64 {
    (x[0] - c[0]) * (x[0] - c[0])
        + 10.0 * (x[1] - c[1]) * (x[1] - c[1])
        + 0.1 * (x[2] - c[2]) * (x[2] - c[2])
}

#[test]
fn adam_converges_on_a_quadratic() {
    let c = [3.0, -1.0, 0.5];
    let mut x = vec![0.0; 3];
    let mut opt = Adam::new(0.05);
    for _ in 0..3000 {
        let g = quadratic_grad(&x, &c);
        opt.step(&mut x, &g);
    }
    assert_eq!(opt.steps(), 3000);
    close_to(&x, &c, 1e-4);
    assert!(quadratic(&x, &c) < 1e-8);
}

fn close_to(a: &[f64], b: &[f64], tol: f64) {
    for (x, y) in a.iter().zip(b) {
        assert!((x - y).abs() < tol, "{a:?} vs {b:?}");
    }
}

#[test]
fn f32_parameters_step_in_f32() {
    let mut w = Matrix::from_vec(2, 2, vec![1.0_f32, -1.0, 0.5, 2.0]);
    let mut opt = Adam::new(0.1);
    for _ in 0..500 {
        let g = w.clone() * 2.0; // ∇‖w‖²
        opt.step(&mut w, &g);
    }
    assert!(w.as_slice().iter().all(|x| x.abs() < 1e-2), "{w:?}");
}

#[test]
fn steps_after_the_first_allocate_nothing() {
    let p0 = (
        vec![1.0_f64; 100],
        Matrix::from_fn(8, 8, |i, j| (i + j) as f64),
        0.5,
    );
    let g = (
        vec![0.1; 100],
        Matrix::from_fn(8, 8, |i, j| i as f64 - j as f64),
        -1.0,
    );

    let mut p = p0.clone();
    let mut adam = Adam::new(1e-3).weight_decay(1e-4);
    assert!(
        allocations_in(|| adam.step(&mut p, &g)) > 0,
        "the first step allocates the moments"
    );
    assert_eq!(
        allocations_in(|| for _ in 0..10 {
            adam.step(&mut p, &g)
        }),
        0
    );

    let mut p = p0.clone();
    let mut sgd = Sgd::new(1e-2, 0.9).nesterov(true);
    assert!(
        allocations_in(|| sgd.step(&mut p, &g)) > 0,
        "the first step allocates the buffer"
    );
    assert_eq!(
        allocations_in(|| for _ in 0..10 {
            sgd.step(&mut p, &g)
        }),
        0
    );

    let mut p = p0;
    let mut plain = Sgd::new(1e-2, 0.0);
    assert_eq!(
        allocations_in(|| for _ in 0..10 {
            plain.step(&mut p, &g)
        }),
        0
    );
}

#[test]
#[should_panic(expected = "has 100 floats but the same part of `other` has 99")]
fn a_gradient_of_another_shape_panics() {
    let mut p = vec![0.0_f64; 100];
    Adam::new(0.1).step(&mut p, &vec![0.0; 99]);
}
