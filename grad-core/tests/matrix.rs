//! `Matrix<T>` and its ops against references computed naively here in f64.
//!
//! Tolerances: products and reductions `1e-12` relative to `Σ|terms|` in
//! f64 and `1e-5` in f32 (blocked sums in another order); elementwise ops,
//! softmax and the losses `1e-13` relative (f64) / `2e-6` (f32), the kernels'
//! documented bounds with room.

use grad_core::matrix::{matmul_nt, matmul_tn};
use grad_core::{Matrix, Real, matmul, transpose};

/// Deterministic values in [−2, 2).
fn values(len: usize, seed: u64) -> Vec<f64> {
    let mut s = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..len)
        .map(|_| {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            (s >> 11) as f64 / (1u64 << 53) as f64 * 4.0 - 2.0
        })
        .collect()
}

fn random<T: Real>(rows: usize, cols: usize, seed: u64) -> Matrix<T> {
    let v = values(rows * cols, seed);
    Matrix::from_vec(rows, cols, v.into_iter().map(T::from_f64).collect())
}

fn at<T: Real>(m: &Matrix<T>, i: usize, j: usize) -> f64 {
    m[(i, j)].to_f64()
}

/// `a·b` in f64 with its per-element `Σ|aᵢₚ·bₚⱼ|` (the error scale).
fn naive_matmul<T: Real>(a: &Matrix<T>, b: &Matrix<T>) -> (Vec<f64>, Vec<f64>) {
    let (m, k, n) = (a.rows(), a.cols(), b.cols());
    let mut c = vec![0.0; m * n];
    let mut scale = vec![0.0; m * n];
    for i in 0..m {
        for j in 0..n {
            for p in 0..k {
                c[i * n + j] += at(a, i, p) * at(b, p, j);
                scale[i * n + j] += (at(a, i, p) * at(b, p, j)).abs();
            }
        }
    }
    (c, scale)
}

fn assert_close<T: Real>(got: &[T], want: &[f64], scale: &[f64], tol: f64, what: &str) {
    assert_eq!(got.len(), want.len(), "{what}: length");
    for (i, ((&g, &w), &s)) in got.iter().zip(want).zip(scale).enumerate() {
        let err = (g.to_f64() - w).abs();
        assert!(
            err <= tol * s.max(f64::MIN_POSITIVE),
            "{what}[{i}]: {g} vs {w} (scale {s})"
        );
    }
}

/// Relative closeness, for values whose own magnitude is the scale.
fn assert_rel<T: Real>(got: &[T], want: &[f64], tol: f64, what: &str) {
    let scale: Vec<f64> = want.iter().map(|w| w.abs().max(1e-300)).collect();
    assert_close(got, want, &scale, tol, what);
}

fn tol<T: Real>(f64_tol: f64, f32_tol: f64) -> f64 {
    if T::MANTISSA_BITS > 30 {
        f64_tol
    } else {
        f32_tol
    }
}

const SHAPES: [(usize, usize, usize); 7] = [
    (1, 1, 1),
    (2, 3, 4),
    (7, 1, 5),
    (17, 33, 9),
    (64, 78, 13),
    (3, 0, 2),
    (0, 4, 3),
];

fn products<T: Real>() {
    for (seed, &(m, k, n)) in SHAPES.iter().enumerate() {
        let seed = seed as u64 * 10;
        let (a, b) = (random::<T>(m, k, seed), random::<T>(k, n, seed + 1));
        let (want, scale) = naive_matmul(&a, &b);
        let t = tol::<T>(1e-12, 1e-5);
        let what = format!("{m}×{k}·{k}×{n}");
        assert_close(matmul(&a, &b).as_slice(), &want, &scale, t, &what);
        assert_eq!(matmul(a.clone(), b.clone()), matmul(&a, &b));
        // Transposed operands: stored transposed, read through strides.
        let (at_, bt) = (transpose(&a), transpose(&b));
        assert_close(matmul_tn(&at_, &b).as_slice(), &want, &scale, t, &what);
        assert_close(matmul_nt(&a, &bt).as_slice(), &want, &scale, t, &what);
        assert_eq!(matmul_tn(&at_, &b).shape(), (m, n));
        assert_eq!(matmul_nt(&a, &bt).shape(), (m, n));
    }
}

#[test]
fn products_match_the_naive_product_f64() {
    products::<f64>();
}

#[test]
fn products_match_the_naive_product_f32() {
    products::<f32>();
}

#[test]
fn transpose_moves_every_element() {
    for (m, n) in [(0, 3), (1, 1), (3, 5), (40, 33)] {
        let a = random::<f64>(m, n, 3);
        let t = transpose(&a);
        assert_eq!(t.shape(), (n, m));
        for i in 0..m {
            for j in 0..n {
                assert_eq!(t[(j, i)], a[(i, j)]);
            }
        }
        assert_eq!(transpose(t), a);
    }
}

