//! `softmax` and `log_softmax` along a whole vector.
//!
//! Both subtract the maximum `m` first: `softmax(x)ᵢ = e^(xᵢ−m) / Σⱼ e^(xⱼ−m)`
//! and `log_softmax(x)ᵢ = (xᵢ − m) − ln Σⱼ e^(xⱼ−m)`. Every exponent is then
//! `≤ 0`, so nothing overflows, and the sum is `≥ 1` (the maximum contributes
//! `e^0`), so the logarithm is finite: logits like `[1000, 0, −1000]` give
//! finite results in f32 and f64.

use super::check::sum_f64;
use crate::Real;

/// The maximum, ignoring NaN (a NaN still reaches the result through `x − m`).
fn max_of<T: Real>(x: &[T]) -> T {
    x.iter().copied().fold(T::NEG_INFINITY, Real::max)
}

/// Softmax over the whole vector, numerically stable: the result is
/// non-negative and sums to 1.
///
/// # Errors
///
/// Never panics. Empty in, empty out. A NaN anywhere makes every element NaN;
/// an input whose maximum is `+∞`, or whose elements are all `−∞`, gives NaN
/// (as PyTorch).
///
/// ```
/// assert_eq!(grad_core::softmax(&[0.0_f64, 0.0]), vec![0.5, 0.5]);
/// let p = grad_core::softmax([1000.0_f32, 0.0, -1000.0]);
/// assert_eq!(p, vec![1.0, 0.0, 0.0]);
/// assert!(grad_core::softmax(Vec::<f32>::new()).is_empty());
/// ```
pub fn softmax<T: Real>(x: impl AsRef<[T]>) -> Vec<T> {
    let x = x.as_ref();
    let m = max_of(x).to_f64();
    let e: Vec<f64> = x.iter().map(|&v| (v.to_f64() - m).exp()).collect();
    let s = sum_f64(e.len(), |i| e[i]);
    e.into_iter().map(|v| T::from_f64(v / s)).collect()
}

/// Log-softmax over the whole vector, `xᵢ − ln Σⱼ e^(xⱼ)`, numerically stable.
///
/// # Errors
///
/// Never panics. Empty in, empty out; NaN propagates as in [`softmax`].
///
/// ```
/// let l = grad_core::log_softmax([0.0_f64, 0.0]);
/// assert_eq!(l, vec![-std::f64::consts::LN_2; 2]);
/// assert_eq!(grad_core::log_softmax([1000.0_f32, 0.0, -1000.0]), vec![0.0, -1000.0, -2000.0]);
/// ```
pub fn log_softmax<T: Real>(x: impl AsRef<[T]>) -> Vec<T> {
    let x = x.as_ref();
    let m = max_of(x).to_f64();
    let lse = sum_f64(x.len(), |i| (x[i].to_f64() - m).exp()).ln();
    x.iter()
        .map(|&v| T::from_f64((v.to_f64() - m) - lse))
        .collect()
}
