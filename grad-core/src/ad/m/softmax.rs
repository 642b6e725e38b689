//! `softmax` and `log_softmax` along each row, and their backwards, by the
//! rows kernels the public ops run.

use super::shape::same;
use crate::{Matrix, Real, kernels};

/// Softmax along each row: [`crate::softmax`] on the matrix
/// ([`kernels::softmax_rows`]).
///
/// ```
/// let m = grad_core::Matrix::from_vec(2, 2, vec![0.0_f64, 0.0, 1000.0, 0.0]);
/// assert_eq!(grad_core::ad::m::softmax(&m).as_slice(), &[0.5, 0.5, 1.0, 0.0]);
/// ```
#[inline]
#[track_caller]
pub fn softmax<T: Real>(x: &Matrix<T>) -> Matrix<T> {
    crate::softmax(x)
}

/// `ln softmax` along each row: [`crate::log_softmax`] on the matrix
/// ([`kernels::log_softmax_rows`]).
///
/// ```
/// let m = grad_core::Matrix::from_vec(1, 2, vec![0.0_f64, 0.0]);
/// assert_eq!(grad_core::ad::m::log_softmax(&m).as_slice(), &[-std::f64::consts::LN_2; 2]);
/// ```
#[inline]
#[track_caller]
pub fn log_softmax<T: Real>(x: &Matrix<T>) -> Matrix<T> {
    crate::log_softmax(x)
}

/// The backward of `y = softmax(x)` row by row, `yᵢ (gᵢ − Σⱼ gⱼ yⱼ)`, by
/// [`kernels::softmax_rows_backward`].
///
/// # Panics
///
/// If the shapes differ: "softmax_backward: y is 2×3 but dy is 3×2".
///
/// ```
/// use grad_core::Matrix;
///
/// let y = Matrix::from_vec(1, 2, vec![0.5_f64, 0.5]);
/// let g = Matrix::from_vec(1, 2, vec![1.0, 0.0]);
/// assert_eq!(grad_core::ad::m::softmax_backward(&y, &g).as_slice(), &[0.25, -0.25]);
/// ```
#[inline]
#[track_caller]
pub fn softmax_backward<T: Real>(y: &Matrix<T>, g: &Matrix<T>) -> Matrix<T> {
    same("softmax_backward", "y", y, "dy", g);
    let mut dx = vec![T::ZERO; y.as_slice().len()];
    kernels::softmax_rows_backward(y.as_slice(), g.as_slice(), y.cols(), &mut dx);
    y.with_data(dx)
}

/// The backward of `y = log_softmax(x)` row by row, `gᵢ − e^(yᵢ) Σⱼ gⱼ`, by
/// [`kernels::log_softmax_rows_backward`].
///
/// # Panics
///
/// If the shapes differ: "log_softmax_backward: y is 2×3 but dy is 3×2".
///
/// ```
/// use grad_core::Matrix;
///
/// let y = Matrix::from_vec(1, 2, vec![0.5_f64.ln(), 0.5_f64.ln()]);
/// let g = Matrix::from_vec(1, 2, vec![1.0, 0.0]);
/// let d = grad_core::ad::m::log_softmax_backward(&y, &g);
/// assert!((d[(0, 0)] - 0.5).abs() < 1e-15 && (d[(0, 1)] + 0.5).abs() < 1e-15);
/// ```
#[inline]
#[track_caller]
pub fn log_softmax_backward<T: Real>(y: &Matrix<T>, g: &Matrix<T>) -> Matrix<T> {
    same("log_softmax_backward", "y", y, "dy", g);
    let mut dx = vec![T::ZERO; y.as_slice().len()];
    kernels::log_softmax_rows_backward(y.as_slice(), g.as_slice(), y.cols(), &mut dx);
    y.with_data(dx)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[should_panic(expected = "log_softmax_backward: y is 2×3 but dy is 3×2")]
    fn a_backward_of_another_shape_panics() {
        log_softmax_backward(&Matrix::<f32>::zeros(2, 3), &Matrix::zeros(3, 2));
    }

    #[test]
    fn no_rows_and_no_columns_give_empty_gradients() {
        for (r, c) in [(0, 3), (3, 0)] {
            let y = Matrix::<f64>::zeros(r, c);
            assert_eq!(softmax_backward(&y, &y).shape(), (r, c));
            assert_eq!(log_softmax_backward(&y, &y).shape(), (r, c));
        }
    }
}
