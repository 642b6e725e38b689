//! Adjoint arithmetic for generated code: the zero of a value's shape and the
//! accumulation of one more contribution into an adjoint. The reverse sweep
//! names these traits and rustc's type inference picks the shape: a float,
//! a `Vec` for a slice or a `Vec`, an array of the same length, a `Matrix` of
//! the same shape. (Scaling a gradient by a cotangent is
//! [`crate::compose::Scale`].)
//!
//! ```
//! use grad_core::Matrix;
//! use grad_core::ad::{accumulate, zeros_like};
//!
//! let x: &[f64] = &[1.0, 2.0];
//! let dx = zeros_like(&x);
//! assert_eq!(dx, vec![0.0, 0.0]);
//! let dx = accumulate(dx, &[0.5, -1.0]);
//! assert_eq!(dx, vec![0.5, -1.0]);
//!
//! let m = Matrix::from_vec(1, 2, vec![3.0_f32, 4.0]);
//! assert_eq!(zeros_like(&m).shape(), (1, 2));
//! ```

mod element;
mod outer;

use crate::{Matrix, Real};
pub use element::{AccumulateAt, SetAt, accumulate_at, set_at};
pub use outer::{AccumulateOuter, accumulate_outer};

/// A value that has an adjoint: the adjoint's owned type and its zero.
///
/// ```
/// use grad_core::ad::Adjoint;
///
/// assert_eq!(2.5_f32.zeros_like(), 0.0);
/// assert_eq!([1.0_f64; 3].zeros_like(), [0.0; 3]);
/// ```
pub trait Adjoint {
    /// The adjoint's type: the float itself, `Vec<T>` for a slice or a
    /// `Vec`, `[T; N]` for an array, `Matrix<T>` for a matrix.
    type Owned;
    /// Zeros of `self`'s shape.
    fn zeros_like(&self) -> Self::Owned;
}

macro_rules! float_adjoint {
    ($($t:ty),*) => {$(
        impl Adjoint for $t {
            type Owned = $t;
            #[inline(always)]
            fn zeros_like(&self) -> $t {
                0.0
            }
        }
    )*};
}
float_adjoint!(f32, f64);

impl<T: Real> Adjoint for [T] {
    type Owned = Vec<T>;
    #[inline]
    fn zeros_like(&self) -> Vec<T> {
        vec![T::ZERO; self.len()]
    }
}

impl<T: Real> Adjoint for Vec<T> {
    type Owned = Vec<T>;
    #[inline]
    fn zeros_like(&self) -> Vec<T> {
        vec![T::ZERO; self.len()]
    }
}

impl<T: Real, const N: usize> Adjoint for [T; N] {
    type Owned = [T; N];
    #[inline]
    fn zeros_like(&self) -> [T; N] {
        [T::ZERO; N]
    }
}

impl<T: Real> Adjoint for Matrix<T> {
    type Owned = Matrix<T>;
    #[inline]
    fn zeros_like(&self) -> Matrix<T> {
        Matrix::zeros(self.rows(), self.cols())
    }
}

impl<A: Adjoint + ?Sized> Adjoint for &A {
    type Owned = A::Owned;
    #[inline]
    fn zeros_like(&self) -> A::Owned {
        (**self).zeros_like()
    }
}

/// [`Adjoint::zeros_like`] as a fn.
///
/// ```
/// let v = vec![1.0_f64, 2.0];
/// assert_eq!(grad_core::ad::zeros_like(&v), vec![0.0, 0.0]);
/// ```
#[inline]
pub fn zeros_like<A: Adjoint + ?Sized>(a: &A) -> A::Owned {
    a.zeros_like()
}

/// An adjoint that one more contribution `d` (of the same shape) is added to.
/// An owned buffer is updated in place; a borrowed one is copied first.
/// Shapes that differ panic at the caller's line.
///
/// ```
/// use grad_core::ad::Accumulate;
///
/// assert_eq!(1.0_f64.accumulate(2.0), 3.0);
/// assert_eq!(vec![1.0_f32, 2.0].accumulate(&[1.0, 1.0]), vec![2.0, 3.0]);
/// ```
pub trait Accumulate<D> {
    /// The adjoint's owned type.
    type Output;
    /// `self + d`, elementwise.
    #[track_caller]
    fn accumulate(self, d: D) -> Self::Output;
}

