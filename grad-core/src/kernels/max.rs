//! `max`: the largest element of a slice with several accumulators.

use super::math::max_nan;
use super::simd::{L, S, V};
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
    // Chunk by chunk straight over `as_chunks` (no per-chunk bounds check):
    // the maximum is exact, so no blocking is needed, and this form keeps
    // the accumulator in full-width registers.
    let (xc, xt) = x.as_chunks::<L>();
    let mut acc = V::splat(T::NEG_INFINITY);
    for c in xc {
        acc = max_nan(acc, V(*c));
    }
    let mut tail = [T::NEG_INFINITY; L];
    tail[..xt.len()].copy_from_slice(xt);
    acc = max_nan(acc, V(tail));
    let mut w = L / 2;
    while w > 0 {
        for j in 0..w {
            acc.0[j] = max_nan(S(acc.0[j]), S(acc.0[j + w])).0;
        }
        w /= 2;
    }
    acc.0[0]
}
