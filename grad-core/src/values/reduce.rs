//! Reductions and the matrix-vector product: `sum mean dot matvec`.
//!
//! Every op takes `impl AsRef<[T]>`, so `&v`, `v`, arrays and `Vec`s all work,
//! and runs the SIMD kernel of the same name in [`crate::kernels`] (error
//! bounds in its docs).

use super::check::same_len;
use crate::{Real, kernels};

/// The sum of the elements; `0` for an empty vector. NaN propagates.
///
/// ```
/// assert_eq!(grad_core::sum([1.0_f64, 2.0, 3.0]), 6.0);
/// assert_eq!(grad_core::sum(Vec::<f32>::new()), 0.0);
/// ```
pub fn sum<T: Real>(v: impl AsRef<[T]>) -> T {
    kernels::sum(v.as_ref())
}

/// The arithmetic mean of the elements.
///
/// # Errors
///
/// Never panics; the mean of an empty vector is NaN (as in PyTorch).
///
/// ```
/// assert_eq!(grad_core::mean(&[1.0_f64, 2.0, 3.0]), 2.0);
/// assert!(grad_core::mean(Vec::<f64>::new()).is_nan());
/// ```
pub fn mean<T: Real>(v: impl AsRef<[T]>) -> T {
    kernels::mean(v.as_ref())
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

/// The matrix-vector product `w·x`, where `w` is a row-major matrix of
/// `w.len() / x.len()` rows and `x.len()` columns. The result has one element
/// per row, so a dense layer is `matvec(w, x) + b`.
///
/// # Panics
///
/// If `x` is empty (the row count is then undefined) or `w.len()` is not a
/// multiple of `x.len()`; the message names `matvec` and both lengths.
///
/// ```
/// // [[1, 2], [3, 4]] · [1, 1]
/// assert_eq!(grad_core::matvec([1.0_f64, 2.0, 3.0, 4.0], [1.0, 1.0]), vec![3.0, 7.0]);
/// ```
#[track_caller]
pub fn matvec<T: Real>(w: impl AsRef<[T]>, x: impl AsRef<[T]>) -> Vec<T> {
    let (w, x) = (w.as_ref(), x.as_ref());
    let cols = x.len();
    assert!(
        cols != 0,
        "matvec: x has length 0, so w (length {}) has no defined row count",
        w.len()
    );
    assert!(
        w.len() % cols == 0,
        "matvec: w has length {}, which is not a multiple of x's length {cols}",
        w.len()
    );
    let mut out = vec![T::ZERO; w.len() / cols];
    kernels::matvec(w, x, &mut out);
    out
}
