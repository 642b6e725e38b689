//! Generic float types (API §7): `#[differentiable] fn f<T: Real>(..)` is
//! one generic fn with generic `f_grad::<T>`, `f_value_and_grad::<T>`,
//! `f_vjp`, `f_jacobian`, `f_jvp`, `f_hvp` and `f_hessian`.
//!
//! Every fn of `defs` is written once and instantiated generic, for `f32`
//! and for `f64`. At `f32` and at `f64`:
//!
//! - the generic fn, its value from `_value_and_grad` and its gradient equal
//!   the concrete fn's bit for bit (and `f::<T>` equals
//!   `f_value_and_grad::<T>(..).0` bit for bit);
//! - the gradient matches a closed form and central differences.
//!
//! Tolerances (relative, `|got − want| ≤ tol·(1 + |want|)`):
//!
//! | check | f64 | f32 |
//! |---|---|---|
//! | vs closed form (computed in f64) | `1e-12` | `1e-5` |
//! | vs central differences (in f64, step `1e-6·(1 + |x|)`) | `1e-6` | `2e-3` |
//!
//! Inputs are f32-representable, so the f32 and f64 instances see the same
//! point.

#[path = "generic/defs.rs"]
mod defs;
#[path = "generic/entry_points.rs"]
mod entry_points;
#[path = "generic/support.rs"]
mod support;

use defs::*;
use grad::{Matrix, Real};
use support::*;

/// Points used for the scalar fns (both `if` branches of `branch` included).
const POINTS: [(f64, f64); 4] = [(0.75, -1.25), (-0.5, 2.0), (1.5, 0.25), (0.25, 0.625)];

#[test]
fn scalar_matches_concrete_bit_for_bit() {
    for (x, y) in POINTS {
        let (a, b) = (x as f32, y as f32);
        let g = scalar_value_and_grad::<f32>(a, b);
        let c = scalar_32_value_and_grad(a, b);
        same_bits(
            &[scalar::<f32>(a, b), g.0, g.1.0, g.1.1],
            &[scalar_32(a, b), c.0, c.1.0, c.1.1],
            "f32",
        );
        same_bits(
            &[scalar::<f32>(a, b)],
            &[g.0],
            "f32 value vs value_and_grad",
        );
        let g = scalar_value_and_grad(x, y);
        let c = scalar_64_value_and_grad(x, y);
        same_bits(
            &[scalar(x, y), g.0, g.1.0, g.1.1],
            &[scalar_64(x, y), c.0, c.1.0, c.1.1],
            "f64",
        );
        same_bits(&[scalar(x, y)], &[g.0], "f64 value vs value_and_grad");
        // `_grad` and `_vjp` are the same partials.
        same_bits(
            &[scalar_grad(x, y).0, scalar_vjp(x, y, 1.0).0],
            &[g.1.0, g.1.0],
            "f64 _grad/_vjp",
        );
    }
}

#[test]
fn scalar_gradient_closed_form_and_central() {
    for (x, y) in POINTS {
        let e = (0.25 * y).exp();
        let a = x * y + 0.5 * x.sin();
        let want = [
            (y + 0.5 * x.cos()) * e + 6.0 * x,
            x * e + 0.25 * a * e - 1.0 / 3.0,
        ];
        let g = scalar_grad::<f64>(x, y);
        close(&[g.0, g.1], &want, CLOSED64, "f64 closed");
        let g = scalar_grad::<f32>(x as f32, y as f32);
        close(&to64(&[g.0, g.1]), &want, CLOSED32, "f32 closed");
        let fd = central(|p| scalar(p[0], p[1]), &[x, y]);
        close(&to64(&[g.0, g.1]), &fd, FD32, "f32 central");
        let g = scalar_grad::<f64>(x, y);
        close(&[g.0, g.1], &fd, FD64, "f64 central");
    }
}

