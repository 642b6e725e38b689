//! Products and the transpose: `matmul`, `matmul_tn` (`aᵀ·b`), `matmul_nt`
//! (`a·bᵀ`), `transpose`. Every product runs through the one internal
//! [`gemm`](super::gemm::gemm); the transposed forms pass the operand with
//! swapped strides, never a copy.

use core::borrow::Borrow;

use super::Matrix;
use super::gemm::{View, gemm};
use crate::Real;

/// Panics with "`op`: a is 2×3 but b is 4×5" unless `ok`.
#[track_caller]
#[inline]
fn check(ok: bool, op: &str, a: &Matrix<impl Real>, b: &Matrix<impl Real>) {
    assert!(
        ok,
        "{op}: a is {}×{} but b is {}×{}",
        a.rows(),
        a.cols(),
        b.rows(),
        b.cols()
    );
}

/// The matrix product `a·b`: `(m×k)·(k×n) → m×n` (PyTorch `a @ b`), on
/// the GEMM crate. Takes matrices by value or by reference.
///
/// Each element is a sum of `k` products in the crate's order (blocked, with
/// fused multiply-adds where the CPU has them), so it may differ from a
/// left-to-right sum by the usual `k·ε·Σ|aᵢₚ·bₚⱼ|`.
///
/// # Panics
///
/// If `a.cols() != b.rows()`: "matmul: a is 2×3 but b is 4×5".
///
/// ```
/// use grad_core::{Matrix, matmul};
///
/// let a = Matrix::from_vec(2, 3, vec![1.0_f64, 2.0, 3.0, 4.0, 5.0, 6.0]);
/// let b = Matrix::from_vec(3, 1, vec![1.0, 0.0, -1.0]);
/// assert_eq!(matmul(&a, &b).as_slice(), &[-2.0, -2.0]);
/// assert_eq!(matmul(a, b).shape(), (2, 1));
/// ```
#[track_caller]
pub fn matmul<T: Real>(a: impl Borrow<Matrix<T>>, b: impl Borrow<Matrix<T>>) -> Matrix<T> {
    let (a, b) = (a.borrow(), b.borrow());
    check(a.cols() == b.rows(), "matmul", a, b);
    let (m, k, n) = (a.rows(), a.cols(), b.cols());
    let mut c = Matrix::zeros(m, n);
    gemm(
        (m, k, n),
        View::rows(a.as_slice(), k),
        View::rows(b.as_slice(), n),
        c.as_mut_slice(),
        false,
    );
    c
}

/// `aᵀ·b` without forming `aᵀ`: `a` is `k×m`, `b` is `k×n`, the result
/// `m×n` (the weight gradient `xᵀ·dy` of a dense layer). Equal to
/// `matmul(transpose(a), b)` up to the order of the sums.
///
/// # Panics
///
/// If `a.rows() != b.rows()`: "matmul_tn: a is 2×3 but b is 4×5".
///
/// ```
/// use grad_core::Matrix;
/// use grad_core::matrix::matmul_tn;
///
/// let a = Matrix::from_vec(2, 1, vec![1.0_f32, 2.0]);
/// let b = Matrix::from_vec(2, 2, vec![1.0, 0.0, 0.0, 1.0]);
/// assert_eq!(matmul_tn(&a, &b).as_slice(), &[1.0, 2.0]);
/// ```
#[track_caller]
pub fn matmul_tn<T: Real>(a: impl Borrow<Matrix<T>>, b: impl Borrow<Matrix<T>>) -> Matrix<T> {
    let (a, b) = (a.borrow(), b.borrow());
    check(a.rows() == b.rows(), "matmul_tn", a, b);
    let (m, k, n) = (a.cols(), a.rows(), b.cols());
    let mut c = Matrix::zeros(m, n);
    gemm(
        (m, k, n),
        View::transposed(a.as_slice(), m),
        View::rows(b.as_slice(), n),
        c.as_mut_slice(),
        false,
    );
    c
}

/// `a·bᵀ` without forming `bᵀ`: `a` is `m×k`, `b` is `n×k`, the result
/// `m×n` (a dense layer `x·Wᵀ` with `W` stored `out × in`, or the input
/// gradient `dy·W`). Equal to `matmul(a, transpose(b))` up to the order of
/// the sums.
///
/// # Panics
///
/// If `a.cols() != b.cols()`: "matmul_nt: a is 2×3 but b is 4×5".
///
/// ```
/// use grad_core::Matrix;
/// use grad_core::matrix::matmul_nt;
///
/// let x = Matrix::from_vec(1, 2, vec![1.0_f64, 2.0]);
/// let w = Matrix::from_vec(3, 2, vec![1.0, 0.0, 0.0, 1.0, 1.0, 1.0]);
/// assert_eq!(matmul_nt(&x, &w).as_slice(), &[1.0, 2.0, 3.0]);
/// ```
#[track_caller]
pub fn matmul_nt<T: Real>(a: impl Borrow<Matrix<T>>, b: impl Borrow<Matrix<T>>) -> Matrix<T> {
    let (a, b) = (a.borrow(), b.borrow());
    check(a.cols() == b.cols(), "matmul_nt", a, b);
    let (m, k, n) = (a.rows(), a.cols(), b.rows());
    let mut c = Matrix::zeros(m, n);
    gemm(
        (m, k, n),
        View::rows(a.as_slice(), k),
        View::transposed(b.as_slice(), k),
        c.as_mut_slice(),
        false,
    );
    c
}

/// The transpose `aᵀ` (`m×n → n×m`, PyTorch `a.T`), as a new row-major
/// matrix. To multiply by a transpose, [`matmul_tn`] and [`matmul_nt`] read
/// the operand through strides instead of copying it.
///
/// ```
/// use grad_core::{Matrix, transpose};
///
/// let a = Matrix::from_vec(2, 3, vec![1.0_f64, 2.0, 3.0, 4.0, 5.0, 6.0]);
/// let t = transpose(&a);
/// assert_eq!(t.shape(), (3, 2));
/// assert_eq!(t.as_slice(), &[1.0, 4.0, 2.0, 5.0, 3.0, 6.0]);
/// ```
pub fn transpose<T: Real>(a: impl Borrow<Matrix<T>>) -> Matrix<T> {
    let a = a.borrow();
    let (m, n) = a.shape();
    let src = a.as_slice();
    // Blocks of 32×32 keep both the reads and the writes within a few
    // cache lines.
    const B: usize = 32;
    let mut out = vec![T::ZERO; m * n];
    for i0 in (0..m).step_by(B) {
        for j0 in (0..n).step_by(B) {
            for i in i0..(i0 + B).min(m) {
                for j in j0..(j0 + B).min(n) {
                    out[j * m + i] = src[i * n + j];
                }
            }
        }
    }
    Matrix::from_vec(n, m, out)
}
