//! The pieces only second derivatives need, row by row on matrices (see
//! [`crate::ad`]'s `second` module for the formulas).

use super::shape::same;
use crate::ad::second;
use crate::{Matrix, Real};

/// Zeros of `like`'s shape, for a piece to overwrite.
fn out_like<T: Real>(like: &Matrix<T>) -> Matrix<T> {
    Matrix::zeros(like.rows(), like.cols())
}

/// The tangent of `y = log_softmax(x)` (by rows) along `dx`.
///
/// ```
/// use grad_core::Matrix;
/// let y = Matrix::from_vec(1, 2, vec![0.5_f64.ln(), 0.5_f64.ln()]);
/// let d = grad_core::ad::m::log_softmax_jvp(&y, &Matrix::from_vec(1, 2, vec![1.0, 1.0]));
/// assert!(d.as_slice().iter().all(|x| x.abs() < 1e-15));
/// ```
#[inline]
#[track_caller]
pub fn log_softmax_jvp<T: Real>(y: &Matrix<T>, dx: &Matrix<T>) -> Matrix<T> {
    same("log_softmax", "y", y, "dx", dx);
    let mut out = out_like(y);
    second::log_softmax_jvp(y.as_slice(), dx.as_slice(), y.cols(), out.as_mut_slice());
    out
}

/// The tangent of `softmax_backward(y, g)` (by rows) along `dy`.
///
/// ```
/// use grad_core::Matrix;
/// let y = Matrix::from_vec(1, 2, vec![0.5_f64, 0.5]);
/// let d = grad_core::ad::m::softmax_backward_jvp_y(&y, &y, &Matrix::zeros(1, 2));
/// assert_eq!(d.as_slice(), &[0.0, 0.0]);
/// ```
#[inline]
#[track_caller]
pub fn softmax_backward_jvp_y<T: Real>(y: &Matrix<T>, g: &Matrix<T>, dy: &Matrix<T>) -> Matrix<T> {
    same("softmax_backward", "y", y, "dy", g);
    same("softmax_backward", "y", y, "dy", dy);
    let mut out = out_like(y);
    let (ys, gs, ds) = (y.as_slice(), g.as_slice(), dy.as_slice());
    second::softmax_backward_jvp_y(ys, gs, ds, y.cols(), out.as_mut_slice());
    out
}

/// The tangent of `log_softmax_backward(y, g)` (by rows) along `dy`.
///
/// ```
/// use grad_core::Matrix;
/// let y = Matrix::from_vec(1, 1, vec![0.0_f64]);
/// let g = Matrix::from_vec(1, 1, vec![2.0]);
/// let d = grad_core::ad::m::log_softmax_backward_jvp_y(&y, &g, &Matrix::from_vec(1, 1, vec![1.0]));
/// assert_eq!(d.as_slice(), &[-2.0]);
/// ```
#[inline]
#[track_caller]
pub fn log_softmax_backward_jvp_y<T: Real>(
    y: &Matrix<T>,
    g: &Matrix<T>,
    dy: &Matrix<T>,
) -> Matrix<T> {
    same("log_softmax_backward", "y", y, "dy", g);
    same("log_softmax_backward", "y", y, "dy", dy);
    let mut out = out_like(y);
    let (ys, gs, ds) = (y.as_slice(), g.as_slice(), dy.as_slice());
    second::log_softmax_backward_jvp_y(ys, gs, ds, y.cols(), out.as_mut_slice());
    out
}

/// The tangent of `cross_entropy_backward(z, labels, g)` along `dz`:
/// `(g/rows)·p⊙(dz − ⟨p, dz⟩)` per row, `p = softmax(z)`.
///
/// ```
/// use grad_core::Matrix;
/// let z = Matrix::from_vec(1, 2, vec![0.0_f64, 0.0]);
/// let d = grad_core::ad::m::cross_entropy_backward_jvp_z(&z, 1.0, &Matrix::from_vec(1, 2, vec![1.0, -1.0]));
/// assert_eq!(d.as_slice(), &[0.5, -0.5]);
/// ```
#[inline]
#[track_caller]
pub fn cross_entropy_backward_jvp_z<T: Real>(z: &Matrix<T>, g: T, dz: &Matrix<T>) -> Matrix<T> {
    same("cross_entropy", "logits", z, "dz", dz);
    let mut out = out_like(z);
    second::cross_entropy_backward_jvp_z(
        z.as_slice(),
        g,
        dz.as_slice(),
        z.cols(),
        out.as_mut_slice(),
    );
    out
}