#[test]
fn constructors_and_accessors() {
    let m = Matrix::from_vec(2, 3, vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
    assert_eq!((m.rows(), m.cols(), m.shape()), (2, 3, (2, 3)));
    assert_eq!(m[(1, 2)], 6.0);
    assert_eq!(m.row(1), &[4.0, 5.0, 6.0]);
    assert_eq!(m.as_slice(), &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
    let f = Matrix::from_fn(2, 3, |i, j| (i * 3 + j + 1) as f64);
    assert_eq!(f, m);
    let mut z = Matrix::<f32>::zeros(64, 10);
    assert!(z.as_slice().iter().all(|&v| v == 0.0));
    z[(63, 9)] = 1.0;
    z.row_mut(0)[0] = 2.0;
    assert_eq!((z.as_slice()[639], z.as_slice()[0]), (1.0, 2.0));
    assert_eq!(m.clone().into_vec().len(), 6);
}

#[test]
#[should_panic(expected = "Matrix::from_vec: a 2×3 matrix needs 6 elements but data has length 5")]
fn from_vec_names_the_shape_and_the_length() {
    Matrix::from_vec(2, 3, vec![0.0_f64; 5]);
}

#[test]
#[should_panic(expected = "Matrix: index (2, 0) is out of range for a 2×3 matrix")]
fn index_out_of_range_names_the_index_and_the_shape() {
    let _ = Matrix::<f64>::zeros(2, 3)[(2, 0)];
}

#[test]
#[should_panic(expected = "Matrix: row 5 is out of range for a 2×3 matrix")]
fn row_out_of_range_names_the_row_and_the_shape() {
    let _ = Matrix::<f64>::zeros(2, 3).row(5);
}

#[test]
fn debug_prints_like_a_pytorch_2d_tensor() {
    let show = |m: &Matrix<f64>| format!("{m:?}");
    let m = Matrix::from_vec(2, 2, vec![1.0, 2.0, 3.0, 4.0]);
    assert_eq!(show(&m), "tensor([[1., 2.],\n        [3., 4.]])");
    let m = Matrix::from_vec(2, 2, vec![1.0, 2.5, 3.0, 4.0]);
    assert_eq!(
        show(&m),
        "tensor([[1.0000, 2.5000],\n        [3.0000, 4.0000]])"
    );
    let m = Matrix::from_vec(1, 3, vec![-0.5, 0.25, 10.0]);
    assert_eq!(show(&m), "tensor([[-0.5000,  0.2500, 10.0000]])");
    let m = Matrix::from_vec(2, 1, vec![1e-5, 1.0]);
    assert_eq!(show(&m), "tensor([[1.0000e-05],\n        [1.0000e+00]])");
    let m = Matrix::from_vec(1, 2, vec![f64::NAN, 0.5]);
    assert_eq!(show(&m), "tensor([[   nan, 0.5000]])");
    assert_eq!(show(&Matrix::zeros(0, 3)), "tensor([], size=(0, 3))");
    // A row wider than 80 columns wraps under its first element.
    let m = Matrix::from_fn(1, 12, |_, j| j as f64 + 0.5);
    assert_eq!(
        show(&m),
        "tensor([[ 0.5000,  1.5000,  2.5000,  3.5000,  4.5000,  5.5000,  6.5000,  7.5000,\n          \
         8.5000,  9.5000, 10.5000, 11.5000]])"
    );
    // More than 1000 elements: the first and last 3 rows and columns.
    let m = Matrix::from_fn(40, 30, |i, j| (100 + i * 30 + j) as f64);
    assert_eq!(
        show(&m),
        "tensor([[ 100.,  101.,  102.,  ...,  127.,  128.,  129.],\n        \
         [ 130.,  131.,  132.,  ...,  157.,  158.,  159.],\n        \
         [ 160.,  161.,  162.,  ...,  187.,  188.,  189.],\n        \
         ...,\n        \
         [1210., 1211., 1212.,  ..., 1237., 1238., 1239.],\n        \
         [1240., 1241., 1242.,  ..., 1267., 1268., 1269.],\n        \
         [1270., 1271., 1272.,  ..., 1297., 1298., 1299.]])"
    );
    // Magnitudes spanning more than 1000: scientific, as PyTorch.
    let m = Matrix::from_vec(1, 2, vec![1.0, 2000.0]);
    assert_eq!(show(&m), "tensor([[1.0000e+00, 2.0000e+03]])");
}

#[test]
#[should_panic(expected = "matmul: a is 2×3 but b is 4×5")]
fn matmul_names_both_shapes() {
    matmul(Matrix::<f64>::zeros(2, 3), Matrix::zeros(4, 5));
}

#[test]
#[should_panic(expected = "matmul_tn: a is 2×3 but b is 4×5")]
fn matmul_tn_names_both_shapes() {
    matmul_tn(Matrix::<f32>::zeros(2, 3), Matrix::zeros(4, 5));
}

#[test]
#[should_panic(expected = "matmul_nt: a is 2×3 but b is 4×5")]
fn matmul_nt_names_both_shapes() {
    matmul_nt(Matrix::<f32>::zeros(2, 3), Matrix::zeros(4, 5));
}

#[path = "matrix/elementwise.rs"]
mod elementwise;
#[path = "matrix/values.rs"]
mod values;
