//! [`Elementwise`] for matrices: `sigmoid(&m)`, `tanh(m)`, `relu(&m)`, …
//! (every elementwise op of [`crate::values`]) return a matrix of the same
//! shape, computed by the op's slice kernel over [`Matrix::as_slice`].

use super::Matrix;
use crate::Real;
use crate::values::Elementwise;

impl<T: Real> Elementwise for Matrix<T> {
    type Elem = T;
    type Output = Matrix<T>;

    /// ```
    /// use grad_core::values::Elementwise;
    ///
    /// let m = grad_core::Matrix::from_vec(1, 2, vec![1.0_f64, 2.0]);
    /// assert_eq!(m.map_elems(|x| 2.0 * x).as_slice(), &[2.0, 4.0]);
    /// ```
    #[inline]
    fn map_elems(mut self, f: impl Fn(T) -> T) -> Matrix<T> {
        for x in self.as_mut_slice() {
            *x = f(*x);
        }
        self
    }

    /// ```
    /// let m = grad_core::Matrix::from_vec(1, 2, vec![0.0_f32, -1.0]);
    /// assert_eq!(grad_core::relu(m).as_slice(), &[0.0, 0.0]);
    /// ```
    #[inline]
    fn apply(self, scalar: impl Fn(T) -> T, kernel: impl Fn(&[T], &mut [T])) -> Matrix<T> {
        (&self).apply(scalar, kernel)
    }
}

impl<T: Real> Elementwise for &Matrix<T> {
    type Elem = T;
    type Output = Matrix<T>;

    /// ```
    /// use grad_core::values::Elementwise;
    ///
    /// let m = grad_core::Matrix::from_vec(1, 2, vec![1.0_f64, 2.0]);
    /// assert_eq!((&m).map_elems(|x| x + 1.0).as_slice(), &[2.0, 3.0]);
    /// ```
    #[inline]
    fn map_elems(self, f: impl Fn(T) -> T) -> Matrix<T> {
        self.with_data(self.as_slice().iter().map(|&x| f(x)).collect())
    }

    /// ```
    /// let m = grad_core::Matrix::from_vec(2, 1, vec![0.0_f64, 0.0]);
    /// assert_eq!(grad_core::sigmoid(&m).as_slice(), &[0.5, 0.5]);
    /// ```
    #[inline]
    fn apply(self, _: impl Fn(T) -> T, kernel: impl Fn(&[T], &mut [T])) -> Matrix<T> {
        let mut out = vec![T::ZERO; self.as_slice().len()];
        kernel(self.as_slice(), &mut out);
        self.with_data(out)
    }
}
