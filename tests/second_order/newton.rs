//! Newton's method on a logistic regression, with the generated `_grad`
//! and `_hessian`: 40 points, 3 features and a bias, not linearly
//! separable (some labels are flipped, and one point appears with both
//! labels), so the optimum is finite and Newton converges quadratically.

use grad::Matrix;
use grad::prelude::*;

/// The mean binary cross-entropy of the logits `x·w` (x: `n × 4`, its last
/// column all ones for the bias).
#[differentiable(wrt(w), hessian)]
fn nll(w: &[f64], x: &Matrix<f64>, y: &[f64]) -> f64 {
    bce_with_logits(matvec(x, w), y)
}

/// The same in f32.
#[differentiable(wrt(w), hessian)]
fn nll32(w: &[f32], x: &Matrix<f32>, y: &[f32]) -> f32 {
    bce_with_logits(matvec(x, w), y)
}

/// The data: features in `[-2, 2]` (f32-representable), labels from a fixed hyperplane with
/// every 5th label flipped, and the last point a copy of the first with
/// the other label.
fn data() -> (Matrix<f64>, Vec<f64>) {
    let n = 40;
    // Different frequencies per column (linearly independent columns).
    let f = Matrix::from_fn(n, 3, |i, j| {
        let (i, j) = (i as f64 + 1.0, j as f64 + 1.0);
        f64::from((2.0 * (1.7 * i * j + j).sin()) as f32)
    });
    // The last point repeats the first.
    let src = |i: usize| if i == n - 1 { 0 } else { i };
    let x = Matrix::from_fn(n, 4, |i, j| if j < 3 { f[(src(i), j)] } else { 1.0 });
    let truth = [1.5, -2.0, 0.7, 0.3];
    let mut y: Vec<f64> = (0..n)
        .map(|i| {
            let z: f64 = x.row(i).iter().zip(&truth).map(|(a, b)| a * b).sum();
            let label = if z > 0.0 { 1.0 } else { 0.0 };
            if i % 5 == 2 { 1.0 - label } else { label }
        })
        .collect();
    y[n - 1] = 1.0 - y[0];
    (x, y)
}

/// Solves `a·d = b` for a symmetric positive definite `a` (Cholesky).
fn cholesky_solve(a: &Matrix<f64>, b: &[f64]) -> Vec<f64> {
    let n = b.len();
    let mut l = vec![0.0; n * n];
    for i in 0..n {
        for j in 0..=i {
            let s: f64 = (0..j).map(|k| l[i * n + k] * l[j * n + k]).sum();
            if i == j {
                let d = a[(i, i)] - s;
                assert!(
                    d > 0.0,
                    "the Hessian is not positive definite (pivot {i}: {d:e})"
                );
                l[i * n + i] = d.sqrt();
            } else {
                l[i * n + j] = (a[(i, j)] - s) / l[j * n + j];
            }
        }
    }
    let mut z = vec![0.0; n];
    for i in 0..n {
        z[i] = (b[i] - (0..i).map(|k| l[i * n + k] * z[k]).sum::<f64>()) / l[i * n + i];
    }
    let mut d = vec![0.0; n];
    for i in (0..n).rev() {
        d[i] = (z[i] - (i + 1..n).map(|k| l[k * n + i] * d[k]).sum::<f64>()) / l[i * n + i];
    }
    d
}

fn norm(v: &[f64]) -> f64 {
    v.iter().map(|x| x * x).sum::<f64>().sqrt()
}

#[test]
fn data_is_not_separable() {
    let (x, y) = data();
    assert_eq!(x.row(0), x.row(39), "the first and last points coincide");
    assert_ne!(y[0], y[39], "with opposite labels");
    assert!(y.contains(&0.0) && y.contains(&1.0));
}

#[test]
fn newton_converges_in_fewer_than_10_steps() {
    let (x, y) = data();
    let mut w = vec![0.0; 4];
    let mut norms = Vec::new();
    for step in 0..10 {
        let g = nll_grad(&w, &x, &y);
        norms.push(norm(&g));
        if norm(&g) < 1e-10 {
            assert!(step > 0, "the start is not the optimum: {norms:?}");
            let h = nll_hessian(&w, &x, &y);
            assert!(cholesky_solve(&h, &g).iter().all(|d| d.is_finite()));
            let loss = nll(&w, &x, &y);
            for k in 0..4 {
                let mut e = w.clone();
                e[k] += 1e-3;
                assert!(nll(&e, &x, &y) > loss, "a minimum along coordinate {k}");
            }
            return;
        }
        let h = nll_hessian(&w, &x, &y);
        let d = cholesky_solve(&h, &g);
        for (wi, di) in w.iter_mut().zip(&d) {
            *wi -= di;
        }
    }
    panic!("Newton did not reach a gradient norm < 1e-10 in 10 steps: norms {norms:?}");
}

#[test]
fn newton_in_f32_gets_close() {
    let (x, y) = data();
    let x32 = Matrix::from_fn(x.rows(), x.cols(), |i, j| x[(i, j)] as f32);
    let y32: Vec<f32> = y.iter().map(|&v| v as f32).collect();
    let mut w = vec![0.0_f32; 4];
    for _ in 0..8 {
        let g = nll32_grad(&w, &x32, &y32);
        let h = nll32_hessian(&w, &x32, &y32);
        let h64 = Matrix::from_fn(4, 4, |i, j| f64::from(h[(i, j)]));
        let g64: Vec<f64> = g.iter().map(|&v| f64::from(v)).collect();
        let d = cholesky_solve(&h64, &g64);
        for (wi, di) in w.iter_mut().zip(&d) {
            *wi -= *di as f32;
        }
    }
    let g: Vec<f64> = nll32_grad(&w, &x32, &y32)
        .iter()
        .map(|&v| f64::from(v))
        .collect();
    assert!(norm(&g) < 1e-5, "f32 Newton: gradient norm {:e}", norm(&g));
}
