//! `max`: the largest element of a slice with several accumulators.

use super::driver::{fold, load};
use super::math::max_nan;
use crate::Real;
use crate::dispatch::multiversion;

/// The largest element; `−∞` for an empty slice; NaN if any element is NaN.
///
/// Exact. Bit-identical on every path (ties between `+0` and `−0` resolve
/// the same way everywhere).
///
/// ```
/// assert_eq!(grad_core::kernels::max(&[1.0_f32, 7.0, -3.0]), 7.0);
/// assert_eq!(grad_core::kernels::max::<f64>(&[]), f64::NEG_INFINITY);
/// assert!(grad_core::kernels::max(&[1.0, f64::NAN]).is_nan());
/// ```
pub fn max<T: Real>(x: &[T]) -> T {
    multiversion!(<T> imp(x: &[T]) -> T)
}

#[inline(always)]
pub(crate) fn imp<T: Real>(x: &[T]) -> T {
    fold(x.len(), T::NEG_INFINITY, max_nan, |s| load(x, s))
}
