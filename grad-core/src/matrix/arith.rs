//! Elementwise `+ - * /` on matrices (by value or by reference, PyTorch's
//! broadcasting restricted to what API §6 lists):
//!
//! - matrix ⊙ matrix of the same shape;
//! - matrix ⊙ scalar and scalar ⊙ matrix (`f32`/`f64`);
//! - matrix ⊙ vector of length `cols` (`&[T]`, `Vec<T>`, `&Vec<T>`, `[T; N]`,
//!   `&[T; N]`): the vector is applied to every row, as `(m, n) + (n,)`;
//! - unary `-`, and `+= -= *= /=` with a matrix or a scalar.
//!
//! An owned left operand's buffer is reused for the result. Shapes that do
//! not fit panic at the caller's line naming the op and both shapes
//! ("add: a is 2×3 but b is 3×2", "mul: a is 2×3 but b has length 2").

use core::ops::{Add, AddAssign, Div, DivAssign, Mul, MulAssign, Neg, Sub, SubAssign};

use super::Matrix;
use crate::Real;

/// `a[i] = f(a[i], b[i])` for two matrices of the same shape.
#[track_caller]
#[inline]
fn zip_in_place<T: Real>(op: &str, a: &mut Matrix<T>, b: &Matrix<T>, f: impl Fn(T, T) -> T) {
    assert!(
        a.shape() == b.shape(),
        "{op}: a is {}×{} but b is {}×{}",
        a.rows(),
        a.cols(),
        b.rows(),
        b.cols()
    );
    for (x, &y) in a.as_mut_slice().iter_mut().zip(b.as_slice()) {
        *x = f(*x, y);
    }
}

/// `a[i][j] = f(a[i][j], v[j])` for a row vector `v` of length `cols`.
#[track_caller]
#[inline]
fn rows_in_place<T: Real>(op: &str, a: &mut Matrix<T>, v: &[T], f: impl Fn(T, T) -> T) {
    assert!(
        a.cols() == v.len(),
        "{op}: a is {}×{} but b has length {}",
        a.rows(),
        a.cols(),
        v.len()
    );
    if v.is_empty() {
        return;
    }
    for row in a.as_mut_slice().chunks_exact_mut(v.len()) {
        for (x, &y) in row.iter_mut().zip(v) {
            *x = f(*x, y);
        }
    }
}

/// `a[i] = f(a[i])`.
#[inline]
fn map_in_place<T: Real>(a: &mut Matrix<T>, f: impl Fn(T) -> T) {
    for x in a.as_mut_slice() {
        *x = f(*x);
    }
}

macro_rules! binary_ops {
    ($Op:ident $op:ident $OpAssign:ident $op_assign:ident $name:literal, $f:expr) => {
        impl<T: Real> $Op<&Matrix<T>> for Matrix<T> {
            type Output = Matrix<T>;
            #[track_caller]
            #[inline]
            fn $op(mut self, b: &Matrix<T>) -> Matrix<T> {
                zip_in_place($name, &mut self, b, $f);
                self
            }
        }
        impl<T: Real> $Op<Matrix<T>> for Matrix<T> {
            type Output = Matrix<T>;
            #[track_caller]
            #[inline]
            fn $op(self, b: Matrix<T>) -> Matrix<T> {
                self.$op(&b)
            }
        }
        impl<T: Real> $Op<&Matrix<T>> for &Matrix<T> {
            type Output = Matrix<T>;
            #[track_caller]
            #[inline]
            fn $op(self, b: &Matrix<T>) -> Matrix<T> {
                self.clone().$op(b)
            }
        }
        impl<T: Real> $Op<Matrix<T>> for &Matrix<T> {
            type Output = Matrix<T>;
            #[track_caller]
            #[inline]
            fn $op(self, b: Matrix<T>) -> Matrix<T> {
                self.clone().$op(&b)
            }
        }
        impl<T: Real> $Op<T> for Matrix<T> {
            type Output = Matrix<T>;
            #[inline]
            fn $op(mut self, s: T) -> Matrix<T> {
                map_in_place(&mut self, |x| $f(x, s));
                self
            }
        }
        impl<T: Real> $Op<T> for &Matrix<T> {
            type Output = Matrix<T>;
            #[inline]
            fn $op(self, s: T) -> Matrix<T> {
                self.clone().$op(s)
            }
        }
        impl<T: Real> $OpAssign<&Matrix<T>> for Matrix<T> {
            #[track_caller]
            #[inline]
            fn $op_assign(&mut self, b: &Matrix<T>) {
                zip_in_place($name, self, b, $f);
            }
        }
        impl<T: Real> $OpAssign<Matrix<T>> for Matrix<T> {
            #[track_caller]
            #[inline]
            fn $op_assign(&mut self, b: Matrix<T>) {
                zip_in_place($name, self, &b, $f);
            }
        }
        impl<T: Real> $OpAssign<T> for Matrix<T> {
            #[inline]
            fn $op_assign(&mut self, s: T) {
                map_in_place(self, |x| $f(x, s));
            }
        }
        scalar_lhs!($Op $op, f32, $f);
        scalar_lhs!($Op $op, f64, $f);
        row_rhs!($Op $op $name, $f, [&[T]] [&Vec<T>] [Vec<T>]);
        row_rhs!($Op $op $name, $f, const [&[T; N]] [[T; N]]);
    };
}

