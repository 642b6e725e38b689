//! Conversions between [`Matrix<T>`] and [`ndarray::Array2<T>`] (feature
//! `ndarray`). A matrix becomes an array without copying; an array in
//! standard (row-major, contiguous) layout becomes a matrix without copying,
//! any other layout (a transposed or sliced array) is copied in row-major
//! order.

use ndarray::{Array2, ArrayView2};

use super::Matrix;
use crate::Real;

impl<T: Real> From<Matrix<T>> for Array2<T> {
    /// ```
    /// let m = grad_core::Matrix::from_vec(2, 3, vec![1.0_f64, 2.0, 3.0, 4.0, 5.0, 6.0]);
    /// let a = ndarray::Array2::from(m);
    /// assert_eq!(a[[1, 2]], 6.0);
    /// ```
    fn from(m: Matrix<T>) -> Array2<T> {
        let shape = m.shape();
        Array2::from_shape_vec(shape, m.into_vec())
            .expect("a Matrix's length is rows × cols, which fits ndarray's shape check")
    }
}

impl<T: Real> From<&Matrix<T>> for Array2<T> {
    /// ```
    /// let m = grad_core::Matrix::from_vec(1, 2, vec![1.0_f32, 2.0]);
    /// assert_eq!(ndarray::Array2::from(&m), ndarray::array![[1.0, 2.0]]);
    /// ```
    fn from(m: &Matrix<T>) -> Array2<T> {
        m.clone().into()
    }
}

impl<T: Real> From<Array2<T>> for Matrix<T> {
    /// ```
    /// let a = ndarray::array![[1.0_f64, 2.0], [3.0, 4.0]];
    /// let m = grad_core::Matrix::from(a.t().to_owned());
    /// assert_eq!(m.as_slice(), &[1.0, 3.0, 2.0, 4.0]);
    /// ```
    fn from(a: Array2<T>) -> Matrix<T> {
        let (rows, cols) = a.dim();
        if !a.is_standard_layout() {
            return Matrix::from(a.view());
        }
        // Row-major and contiguous from `offset` on: the elements are
        // `data[offset..offset + rows·cols]`, all of `data` unless sliced.
        let (mut data, offset) = a.into_raw_vec_and_offset();
        let start = offset.unwrap_or(0);
        data.truncate(start + rows * cols);
        data.drain(..start);
        Matrix::from_vec(rows, cols, data)
    }
}

impl<T: Real> From<ArrayView2<'_, T>> for Matrix<T> {
    /// ```
    /// let a = ndarray::array![[1.0_f32, 2.0], [3.0, 4.0]];
    /// assert_eq!(grad_core::Matrix::from(a.t()).as_slice(), &[1.0, 3.0, 2.0, 4.0]);
    /// ```
    fn from(a: ArrayView2<'_, T>) -> Matrix<T> {
        let (rows, cols) = a.dim();
        Matrix::from_vec(rows, cols, a.iter().copied().collect())
    }
}

impl<T: Real> From<&Array2<T>> for Matrix<T> {
    /// ```
    /// let a = ndarray::array![[1.0_f64, 2.0]];
    /// assert_eq!(grad_core::Matrix::from(&a).shape(), (1, 2));
    /// ```
    fn from(a: &Array2<T>) -> Matrix<T> {
        Matrix::from(a.view())
    }
}
