//! Closed-form gradients of the matrix ops, computed here by hand loops (not
//! through `grad`'s ops), against the generated f64 gradients within
//! `CLOSED·(1 + |c|)`.

use grad::Matrix;

use crate::defs::d64;
use crate::support::{CLOSED, Flat, assert_close, labels, mat, vector};

/// `a·b` by the textbook triple loop.
fn mm(a: &Matrix<f64>, b: &Matrix<f64>) -> Matrix<f64> {
    assert_eq!(a.cols(), b.rows());
    Matrix::from_fn(a.rows(), b.cols(), |i, j| {
        (0..a.cols()).map(|k| a[(i, k)] * b[(k, j)]).sum()
    })
}

/// `aᵀ`.
fn tr(a: &Matrix<f64>) -> Matrix<f64> {
    Matrix::from_fn(a.cols(), a.rows(), |i, j| a[(j, i)])
}

/// `f(a_ij, b_ij)` for every element.
fn zip(a: &Matrix<f64>, b: &Matrix<f64>, f: impl Fn(f64, f64) -> f64) -> Matrix<f64> {
    Matrix::from_fn(a.rows(), a.cols(), |i, j| f(a[(i, j)], b[(i, j)]))
}

/// The row-wise softmax.
fn softmax_rows(a: &Matrix<f64>) -> Matrix<f64> {
    Matrix::from_fn(a.rows(), a.cols(), |i, j| {
        let z: f64 = a.row(i).iter().map(|x| x.exp()).sum();
        a[(i, j)].exp() / z
    })
}

#[test]
fn matmul_da_is_w_bt_and_db_is_at_w() {
    let (a, b, w) = (
        mat(5, 4, 1, -2.0, 2.0),
        mat(4, 3, 2, -2.0, 2.0),
        mat(5, 3, 3, -1.0, 1.0),
    );
    let (da, db, dw) = d64::p_matmul_grad(&a, &b, &w);
    assert_close("∂/∂a = w·bᵀ", &da.flat(), &mm(&w, &tr(&b)).flat(), CLOSED);
    assert_close("∂/∂b = aᵀ·w", &db.flat(), &mm(&tr(&a), &w).flat(), CLOSED);
    assert_close("∂/∂w = a·b", &dw.flat(), &mm(&a, &b).flat(), CLOSED);
}

#[test]
fn transpose_da_is_wt() {
    let (a, w) = (mat(5, 4, 1, -2.0, 2.0), mat(4, 5, 2, -1.0, 1.0));
    let (da, dw) = d64::p_transpose_grad(&a, &w);
    assert_eq!(da, tr(&w), "∂/∂a = wᵀ exactly");
    assert_eq!(dw, tr(&a), "∂/∂w = aᵀ exactly");
}

#[test]
fn matvec_dw_is_the_outer_product_and_dx_is_wt_c() {
    let (w, x, c) = (
        mat(5, 4, 1, -2.0, 2.0),
        vector(4, 2, -2.0, 2.0),
        vector(5, 3, -1.0, 1.0),
    );
    let (dw, dx, dc) = d64::p_matvec_grad(&w, &x, &c);
    let outer = Matrix::from_fn(5, 4, |i, j| c[i] * x[j]);
    let wtc: Vec<f64> = (0..4)
        .map(|j| (0..5).map(|i| w[(i, j)] * c[i]).sum())
        .collect();
    let wx: Vec<f64> = (0..5)
        .map(|i| (0..4).map(|j| w[(i, j)] * x[j]).sum())
        .collect();
    assert_close("∂/∂w = c·xᵀ", &dw.flat(), &outer.flat(), CLOSED);
    assert_close("∂/∂x = wᵀ·c", &dx, &wtc, CLOSED);
    assert_close("∂/∂c = w·x", &dc, &wx, CLOSED);
}

