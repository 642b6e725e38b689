//! Forward mode through calls: `f_jvp` of a fn calling user fns (scalar-,
//! vector- and matrix-valued) uses each callee's `_jvp`, and equals the
//! directional derivative `⟨f_grad, tangent⟩`; `f_hessian` of a fn calling
//! scalar-valued fns uses their `_jvp` and `_vjp_jvp`, and equals central
//! differences.

use grad::{Matrix, differentiable};

#[differentiable(jvp)]
fn inner(a: f64, v: &[f64]) -> f64 {
    a * sum(tanh(v))
}

#[differentiable(jvp)]
fn layer(w: &[f64], x: &[f64]) -> Vec<f64> {
    sigmoid(matvec(w, x))
}

#[differentiable(jvp)]
fn outer(a: f64, w: &[f64], x: &[f64]) -> f64 {
    let h: Vec<f64> = layer(w, x);
    inner(a * a, &h) + inner(2.0, x)
}

#[differentiable(jvp)]
fn mat(w: &Matrix<f64>, x: &Matrix<f64>) -> Matrix<f64> {
    tanh(matmul(x, w))
}

#[test]
fn jvp_composes() {
    let w = [0.3, -0.2, 0.5, 0.1, 0.7, -0.4];
    let x = [0.9, -1.1];
    let (dw_a, dw_w, dw_x) = outer_grad(0.7, &w, &x);
    let tw = [0.1, 0.2, 0.3, -0.1, -0.2, 0.05];
    let tx = [0.5, -0.25];
    let (v, d) = outer_jvp(0.7, &w, &x, 0.3, &tw, &tx);
    assert_eq!(v, outer(0.7, &w, &x));
    let exact = 0.3 * dw_a
        + dw_w.iter().zip(&tw).map(|(a, b)| a * b).sum::<f64>()
        + dw_x.iter().zip(&tx).map(|(a, b)| a * b).sum::<f64>();
    assert!((d - exact).abs() < 1e-12, "{d} {exact}");
    let wm = Matrix::from_fn(2, 3, |i, j| (i + j) as f64 * 0.1);
    let xm = Matrix::from_fn(4, 2, |i, j| (i * 2 + j) as f64 * 0.2);
    let (val, dm) = mat_jvp(&wm, &xm, &wm, &Matrix::zeros(4, 2));
    assert_eq!(val, mat(&wm, &xm));
    assert_eq!(dm.shape(), (4, 3));
}

#[differentiable(jvp, hessian)]
fn inner2(a: f64, v: &[f64]) -> f64 {
    a * sum(tanh(v)) + a.powi(3)
}

#[differentiable(hessian)]
fn outer2(a: f64, w: &[f64], x: &[f64]) -> f64 {
    let h = sigmoid(matvec(w, x));
    inner2(a * a, &h) * inner2(2.0, x) + a
}

fn fd_hess<F: Fn(&[f64]) -> f64>(f: F, x: &[f64]) -> Vec<f64> {
    let n = x.len();
    let h = 1e-4;
    let mut out = vec![0.0; n * n];
    for i in 0..n {
        for j in 0..n {
            let e = |di: f64, dj: f64| {
                let mut y = x.to_vec();
                y[i] += di;
                y[j] += dj;
                f(&y)
            };
            out[i * n + j] = (e(h, h) - e(h, -h) - e(-h, h) + e(-h, -h)) / (4.0 * h * h);
        }
    }
    out
}

#[test]
fn hessian_composes() {
    let w = [0.3, -0.2, 0.5, 0.1, 0.7, -0.4];
    let x = [0.9, -1.1];
    let h = outer2_hessian(0.7, &w, &x);
    let mut p = vec![0.7];
    p.extend(w);
    p.extend(x);
    let fd = fd_hess(|q| outer2(q[0], &q[1..7], &q[7..9]), &p);
    for (k, (a, b)) in h.as_slice().iter().zip(&fd).enumerate() {
        assert!((a - b).abs() < 1e-5, "{k}: {a} {b}");
    }
}
