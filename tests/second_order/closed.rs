//! Hessians against closed forms, in f64 (tight) and f32 (loose): each
//! scalar op's second derivative, the losses' Hessians, the bilinear cross
//! terms of the products. Closed forms are evaluated in f64 at the same
//! (f32-representable) points.

use crate::msupport::{m32, mat, vector};
use crate::support::{
    CLOSED32, CLOSED64, Flat, assert_close, assert_not_all_zero, assert_symmetric, square,
};
use grad::Matrix;

use crate::closed_defs::{d32, d64};

/// `h64` and `h32` are symmetric to the last bit and equal `want`.
#[track_caller]
fn check(what: &str, h64: &Matrix<f64>, h32: &Matrix<f32>, want: &[f64]) {
    let n = h64.rows();
    assert_symmetric(what, h64, n);
    assert_symmetric(what, h32, n);
    assert_close(&format!("{what} (f64)"), h64.as_slice(), want, CLOSED64);
    assert_close(&format!("{what} (f32)"), &h32.flat(), want, CLOSED32);
}

/// `x` rounded to f32 and back (the point both precisions see).
fn r(x: f64) -> f64 {
    f64::from(x as f32)
}

fn sg(x: f64) -> f64 {
    grad::scalar::sigmoid(x)
}

/// `scalar!(test: f_hessian, |x| closed, [points])`: the 1×1 Hessian of a
/// fn of one float at each point against `closed(x)`.
macro_rules! scalar {
    ($name:ident: $h:ident, |$x:ident| $closed:expr, [$($at:expr),+]) => {
        #[test]
        fn $name() {
            for at in [$($at),+] {
                let $x: f64 = r(at);
                let h64 = d64::$h($x);
                let h32 = d32::$h($x as f32);
                check(&format!("{}({})", stringify!($h), $x), &h64, &h32, &[$closed]);
            }
        }
    };
}

scalar!(sigmoid_second: sigmoid1_hessian, |x| sg(x) * (1.0 - sg(x)) * (1.0 - 2.0 * sg(x)),
    [-6.0, -1.5, -0.2, 0.0, 0.7, 2.5, 9.0]);
scalar!(tanh_second: tanh1_hessian, |x| -2.0 * x.tanh() * (1.0 - x.tanh() * x.tanh()),
    [-3.0, -0.6, 0.0, 0.4, 1.1, 4.0]);
scalar!(softplus_second: softplus1_hessian, |x| sg(x) * (1.0 - sg(x)), [-8.0, -1.0, 0.0, 0.3, 2.0, 12.0]);
scalar!(exp_second: exp1_hessian, |x| x.exp(), [-4.0, -0.5, 0.0, 1.2, 3.0]);
scalar!(ln_second: ln1_hessian, |x| -1.0 / (x * x), [0.1, 0.5, 1.0, 2.7, 9.0]);
scalar!(sqrt_second: sqrt1_hessian, |x| -0.25 / (x * x.sqrt()), [0.2, 0.5, 1.0, 4.0, 7.5]);
scalar!(sin_second: sin1_hessian, |x| -x.sin(), [-3.0, -1.0, 0.0, 0.5, 2.0, 5.0]);
scalar!(cos_second: cos1_hessian, |x| -x.cos(), [-3.0, -1.0, 0.0, 0.5, 2.0, 5.0]);
scalar!(powi_0_second: powi0_hessian, |x| 0.0 * x, [-2.0, -0.5, 0.5, 1.5]);
scalar!(powi_1_second: powi1_hessian, |x| 0.0 * x, [-2.0, -0.5, 0.5, 1.5]);
scalar!(powi_2_second: powi2_hessian, |x| 2.0 + 0.0 * x, [-2.0, -0.5, 0.0, 0.5, 1.5]);
scalar!(powi_5_second: powi5_hessian, |x| 20.0 * x.powi(3), [-2.0, -0.5, 0.0, 0.5, 1.5]);
scalar!(powi_minus_3_second: powi_m3_hessian, |x| 12.0 / x.powi(5), [-2.0, -0.7, 0.5, 1.5, 3.0]);

#[test]
fn powf_both_arguments() {
    for (x, y) in [(0.5, 2.5), (1.7, -1.5), (2.5, 0.5), (0.9, 3.0), (1.0, 1.7)] {
        let (x, y) = (r(x), r(y));
        let p = x.powf(y);
        let l = x.ln();
        let want = [
            y * (y - 1.0) * x.powf(y - 2.0),
            x.powf(y - 1.0) * (1.0 + y * l),
            x.powf(y - 1.0) * (1.0 + y * l),
            p * l * l,
        ];
        let what = format!("powf({x}, {y})");
        check(
            &what,
            &d64::powf2_hessian(x, y),
            &d32::powf2_hessian(x as f32, y as f32),
            &want,
        );
    }
}