#[test]
fn broadcast_vectors_get_the_column_sum() {
    let (a, v, w) = (
        mat(5, 3, 1, -2.0, 2.0),
        vector(3, 2, -2.0, 2.0),
        mat(5, 3, 3, -1.0, 1.0),
    );
    let col_sum: Vec<f64> = (0..3).map(|j| (0..5).map(|i| w[(i, j)]).sum()).collect();
    let neg: Vec<f64> = col_sum.iter().map(|x| -x).collect();
    let neg_w = Matrix::from_fn(5, 3, |i, j| -w[(i, j)]);
    let a_plus_v = Matrix::from_fn(5, 3, |i, j| a[(i, j)] + v[j]);

    let (da, dv, dw) = d64::e_add_mv_grad(&a, &v, &w);
    assert_eq!(da, w, "a + v: ∂/∂a = w");
    assert_close("a + v: ∂/∂v = Σ_rows w", &dv, &col_sum, CLOSED);
    assert_close("a + v: ∂/∂w = a + v", &dw.flat(), &a_plus_v.flat(), CLOSED);

    let (da, dv, _) = d64::e_sub_mv_grad(&a, &v, &w);
    assert_eq!(da, w, "a - v: ∂/∂a = w");
    assert_close("a - v: ∂/∂v = −Σ_rows w", &dv, &neg, CLOSED);

    let (da, dv, _) = d64::e_add_vm_grad(&a, &v, &w);
    assert_eq!(da, w, "v + a: ∂/∂a = w");
    assert_close("v + a: ∂/∂v = Σ_rows w", &dv, &col_sum, CLOSED);

    let (da, dv, _) = d64::e_sub_vm_grad(&a, &v, &w);
    assert_eq!(da, neg_w, "v - a: ∂/∂a = −w");
    assert_close("v - a: ∂/∂v = Σ_rows w", &dv, &col_sum, CLOSED);
}

#[test]
fn cross_entropy_is_softmax_minus_onehot_over_rows() {
    let (z, y) = (mat(7, 4, 1, -3.0, 3.0), labels(7, 4));
    let p = softmax_rows(&z);
    let want = Matrix::from_fn(7, 4, |i, j| {
        (p[(i, j)] - f64::from(u8::from(y[i] == j))) / 7.0
    });
    let dz = d64::l_cross_entropy_grad(&z, &y);
    assert_close("(softmax − onehot)/rows", &dz.flat(), &want.flat(), CLOSED);
    let value: f64 = (0..7).map(|i| -p[(i, y[i])].ln()).sum::<f64>() / 7.0;
    assert!(
        (d64::l_cross_entropy(&z, &y) - value).abs() < 1e-14,
        "the value is the mean over rows"
    );
}

#[test]
fn softmax_rows_backward_is_p_times_w_minus_the_row_mean() {
    let (a, w) = (mat(5, 4, 1, -3.0, 3.0), mat(5, 4, 3, -1.0, 1.0));
    let p = softmax_rows(&a);
    let want = Matrix::from_fn(5, 4, |i, j| {
        let pw: f64 = (0..4).map(|k| p[(i, k)] * w[(i, k)]).sum();
        p[(i, j)] * (w[(i, j)] - pw)
    });
    let (da, dw) = d64::r_softmax_grad(&a, &w);
    assert_close("softmax: ∂/∂a", &da.flat(), &want.flat(), CLOSED);
    assert_close("softmax: ∂/∂w = p", &dw.flat(), &p.flat(), CLOSED);
    // log_softmax: ∂/∂a_ij = w_ij − p_ij·Σ_k w_ik.
    let want = Matrix::from_fn(5, 4, |i, j| {
        w[(i, j)] - p[(i, j)] * w.row(i).iter().sum::<f64>()
    });
    let (da, _) = d64::r_log_softmax_grad(&a, &w);
    assert_close("log_softmax: ∂/∂a", &da.flat(), &want.flat(), CLOSED);
}

