//! The softmax family: Jacobians in closed form through `_jacobian`, the
//! seed tutorial's example, extreme logits, and `_vjp` = `Jᵀ·c`.

use grad::prelude::*;

use crate::closed;
use crate::defs::{d32, d64};
use crate::support::{Flat, Rng, Tol, assert_close, central_jacobian, jt_c};

/// The tutorial's rows: `grad(p[1])` and `grad(p[2])` of `p = softmax(a)`.
#[differentiable]
fn p1(a: &[f64]) -> f64 {
    softmax(a)[1]
}

#[differentiable]
fn p2(a: &[f64]) -> f64 {
    softmax(a)[2]
}

#[differentiable]
fn probs(a: &[f64]) -> Vec<f64> {
    softmax(a)
}

#[test]
fn softmax_jacobian_is_p_i_times_delta_ij_minus_p_j() {
    let mut rng = Rng::for_test("softmax_jacobian");
    for n in [1, 2, 3, 7] {
        for _ in 0..8 {
            let a = rng.vec(n, -4.0, 4.0);
            let want = closed::softmax_jacobian(&a);
            let got = d64::o_softmax_jacobian(&a);
            assert_eq!(got.len(), n, "one row per output");
            for (i, row) in got.iter().enumerate() {
                assert_close("f64 softmax Jacobian row", &a, row, &want[i], f64::CLOSED);
            }
            let fd = central_jacobian(d64::o_softmax, &a);
            for (i, row) in got.iter().enumerate() {
                assert_close("f64 softmax Jacobian vs FD", &a, row, &fd[i], f64::FD);
            }
            let a32: Vec<f32> = a.iter().map(|&x| x as f32).collect();
            let got32 = d32::o_softmax_jacobian(&a32);
            for (i, row) in got32.iter().enumerate() {
                assert_close(
                    "f32 softmax Jacobian row",
                    &a,
                    &row.flat(),
                    &want[i],
                    f32::CLOSED,
                );
            }
        }
    }
}

#[test]
fn log_softmax_jacobian_is_delta_ij_minus_p_j() {
    let mut rng = Rng::for_test("log_softmax_jacobian");
    for _ in 0..16 {
        let a = rng.vec(5, -4.0, 4.0);
        let want = closed::log_softmax_jacobian(&a);
        for (i, row) in d64::o_log_softmax_jacobian(&a).iter().enumerate() {
            assert_close("f64 log_softmax Jacobian", &a, row, &want[i], f64::CLOSED);
        }
        let a32: Vec<f32> = a.iter().map(|&x| x as f32).collect();
        for (i, row) in d32::o_log_softmax_jacobian(&a32).iter().enumerate() {
            assert_close(
                "f32 log_softmax Jacobian",
                &a,
                &row.flat(),
                &want[i],
                f32::CLOSED,
            );
        }
    }
}

#[test]
fn jacobian_of_an_array_output() {
    let mut rng = Rng::for_test("jacobian_array");
    for _ in 0..8 {
        let a = rng.vec(3, -4.0, 4.0);
        let arr = [a[0], a[1], a[2]];
        let got = d64::o_array_jacobian(arr);
        let want = closed::softmax_jacobian(&a);
        for (i, row) in got.iter().enumerate() {
            assert_close("[f64; 3] softmax Jacobian", &a, row, &want[i], f64::CLOSED);
        }
    }
}

/// `f_vjp(.., c)` equals `f_jacobianᵀ·c` for random cotangents.
#[test]
fn vjp_is_jacobian_transpose_times_cotangent() {
    let mut rng = Rng::for_test("vjp_vs_jacobian");
    for _ in 0..16 {
        let a = rng.vec(6, -3.0, 3.0);
        let c = rng.vec(6, -1.0, 1.0);
        let want = jt_c(&d64::o_softmax_jacobian(&a), &c);
        assert_close(
            "softmax vjp",
            &a,
            &d64::o_softmax_vjp(&a, &c),
            &want,
            f64::CLOSED,
        );
        let want = jt_c(&d64::o_log_softmax_jacobian(&a), &c);
        assert_close(
            "log_softmax vjp",
            &a,
            &d64::o_log_softmax_vjp(&a, &c),
            &want,
            f64::CLOSED,
        );
        let want = jt_c(&d64::o_unary_jacobian(&a), &c);
        assert_close(
            "elementwise vjp",
            &a,
            &d64::o_unary_vjp(&a, &c),
            &want,
            f64::CLOSED,
        );
        let a32: Vec<f32> = a.iter().map(|&x| x as f32).collect();
        let c32: Vec<f32> = c.iter().map(|&x| x as f32).collect();
        let want = jt_c(&closed::softmax_jacobian(&a), &c);
        assert_close(
            "f32 softmax vjp",
            &a,
            &d32::o_softmax_vjp(&a32, &c32).flat(),
            &want,
            f32::CLOSED,
        );
    }
}