/// `s ⊙ m` for a concrete float type `s` (the orphan rule needs one).
macro_rules! scalar_lhs {
    ($Op:ident $op:ident, $t:ty, $f:expr) => {
        impl $Op<&Matrix<$t>> for $t {
            type Output = Matrix<$t>;
            #[inline]
            fn $op(self, m: &Matrix<$t>) -> Matrix<$t> {
                let mut out = m.clone();
                map_in_place(&mut out, |x| $f(self, x));
                out
            }
        }
        impl $Op<Matrix<$t>> for $t {
            type Output = Matrix<$t>;
            #[inline]
            fn $op(self, mut m: Matrix<$t>) -> Matrix<$t> {
                map_in_place(&mut m, |x| $f(self, x));
                m
            }
        }
    };
}

/// `m ⊙ v` for each row-vector type `v`, with `m` owned or borrowed.
macro_rules! row_rhs {
    ($Op:ident $op:ident $name:literal, $f:expr, $([$V:ty])*) => {$(
        impl<T: Real> $Op<$V> for Matrix<T> {
            type Output = Matrix<T>;
            #[track_caller]
            #[inline]
            fn $op(mut self, v: $V) -> Matrix<T> {
                rows_in_place($name, &mut self, v.as_ref(), $f);
                self
            }
        }
        impl<T: Real> $Op<$V> for &Matrix<T> {
            type Output = Matrix<T>;
            #[track_caller]
            #[inline]
            fn $op(self, v: $V) -> Matrix<T> {
                self.clone().$op(v)
            }
        }
    )*};
    ($Op:ident $op:ident $name:literal, $f:expr, const $([$V:ty])*) => {$(
        impl<T: Real, const N: usize> $Op<$V> for Matrix<T> {
            type Output = Matrix<T>;
            #[track_caller]
            #[inline]
            fn $op(mut self, v: $V) -> Matrix<T> {
                rows_in_place($name, &mut self, v.as_ref(), $f);
                self
            }
        }
        impl<T: Real, const N: usize> $Op<$V> for &Matrix<T> {
            type Output = Matrix<T>;
            #[track_caller]
            #[inline]
            fn $op(self, v: $V) -> Matrix<T> {
                self.clone().$op(v)
            }
        }
    )*};
}

binary_ops!(Add add AddAssign add_assign "add", |x, y| x + y);
binary_ops!(Sub sub SubAssign sub_assign "sub", |x, y| x - y);
binary_ops!(Mul mul MulAssign mul_assign "mul", |x, y| x * y);
binary_ops!(Div div DivAssign div_assign "div", |x, y| x / y);

impl<T: Real> Neg for Matrix<T> {
    type Output = Matrix<T>;
    #[inline]
    fn neg(mut self) -> Matrix<T> {
        map_in_place(&mut self, |x| -x);
        self
    }
}

impl<T: Real> Neg for &Matrix<T> {
    type Output = Matrix<T>;
    #[inline]
    fn neg(self) -> Matrix<T> {
        -self.clone()
    }
}