macro_rules! float_accumulate {
    ($($t:ty),*) => {$(
        impl Accumulate<$t> for $t {
            type Output = $t;
            #[inline(always)]
            fn accumulate(self, d: $t) -> $t {
                self + d
            }
        }
    )*};
}
float_accumulate!(f32, f64);

/// `acc[i] += d[i]`, checking the lengths.
#[inline]
#[track_caller]
fn add_into<T: Real>(acc: &mut [T], d: &[T]) {
    assert!(
        acc.len() == d.len(),
        "adjoint accumulation: the adjoint has length {} but the contribution has length {}",
        acc.len(),
        d.len()
    );
    for (a, &b) in acc.iter_mut().zip(d) {
        *a += b;
    }
}

impl<T: Real, D: AsRef<[T]>> Accumulate<D> for Vec<T> {
    type Output = Vec<T>;
    #[inline]
    fn accumulate(mut self, d: D) -> Vec<T> {
        add_into(&mut self, d.as_ref());
        self
    }
}

impl<T: Real, D: AsRef<[T]>, const N: usize> Accumulate<D> for [T; N] {
    type Output = [T; N];
    #[inline]
    fn accumulate(mut self, d: D) -> [T; N] {
        add_into(&mut self, d.as_ref());
        self
    }
}

impl<T: Real, D: AsRef<[T]>> Accumulate<D> for &[T] {
    type Output = Vec<T>;
    #[inline]
    fn accumulate(self, d: D) -> Vec<T> {
        self.to_vec().accumulate(d)
    }
}

impl<T: Real, D: AsRef<[T]>> Accumulate<D> for &Vec<T> {
    type Output = Vec<T>;
    #[inline]
    fn accumulate(self, d: D) -> Vec<T> {
        self.clone().accumulate(d)
    }
}

impl<T: Real, D: AsRef<[T]>, const N: usize> Accumulate<D> for &[T; N] {
    type Output = [T; N];
    #[inline]
    fn accumulate(self, d: D) -> [T; N] {
        (*self).accumulate(d)
    }
}

impl<T: Real> Accumulate<&Matrix<T>> for Matrix<T> {
    type Output = Matrix<T>;
    #[inline]
    fn accumulate(mut self, d: &Matrix<T>) -> Matrix<T> {
        if self.shape() != d.shape() {
            let ((r, c), (p, q)) = (self.shape(), d.shape());
            panic!("adjoint accumulation: the adjoint is {r}×{c} but the contribution is {p}×{q}");
        }
        add_into(self.as_mut_slice(), d.as_slice());
        self
    }
}

impl<T: Real> Accumulate<&Matrix<T>> for &Matrix<T> {
    type Output = Matrix<T>;
    #[inline]
    fn accumulate(self, d: &Matrix<T>) -> Matrix<T> {
        self.clone().accumulate(d)
    }
}