#[test]
fn piecewise_ops_have_zero_second_derivatives_away_from_kinks() {
    for (x, y) in [
        (0.5, 1.5),
        (1.5, 0.5),
        (-0.5, 1.5),
        (-1.5, -0.5),
        (0.5, -1.5),
        (-2.0, 0.7),
    ] {
        let h = d64::piecewise_hessian(x, y);
        let h32 = d32::piecewise_hessian(x as f32, y as f32);
        assert_eq!(h.as_slice(), &[0.0; 4], "piecewise at ({x}, {y})");
        assert_eq!(h32.as_slice(), &[0.0; 4], "piecewise (f32) at ({x}, {y})");
    }
}

#[test]
fn quotient_and_product() {
    for (x, y) in [(0.5, 1.5), (-1.3, 0.4), (2.0, -0.7)] {
        let (x, y) = (r(x), r(y));
        let want = [0.0, -1.0 / (y * y), -1.0 / (y * y), 2.0 * x / (y * y * y)];
        let what = format!("{x} / {y}");
        check(
            &what,
            &d64::quotient_hessian(x, y),
            &d32::quotient_hessian(x as f32, y as f32),
            &want,
        );
    }
    let (x, y, z) = (r(0.3), r(-1.7), r(2.2));
    let want = [0.0, z, y, z, 0.0, x, y, x, 0.0];
    let h32 = d32::product_hessian(x as f32, y as f32, z as f32);
    check("x·y·z", &d64::product_hessian(x, y, z), &h32, &want);
}

/// `softmax(z)` in f64.
fn softmax(z: &[f64]) -> Vec<f64> {
    grad::softmax(z)
}

/// `diag(p) − ppᵀ`, scaled.
fn softmax_jacobian(p: &[f64], scale: f64) -> Vec<f64> {
    square(p.len(), |i, j| {
        scale * (if i == j { p[i] } else { 0.0 } - p[i] * p[j])
    })
}

#[test]
fn cross_entropy_hessian_is_diag_p_minus_ppt() {
    let z = vector(5, 1, -2.0, 2.0);
    let z32: Vec<f32> = z.iter().map(|&x| x as f32).collect();
    for class in [0, 3] {
        let want = softmax_jacobian(&softmax(&z), 1.0);
        check(
            "cross_entropy",
            &d64::ce_hessian(&z, class),
            &d32::ce_hessian(&z32, class),
            &want,
        );
    }
}

#[test]
fn cross_entropy_batch_hessian_is_block_diagonal() {
    let (rows, cols) = (3, 4);
    let z = mat(rows, cols, 2, -2.0, 2.0);
    let labels = [1, 3, 0];
    let n = rows * cols;
    let mut want = vec![0.0; n * n];
    for r in 0..rows {
        let block = softmax_jacobian(&softmax(z.row(r)), 1.0 / rows as f64);
        for i in 0..cols {
            for j in 0..cols {
                want[(r * cols + i) * n + r * cols + j] = block[i * cols + j];
            }
        }
    }
    let h32 = d32::ce_batch_hessian(&m32(&z), &labels);
    check(
        "cross_entropy (batch)",
        &d64::ce_batch_hessian(&z, &labels),
        &h32,
        &want,
    );
}

#[test]
fn mse_hessian_is_2i_over_n() {
    let (p, t) = (vector(6, 3, -1.0, 1.0), vector(6, 4, -1.0, 1.0));
    let want = square(6, |i, j| if i == j { 2.0 / 6.0 } else { 0.0 });
    let (p32, t32) = (v32(&p), v32(&t));
    check(
        "mse",
        &d64::mse_v_hessian(&p, &t),
        &d32::mse_v_hessian(&p32, &t32),
        &want,
    );
    let (pm, tm) = (mat(2, 3, 5, -1.0, 1.0), mat(2, 3, 6, -1.0, 1.0));
    let h32 = d32::mse_m_hessian(&m32(&pm), &m32(&tm));
    check("mse (matrix)", &d64::mse_m_hessian(&pm, &tm), &h32, &want);
}

/// `Xᵀ diag(σ(1 − σ)) X / n` for `x` row-major `n × d`.
fn logistic_hessian(w: &[f64], x: &[f64]) -> Vec<f64> {
    let d = w.len();
    let n = x.len() / d;
    let mut h = vec![0.0; d * d];
    for row in x.chunks(d) {
        let z: f64 = row.iter().zip(w).map(|(a, b)| a * b).sum();
        let c = sg(z) * (1.0 - sg(z)) / n as f64;
        for i in 0..d {
            for j in 0..d {
                h[i * d + j] += c * row[i] * row[j];
            }
        }
    }
    h
}

