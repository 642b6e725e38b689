//! Elementwise `+ - * /`: matrix with matrix (same shape), with a scalar
//! on either side, and with a row vector of length `cols` on either side
//! (PyTorch's `(m, n) ⊙ (n,)` broadcasting). Each element is the one IEEE
//! operation the public operators of [`Matrix`] compute, so their bits.

use super::shape::{fits, same, shape_of};
use crate::values::Shape;
use crate::{Matrix, Real};

/// `[f(aᵢⱼ, vⱼ)]` for a row vector `v` of length `a.cols()`.
#[inline]
fn by_rows<T: Real>(a: &Matrix<T>, v: &[T], f: impl Fn(T, T) -> T) -> Matrix<T> {
    let cols = a.cols();
    let mut out = Vec::with_capacity(a.as_slice().len());
    if cols != 0 {
        for row in a.as_slice().chunks_exact(cols) {
            out.extend(row.iter().zip(v).map(|(&x, &y)| f(x, y)));
        }
    }
    a.with_data(out)
}

macro_rules! binary {
    ($($mm:ident $ms:ident $sm:ident $op:tt $sym:literal;)*) => {$(
        #[doc = concat!("Elementwise `a ", $sym, " b` of two matrices of the same shape.")]
        ///
        /// # Panics
        ///
        #[doc = concat!("If the shapes differ: \"matrix ", $sym, " matrix: a is 2×3 but b is 3×2\".")]
        ///
        /// ```
        /// use grad_core::Matrix;
        ///
        /// let a = Matrix::from_vec(1, 2, vec![4.0_f64, 6.0]);
        /// let b = Matrix::from_vec(1, 2, vec![2.0, 3.0]);
        #[doc = concat!("assert_eq!(grad_core::ad::m::", stringify!($mm), "(&a, &b), &a ", $sym, " &b);")]
        /// ```
        #[inline]
        #[track_caller]
        pub fn $mm<T: Real>(a: &Matrix<T>, b: &Matrix<T>) -> Matrix<T> {
            same(concat!("matrix ", $sym, " matrix"), "a", a, "b", b);
            let (x, y) = (a.as_slice(), b.as_slice());
            a.with_data(x.iter().zip(y).map(|(&x, &y)| x $op y).collect())
        }

        #[doc = concat!("Elementwise `a ", $sym, " s`: a matrix and a scalar.")]
        ///
        /// ```
        /// let a = grad_core::Matrix::from_vec(1, 2, vec![4.0_f64, 6.0]);
        #[doc = concat!("assert_eq!(grad_core::ad::m::", stringify!($ms), "(&a, 2.0), &a ", $sym, " 2.0);")]
        /// ```
        #[inline]
        #[track_caller]
        pub fn $ms<T: Real>(a: &Matrix<T>, s: T) -> Matrix<T> {
            a.with_data(a.as_slice().iter().map(|&x| x $op s).collect())
        }

        #[doc = concat!("Elementwise `s ", $sym, " a`: a scalar and a matrix.")]
        ///
        /// ```
        /// let a = grad_core::Matrix::from_vec(1, 2, vec![4.0_f64, 8.0]);
        #[doc = concat!("assert_eq!(grad_core::ad::m::", stringify!($sm), "(2.0, &a), 2.0 ", $sym, " &a);")]
        /// ```
        #[inline]
        #[track_caller]
        pub fn $sm<T: Real>(s: T, a: &Matrix<T>) -> Matrix<T> {
            a.with_data(a.as_slice().iter().map(|&x| s $op x).collect())
        }
    )*};
}

binary! {
    mm_add ms_add sm_add + "+";
    mm_sub ms_sub sm_sub - "-";
    mm_mul ms_mul sm_mul * "*";
    mm_div ms_div sm_div / "/";
}

macro_rules! broadcast {
    ($($mv:ident $vm:ident $op:tt $sym:literal;)*) => {$(
        #[doc = concat!("`a ", $sym, " v`: the vector `v` (length `cols`) applied to every row of `a`.")]
        ///
        /// # Panics
        ///
        #[doc = concat!("If `v.len() != a.cols()`: \"matrix ", $sym, " vector: a is 2×3 but b has length 2\".")]
        ///
        /// ```
        /// let a = grad_core::Matrix::from_vec(2, 2, vec![1.0_f64, 2.0, 3.0, 4.0]);
        #[doc = concat!("assert_eq!(grad_core::ad::m::", stringify!($mv), "(&a, &[1.0, 2.0]), &a ", $sym, " &[1.0, 2.0][..]);")]
        /// ```
        #[inline]
        #[track_caller]
        pub fn $mv<T: Real>(a: &Matrix<T>, v: &[T]) -> Matrix<T> {
            let op = concat!("matrix ", $sym, " vector");
            fits(a.cols() == v.len(), op, "a", shape_of(a), "b", Shape::Vector(v.len()));
            by_rows(a, v, |x, y| x $op y)
        }

        #[doc = concat!("`v ", $sym, " a`: the vector `v` (length `cols`) with every row of `a` on the right.")]
        ///
        /// # Panics
        ///
        #[doc = concat!("If `v.len() != a.cols()`: \"vector ", $sym, " matrix: a has length 2 but b is 2×3\".")]
        ///
        /// ```
        /// let a = grad_core::Matrix::from_vec(2, 2, vec![1.0_f64, 2.0, 3.0, 4.0]);
        #[doc = concat!("let r = grad_core::ad::m::", stringify!($vm), "(&[10.0, 20.0], &a);")]
        #[doc = concat!("assert_eq!(r[(1, 0)], 10.0 ", $sym, " 3.0);")]
        /// ```
        #[inline]
        #[track_caller]
        pub fn $vm<T: Real>(v: &[T], a: &Matrix<T>) -> Matrix<T> {
            let op = concat!("vector ", $sym, " matrix");
            fits(a.cols() == v.len(), op, "a", Shape::Vector(v.len()), "b", shape_of(a));
            by_rows(a, v, |x, y| y $op x)
        }
    )*};
}

broadcast! {
    mv_add vm_add + "+";
    mv_sub vm_sub - "-";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[should_panic(expected = "matrix / matrix: a is 2×3 but b is 3×2")]
    fn matrices_of_different_shapes_panic() {
        mm_div(&Matrix::<f64>::zeros(2, 3), &Matrix::zeros(3, 2));
    }

    #[test]
    #[should_panic(expected = "matrix - vector: a is 2×3 but b has length 2")]
    fn a_vector_of_the_wrong_length_panics() {
        mv_sub(&Matrix::<f32>::zeros(2, 3), &[1.0, 2.0]);
    }

    #[test]
    #[should_panic(expected = "vector + matrix: a has length 4 but b is 2×3")]
    fn a_vector_on_the_left_of_the_wrong_length_panics() {
        vm_add(&[1.0, 2.0, 3.0, 4.0], &Matrix::<f64>::zeros(2, 3));
    }

    #[test]
    fn a_vector_on_the_left_is_on_the_left() {
        let a = Matrix::from_vec(2, 2, vec![1.0_f64, 2.0, 3.0, 4.0]);
        assert_eq!(
            vm_sub(&[10.0, 20.0], &a).as_slice(),
            &[9.0, 18.0, 7.0, 16.0]
        );
        assert_eq!(
            mv_sub(&a, &[10.0, 20.0]).as_slice(),
            &[-9.0, -18.0, -7.0, -16.0]
        );
        let empty = Matrix::<f64>::zeros(3, 0);
        assert_eq!(mv_add(&empty, &[]).shape(), (3, 0));
    }
}