fn vector_inputs() -> (Vec<f64>, Vec<f64>, f64) {
    (vec![0.5, -1.25, 2.0], vec![1.5, 0.75, -0.5], 0.25)
}

#[test]
fn vector_fn() {
    let (w, x, b) = vector_inputs();
    let (w32, x32, b32) = (to32(&w), to32(&x), b as f32);
    let g = vector_value_and_grad::<f32>(&w32, &x32, b32);
    let c = vector_32_value_and_grad(&w32, &x32, b32);
    same_bits(
        &[vector::<f32>(&w32, &x32, b32), g.0, g.1.2],
        &[vector_32(&w32, &x32, b32), c.0, c.1.2],
        "f32",
    );
    same_bits(&[vector::<f32>(&w32, &x32, b32)], &[g.0], "f32 value");
    same_bits(&g.1.0, &c.1.0, "f32 dw");
    same_bits(&g.1.1, &c.1.1, "f32 dx");
    let g64 = vector_value_and_grad(&w, &x, b);
    let c = vector_64_value_and_grad(&w, &x, b);
    same_bits(
        &[vector(&w, &x, b), g64.0, g64.1.2],
        &[vector_64(&w, &x, b), c.0, c.1.2],
        "f64",
    );
    same_bits(&g64.1.0, &c.1.0, "f64 dw");
    same_bits(&g64.1.1, &c.1.1, "f64 dx");
    // Closed form.
    let z: f64 = w.iter().zip(&x).map(|(a, b)| a * b).sum::<f64>() + b;
    let s = 1.0 / (1.0 + (-z).exp());
    let d = 2.0 * s * (1.0 - s);
    let dw: Vec<f64> = w.iter().zip(&x).map(|(wi, xi)| d * xi + 0.5 * wi).collect();
    let dx: Vec<f64> = w.iter().map(|wi| d * wi).collect();
    close(&g64.1.0, &dw, CLOSED64, "f64 dw");
    close(&g64.1.1, &dx, CLOSED64, "f64 dx");
    close(&[g64.1.2], &[d], CLOSED64, "f64 db");
    close(&to64(&g.1.0), &dw, CLOSED32, "f32 dw");
    close(&to64(&g.1.1), &dx, CLOSED32, "f32 dx");
    // Central differences over w.
    let fd = central(|p| vector(p, &x, b), &w);
    close(&g64.1.0, &fd, FD64, "f64 dw central");
    close(&to64(&g.1.0), &fd, FD32, "f32 dw central");
}

#[test]
fn matrix_fn() {
    let w = Matrix::from_vec(2, 3, vec![0.5, -0.25, 1.0, 0.75, 0.125, -1.5]);
    let x = vec![1.0, -0.5, 0.25];
    let w32 = Matrix::from_vec(2, 3, to32(w.as_slice()));
    let x32 = to32(&x);
    let g = matrix_value_and_grad::<f32>(&w32, &x32);
    let c = matrix_32_value_and_grad(&w32, &x32);
    same_bits(
        &[matrix::<f32>(&w32, &x32), g.0],
        &[matrix_32(&w32, &x32), c.0],
        "f32 value",
    );
    same_bits(
        &[matrix::<f32>(&w32, &x32)],
        &[g.0],
        "f32 value vs value_and_grad",
    );
    same_bits(g.1.0.as_slice(), c.1.0.as_slice(), "f32 dW");
    same_bits(&g.1.1, &c.1.1, "f32 dx");
    let g64 = matrix_value_and_grad(&w, &x);
    let c = matrix_64_value_and_grad(&w, &x);
    same_bits(
        &[matrix(&w, &x), g64.0],
        &[matrix_64(&w, &x), c.0],
        "f64 value",
    );
    same_bits(g64.1.0.as_slice(), c.1.0.as_slice(), "f64 dW");
    same_bits(&g64.1.1, &c.1.1, "f64 dx");
    // Closed form: dW_ij = ½(1 − tanh² h_i) x_j, dx_j = Σ_i ½(1 − tanh² h_i) W_ij.
    let h: Vec<f64> = (0..2)
        .map(|i| (0..3).map(|j| w[(i, j)] * x[j]).sum())
        .collect();
    let d: Vec<f64> = h.iter().map(|hi| 0.5 * (1.0 - hi.tanh().powi(2))).collect();
    let dw: Vec<f64> = (0..6).map(|k| d[k / 3] * x[k % 3]).collect();
    let dx: Vec<f64> = (0..3)
        .map(|j| (0..2).map(|i| d[i] * w[(i, j)]).sum())
        .collect();
    close(g64.1.0.as_slice(), &dw, CLOSED64, "f64 dW");
    close(&g64.1.1, &dx, CLOSED64, "f64 dx");
    close(&to64(g.1.0.as_slice()), &dw, CLOSED32, "f32 dW");
    close(&to64(&g.1.1), &dx, CLOSED32, "f32 dx");
    let fd = central(
        |p| matrix(&Matrix::from_vec(2, 3, p.to_vec()), &x),
        w.as_slice(),
    );
    close(g64.1.0.as_slice(), &fd, FD64, "f64 dW central");
    close(&to64(g.1.0.as_slice()), &fd, FD32, "f32 dW central");
}