/// [`Accumulate::accumulate`] as a fn.
///
/// ```
/// let acc = grad_core::ad::accumulate(vec![1.0_f64], &vec![2.0]);
/// assert_eq!(acc, vec![3.0]);
/// ```
#[inline]
#[track_caller]
pub fn accumulate<A: Accumulate<D>, D>(acc: A, d: D) -> A::Output {
    acc.accumulate(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zeros_have_the_shape_of_the_value() {
        let s: &[f32] = &[1.0, 2.0, 3.0];
        assert_eq!(zeros_like(&s), vec![0.0; 3]);
        assert_eq!(zeros_like(&&vec![1.0_f64; 2]), vec![0.0; 2]);
        assert_eq!(zeros_like(&[7.0_f64; 4]), [0.0; 4]);
        let m = Matrix::from_fn(2, 3, |i, j| (i + j) as f64);
        let z = zeros_like(&&m);
        assert_eq!(z.shape(), (2, 3));
        assert!(z.as_slice().iter().all(|x| *x == 0.0));
        assert_eq!(zeros_like(&-3.0_f64), 0.0);
    }

    #[test]
    fn accumulation_adds_elementwise_and_copies_borrowed_buffers() {
        let owned = vec![1.0_f64, 2.0];
        assert_eq!(accumulate(owned, &[0.5, 0.25]), vec![1.5, 2.25]);
        let borrowed = vec![1.0_f64, 2.0];
        assert_eq!(accumulate(&borrowed, vec![1.0, 1.0]), vec![2.0, 3.0]);
        assert_eq!(borrowed, vec![1.0, 2.0]);
        let s: &[f32] = &[1.0];
        assert_eq!(accumulate(s, [2.0_f32]), vec![3.0]);
        assert_eq!(accumulate([1.0_f64, 2.0], &[1.0, 1.0]), [2.0, 3.0]);
        assert_eq!(accumulate(&[1.0_f64, 2.0], [1.0, 1.0]), [2.0, 3.0]);
        let m = Matrix::from_vec(1, 2, vec![1.0_f64, 2.0]);
        let d = Matrix::from_vec(1, 2, vec![0.5_f64, f64::NAN]);
        let r = accumulate(&m, &d);
        assert_eq!(r[(0, 0)], 1.5);
        assert!(r[(0, 1)].is_nan());
        assert_eq!(accumulate(m, &d)[(0, 0)], 1.5);
        assert_eq!(accumulate(1.0_f32, 2.0), 3.0);
    }

    #[test]
    #[should_panic(
        expected = "adjoint accumulation: the adjoint has length 2 but the contribution has length 3"
    )]
    fn accumulation_of_different_lengths_panics() {
        let _ = accumulate(vec![1.0_f64, 2.0], &[1.0, 2.0, 3.0]);
    }

    #[test]
    #[should_panic(
        expected = "adjoint accumulation: the adjoint is 1×2 but the contribution is 2×1"
    )]
    fn accumulation_of_different_shapes_panics() {
        let a = Matrix::from_vec(1, 2, vec![1.0_f64, 2.0]);
        let b = Matrix::from_vec(2, 1, vec![1.0_f64, 2.0]);
        let _ = accumulate(a, &b);
    }

    #[test]
    fn accumulation_at_an_index_touches_one_element() {
        let owned = vec![1.0_f64, 2.0, 3.0];
        assert_eq!(accumulate_at(owned, 2, 0.5), vec![1.0, 2.0, 3.5]);
        let borrowed = [1.0_f64, 2.0];
        assert_eq!(accumulate_at(&borrowed, 0, -1.0), [0.0, 2.0]);
        assert_eq!(borrowed, [1.0, 2.0]);
        assert_eq!(accumulate_at(&borrowed[..], 1, 1.0), vec![1.0, 3.0]);
    }

    #[test]
    #[should_panic(expected = "index out of bounds")]
    fn accumulation_at_an_index_out_of_range_panics() {
        let _ = accumulate_at(vec![1.0_f64], 3, 1.0);
    }

    #[test]
    fn setting_an_element_replaces_it_and_copies_borrowed_buffers() {
        assert_eq!(set_at(vec![1.0_f64, f64::NAN], 1, 2.0), vec![1.0, 2.0]);
        let borrowed = vec![1.0_f64, 2.0];
        assert_eq!(set_at(&borrowed[..], 0, -1.0), vec![-1.0, 2.0]);
        assert_eq!(borrowed, vec![1.0, 2.0]);
        assert_eq!(set_at([0.0_f32; 3], 2, 1.0), [0.0, 0.0, 1.0]);
    }

    #[test]
    fn outer_products_accumulate_in_place_or_on_a_copy() {
        let w = vec![1.0_f64, 0.0, 0.0, 1.0];
        assert_eq!(
            accumulate_outer(&w[..], &[1.0, -1.0], &[2.0, 0.5]),
            vec![3.0, 0.5, -2.0, 0.5]
        );
        assert_eq!(w, vec![1.0, 0.0, 0.0, 1.0]);
        let m = Matrix::from_vec(1, 2, vec![1.0_f32, 1.0]);
        assert_eq!(
            accumulate_outer(&m, &[2.0], &[1.0, 3.0]).as_slice(),
            &[3.0, 7.0]
        );
        assert_eq!(
            accumulate_outer(m, &[1.0], &[1.0, 1.0]).as_slice(),
            &[2.0, 2.0]
        );
    }

    #[test]
    #[should_panic(
        expected = "matvec: the weight's gradient has 3 elements but the product g·xᵀ has 2×2"
    )]
    fn outer_products_of_the_wrong_size_panic() {
        let _ = accumulate_outer(vec![0.0_f64; 3], &[1.0, 2.0], &[1.0, 2.0]);
    }
}
