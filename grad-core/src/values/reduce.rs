//! Reductions and the matrix-vector product: `sum mean dot matvec`.
//!
//! Every op takes `impl AsRef<[T]>`, so `&v`, `v`, arrays and `Vec`s all work.

use super::check::{same_len, sum_f64};
use crate::Real;

/// The sum of the elements; `0` for an empty vector. NaN propagates.
///
/// ```
/// assert_eq!(grad_core::sum([1.0_f64, 2.0, 3.0]), 6.0);
/// assert_eq!(grad_core::sum(Vec::<f32>::new()), 0.0);
/// ```
pub fn sum<T: Real>(v: impl AsRef<[T]>) -> T {
    let v = v.as_ref();
    T::from_f64(sum_f64(v.len(), |i| v[i].to_f64()))
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
    let v = v.as_ref();
    T::from_f64(sum_f64(v.len(), |i| v[i].to_f64()) / v.len() as f64)
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
    T::from_f64(sum_f64(a.len(), |i| a[i].to_f64() * b[i].to_f64()))
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
        "matvec: x is empty (x.len() = 0), so the row count w.len() / x.len() of w.len() = {} is undefined",
        w.len()
    );
    assert!(
        w.len() % cols == 0,
        "matvec: w.len() = {} is not a multiple of x.len() = {cols} (w is row-major with x.len() columns)",
        w.len()
    );
    w.chunks_exact(cols)
        .map(|row| T::from_f64(sum_f64(cols, |j| row[j].to_f64() * x[j].to_f64())))
        .collect()
}
