//! Products and the transpose (`matmul transpose`, the public ops; `matvec`
//! by the kernel the public op runs) and their backwards: the products'
//! on the GEMM entry points with the transposed operand read through
//! strides ([`matmul_nt`], [`matmul_tn`]), `matvec`'s with the bits of
//! [`kernels::matvec_backward`].

use super::shape::{fits, shape_of};
use crate::ad::v::{self, Out};
use crate::matrix::{matmul_nt, matmul_tn};
use crate::values::Shape;
use crate::{Matrix, Real, kernels};

/// The matrix product `a·b`, `(m×k)·(k×n) → m×n`: [`crate::matmul`].
///
/// # Panics
///
/// If `a.cols() != b.rows()`: "matmul: a is 2×3 but b is 4×5".
///
/// ```
/// use grad_core::Matrix;
///
/// let a = Matrix::from_vec(1, 2, vec![1.0_f64, 2.0]);
/// let b = Matrix::from_vec(2, 1, vec![3.0, 4.0]);
/// assert_eq!(grad_core::ad::m::matmul(&a, &b).as_slice(), &[11.0]);
/// ```
#[inline]
#[track_caller]
pub fn matmul<T: Real>(a: &Matrix<T>, b: &Matrix<T>) -> Matrix<T> {
    crate::matmul(a, b)
}

/// The transpose `aᵀ`: [`crate::transpose`].
///
/// ```
/// let a = grad_core::Matrix::from_vec(1, 2, vec![1.0_f64, 2.0]);
/// assert_eq!(grad_core::ad::m::transpose(&a).shape(), (2, 1));
/// ```
#[inline]
#[track_caller]
pub fn transpose<T: Real>(a: &Matrix<T>) -> Matrix<T> {
    crate::transpose(a)
}

/// `w·x` for `w` of `rows × cols` and `x` of length `cols`, into a vector of
/// length `rows` by [`kernels::matvec`]: the bits of [`crate::matvec`].
///
/// # Panics
///
/// If `x.len() != w.cols()`: "matvec: w is 2×3 but x has length 4".
///
/// ```
/// let w = grad_core::Matrix::from_vec(2, 2, vec![1.0_f64, 2.0, 3.0, 4.0]);
/// let y: [f64; 2] = grad_core::ad::m::matvec(&w, &[1.0, 1.0]);
/// assert_eq!(y, [3.0, 7.0]);
/// ```
#[inline]
#[track_caller]
pub fn matvec<T: Real, O: Out<T>>(w: &Matrix<T>, x: &[T]) -> O {
    let ok = w.cols() == x.len();
    fits(ok, "matvec", "w", shape_of(w), "x", Shape::Vector(x.len()));
    let mut out = O::zeroed("matvec", w.rows());
    kernels::matvec(w.as_slice(), x, out.as_mut());
    out
}

/// The backward of `a·b` w.r.t. `a`: `g·bᵀ` by [`matmul_nt`] (`g` is `m×n`,
/// `b` is `k×n`, the result `m×k`).
///
/// # Panics
///
/// If `g.cols() != b.cols()`: "matmul_backward_a: dy is 2×3 but b is 4×5".
///
/// ```
/// use grad_core::Matrix;
///
/// let g = Matrix::from_vec(1, 1, vec![2.0_f64]);
/// let b = Matrix::from_vec(2, 1, vec![3.0, 4.0]);
/// assert_eq!(grad_core::ad::m::matmul_backward_a(&g, &b).as_slice(), &[6.0, 8.0]);
/// ```
#[inline]
#[track_caller]
pub fn matmul_backward_a<T: Real>(g: &Matrix<T>, b: &Matrix<T>) -> Matrix<T> {
    let ok = g.cols() == b.cols();
    fits(ok, "matmul_backward_a", "dy", shape_of(g), "b", shape_of(b));
    matmul_nt(g, b)
}