/// The seed tutorial: `p = softmax(a)`, `grad(p[1])`, `grad(p[2])`; each row
/// sums to 0; with `p = (0.3619, 0.2133, 0.4247)` (the tutorial's `torch.rand`
/// draw, recovered from its printout) `grad(p[2]) ≈ (−0.1537, −0.0906, 0.2443)`.
#[test]
fn tutorial_softmax_rows_sum_to_zero() {
    let a = [0.3619_f64.ln(), 0.2133_f64.ln(), 0.4247_f64.ln()];
    let row1 = p1_grad(&a);
    let row2 = p2_grad(&a);
    let jac = probs_jacobian(&a);
    assert_close(
        "grad(p[1]) is row 1 of the Jacobian",
        &a,
        &row1,
        &jac[1],
        1e-15,
    );
    assert_close(
        "grad(p[2]) is row 2 of the Jacobian",
        &a,
        &row2,
        &jac[2],
        1e-15,
    );
    for row in [&row1, &row2] {
        let s: f64 = row.iter().sum();
        assert!(s.abs() < 1e-15, "row {row:?} sums to {s}");
    }
    let printed = [-0.1537, -0.0906, 0.2443];
    for (g, p) in row2.iter().zip(printed) {
        assert!(
            (g - p).abs() < 2e-4,
            "grad(p[2]) = {row2:?}, tutorial prints {printed:?}"
        );
    }
    // And at a random point too: softmax is shift-invariant, so rows sum to 0.
    let mut rng = Rng::for_test("tutorial_rows");
    for _ in 0..16 {
        let a = rng.vec(3, 0.0, 1.0);
        for row in [p1_grad(&a), p2_grad(&a)] {
            let s: f64 = row.iter().sum();
            assert!(s.abs() < 1e-15, "row {row:?} at {a:?} sums to {s}");
        }
    }
}

#[differentiable]
fn ce3(z: &[f64], class: usize) -> f64 {
    cross_entropy(z, class)
}

#[differentiable]
fn ce3_f32(z: &[f32], class: usize) -> f32 {
    cross_entropy(z, class)
}

#[differentiable]
fn lsm_sum(z: &[f64], w: &[f64]) -> f64 {
    dot(log_softmax(z), w)
}

#[differentiable]
fn bce_logits(z: &[f64], y: &[f64]) -> f64 {
    bce_with_logits(z, y)
}

/// Logits `[1000, 0, −1000]`: every value and derivative is finite and exact
/// (`softmax` = one-hot up to `e^−1000`).
#[test]
fn extreme_logits_stay_finite() {
    let z = [1000.0, 0.0, -1000.0];
    // Jacobian of softmax: p = (1, 0, 0) to within e^-1000, so J = 0.
    for row in probs_jacobian(&z) {
        assert!(
            row.iter().all(|x| x.is_finite() && x.abs() < 1e-300),
            "{row:?}"
        );
    }
    for (class, want) in [
        (0, [0.0, 0.0, 0.0]),
        (1, [1.0, -1.0, 0.0]),
        (2, [1.0, 0.0, -1.0]),
    ] {
        let (v, g) = ce3_value_and_grad(&z, class);
        assert!(v.is_finite(), "cross_entropy value {v} for class {class}");
        assert_eq!(
            v,
            [0.0, 1000.0, 2000.0][class],
            "cross_entropy value for class {class}"
        );
        assert_eq!(g, want, "cross_entropy gradient for class {class}");
        let (v, g) = ce3_f32_value_and_grad(&[1000.0, 0.0, -1000.0], class);
        assert_eq!(
            v,
            [0.0, 1000.0, 2000.0][class],
            "f32 cross_entropy value for class {class}"
        );
        assert_eq!(
            g,
            want.map(|x| x as f32),
            "f32 cross_entropy gradient for class {class}"
        );
    }
    // log_softmax: value finite, d/dz (w·log_softmax(z)) = w − p Σw = w − (Σw, 0, 0).
    let w = [0.5, -1.0, 2.0];
    let (v, g) = lsm_sum_value_and_grad(&z, &w);
    assert!(v.is_finite(), "log_softmax weighted value {v}");
    assert_eq!(g.0, vec![0.5 - 1.5, -1.0, 2.0]);
    // bce_with_logits at ±1000: value and gradient finite, (σ(z) − y)/n.
    let (v, (dz, dy)) = bce_logits_value_and_grad(&z, &[0.0, 1.0, 1.0]);
    assert!(v.is_finite(), "bce_with_logits value {v}");
    assert_close(
        "bce_with_logits dz",
        &z,
        &dz,
        &[1.0 / 3.0, -1.0 / 6.0, -1.0 / 3.0],
        1e-15,
    );
    assert_close(
        "bce_with_logits dy",
        &z,
        &dy,
        &[-1000.0 / 3.0, 0.0, 1000.0 / 3.0],
        1e-15,
    );
}
