//! `mean`: the arithmetic mean of a slice.

use super::sum::sum;
use crate::Real;

/// `Σ x[i] / n`; the mean of nothing is NaN (as PyTorch). NaN propagates.
///
/// Error: that of [`sum`](super::sum) plus one rounding.
///
/// ```
/// assert_eq!(grad_core::kernels::mean(&[1.0_f64, 2.0, 6.0]), 3.0);
/// assert!(grad_core::kernels::mean::<f32>(&[]).is_nan());
/// ```
pub fn mean<T: Real>(x: &[T]) -> T {
    sum(x) / T::from_usize(x.len())
}
