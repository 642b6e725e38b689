//! `dot`: the inner product of two slices with several accumulators.

use super::check::same_len;
use super::driver::sum_zip;
use crate::Real;
use crate::dispatch::multiversion;

/// `Σ a[i]·b[i]`; 0 for empty slices. NaN propagates.
///
/// Products are rounded, then summed as in [`sum`](super::sum) (no fused
/// multiply–add, so every path gives the same bits); relative error at most
/// about `(97 + n/65 536)·ε·Σ|a·b|/|Σa·b|`.
///
/// # Panics
///
/// If the lengths differ: "dot: a has length 3 but b has length 4".
///
/// ```
/// assert_eq!(grad_core::kernels::dot(&[1.0_f32, 2.0, 3.0], &[4.0, 5.0, 6.0]), 32.0);
/// ```
pub fn dot<T: Real>(a: &[T], b: &[T]) -> T {
    same_len("dot", "a", a.len(), "b", b.len());
    #[cfg(target_arch = "x86_64")]
    if super::fast::f32_avx2::<T>()
        && let (Some(a), Some(b)) = (T::as_f32(a), T::as_f32(b))
    {
        // SAFETY: `f32_avx2` holds only when the active path is `Avx2` or
        // `Avx512`, i.e. when avx2 and fma were detected on this CPU.
        return T::from_f32(unsafe { super::avx2::dot::dot(a, b) });
    }
    #[cfg(target_arch = "x86_64")]
    if super::fast::f64_avx2::<T>()
        && let (Some(a), Some(b)) = (T::as_f64(a), T::as_f64(b))
    {
        // SAFETY: as above (`f64_avx2`: the active path is `Avx2` or
        // `Avx512`).
        return T::from_f64_exact(unsafe { super::avx2::dot::dot64(a, b) });
    }
    multiversion!(<T> imp(a: &[T], b: &[T]) -> T)
}

#[inline(always)]
pub(crate) fn imp<T: Real>(a: &[T], b: &[T]) -> T {
    sum_zip(
        a,
        b,
        #[inline(always)]
        |x, y| x * y,
    )
}
