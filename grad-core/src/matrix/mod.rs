//! [`Matrix<T>`]: an owned, row-major `rows × cols` matrix, and its ops.
//!
//! | kind | ops |
//! |---|---|
//! | products (on a GEMM crate) | [`matmul`] [`matmul_tn`] (`aᵀ·b`) [`matmul_nt`] (`a·bᵀ`), [`crate::matvec`] |
//! | layout | [`transpose`] |
//! | elementwise | `+ - * /` and unary `-` (matrix with matrix of the same shape, with a scalar, or with a row vector of length `cols` added to every row), [`crate::sigmoid`] [`crate::tanh`] [`crate::relu`] [`crate::exp`] … |
//! | along each row | [`crate::softmax`] [`crate::log_softmax`] |
//! | losses, reductions | [`crate::cross_entropy`] (labels, one per row) [`crate::mse`] [`crate::binary_cross_entropy`] [`crate::bce_with_logits`] [`crate::sum`] [`crate::mean`] |
//!
//! The ops of the right-hand column are the value-level ops of
//! [`crate::values`], which take matrices as well as vectors. Shapes that do
//! not fit panic at the caller's line with a message naming the op and both
//! shapes: "matmul: a is 2×3 but b is 4×5".
//!
//! ```
//! use grad_core::{Matrix, matmul, softmax, transpose};
//!
//! let x = Matrix::from_vec(2, 3, vec![1.0_f64, 2.0, 3.0, 4.0, 5.0, 6.0]);
//! let w = Matrix::from_fn(4, 3, |i, j| (i == j) as u8 as f64);
//! let z = matmul(&x, transpose(&w)) + &[0.5, 0.5, 0.5, 0.5][..];
//! assert_eq!((z.rows(), z.cols()), (2, 4));
//! assert_eq!(z.row(1), &[4.5, 5.5, 6.5, 0.5]);
//! let p = softmax(&z);
//! assert!((p.row(0).iter().sum::<f64>() - 1.0).abs() < 1e-12);
//! ```

mod arith;
mod elementwise;
mod fmt;
mod gemm;
#[cfg(feature = "ndarray")]
mod ndarray;
mod product;

use core::ops::{Index, IndexMut};

use crate::Real;

pub use product::{matmul, matmul_nt, matmul_tn, transpose};

/// An owned, row-major `rows × cols` matrix of [`Real`]s.
///
/// Element `(i, j)` is `as_slice()[i * cols + j]`. Its [`Debug`] form is
/// PyTorch's for a 2-D tensor.
///
/// ```
/// use grad_core::Matrix;
///
/// let m = Matrix::from_vec(2, 3, vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
/// let z = Matrix::<f32>::zeros(64, 10);
/// let f = Matrix::from_fn(3, 3, |i, j| (i * 3 + j) as f64);
/// assert_eq!((m.rows(), m.cols()), (2, 3));
/// assert_eq!(m[(1, 2)], 6.0);
/// let row: &[f64] = m.row(1);
/// let all: &[f64] = m.as_slice();
/// assert_eq!((row.len(), all.len(), z.as_slice().len(), f[(2, 0)]), (3, 6, 640, 6.0));
/// assert_eq!(format!("{m:?}"), "tensor([[1., 2., 3.],\n        [4., 5., 6.]])");
/// ```
#[derive(Clone, PartialEq, Default)]
pub struct Matrix<T> {
    rows: usize,
    cols: usize,
    data: Vec<T>,
}

impl<T: Real> Matrix<T> {
    /// The `rows × cols` matrix whose elements, row after row, are `data`.
    ///
    /// # Panics
    ///
    /// If `data.len() != rows × cols`, naming the shape and the length.
    ///
    /// ```
    /// let m = grad_core::Matrix::from_vec(2, 2, vec![1.0_f32, 2.0, 3.0, 4.0]);
    /// assert_eq!(m.row(0), &[1.0, 2.0]);
    /// ```
    ///
    /// ```should_panic
    /// // "Matrix::from_vec: a 2×3 matrix needs 6 elements but data has length 5"
    /// grad_core::Matrix::from_vec(2, 3, vec![0.0_f64; 5]);
    /// ```
    #[track_caller]
    pub fn from_vec(rows: usize, cols: usize, data: Vec<T>) -> Self {
        let want = rows.checked_mul(cols);
        assert!(
            want == Some(data.len()),
            "Matrix::from_vec: a {rows}×{cols} matrix needs {} elements but data has length {}",
            want.map_or_else(|| "more than usize::MAX".to_owned(), |n| n.to_string()),
            data.len()
        );
        Matrix { rows, cols, data }
    }

    /// The `rows × cols` matrix of zeros.
    ///
    /// # Panics
    ///
    /// If `rows × cols` overflows `usize`.
    ///
    /// ```
    /// let z = grad_core::Matrix::<f64>::zeros(2, 3);
    /// assert!(z.as_slice().iter().all(|&v| v == 0.0));
    /// ```
    #[track_caller]
    pub fn zeros(rows: usize, cols: usize) -> Self {
        let len = rows
            .checked_mul(cols)
            .unwrap_or_else(|| panic!("Matrix::zeros: {rows}×{cols} overflows usize"));
        Matrix {
            rows,
            cols,
            data: vec![T::ZERO; len],
        }
    }