#[test]
fn sum_and_mean_spread_evenly() {
    let a = mat(3, 4, 1, -2.0, 2.0);
    assert_eq!(d64::r_sum_grad(&a), Matrix::from_vec(3, 4, vec![1.0; 12]));
    assert_eq!(
        d64::r_mean_grad(&a),
        Matrix::from_vec(3, 4, vec![1.0 / 12.0; 12])
    );
}

#[test]
fn losses_over_all_elements() {
    let (a, b) = (mat(5, 3, 1, -2.0, 2.0), mat(5, 3, 2, -2.0, 2.0));
    let (da, db) = d64::l_mse_grad(&a, &b);
    let want = zip(&a, &b, |x, y| 2.0 * (x - y) / 15.0);
    assert_close("mse: ∂/∂a = 2(a − b)/n", &da.flat(), &want.flat(), CLOSED);
    let neg: Vec<f64> = want.flat().iter().map(|x| -x).collect();
    assert_close("mse: ∂/∂b = −2(a − b)/n", &db.flat(), &neg, CLOSED);

    let (z, y) = (mat(5, 3, 1, -4.0, 4.0), mat(5, 3, 2, 0.0, 1.0));
    let (dz, dy) = d64::l_bce_with_logits_grad(&z, &y);
    let want = zip(&z, &y, |z, y| (1.0 / (1.0 + (-z).exp()) - y) / 15.0);
    assert_close(
        "bce_with_logits: ∂/∂z = (σ(z) − y)/n",
        &dz.flat(),
        &want.flat(),
        CLOSED,
    );
    assert_close(
        "bce_with_logits: ∂/∂y = −z/n",
        &dy.flat(),
        &zip(&z, &y, |z, _| -z / 15.0).flat(),
        CLOSED,
    );

    let (p, y) = (mat(5, 3, 1, 0.05, 0.95), mat(5, 3, 2, 0.0, 1.0));
    let (dp, _) = d64::l_bce_grad(&p, &y);
    let want = zip(&p, &y, |p, y| (p - y) / (p * (1.0 - p)) / 15.0);
    assert_close(
        "bce: ∂/∂p = (p − y)/(p(1 − p))/n",
        &dp.flat(),
        &want.flat(),
        CLOSED,
    );
}

#[test]
fn a_scalar_times_a_matrix_gets_the_sum_over_the_matrix() {
    let (a, s, w) = (mat(4, 3, 1, -2.0, 2.0), 0.9, mat(4, 3, 3, -1.0, 1.0));
    // f = Σ σ(a·s)⊙w + s·mean(a)
    let sp = zip(&a, &w, |x, wij| {
        let q = 1.0 / (1.0 + (-x * s).exp());
        q * (1.0 - q) * wij
    });
    let want_ds: f64 =
        zip(&sp, &a, |g, x| g * x).flat().iter().sum::<f64>() + a.flat().iter().sum::<f64>() / 12.0;
    let want_da = zip(&sp, &a, |g, _| g * s + s / 12.0);
    let (da, ds, _) = d64::x_scale_grad(&a, s, &w);
    assert_close("∂/∂s = Σ σ′(a·s)·a·w + mean(a)", &[ds], &[want_ds], CLOSED);
    assert_close(
        "∂/∂a = σ′(a·s)·s·w + s/n",
        &da.flat(),
        &want_da.flat(),
        CLOSED,
    );
}

#[test]
fn the_vjp_of_the_identity_is_the_cotangent() {
    let (a, c) = (mat(3, 2, 1, -2.0, 2.0), mat(3, 2, 2, -1.0, 1.0));
    assert_eq!(d64::o_identity_vjp(&a, &c), c);
    // and of a transpose, the transposed cotangent times the other factor
    let b = mat(3, 2, 3, -1.0, 1.0);
    let ct = mat(2, 3, 4, -1.0, 1.0);
    let (da, db) = d64::o_transpose_vjp(&a, &b, &ct);
    assert_eq!(da, zip(&tr(&ct), &b, |c, b| c * b));
    assert_eq!(db, zip(&tr(&ct), &a, |c, a| c * a));
}
