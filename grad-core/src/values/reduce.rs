//! Reductions and the matrix-vector product: `sum mean dot matvec`.
//!
//! `dot` takes `impl AsRef<[T]>`, so `&v`, `v`, arrays and `Vec`s all work;
//! `sum`, `mean` and `matvec` take a matrix as well ([`Operand`]). Each runs
//! the SIMD kernel of the same name in [`crate::kernels`] (error bounds in its
//! docs).

use super::check::same_len;
use super::operand::{Operand, Shape};
use crate::{Real, kernels};

/// The sum of the elements of a vector or a matrix; `0` for none. NaN
/// propagates.
///
/// ```
/// assert_eq!(grad_core::sum([1.0_f64, 2.0, 3.0]), 6.0);
/// assert_eq!(grad_core::sum(Vec::<f32>::new()), 0.0);
/// assert_eq!(grad_core::sum(&grad_core::Matrix::from_vec(1, 2, vec![1.0_f64, 2.0])), 3.0);
/// ```
pub fn sum<T: Real>(v: impl Operand<T>) -> T {
    kernels::sum(v.elems())
}

/// The arithmetic mean of the elements of a vector or a matrix.
///
/// # Errors
///
/// Never panics; the mean of no elements is NaN (as in PyTorch).
///
/// ```
/// assert_eq!(grad_core::mean(&[1.0_f64, 2.0, 3.0]), 2.0);
/// assert!(grad_core::mean(Vec::<f64>::new()).is_nan());
/// assert_eq!(grad_core::mean(grad_core::Matrix::from_vec(2, 1, vec![1.0_f32, 2.0])), 1.5);
/// ```
pub fn mean<T: Real>(v: impl Operand<T>) -> T {
    kernels::mean(v.elems())
}

/// The dot product `Σ aᵢ·bᵢ`; `0` for two empty vectors.
///
/// # Panics
///
/// If `a` and `b` have different lengths (the message names `dot` and both
/// lengths).
///
/// ```
/// assert_eq!(grad_core::dot([1.0_f64, 2.0], [3.0, 4.0]), 11.0);
/// ```
#[track_caller]
pub fn dot<T: Real>(a: impl AsRef<[T]>, b: impl AsRef<[T]>) -> T {
    let (a, b) = (a.as_ref(), b.as_ref());
    same_len("dot", "a", a.len(), "b", b.len());
    kernels::dot(a, b)
}

/// The matrix-vector product `w·x`. `w` is a [`Matrix`](crate::Matrix)
/// (`m×n`, and `x` has length `n`), or a row-major vector of
/// `w.len() / x.len()` rows and `x.len()` columns. The result has one element
/// per row, so a dense layer is `matvec(w, x) + b`.
///
/// # Panics
///
/// For a matrix, if `x.len() != w.cols()` ("matvec: w is 2×3 but x has
/// length 4"). For a vector `w`, if `x` is empty (the row count is then
/// undefined) or `w.len()` is not a multiple of `x.len()`; the message names
/// `matvec` and both lengths.
///
/// ```
/// // [[1, 2], [3, 4]] · [1, 1]
/// assert_eq!(grad_core::matvec([1.0_f64, 2.0, 3.0, 4.0], [1.0, 1.0]), vec![3.0, 7.0]);
/// let w = grad_core::Matrix::from_vec(2, 2, vec![1.0_f64, 2.0, 3.0, 4.0]);
/// assert_eq!(grad_core::matvec(&w, [1.0, 1.0]), vec![3.0, 7.0]);
/// ```
#[track_caller]
pub fn matvec<T: Real>(w: impl Operand<T>, x: impl AsRef<[T]>) -> Vec<T> {
    let x = x.as_ref();
    let cols = x.len();
    let rows = match w.shape() {
        Shape::Matrix(rows, c) => {
            assert!(c == cols, "matvec: w is {rows}×{c} but x has length {cols}");
            rows
        }
        Shape::Vector(len) => {
            assert!(
                cols != 0,
                "matvec: x has length 0, so w (length {len}) has no defined row count"
            );
            assert!(
                len % cols == 0,
                "matvec: w has length {len}, which is not a multiple of x's length {cols}"
            );
            len / cols
        }
    };
    let mut out = vec![T::ZERO; rows];
    if cols != 0 {
        kernels::matvec(w.elems(), x, &mut out);
    }
    out
}
