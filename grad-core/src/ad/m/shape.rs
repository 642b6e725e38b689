//! Shape checks, the checked cotangent of a `_vjp`, and matrices passed
//! to user fns.

use crate::values::Shape;
use crate::{Matrix, Real};

/// The shape of `m`, displaying as it reads in a panic ("is 2×3").
#[inline]
pub(super) fn shape_of<T: Real>(m: &Matrix<T>) -> Shape {
    Shape::Matrix(m.rows(), m.cols())
}

/// Panics unless `a` and `b` have the same shape: "`op`: `an` is 2×3 but
/// `bn` is 3×2".
#[inline]
#[track_caller]
pub(super) fn same<T: Real>(op: &str, an: &str, a: &Matrix<T>, bn: &str, b: &Matrix<T>) {
    if a.shape() != b.shape() {
        mismatch(op, an, shape_of(a), bn, shape_of(b));
    }
}

/// Panics unless `ok`, naming the op, both arguments and both shapes:
/// "`op`: `an` is 2×3 but `bn` has length 4" (an empty name is left out).
#[inline]
#[track_caller]
pub(super) fn fits(ok: bool, op: &str, an: &str, a: Shape, bn: &str, b: Shape) {
    if !ok {
        mismatch(op, an, a, bn, b);
    }
}

#[cold]
#[inline(never)]
#[track_caller]
fn mismatch(op: &str, an: &str, a: Shape, bn: &str, b: Shape) -> ! {
    let sp = |name: &str| if name.is_empty() { "" } else { " " };
    panic!("{op}:{}{an} {a} but{}{bn} {b}", sp(an), sp(bn))
}

/// A matrix passed to a user fn in the form its parameter takes: borrowed
/// for `&Matrix<T>`, copied for `Matrix<T>`.
///
/// ```
/// use grad_core::{Matrix, ad::m::FromMatrix};
///
/// let m = Matrix::from_vec(1, 1, vec![2.0_f64]);
/// let owned: Matrix<f64> = FromMatrix::from_matrix(&m);
/// assert_eq!(owned, m);
/// ```
pub trait FromMatrix<'a, T: Real>: Sized {
    /// Converts (copying only for the owned form).
    fn from_matrix(m: &'a Matrix<T>) -> Self;
}

impl<'a, T: Real> FromMatrix<'a, T> for &'a Matrix<T> {
    #[inline]
    fn from_matrix(m: &'a Matrix<T>) -> Self {
        m
    }
}

impl<'a, T: Real> FromMatrix<'a, T> for Matrix<T> {
    #[inline]
    fn from_matrix(m: &'a Matrix<T>) -> Self {
        m.clone()
    }
}

/// Passes a matrix to a user fn in the form its parameter takes (see [`FromMatrix`]).
///
/// ```
/// use grad_core::Matrix;
///
/// fn g(m: &Matrix<f64>) -> f64 { m[(0, 0)] }
/// let m = Matrix::from_vec(1, 1, vec![2.0]);
/// assert_eq!(g(grad_core::ad::m::arg(&m)), 2.0);
/// ```
#[inline]
pub fn arg<'a, T: Real, P: FromMatrix<'a, T>>(m: &'a Matrix<T>) -> P {
    P::from_matrix(m)
}

/// The cotangent of a `_vjp` returning a matrix, checked against the
/// result's shape.
///
/// # Panics
///
/// If the shapes differ: "cotangent: is 2×3 but the result is 3×2".
///
/// ```
/// let (c, out) = (grad_core::Matrix::<f64>::zeros(2, 3), grad_core::Matrix::zeros(2, 3));
/// assert!(std::ptr::eq(grad_core::ad::m::cotangent(&c, &out), &c));
/// ```
#[inline]
#[track_caller]
pub fn cotangent<'a, T: Real>(c: &'a Matrix<T>, out: &Matrix<T>) -> &'a Matrix<T> {
    same("cotangent", "", c, "the result", out);
    c
}

/// The row-major index of element `(i, j)` of `m`: `m[(i, j)]` in a
/// `#[differentiable]` body.
///
/// # Panics
///
/// If `(i, j)` is out of range, at the caller's line: "index (2, 0) out of
/// range for a 2×3 matrix".
///
/// ```
/// let m = grad_core::Matrix::<f64>::zeros(2, 3);
/// assert_eq!(grad_core::ad::m::flat(&m, 1, 2), 5);
/// ```
#[inline]
#[track_caller]
pub fn flat<T: Real>(m: &Matrix<T>, i: usize, j: usize) -> usize {
    let (r, c) = m.shape();
    assert!(
        i < r && j < c,
        "index ({i}, {j}) out of range for a {r}×{c} matrix"
    );
    i * c + j
}

/// Element `k` (row-major) of `m`, from [`flat`].
///
/// ```
/// let m = grad_core::Matrix::from_vec(1, 2, vec![1.0_f64, 2.0]);
/// assert_eq!(grad_core::ad::m::index(&m, 1), 2.0);
/// ```
#[inline]
#[track_caller]
pub fn index<T: Real>(m: &Matrix<T>, k: usize) -> T {
    m.as_slice()[k]
}

/// The backward of `m[(i, j)]` on its own: `g` at element `k` of a matrix of
/// `like`'s shape (inside loops, the reverse sweep adds it in place instead).
///
/// ```
/// let like = grad_core::Matrix::<f64>::zeros(1, 2);
/// assert_eq!(grad_core::ad::m::index_backward(3.0, 1, &like).as_slice(), &[0.0, 3.0]);
/// ```
#[inline]
#[track_caller]
pub fn index_backward<T: Real>(g: T, k: usize, like: &Matrix<T>) -> Matrix<T> {
    let mut out = Matrix::zeros(like.rows(), like.cols());
    out.as_mut_slice()[k] = g;
    out
}

/// A `rows × cols` matrix of zeros: `Matrix::zeros` in a `#[differentiable]` body.
///
/// ```
/// let z: grad_core::Matrix<f32> = grad_core::ad::m::zeros(2, 1);
/// assert_eq!(z.as_slice(), &[0.0, 0.0]);
/// ```
#[inline]
pub fn zeros<T: Real>(rows: usize, cols: usize) -> Matrix<T> {
    Matrix::zeros(rows, cols)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[should_panic(expected = "cotangent: is 2×3 but the result is 3×2")]
    fn a_cotangent_of_another_shape_panics() {
        cotangent(&Matrix::<f32>::zeros(2, 3), &Matrix::zeros(3, 2));
    }

    #[test]
    #[should_panic(expected = "op: a is 1×2 but b has length 3")]
    fn a_vector_mismatch_names_both() {
        fits(false, "op", "a", Shape::Matrix(1, 2), "b", Shape::Vector(3));
    }
}
