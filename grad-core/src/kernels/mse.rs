//! `mse`: mean squared error, forward and backward.

use super::check::same_len;
use super::driver::{map2_streamed, sum_zip};
use super::simd::V;
use crate::Real;
use crate::dispatch::multiversion;

/// `mean((pred − target)²)` (PyTorch `F.mse_loss`, reduction `mean`); NaN
/// for empty slices (the mean of nothing); NaN propagates.
///
/// Squares are summed with several accumulators as in
/// [`sum`](super::sum); worst relative error against an f64 reference
/// ≤ 1e−6 (f32), ≤ 1e−14 (f64) for the tested sizes (bound
/// `≈ (98 + n/65 536)·ε`). Bit-identical on every dispatch path.
///
/// # Panics
///
/// If the lengths differ: "mse: pred has length 3 but target has length 2".
///
/// ```
/// assert_eq!(grad_core::kernels::mse(&[1.0_f32, 2.0], &[1.0, 4.0]), 2.0);
/// assert!(grad_core::kernels::mse::<f64>(&[], &[]).is_nan());
/// ```
pub fn mse<T: Real>(pred: &[T], target: &[T]) -> T {
    same_len("mse", "pred", pred.len(), "target", target.len());
    multiversion!(<T> fwd(pred: &[T], target: &[T]) -> T)
}

#[inline(always)]
fn fwd<T: Real>(pred: &[T], target: &[T]) -> T {
    let s = sum_zip(
        pred,
        target,
        #[inline(always)]
        |p, t| {
            let d = p - t;
            d * d
        },
    );
    s / T::from_usize(pred.len())
}

/// Backward of [`mse`]: `dpred_i = (pred_i − target_i)·(2·dloss/n)`;
/// overwrites `dpred`.
///
/// Error ≤ 2 ulp per element (one rounding for the difference, one for the
/// product; the factor `2·dloss/n` rounds once).
///
/// # Panics
///
/// If the lengths differ: "mse_backward: pred has length 3 but target has
/// length 2" (likewise for `dpred`).
///
/// ```
/// let mut d = [0.0_f64; 2];
/// grad_core::kernels::mse_backward(&[1.0, 2.0], &[1.0, 4.0], 1.0, &mut d);
/// assert_eq!(d, [0.0, -2.0]);
/// ```
pub fn mse_backward<T: Real>(pred: &[T], target: &[T], dloss: T, dpred: &mut [T]) {
    same_len("mse_backward", "pred", pred.len(), "target", target.len());
    same_len("mse_backward", "pred", pred.len(), "dpred", dpred.len());
    multiversion!(<T> bwd(pred: &[T], target: &[T], dloss: T, dpred: &mut [T]))
}

#[inline(always)]
fn bwd<T: Real>(pred: &[T], target: &[T], dloss: T, dpred: &mut [T]) {
    let k = (dloss + dloss) / T::from_usize(pred.len());
    map2_streamed(
        pred,
        target,
        dpred,
        #[inline(always)]
        |p, t| (p - t) * V::splat(k),
    );
}
