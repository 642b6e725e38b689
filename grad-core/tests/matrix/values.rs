//! The value-level ops of `grad_core::values` on matrices: row-wise softmax,
//! losses, reductions, `matvec`.

use super::{assert_close, assert_rel, random, tol};
use grad_core::{Matrix, Real};

fn f64s(m: &Matrix<impl Real>) -> Vec<f64> {
    m.as_slice().iter().map(|v| v.to_f64()).collect()
}

/// `ln Σ e^x` of one row, stable.
fn logsumexp(row: &[f64]) -> f64 {
    let m = row.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    m + row.iter().map(|x| (x - m).exp()).sum::<f64>().ln()
}

fn row_wise<T: Real>() {
    let mut x = random::<T>(6, 10, 9);
    x[(2, 3)] = T::from_f64(80.0); // a dominant logit
    let xs = f64s(&x);
    let mut soft = Vec::new();
    let mut log = Vec::new();
    for row in xs.chunks(10) {
        let l = logsumexp(row);
        log.extend(row.iter().map(|v| v - l));
        soft.extend(row.iter().map(|v| (v - l).exp()));
    }
    let t = tol::<T>(1e-13, 2e-6);
    let s = grad_core::softmax(&x);
    assert_eq!(s.shape(), (6, 10));
    // Absolute error against the row's sum (1).
    assert_close(s.as_slice(), &soft, &vec![1.0; 60], t, "softmax");
    let scale: Vec<f64> = log.iter().map(|v| v.abs().max(1.0)).collect();
    assert_close(
        grad_core::log_softmax(x.clone()).as_slice(),
        &log,
        &scale,
        t,
        "log_softmax",
    );

    let labels: Vec<usize> = (0..6).map(|i| (3 * i + 1) % 10).collect();
    let ce: f64 = (0..6).map(|i| -log[i * 10 + labels[i]]).sum::<f64>() / 6.0;
    assert_rel(
        &[grad_core::cross_entropy(&x, &labels)],
        &[ce],
        t,
        "cross_entropy",
    );
    assert_rel(
        &[grad_core::cross_entropy(&x, labels.clone())],
        &[ce],
        t,
        "cross_entropy",
    );
}

#[test]
fn softmax_and_cross_entropy_run_along_rows_f64() {
    row_wise::<f64>();
}

#[test]
fn softmax_and_cross_entropy_run_along_rows_f32() {
    row_wise::<f32>();
}

fn losses_and_reductions<T: Real>() {
    let (a, b) = (random::<T>(4, 6, 11), random::<T>(4, 6, 12));
    let (av, bv) = (f64s(&a), f64s(&b));
    let n = av.len() as f64;
    let t = tol::<T>(1e-13, 2e-6);
    let sum: f64 = av.iter().sum();
    let abs_sum: f64 = av.iter().map(|v| v.abs()).sum();
    assert_close(&[grad_core::sum(&a)], &[sum], &[abs_sum], t, "sum");
    assert_close(
        &[grad_core::mean(&a)],
        &[sum / n],
        &[abs_sum / n],
        t,
        "mean",
    );
    let mse = av
        .iter()
        .zip(&bv)
        .map(|(x, y)| (x - y).powi(2))
        .sum::<f64>()
        / n;
    assert_rel(&[grad_core::mse(&a, &b)], &[mse], t, "mse");
    // Probabilities in (0, 1) and targets in [0, 1].
    let p = grad_core::sigmoid(&a);
    let y = grad_core::sigmoid(&b * T::from_f64(3.0));
    let (pv, yv) = (f64s(&p), f64s(&y));
    let bce = pv
        .iter()
        .zip(&yv)
        .map(|(p, y)| -(y * p.ln() + (1.0 - y) * (1.0 - p).ln()))
        .sum::<f64>()
        / n;
    assert_rel(&[grad_core::binary_cross_entropy(&p, &y)], &[bce], t, "bce");
    let logits = av
        .iter()
        .zip(&yv)
        .map(|(z, y)| z.max(0.0) - z * y + (-z.abs()).exp().ln_1p())
        .sum::<f64>()
        / n;
    assert_rel(
        &[grad_core::bce_with_logits(&a, &y)],
        &[logits],
        t,
        "bce_with_logits",
    );
}