#[test]
fn branch_fn() {
    let mut seen = [false; 2];
    for (x, y) in POINTS {
        seen[usize::from(x > 0.5)] = true;
        let (a, b) = (x as f32, y as f32);
        let g = branch_value_and_grad::<f32>(a, b);
        let c = branch_32_value_and_grad(a, b);
        same_bits(
            &[branch::<f32>(a, b), g.0, g.1.0, g.1.1],
            &[branch_32(a, b), c.0, c.1.0, c.1.1],
            "f32",
        );
        same_bits(&[branch::<f32>(a, b)], &[g.0], "f32 value");
        let g = branch_value_and_grad::<f64>(x, y);
        let c = branch_64_value_and_grad(x, y);
        same_bits(
            &[branch(x, y), g.0, g.1.0, g.1.1],
            &[branch_64(x, y), c.0, c.1.0, c.1.1],
            "f64",
        );
        let want = if x > 0.5 {
            [2.0 * y, 2.0 * x]
        } else {
            [-1.5 * x, 1.0]
        };
        close(&[g.1.0, g.1.1], &want, CLOSED64, "f64 closed");
        let g = branch_grad::<f32>(a, b);
        close(&to64(&[g.0, g.1]), &want, CLOSED32, "f32 closed");
        let fd = central(|p| branch(p[0], p[1]), &[x, y]);
        close(&want, &fd, FD64, "central");
    }
    assert_eq!(seen, [true, true], "both branches taken");
}

#[test]
fn for_loop_fn() {
    let c = [0.5, -1.25, 2.0, 0.75];
    for x in [0.5, -1.5, 2.0] {
        let (c32, x32) = (to32(&c), x as f32);
        let g = horner_value_and_grad::<f32>(&c32, x32);
        let k = horner_32_value_and_grad(&c32, x32);
        same_bits(
            &[horner::<f32>(&c32, x32), g.0, g.1.1],
            &[horner_32(&c32, x32), k.0, k.1.1],
            "f32",
        );
        same_bits(&[horner::<f32>(&c32, x32)], &[g.0], "f32 value");
        same_bits(&g.1.0, &k.1.0, "f32 dc");
        let g64 = horner_value_and_grad(&c, x);
        let k = horner_64_value_and_grad(&c, x);
        same_bits(
            &[horner(&c, x), g64.0, g64.1.1],
            &[horner_64(&c, x), k.0, k.1.1],
            "f64",
        );
        same_bits(&g64.1.0, &k.1.0, "f64 dc");
        let n = c.len() as i32;
        let dc: Vec<f64> = (0..n).map(|i| 1.5 * x.powi(n - 1 - i)).collect();
        let dx: f64 = (0..n - 1)
            .map(|i| 1.5 * c[i as usize] * f64::from(n - 1 - i) * x.powi(n - 2 - i))
            .sum();
        close(&g64.1.0, &dc, CLOSED64, "f64 dc");
        close(&[g64.1.1], &[dx], CLOSED64, "f64 dx");
        close(&to64(&g.1.0), &dc, CLOSED32, "f32 dc");
        close(&[f64::from(g.1.1)], &[dx], CLOSED32, "f32 dx");
        let fd = central(|p| horner(&c, p[0]), &[x]);
        close(&[g64.1.1], &fd, FD64, "f64 dx central");
    }
}

