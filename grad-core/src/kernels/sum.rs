//! `sum`: the sum of a slice with several accumulators.

use super::driver::sum_zip;
use crate::Real;
use crate::dispatch::multiversion;

/// `Σ x[i]`; the sum of nothing is 0. NaN propagates.
///
/// Uses [`ACCUMULATORS`](super::ACCUMULATORS) independent partial sums
/// folded blockwise, so the association (and the result, bit for bit) is the
/// same on every dispatch path; each partial adds at most
/// `96 + n/65 536` terms in sequence, so the relative error is at most about
/// `(96 + n/65 536)·ε·Σ|x|/|Σx|` (ε = machine epsilon), usually far less.
///
/// ```
/// assert_eq!(grad_core::kernels::sum(&[1.0_f32, 2.0, 3.5]), 6.5);
/// assert_eq!(grad_core::kernels::sum::<f64>(&[]), 0.0);
/// ```
pub fn sum<T: Real>(x: &[T]) -> T {
    multiversion!(<T> imp(x: &[T]) -> T)
}

#[inline(always)]
fn imp<T: Real>(x: &[T]) -> T {
    sum_zip(
        x,
        x,
        #[inline(always)]
        |a, _| a,
    )
}