#[test]
fn losses_and_reductions_run_over_every_element_f64() {
    losses_and_reductions::<f64>();
}

#[test]
fn losses_and_reductions_run_over_every_element_f32() {
    losses_and_reductions::<f32>();
}

#[test]
fn matvec_of_a_matrix_and_of_a_slice() {
    let w = random::<f64>(5, 8, 13);
    let x: Vec<f64> = (0..8).map(|j| j as f64 * 0.25 - 1.0).collect();
    let want: Vec<f64> = (0..5)
        .map(|i| (0..8).map(|j| w[(i, j)] * x[j]).sum())
        .collect();
    let scale: Vec<f64> = (0..5)
        .map(|i| (0..8).map(|j| (w[(i, j)] * x[j]).abs()).sum())
        .collect();
    assert_close(&grad_core::matvec(&w, &x), &want, &scale, 1e-14, "matvec");
    // The slice form is unchanged: rows = w.len() / x.len().
    assert_eq!(
        grad_core::matvec(w.as_slice(), &x),
        grad_core::matvec(&w, &x)
    );
    assert_eq!(
        grad_core::matvec(Matrix::<f64>::zeros(3, 0), []),
        vec![0.0; 3]
    );
}

#[test]
fn vectors_keep_their_behaviour() {
    let v = vec![1.0_f64, 2.0, 3.0];
    assert_eq!(grad_core::softmax(&v).len(), 3);
    assert_eq!(
        grad_core::cross_entropy(&v, 2),
        grad_core::cross_entropy(&v[..], [2])
    );
    assert_eq!(grad_core::sum(v.clone()), 6.0);
    assert_eq!(grad_core::mse([1.0_f32], [3.0]), 4.0);
}

#[test]
fn a_matrix_with_no_rows_has_a_nan_cross_entropy() {
    assert!(grad_core::cross_entropy(Matrix::<f32>::zeros(0, 3), []).is_nan());
    assert_eq!(
        grad_core::softmax(Matrix::<f32>::zeros(0, 3)).shape(),
        (0, 3)
    );
}

#[test]
#[should_panic(
    expected = "cross_entropy: labels[1] = 7 is out of range for 3 classes (logits is 2×3)"
)]
fn a_label_out_of_range_names_the_row_and_the_label() {
    grad_core::cross_entropy(Matrix::<f64>::zeros(2, 3), [0, 7]);
}

#[test]
#[should_panic(expected = "cross_entropy: logits is 2×3 but labels has length 3")]
fn cross_entropy_needs_one_label_per_row() {
    grad_core::cross_entropy(Matrix::<f64>::zeros(2, 3), vec![0, 1, 2]);
}

#[test]
#[should_panic(
    expected = "cross_entropy: class = 3 is out of range for 3 classes (logits has length 3)"
)]
fn a_vector_class_out_of_range_keeps_its_message() {
    grad_core::cross_entropy([0.0_f32; 3], 3);
}

#[test]
#[should_panic(expected = "mse: pred is 2×3 but target is 3×2")]
fn mse_names_both_shapes() {
    grad_core::mse(Matrix::<f64>::zeros(2, 3), Matrix::zeros(3, 2));
}

#[test]
#[should_panic(expected = "binary_cross_entropy: p is 2×3 but y has length 6")]
fn bce_names_a_matrix_and_a_vector() {
    grad_core::binary_cross_entropy(Matrix::<f64>::zeros(2, 3), [0.0; 6]);
}

#[test]
#[should_panic(expected = "bce_with_logits: z is 1×2 but y is 2×1")]
fn bce_with_logits_names_both_shapes() {
    grad_core::bce_with_logits(Matrix::<f32>::zeros(1, 2), Matrix::zeros(2, 1));
}

#[test]
#[should_panic(expected = "mse: pred has length 3 but target has length 2")]
fn vector_length_messages_are_unchanged() {
    grad_core::mse([0.0_f64; 3], [0.0; 2]);
}

#[test]
#[should_panic(expected = "matvec: w is 2×3 but x has length 4")]
fn matvec_names_the_shape_and_the_length() {
    grad_core::matvec(Matrix::<f64>::zeros(2, 3), [0.0; 4]);
}
