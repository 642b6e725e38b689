//! A two-layer MLP over a minibatch: `x` is 8×4, a `tanh` hidden layer of 5,
//! 3 classes, `cross_entropy` averaged over the rows. Its gradient must be the
//! mean of the per-sample gradients, computed two ways: the same fn on
//! one-row batches, and the vector version with `matvec` (whose weights are
//! the transposes).

use grad::prelude::*;

use crate::support::{FD64, Flat, assert_close, labels, m32, mat, vector};

#[differentiable(wrt(w1, b1, w2, b2))]
fn mlp(
    w1: &Matrix<f64>,
    b1: &[f64],
    w2: &Matrix<f64>,
    b2: &[f64],
    x: &Matrix<f64>,
    labels: &[usize],
) -> f64 {
    let h = tanh(matmul(x, w1) + b1);
    cross_entropy(matmul(h, w2) + b2, labels)
}

#[differentiable(wrt(w1, b1, w2, b2))]
fn mlp32(
    w1: &Matrix<f32>,
    b1: &[f32],
    w2: &Matrix<f32>,
    b2: &[f32],
    x: &Matrix<f32>,
    labels: &[usize],
) -> f32 {
    let h = tanh(matmul(x, w1) + b1);
    cross_entropy(matmul(h, w2) + b2, labels)
}

/// One sample, on vectors: `w1t` is `w1ᵀ` (5×4), `w2t` is `w2ᵀ` (3×5).
#[differentiable(wrt(w1t, b1, w2t, b2))]
fn mlp_one(
    w1t: &Matrix<f64>,
    b1: &[f64],
    w2t: &Matrix<f64>,
    b2: &[f64],
    x: &[f64],
    class: usize,
) -> f64 {
    let h = tanh(matvec(w1t, x) + b1);
    cross_entropy(matvec(w2t, h) + b2, class)
}

const BATCH: usize = 8;

struct Net {
    w1: Matrix<f64>,
    b1: Vec<f64>,
    w2: Matrix<f64>,
    b2: Vec<f64>,
    x: Matrix<f64>,
    y: Vec<usize>,
}

fn net() -> Net {
    Net {
        w1: mat(4, 5, 11, -1.0, 1.0),
        b1: vector(5, 12, -0.3, 0.3),
        w2: mat(5, 3, 13, -1.0, 1.0),
        b2: vector(3, 14, -0.3, 0.3),
        x: mat(BATCH, 4, 15, -2.0, 2.0),
        y: labels(BATCH, 3),
    }
}

fn transpose64(a: &Matrix<f64>) -> Matrix<f64> {
    Matrix::from_fn(a.cols(), a.rows(), |i, j| a[(j, i)])
}

/// `Σ g / BATCH`, flattened in parameter order.
fn mean_of(grads: &[Vec<f64>]) -> Vec<f64> {
    let mut out = vec![0.0; grads[0].len()];
    for g in grads {
        for (o, x) in out.iter_mut().zip(g) {
            *o += x;
        }
    }
    out.iter().map(|x| x / BATCH as f64).collect()
}

/// Asserts `|got − want| ≤ 1e-12·(1 + |want|)` element by element.
#[track_caller]
fn assert_within_1e12(what: &str, got: &[f64], want: &[f64]) {
    assert_close(what, got, want, 1e-12);
}

#[test]
fn the_batch_gradient_is_the_mean_of_one_row_batches() {
    let n = net();
    let (dw1, db1, dw2, db2) = mlp_grad(&n.w1, &n.b1, &n.w2, &n.b2, &n.x, &n.y);
    assert_eq!(
        (dw1.shape(), db1.len(), dw2.shape(), db2.len()),
        ((4, 5), 5, (5, 3), 3)
    );
    let per_sample: Vec<Vec<f64>> = (0..BATCH)
        .map(|i| {
            let xi = Matrix::from_vec(1, 4, n.x.row(i).to_vec());
            mlp_grad(&n.w1, &n.b1, &n.w2, &n.b2, &xi, &n.y[i..=i]).flat()
        })
        .collect();
    assert_within_1e12(
        "mlp_grad vs the mean of one-row batches",
        &(dw1, db1, dw2, db2).flat(),
        &mean_of(&per_sample),
    );
    // The per-sample gradients differ: the mean is not of copies.
    assert_ne!(per_sample[0], per_sample[1]);
}

#[test]
fn the_batch_gradient_is_the_mean_of_the_vector_version() {
    let n = net();
    let (w1t, w2t) = (transpose64(&n.w1), transpose64(&n.w2));
    let (value, (dw1, db1, dw2, db2)) = mlp_value_and_grad(&n.w1, &n.b1, &n.w2, &n.b2, &n.x, &n.y);
    let mut values = 0.0;
    let per_sample: Vec<Vec<f64>> = (0..BATCH)
        .map(|i| {
            let (v, (d1t, d_b1, d2t, d_b2)) =
                mlp_one_value_and_grad(&w1t, &n.b1, &w2t, &n.b2, n.x.row(i), n.y[i]);
            values += v;
            (transpose64(&d1t), d_b1, transpose64(&d2t), d_b2).flat()
        })
        .collect();
    assert_within_1e12(
        "the loss is the mean over rows",
        &[value],
        &[values / BATCH as f64],
    );
    assert_within_1e12(
        "mlp_grad vs the mean of mlp_one_grad (matvec)",
        &(dw1, db1, dw2, db2).flat(),
        &mean_of(&per_sample),
    );
}

#[test]
fn the_batch_gradient_matches_central_differences() {
    let n = net();
    let grad = mlp_grad(&n.w1, &n.b1, &n.w2, &n.b2, &n.x, &n.y).flat();
    // The parameters as one flat vector: w1 (20), b1 (5), w2 (15), b2 (3).
    let at = (n.w1.clone(), n.b1.clone(), n.w2.clone(), n.b2.clone()).flat();
    let loss = |p: &[f64]| {
        let w1 = Matrix::from_vec(4, 5, p[..20].to_vec());
        let w2 = Matrix::from_vec(5, 3, p[25..40].to_vec());
        mlp(&w1, &p[20..25], &w2, &p[40..], &n.x, &n.y)
    };
    let fd: Vec<f64> = (0..at.len())
        .map(|k| {
            let h = 1e-6 * (1.0 + at[k].abs());
            let (mut hi, mut lo) = (at.clone(), at.clone());
            hi[k] += h;
            lo[k] -= h;
            (loss(&hi) - loss(&lo)) / (2.0 * h)
        })
        .collect();
    assert_close("mlp_grad vs central difference", &grad, &fd, FD64);
}

#[test]
fn the_f32_batch_gradient_is_close_to_the_f64_one() {
    let n = net();
    let g64 = mlp_grad(&n.w1, &n.b1, &n.w2, &n.b2, &n.x, &n.y).flat();
    let f = |v: &[f64]| -> Vec<f32> { v.iter().map(|&x| x as f32).collect() };
    let g32 = mlp32_grad(
        &m32(&n.w1),
        &f(&n.b1),
        &m32(&n.w2),
        &f(&n.b2),
        &m32(&n.x),
        &n.y,
    )
    .flat();
    assert_close("mlp32_grad vs mlp_grad", &g32, &g64, 1e-5);
}
