//! Reductions over every element (`sum mean`, the value ops themselves),
//! their backwards, and the column sum: the backward of broadcasting a
//! row vector over the rows.

use crate::ad::v::Out;
use crate::{Matrix, Real};

/// `Σ` of every element: [`crate::sum`] on the matrix.
///
/// ```
/// let m = grad_core::Matrix::from_vec(2, 1, vec![1.0_f64, 2.0]);
/// assert_eq!(grad_core::ad::m::sum(&m), 3.0);
/// ```
#[inline]
#[track_caller]
pub fn sum<T: Real>(x: &Matrix<T>) -> T {
    crate::sum(x)
}

/// The mean of every element (NaN for none): [`crate::mean`] on the matrix.
///
/// ```
/// let m = grad_core::Matrix::from_vec(2, 1, vec![1.0_f64, 2.0]);
/// assert_eq!(grad_core::ad::m::mean(&m), 1.5);
/// ```
#[inline]
#[track_caller]
pub fn mean<T: Real>(x: &Matrix<T>) -> T {
    crate::mean(x)
}

/// A matrix shaped like `like` with every element `g` (the backward of `sum`).
///
/// ```
/// let m = grad_core::Matrix::<f64>::zeros(2, 2);
/// assert_eq!(grad_core::ad::m::fill(3.0, &m).as_slice(), &[3.0; 4]);
/// ```
#[inline]
#[track_caller]
pub fn fill<T: Real>(g: T, like: &Matrix<T>) -> Matrix<T> {
    like.with_data(vec![g; like.as_slice().len()])
}

/// The backward of `mean`: `g / n` everywhere, `n = rows·cols` (the division
/// of `ad::v::mean_backward`).
///
/// ```
/// let m = grad_core::Matrix::<f64>::zeros(2, 2);
/// assert_eq!(grad_core::ad::m::mean_backward(1.0, &m).as_slice(), &[0.25; 4]);
/// ```
#[inline]
#[track_caller]
pub fn mean_backward<T: Real>(g: T, like: &Matrix<T>) -> Matrix<T> {
    fill(g / T::from_usize(like.as_slice().len()), like)
}

/// `Σᵢ gᵢⱼ` over the rows, a vector of length `cols`, summed from the first
/// row down: the gradient of the vector `v` in `m + v`.
///
/// ```
/// let g = grad_core::Matrix::from_vec(2, 2, vec![1.0_f64, 2.0, 3.0, 4.0]);
/// let d: [f64; 2] = grad_core::ad::m::col_sum(&g);
/// assert_eq!(d, [4.0, 6.0]);
/// ```
#[inline]
#[track_caller]
pub fn col_sum<T: Real, O: Out<T>>(g: &Matrix<T>) -> O {
    let mut d = O::zeroed("col_sum", g.cols());
    let acc = d.as_mut();
    if !acc.is_empty() {
        for row in g.as_slice().chunks_exact(acc.len()) {
            for (a, &x) in acc.iter_mut().zip(row) {
                *a += x;
            }
        }
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_column_sum_of_no_rows_is_zero() {
        let d: Vec<f32> = col_sum(&Matrix::zeros(0, 3));
        assert_eq!(d, vec![0.0; 3]);
        let d: Vec<f32> = col_sum(&Matrix::zeros(3, 0));
        assert!(d.is_empty());
    }

    #[test]
    #[should_panic(expected = "col_sum")]
    fn an_array_of_the_wrong_length_panics() {
        let _: [f64; 2] = col_sum(&Matrix::zeros(1, 3));
    }
}