/// The backward of `a·b` w.r.t. `b`: `aᵀ·g` by [`matmul_tn`] (`a` is `m×k`,
/// `g` is `m×n`, the result `k×n`).
///
/// # Panics
///
/// If `a.rows() != g.rows()`: "matmul_backward_b: a is 2×3 but dy is 4×5".
///
/// ```
/// use grad_core::Matrix;
///
/// let a = Matrix::from_vec(1, 2, vec![1.0_f64, 2.0]);
/// let g = Matrix::from_vec(1, 1, vec![3.0]);
/// assert_eq!(grad_core::ad::m::matmul_backward_b(&a, &g).as_slice(), &[3.0, 6.0]);
/// ```
#[inline]
#[track_caller]
pub fn matmul_backward_b<T: Real>(a: &Matrix<T>, g: &Matrix<T>) -> Matrix<T> {
    let ok = a.rows() == g.rows();
    fits(ok, "matmul_backward_b", "a", shape_of(a), "dy", shape_of(g));
    matmul_tn(a, g)
}

/// The backward of `matvec(w, x)` w.r.t. `w`: the outer product `g·xᵀ`
/// (`g.len()` rows, `x.len()` columns), built row by row into fresh
/// capacity ([`Out::outer`]); the bits of [`kernels::matvec_backward`]'s `dw`.
///
/// ```
/// let dw = grad_core::ad::m::matvec_backward_w(&[1.0_f64, 2.0], &[3.0, 4.0]);
/// assert_eq!(dw.shape(), (2, 2));
/// assert_eq!(dw.as_slice(), &[3.0, 4.0, 6.0, 8.0]);
/// ```
#[inline]
#[track_caller]
pub fn matvec_backward_w<T: Real>(g: &[T], x: &[T]) -> Matrix<T> {
    Matrix::from_vec(g.len(), x.len(), <Vec<T> as Out<T>>::outer("matvec", g, x))
}

/// The backward of `matvec(w, x)` w.r.t. `x`: `wᵀ·g`, a vector of length
/// `cols`, accumulated row by row as [`kernels::matvec_backward`] does
/// (its bits; `ad::v::matvec_backward_x`).
///
/// # Panics
///
/// If `g.len() != w.rows()`: "matvec: w is 2×3 but dy has length 4".
///
/// ```
/// let w = grad_core::Matrix::from_vec(2, 2, vec![1.0_f64, 2.0, 3.0, 4.0]);
/// let dx: Vec<f64> = grad_core::ad::m::matvec_backward_x(&w, &[1.0, 1.0]);
/// assert_eq!(dx, vec![4.0, 6.0]);
/// ```
#[inline]
#[track_caller]
pub fn matvec_backward_x<T: Real, O: Out<T>>(w: &Matrix<T>, g: &[T]) -> O {
    let ok = w.rows() == g.len();
    fits(ok, "matvec", "w", shape_of(w), "dy", Shape::Vector(g.len()));
    if g.is_empty() {
        return O::zeroed("matvec", w.cols());
    }
    v::matvec_backward_x(w.as_slice(), g)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[should_panic(expected = "matvec: w is 2×3 but x has length 4")]
    fn matvec_with_the_wrong_length_panics_like_the_public_op() {
        let _: Vec<f64> = matvec(&Matrix::zeros(2, 3), &[1.0; 4]);
    }

    #[test]
    #[should_panic(expected = "matmul_backward_a: dy is 2×3 but b is 4×5")]
    fn matmul_backward_a_of_the_wrong_shape_panics() {
        matmul_backward_a(&Matrix::<f32>::zeros(2, 3), &Matrix::zeros(4, 5));
    }

    #[test]
    #[should_panic(expected = "matmul_backward_b: a is 2×3 but dy is 4×5")]
    fn matmul_backward_b_of_the_wrong_shape_panics() {
        matmul_backward_b(&Matrix::<f32>::zeros(2, 3), &Matrix::zeros(4, 5));
    }

    #[test]
    #[should_panic(expected = "matvec: w is 2×3 but dy has length 4")]
    fn matvec_backward_x_of_the_wrong_length_panics() {
        let _: Vec<f64> = matvec_backward_x(&Matrix::zeros(2, 3), &[1.0; 4]);
    }

    #[test]
    fn empty_shapes_give_empty_or_zero_gradients() {
        let w = Matrix::<f64>::zeros(0, 3);
        let dx: Vec<f64> = matvec_backward_x(&w, &[]);
        assert_eq!(dx, vec![0.0; 3]);
        assert_eq!(matvec_backward_w::<f64>(&[], &[1.0, 2.0]).shape(), (0, 2));
        let y: Vec<f64> = matvec(&Matrix::zeros(2, 0), &[]);
        assert_eq!(y, vec![0.0; 2]);
    }
}