#[test]
fn logistic_regression_hessian() {
    let (n, d) = (7, 3);
    let w = vector(d, 7, -1.0, 1.0);
    let x = mat(n, d, 8, -1.5, 1.5);
    let y: Vec<f64> = (0..n).map(|i| if i % 3 == 0 { 1.0 } else { 0.0 }).collect();
    let want = logistic_hessian(&w, x.as_slice());
    assert_not_all_zero("logistic regression", &want);
    let (w32, x32, y32) = (v32(&w), v32(x.as_slice()), v32(&y));
    let h64 = d64::logreg_hessian(&w, x.as_slice(), &y);
    check(
        "bce_with_logits(matvec(x, w), y)",
        &h64,
        &d32::logreg_hessian(&w32, &x32, &y32),
        &want,
    );
    let h64 = d64::logreg_p_hessian(&w, x.as_slice(), &y);
    let h32 = d32::logreg_p_hessian(&w32, &x32, &y32);
    check(
        "binary_cross_entropy(sigmoid(matvec(x, w)), y)",
        &h64,
        &h32,
        &want,
    );
    let h64 = d64::logreg_m_hessian(&w, &x, &y);
    let h32 = d32::logreg_m_hessian(&w32, &m32(&x), &y32);
    check("bce_with_logits(matvec(&Matrix, w), y)", &h64, &h32, &want);
    // Soft targets: the Hessian does not depend on y.
    let soft: Vec<f64> = vector(n, 9, 0.1, 0.9);
    let h64 = d64::logreg_hessian(&w, x.as_slice(), &soft);
    check(
        "logistic regression, soft targets",
        &h64,
        &d32::logreg_hessian(&w32, &x32, &v32(&soft)),
        &want,
    );
}

#[test]
fn log_softmax_inside_a_loss() {
    // −Σ t·log_softmax(z): (Σt)(diag(p) − ppᵀ).
    let z = vector(4, 10, -2.0, 2.0);
    let t = vector(4, 11, 0.0, 1.0);
    let total: f64 = t.iter().sum();
    let want = softmax_jacobian(&softmax(&z), total);
    let h32 = d32::log_softmax_loss_hessian(&v32(&z), &v32(&t));
    check(
        "−Σ t·log_softmax(z)",
        &d64::log_softmax_loss_hessian(&z, &t),
        &h32,
        &want,
    );
}

#[test]
fn softmax_inside_a_loss() {
    // Σ c·softmax(z): with u = p⊙(c − ⟨p, c⟩), diag(u) − upᵀ − puᵀ.
    let z = vector(5, 12, -2.0, 2.0);
    let c = vector(5, 13, -1.0, 1.0);
    let p = softmax(&z);
    let mean: f64 = p.iter().zip(&c).map(|(a, b)| a * b).sum();
    let u: Vec<f64> = p.iter().zip(&c).map(|(a, b)| a * (b - mean)).collect();
    let want = square(
        5,
        |i, j| if i == j { u[i] } else { 0.0 } - u[i] * p[j] - p[i] * u[j],
    );
    let h32 = d32::softmax_loss_hessian(&v32(&z), &v32(&c));
    check(
        "Σ c·softmax(z)",
        &d64::softmax_loss_hessian(&z, &c),
        &h32,
        &want,
    );
}

#[test]
fn matvec_is_bilinear() {
    // ⟨c, matvec(w, x)⟩ with w m×k: only the cross terms ∂²/∂w_ij∂x_l = c_i δ_jl.
    let (rows, k) = (3, 2);
    let w = vector(rows * k, 14, -1.0, 1.0);
    let x = vector(k, 15, -1.0, 1.0);
    let c = vector(rows, 16, -1.0, 1.0);
    let n = rows * k + k;
    let want = square(n, |a, b| {
        let (a, b) = (a.min(b), a.max(b));
        if a < rows * k && b >= rows * k && a % k == b - rows * k {
            c[a / k]
        } else {
            0.0
        }
    });
    let h32 = d32::bilinear_matvec_hessian(&v32(&w), &v32(&x), &v32(&c));
    check(
        "⟨c, matvec(w, x)⟩",
        &d64::bilinear_matvec_hessian(&w, &x, &c),
        &h32,
        &want,
    );
}

#[test]
fn matmul_is_bilinear() {
    // Σ C⊙(AB) with A m×k, B k×p: only the cross terms ∂²/∂A_ij∂B_jl = C_il.
    let (mm, kk, pp) = (2, 3, 2);
    let a = mat(mm, kk, 17, -1.0, 1.0);
    let b = mat(kk, pp, 18, -1.0, 1.0);
    let c = mat(mm, pp, 19, -1.0, 1.0);
    let na = mm * kk;
    let want = square(na + kk * pp, |r, s| {
        let (r, s) = (r.min(s), r.max(s));
        if r >= na || s < na {
            return 0.0;
        }
        let (i, j) = (r / kk, r % kk);
        let (j2, l) = ((s - na) / pp, (s - na) % pp);
        if j == j2 { c[(i, l)] } else { 0.0 }
    });
    let h32 = d32::bilinear_matmul_hessian(&m32(&a), &m32(&b), &m32(&c));
    check(
        "Σ C⊙matmul(A, B)",
        &d64::bilinear_matmul_hessian(&a, &b, &c),
        &h32,
        &want,
    );
}

/// The f32 copy of a vector.
fn v32(v: &[f64]) -> Vec<f32> {
    v.iter().map(|&x| x as f32).collect()
}
