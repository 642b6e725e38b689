//! Reductions (`sum mean dot`, the value ops themselves) and their
//! backwards.

use super::shape::{Out, check};
use crate::Real;

/// `Σ v`: [`crate::sum`] (the kernel [`crate::kernels::sum`]).
///
/// ```
/// assert_eq!(grad_core::ad::v::sum(&[1.0_f64, 2.0]), 3.0);
/// ```
#[inline]
pub fn sum<T: Real>(v: &[T]) -> T {
    crate::sum(v)
}

/// `Σ v / n` (NaN for an empty vector): [`crate::mean`].
///
/// ```
/// assert_eq!(grad_core::ad::v::mean(&[1.0_f64, 2.0]), 1.5);
/// ```
#[inline]
pub fn mean<T: Real>(v: &[T]) -> T {
    crate::mean(v)
}

/// `Σ aᵢ bᵢ`: [`crate::dot`] (the kernel [`crate::kernels::dot`]).
///
/// # Panics
///
/// If the lengths differ: "dot: a has length 2 but b has length 3".
///
/// ```
/// assert_eq!(grad_core::ad::v::dot(&[1.0_f64, 2.0], &[3.0, 4.0]), 11.0);
/// ```
#[inline]
#[track_caller]
pub fn dot<T: Real>(a: &[T], b: &[T]) -> T {
    crate::dot(a, b)
}

/// A vector of `len` copies of `s` (the backward of `sum`).
///
/// ```
/// let f: [f64; 2] = grad_core::ad::v::fill(3.0, 2);
/// assert_eq!(f, [3.0, 3.0]);
/// ```
#[inline]
#[track_caller]
pub fn fill<T: Real, O: Out<T>>(s: T, len: usize) -> O {
    O::build("fill", len, |_| s)
}

/// The backward of `mean`: `g / n` everywhere.
///
/// ```
/// let d: Vec<f64> = grad_core::ad::v::mean_backward(1.0, 4);
/// assert_eq!(d, vec![0.25; 4]);
/// ```
#[inline]
#[track_caller]
pub fn mean_backward<T: Real, O: Out<T>>(g: T, len: usize) -> O {
    fill(g / T::from_usize(len), len)
}

/// The backward of `dot` for one argument: `g·other`, checking `other`
/// has the length `len` of the argument (as the forward `dot` did).
///
/// ```
/// let d: Vec<f64> = grad_core::ad::v::dot_backward(2.0, &[1.0, 3.0], 2);
/// assert_eq!(d, vec![2.0, 6.0]);
/// ```
#[inline]
#[track_caller]
pub fn dot_backward<T: Real, O: Out<T>>(g: T, other: &[T], len: usize) -> O {
    check("dot", len, other.len());
    O::build("dot", len, |i| g * other[i])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reductions_give_the_public_ops_bits() {
        let x: Vec<f32> = (0..1000).map(|i| 1.0 / (i as f32 + 0.7)).collect();
        let y: Vec<f32> = x.iter().map(|v| v.sin()).collect();
        assert_eq!(sum(&x).to_bits(), crate::sum(&x).to_bits());
        assert_eq!(mean(&x).to_bits(), crate::mean(&x).to_bits());
        assert_eq!(dot(&x, &y).to_bits(), crate::dot(&x, &y).to_bits());
    }

    #[test]
    #[should_panic(expected = "dot: a has length 2 but b has length 3")]
    fn dot_of_different_lengths_panics_like_the_public_dot() {
        dot(&[1.0_f64, 2.0], &[1.0, 2.0, 3.0]);
    }
}