    /// The `rows × cols` matrix whose element `(i, j)` is `f(i, j)`, called
    /// in row-major order.
    ///
    /// ```
    /// let eye = grad_core::Matrix::from_fn(2, 2, |i, j| if i == j { 1.0_f64 } else { 0.0 });
    /// assert_eq!(eye.as_slice(), &[1.0, 0.0, 0.0, 1.0]);
    /// ```
    pub fn from_fn(rows: usize, cols: usize, mut f: impl FnMut(usize, usize) -> T) -> Self {
        let data = (0..rows)
            .flat_map(|i| (0..cols).map(move |j| (i, j)))
            .map(|(i, j)| f(i, j))
            .collect();
        Matrix { rows, cols, data }
    }

    /// The number of rows.
    ///
    /// ```
    /// assert_eq!(grad_core::Matrix::<f32>::zeros(2, 3).rows(), 2);
    /// ```
    #[inline]
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// The number of columns.
    ///
    /// ```
    /// assert_eq!(grad_core::Matrix::<f32>::zeros(2, 3).cols(), 3);
    /// ```
    #[inline]
    pub fn cols(&self) -> usize {
        self.cols
    }

    /// `(rows, cols)`.
    ///
    /// ```
    /// assert_eq!(grad_core::Matrix::<f32>::zeros(2, 3).shape(), (2, 3));
    /// ```
    #[inline]
    pub fn shape(&self) -> (usize, usize) {
        (self.rows, self.cols)
    }

    /// Row `i`, a slice of `cols` elements.
    ///
    /// # Panics
    ///
    /// If `i >= rows`, naming the row and the shape.
    ///
    /// ```
    /// let m = grad_core::Matrix::from_fn(2, 2, |i, j| (2 * i + j) as f64);
    /// assert_eq!(m.row(1), &[2.0, 3.0]);
    /// ```
    #[inline]
    #[track_caller]
    pub fn row(&self, i: usize) -> &[T] {
        self.check_row(i);
        &self.data[i * self.cols..(i + 1) * self.cols]
    }

    /// Row `i`, mutable.
    ///
    /// # Panics
    ///
    /// If `i >= rows`, naming the row and the shape.
    ///
    /// ```
    /// let mut m = grad_core::Matrix::<f64>::zeros(2, 2);
    /// m.row_mut(1).fill(1.0);
    /// assert_eq!(m.as_slice(), &[0.0, 0.0, 1.0, 1.0]);
    /// ```
    #[inline]
    #[track_caller]
    pub fn row_mut(&mut self, i: usize) -> &mut [T] {
        self.check_row(i);
        &mut self.data[i * self.cols..(i + 1) * self.cols]
    }

    /// Every element, row after row.
    ///
    /// ```
    /// let m = grad_core::Matrix::from_vec(1, 2, vec![1.0_f32, 2.0]);
    /// assert_eq!(m.as_slice(), &[1.0, 2.0]);
    /// ```
    #[inline]
    pub fn as_slice(&self) -> &[T] {
        &self.data
    }

    /// Every element, row after row, mutable.
    ///
    /// ```
    /// let mut m = grad_core::Matrix::<f32>::zeros(1, 2);
    /// m.as_mut_slice()[1] = 3.0;
    /// assert_eq!(m[(0, 1)], 3.0);
    /// ```
    #[inline]
    pub fn as_mut_slice(&mut self) -> &mut [T] {
        &mut self.data
    }

    /// The elements, row after row, without copying.
    ///
    /// ```
    /// let m = grad_core::Matrix::from_vec(1, 2, vec![1.0_f64, 2.0]);
    /// assert_eq!(m.into_vec(), vec![1.0, 2.0]);
    /// ```
    #[inline]
    pub fn into_vec(self) -> Vec<T> {
        self.data
    }

    #[inline]
    #[track_caller]
    fn check_row(&self, i: usize) {
        assert!(
            i < self.rows,
            "Matrix: row {i} is out of range for a {}×{} matrix",
            self.rows,
            self.cols
        );
    }

    /// A matrix of this shape holding `data` (same length).
    pub(crate) fn with_data(&self, data: Vec<T>) -> Self {
        debug_assert_eq!(data.len(), self.data.len());
        Matrix {
            rows: self.rows,
            cols: self.cols,
            data,
        }
    }
}

impl<T: Real> Index<(usize, usize)> for Matrix<T> {
    type Output = T;

    /// Element `(i, j)`.
    ///
    /// # Panics
    ///
    /// If `i >= rows` or `j >= cols`, naming the index and the shape.
    ///
    /// ```
    /// let m = grad_core::Matrix::from_fn(2, 3, |i, j| (10 * i + j) as f64);
    /// assert_eq!(m[(1, 2)], 12.0);
    /// ```
    #[inline]
    #[track_caller]
    fn index(&self, (i, j): (usize, usize)) -> &T {
        self.check_index(i, j);
        &self.data[i * self.cols + j]
    }
}

impl<T: Real> IndexMut<(usize, usize)> for Matrix<T> {
    /// Element `(i, j)`, mutable.
    ///
    /// # Panics
    ///
    /// If `i >= rows` or `j >= cols`, naming the index and the shape.
    ///
    /// ```
    /// let mut m = grad_core::Matrix::<f32>::zeros(2, 3);
    /// m[(1, 2)] = 5.0;
    /// assert_eq!(m.as_slice()[5], 5.0);
    /// ```
    #[inline]
    #[track_caller]
    fn index_mut(&mut self, (i, j): (usize, usize)) -> &mut T {
        self.check_index(i, j);
        &mut self.data[i * self.cols + j]
    }
}

impl<T: Real> Matrix<T> {
    #[inline]
    #[track_caller]
    fn check_index(&self, i: usize, j: usize) {
        assert!(
            i < self.rows && j < self.cols,
            "Matrix: index ({i}, {j}) is out of range for a {}×{} matrix",
            self.rows,
            self.cols
        );
    }
}
