//! One element of a vector adjoint: [`AccumulateAt`] adds a contribution at
//! an index (the backward of reading `v[i]`), [`SetAt`] replaces an element
//! (`v[i] = e` and its backward).

use crate::{Matrix, Real};

/// An adjoint vector that one more contribution `d` at element `i` is added
/// to: the backward of reading `v[i]`, an O(1) update. An owned buffer is
/// updated in place; a borrowed one is copied first. An index out of range
/// panics like indexing.
///
/// ```
/// use grad_core::ad::accumulate_at;
///
/// assert_eq!(accumulate_at(vec![1.0_f64, 2.0], 1, 0.5), vec![1.0, 2.5]);
/// assert_eq!(accumulate_at(&[1.0_f32, 2.0][..], 0, 1.0), vec![2.0, 2.0]);
/// ```
pub trait AccumulateAt<T> {
    /// The adjoint's owned type.
    type Output;
    /// `self[i] += d`.
    #[track_caller]
    fn accumulate_at(self, i: usize, d: T) -> Self::Output;
}

impl<T: Real> AccumulateAt<T> for Vec<T> {
    type Output = Vec<T>;
    #[inline]
    fn accumulate_at(mut self, i: usize, d: T) -> Vec<T> {
        self[i] += d;
        self
    }
}

impl<T: Real, const N: usize> AccumulateAt<T> for [T; N] {
    type Output = [T; N];
    #[inline]
    fn accumulate_at(mut self, i: usize, d: T) -> [T; N] {
        self[i] += d;
        self
    }
}

impl<T: Real> AccumulateAt<T> for &[T] {
    type Output = Vec<T>;
    #[inline]
    fn accumulate_at(self, i: usize, d: T) -> Vec<T> {
        self.to_vec().accumulate_at(i, d)
    }
}

impl<T: Real, const N: usize> AccumulateAt<T> for &[T; N] {
    type Output = [T; N];
    #[inline]
    fn accumulate_at(self, i: usize, d: T) -> [T; N] {
        (*self).accumulate_at(i, d)
    }
}

impl<T: Real> AccumulateAt<T> for Matrix<T> {
    type Output = Matrix<T>;
    /// `i` is a row-major index (see [`crate::ad::m::flat`]).
    #[inline]
    fn accumulate_at(mut self, i: usize, d: T) -> Matrix<T> {
        self.as_mut_slice()[i] += d;
        self
    }
}

impl<T: Real> AccumulateAt<T> for &Matrix<T> {
    type Output = Matrix<T>;
    #[inline]
    fn accumulate_at(self, i: usize, d: T) -> Matrix<T> {
        self.clone().accumulate_at(i, d)
    }
}

/// [`AccumulateAt::accumulate_at`] as a fn.
#[inline]
#[track_caller]
pub fn accumulate_at<A: AccumulateAt<T>, T>(acc: A, i: usize, d: T) -> A::Output {
    acc.accumulate_at(i, d)
}

/// A vector with element `i` replaced by `e` (`v[i] = e` in a
/// `#[differentiable]` body, and the backward of it, which zeroes one
/// element of an adjoint). An owned buffer is updated in place; a borrowed
/// one is copied first. An index out of range panics like indexing.
///
/// ```
/// use grad_core::ad::set_at;
///
/// assert_eq!(set_at(vec![1.0_f64, 2.0], 0, 5.0), vec![5.0, 2.0]);
/// assert_eq!(set_at(&[1.0_f32, 2.0], 1, 0.0), [1.0, 0.0]);
/// ```
pub trait SetAt<T> {
    /// The vector's owned type.
    type Output;
    /// `self[i] = e`.
    #[track_caller]
    fn set_at(self, i: usize, e: T) -> Self::Output;
}

impl<T: Real> SetAt<T> for Vec<T> {
    type Output = Vec<T>;
    #[inline]
    fn set_at(mut self, i: usize, e: T) -> Vec<T> {
        self[i] = e;
        self
    }
}

impl<T: Real, const N: usize> SetAt<T> for [T; N] {
    type Output = [T; N];
    #[inline]
    fn set_at(mut self, i: usize, e: T) -> [T; N] {
        self[i] = e;
        self
    }
}

impl<T: Real> SetAt<T> for &[T] {
    type Output = Vec<T>;
    #[inline]
    fn set_at(self, i: usize, e: T) -> Vec<T> {
        self.to_vec().set_at(i, e)
    }
}

impl<T: Real, const N: usize> SetAt<T> for &[T; N] {
    type Output = [T; N];
    #[inline]
    fn set_at(self, i: usize, e: T) -> [T; N] {
        (*self).set_at(i, e)
    }
}

impl<T: Real> SetAt<T> for Matrix<T> {
    type Output = Matrix<T>;
    /// `i` is a row-major index (see [`crate::ad::m::flat`]).
    #[inline]
    fn set_at(mut self, i: usize, e: T) -> Matrix<T> {
        self.as_mut_slice()[i] = e;
        self
    }
}

impl<T: Real> SetAt<T> for &Matrix<T> {
    type Output = Matrix<T>;
    #[inline]
    fn set_at(self, i: usize, e: T) -> Matrix<T> {
        self.clone().set_at(i, e)
    }
}

/// [`SetAt::set_at`] as a fn.
#[inline]
#[track_caller]
pub fn set_at<A: SetAt<T>, T>(v: A, i: usize, e: T) -> A::Output {
    v.set_at(i, e)
}