#[test]
fn where_clause_and_from_usize() {
    let x = [0.5, -1.25, 2.0];
    let (v, g) = weighted_value_and_grad::<f64>(&x);
    same_bits(&[weighted(&x)], &[v], "f64 value");
    close(
        &[v],
        &[0.25 + 2.0 * 1.5625 + 3.0 * 4.0],
        CLOSED64,
        "f64 value",
    );
    close(&g, &[1.0, -5.0, 12.0], CLOSED64, "f64 grad");
    let x32 = to32(&x);
    let (v, g) = weighted_value_and_grad::<f32>(&x32);
    same_bits(&[weighted(&x32)], &[v], "f32 value");
    close(&to64(&g), &[1.0, -5.0, 12.0], CLOSED32, "f32 grad");
}

#[test]
fn composition_of_generic_fns() {
    let gxy = |x: f64, y: f64| x * y.sin() + 0.5;
    for (x, y) in POINTS {
        let (a, b) = (x as f32, y as f32);
        let g = outer_value_and_grad::<f32>(a, b);
        let c = outer_32_value_and_grad(a, b);
        same_bits(
            &[outer::<f32>(a, b), g.0, g.1.0, g.1.1],
            &[outer_32(a, b), c.0, c.1.0, c.1.1],
            "f32",
        );
        same_bits(&[outer::<f32>(a, b)], &[g.0], "f32 value");
        let k = concrete_caller_value_and_grad(a, b);
        same_bits(
            &[concrete_caller(a, b), k.0, k.1.0, k.1.1],
            &[c.0, c.0, c.1.0, c.1.1],
            "f32 concrete caller",
        );
        let g64 = outer_value_and_grad(x, y);
        let c = outer_64_value_and_grad(x, y);
        same_bits(
            &[outer(x, y), g64.0, g64.1.0, g64.1.1],
            &[outer_64(x, y), c.0, c.1.0, c.1.1],
            "f64",
        );
        let want = [
            y.sin() * gxy(y, x) + gxy(x, y) * y * x.cos(),
            x * y.cos() * gxy(y, x) + gxy(x, y) * x.sin(),
        ];
        close(&[g64.1.0, g64.1.1], &want, CLOSED64, "f64 closed");
        close(&to64(&[g.1.0, g.1.1]), &want, CLOSED32, "f32 closed");
        let fd = central(|p| outer(p[0], p[1]), &[x, y]);
        close(&[g64.1.0, g64.1.1], &fd, FD64, "f64 central");
    }
}

/// Literal arithmetic that is not exact in `f32` (0.1 is not an `f32`) is
/// left to run time in a generic fn, so each instantiation computes what the
/// same expression computes in plain Rust at that type; the concrete `f32`
/// fn folds it in `f32` arithmetic to the same bits.
#[test]
fn inexact_literal_arithmetic_runs_in_the_instantiated_type() {
    let want32 = 0.1_f32 * 9.0_f32;
    let g32 = tenth::<f32>(3.0);
    assert_eq!(g32.to_bits(), (3.0_f32 * want32).to_bits());
    assert_eq!(tenth_value_and_grad::<f32>(3.0).0.to_bits(), g32.to_bits());
    assert_eq!(tenth_grad::<f32>(3.0).to_bits(), want32.to_bits());
    let c = tenth_32_value_and_grad(3.0);
    same_bits(
        &[tenth_32(3.0), c.0, c.1],
        &[g32, g32, want32],
        "f32 concrete",
    );
    let want64 = 0.1_f64 * 9.0_f64;
    let g64 = tenth::<f64>(3.0);
    assert_eq!(g64.to_bits(), (3.0_f64 * want64).to_bits());
    assert_eq!(tenth_grad::<f64>(3.0).to_bits(), want64.to_bits());
    let c = tenth_64_value_and_grad(3.0);
    same_bits(
        &[tenth_64(3.0), c.0, c.1],
        &[g64, g64, want64],
        "f64 concrete",
    );
}

