//! Forward mode through calls: `f_jvp` of a fn calling user fns (scalar-,
//! vector- and matrix-valued) uses each callee's `_jvp`, and equals the
//! directional derivative `⟨f_grad, tangent⟩`.

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
