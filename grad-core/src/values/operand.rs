//! What the vector ops take: a vector (anything `AsRef<[T]>`: `&v`, `v`,
//! arrays, `Vec`s) or a [`Matrix`] (`m` or `&m`), seen as its elements and
//! its shape; and the class labels of [`cross_entropy`](super::cross_entropy).

use core::fmt;

use crate::{Matrix, Real};

/// The shape of an [`Operand`]: a vector's length, or a matrix's rows and
/// columns. Displays as it reads in a shape panic ("has length 3", "is 2×3").
///
/// ```
/// use grad_core::values::{Operand, Shape};
///
/// assert_eq!(Operand::<f64>::shape(&[1.0, 2.0]), Shape::Vector(2));
/// assert_eq!(Shape::Matrix(2, 3).to_string(), "is 2×3");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// A vector of this length.
    Vector(usize),
    /// A `rows × cols` matrix.
    Matrix(usize, usize),
}

impl fmt::Display for Shape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Shape::Vector(n) => write!(f, "has length {n}"),
            Shape::Matrix(r, c) => write!(f, "is {r}×{c}"),
        }
    }
}

/// A vector or a matrix of `T`: what `sum mean matvec softmax log_softmax
/// mse cross_entropy binary_cross_entropy bce_with_logits` take.
///
/// Implemented for every `AsRef<[T]>` type (a vector; results of its shape
/// are `Vec<T>`) and for `Matrix<T>` and `&Matrix<T>` (results of its shape
/// are `Matrix<T>`).
///
/// ```
/// use grad_core::Matrix;
/// use grad_core::values::Operand;
///
/// let m = Matrix::from_vec(1, 2, vec![1.0_f32, 2.0]);
/// assert_eq!(Operand::elems(&&m), &[1.0, 2.0]);
/// assert_eq!(Operand::<f32>::elems(&vec![3.0]), &[3.0]);
/// ```
pub trait Operand<T: Real> {
    /// A value of this operand's shape: `Vec<T>` or `Matrix<T>`.
    type Output;

    /// The elements, row after row for a matrix.
    ///
    /// ```
    /// use grad_core::values::Operand;
    ///
    /// assert_eq!(Operand::<f64>::elems(&[1.0, 2.0]), &[1.0, 2.0]);
    /// ```
    fn elems(&self) -> &[T];

    /// The shape.
    ///
    /// ```
    /// use grad_core::values::{Operand, Shape};
    ///
    /// let m = grad_core::Matrix::<f64>::zeros(2, 3);
    /// assert_eq!(Operand::shape(&m), Shape::Matrix(2, 3));
    /// ```
    fn shape(&self) -> Shape;

    /// A value of this operand's shape holding `elems` (of the same length).
    ///
    /// ```
    /// use grad_core::values::Operand;
    ///
    /// let m = grad_core::Matrix::<f64>::zeros(1, 2);
    /// assert_eq!(Operand::like(&m, vec![1.0, 2.0]).shape(), (1, 2));
    /// ```
    fn like(&self, elems: Vec<T>) -> Self::Output;
}

impl<T: Real, V: AsRef<[T]>> Operand<T> for V {
    type Output = Vec<T>;
    #[inline]
    fn elems(&self) -> &[T] {
        self.as_ref()
    }
    #[inline]
    fn shape(&self) -> Shape {
        Shape::Vector(self.as_ref().len())
    }
    #[inline]
    fn like(&self, elems: Vec<T>) -> Vec<T> {
        elems
    }
}

impl<T: Real> Operand<T> for Matrix<T> {
    type Output = Matrix<T>;
    #[inline]
    fn elems(&self) -> &[T] {
        self.as_slice()
    }
    #[inline]
    fn shape(&self) -> Shape {
        Shape::Matrix(self.rows(), self.cols())
    }
    #[inline]
    fn like(&self, elems: Vec<T>) -> Matrix<T> {
        Matrix::from_vec(self.rows(), self.cols(), elems)
    }
}

/// A borrowed matrix is the matrix.
impl<T: Real> Operand<T> for &Matrix<T> {
    type Output = Matrix<T>;
    #[inline]
    fn elems(&self) -> &[T] {
        <Matrix<T> as Operand<T>>::elems(self)
    }
    #[inline]
    fn shape(&self) -> Shape {
        <Matrix<T> as Operand<T>>::shape(self)
    }
    #[inline]
    fn like(&self, elems: Vec<T>) -> Matrix<T> {
        <Matrix<T> as Operand<T>>::like(self, elems)
    }
}

/// Panics unless two operands of `op` have the same shape, naming the op,
/// both arguments and both shapes ("mse: pred is 2×3 but target is 3×2",
/// "mse: pred has length 3 but target has length 2").
#[track_caller]
#[inline]
pub(crate) fn same_shape(op: &str, a: &str, a_shape: Shape, b: &str, b_shape: Shape) {
    assert!(a_shape == b_shape, "{op}: {a} {a_shape} but {b} {b_shape}");
}

/// The class labels of [`cross_entropy`](super::cross_entropy): one `usize`
/// for a vector of logits, one per row (`&[usize]`, `Vec<usize>`, arrays)
/// for a matrix.
///
/// ```
/// use grad_core::values::Labels;
///
/// assert_eq!(2_usize.labels(), &[2]);
/// assert_eq!(vec![0_usize, 1].labels(), &[0, 1]);
/// ```
pub trait Labels {
    /// The labels as a slice.
    ///
    /// ```
    /// use grad_core::values::Labels;
    ///
    /// assert_eq!([1_usize, 0].labels(), &[1, 0]);
    /// ```
    fn labels(&self) -> &[usize];
}

impl Labels for usize {
    #[inline]
    fn labels(&self) -> &[usize] {
        core::slice::from_ref(self)
    }
}

impl Labels for &[usize] {
    #[inline]
    fn labels(&self) -> &[usize] {
        self
    }
}

impl Labels for Vec<usize> {
    #[inline]
    fn labels(&self) -> &[usize] {
        self
    }
}

impl Labels for &Vec<usize> {
    #[inline]
    fn labels(&self) -> &[usize] {
        self
    }
}

impl<const N: usize> Labels for [usize; N] {
    #[inline]
    fn labels(&self) -> &[usize] {
        self
    }
}

impl<const N: usize> Labels for &[usize; N] {
    #[inline]
    fn labels(&self) -> &[usize] {
        *self
    }
}