/// The other supported forms, each at f32 and f64 against its closed form
/// (and the value of the fn against `_value_and_grad`'s, bit for bit).
#[test]
fn other_forms() {
    fn check<T: Real>(tol: f64) {
        let t = T::from_f64;
        // annotated: 2x·Σv² + eˣ + max(x, 0) + x^1.5 + ¾x.
        let (x, v) = (0.5, [1.0, -2.0]);
        let vt = [t(v[0]), t(v[1])];
        let (val, g) = annotated_value_and_grad(t(x), &vt);
        same_bits(&[annotated(t(x), &vt)], &[val], "annotated value");
        let dx = 2.0 * 5.0 + x.exp() + 1.0 + 1.5 * x.sqrt() + 0.75;
        close(&[g.0.to_f64()], &[dx], tol, "annotated dx");
        close(
            &to64(&g.1),
            &[4.0 * x * v[0], 4.0 * x * v[1]],
            tol,
            "annotated dv",
        );
        // half_norm: the gradient is x.
        let a = [t(1.0), t(-2.5), t(3.0)];
        close(
            &to64(&half_norm_grad(a)),
            &[1.0, -2.5, 3.0],
            tol,
            "half_norm",
        );
        // shifted: dW = ct·s, ds = Σ ct ⊙ W.
        let w = Matrix::from_vec(1, 2, vec![t(1.0), t(2.0)]);
        let ct = Matrix::from_vec(1, 2, vec![t(0.5), t(-1.0)]);
        let (dw, ds) = shifted_vjp(w.clone(), t(3.0), &ct);
        close(&to64(dw.as_slice()), &[1.5, -3.0], tol, "shifted dW");
        close(&[ds.to_f64()], &[0.5 - 2.0], tol, "shifted ds");
        same_bits(
            shifted(w, t(3.0)).as_slice(),
            &[t(4.0), t(7.0)],
            "shifted value",
        );
        // doubling from 1: 1 → 2.5 → 5.5 → 11.5, three doublings.
        let (val, g) = doubling_value_and_grad(t(1.0));
        same_bits(
            &[val, doubling(t(1.0)), g],
            &[t(11.5), t(11.5), t(8.0)],
            "doubling",
        );
        // with_lifetime: x[k₀] + ½ + ¾x₀.
        let g = with_lifetime_grad(&[t(1.0), t(2.0)], &[1]);
        close(&to64(&g), &[0.75, 1.0], tol, "with_lifetime");
        // only_y: ∂(xy²)/∂y = 2xy.
        close(
            &[only_y_grad(t(1.5), t(2.0)).to_f64()],
            &[6.0],
            tol,
            "only_y",
        );
    }
    check::<f32>(CLOSED32);
    check::<f64>(CLOSED64);
}

/// A generic fn may name its float parameter in `wrt` (the type parameter is
/// not taken for a struct).
mod wrt_names_a_generic_param {
    use grad::prelude::*;

    #[differentiable(wrt(x))]
    fn scaled<T: Real>(x: T, k: T) -> T {
        x * x * k
    }

    #[test]
    fn at_f32_and_f64() {
        assert_eq!(scaled_grad(3.0_f32, 2.0), 12.0);
        assert_eq!(scaled_grad(3.0_f64, 2.0), 12.0);
    }
}
