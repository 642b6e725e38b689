//! `softmax` and `log_softmax` along a whole vector, or along each row of a
//! matrix (PyTorch `dim=-1`).
//!
//! Both subtract the maximum `m` first: `softmax(x)ᵢ = e^(xᵢ−m) / Σⱼ e^(xⱼ−m)`
//! and `log_softmax(x)ᵢ = (xᵢ − m) − ln Σⱼ e^(xⱼ−m)`. Every exponent is then
//! `≤ 0`, so nothing overflows, and the sum is `≥ 1` (the maximum contributes
//! `e^0`), so the logarithm is finite: logits like `[1000, 0, −1000]` give
//! finite results in f32 and f64. Both run the SIMD kernels
//! [`kernels::softmax`] and [`kernels::log_softmax`] on a vector, and
//! [`kernels::softmax_rows`] and [`kernels::log_softmax_rows`] on a matrix
//! (error bounds in their docs).

use super::operand::{Operand, Shape};
use crate::{Real, kernels};

/// `kernel(x, cols, out)` over the rows of `x` into a new value of its shape.
fn rows<T: Real, X: Operand<T>>(
    x: X,
    whole: fn(&[T], &mut [T]),
    by_rows: fn(&[T], usize, &mut [T]),
) -> X::Output {
    let elems = x.elems();
    let mut out = vec![T::ZERO; elems.len()];
    match x.shape() {
        Shape::Vector(_) => whole(elems, &mut out),
        Shape::Matrix(_, cols) => by_rows(elems, cols, &mut out),
    }
    x.like(out)
}

/// Softmax over the whole vector, or over each row of a matrix (returning a
/// matrix), numerically stable: the result is non-negative and each row
/// sums to 1.
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
/// let m = grad_core::Matrix::from_vec(2, 2, vec![0.0_f64, 0.0, 1000.0, 0.0]);
/// assert_eq!(grad_core::softmax(&m).as_slice(), &[0.5, 0.5, 1.0, 0.0]);
/// ```
pub fn softmax<T: Real, X: Operand<T>>(x: X) -> X::Output {
    rows(x, kernels::softmax, kernels::softmax_rows)
}

/// Log-softmax over the whole vector, or over each row of a matrix
/// (returning a matrix), `xᵢ − ln Σⱼ e^(xⱼ)`, numerically stable.
///
/// # Errors
///
/// Never panics. Empty in, empty out; NaN propagates as in [`softmax`].
///
/// ```
/// let l = grad_core::log_softmax([0.0_f64, 0.0]);
/// assert_eq!(l, vec![-std::f64::consts::LN_2; 2]);
/// assert_eq!(grad_core::log_softmax([1000.0_f32, 0.0, -1000.0]), vec![0.0, -1000.0, -2000.0]);
/// let m = grad_core::Matrix::from_vec(2, 1, vec![3.0_f64, -3.0]);
/// assert_eq!(grad_core::log_softmax(m).as_slice(), &[0.0, 0.0]);
/// ```
pub fn log_softmax<T: Real, X: Operand<T>>(x: X) -> X::Output {
    rows(x, kernels::log_softmax, kernels::log_softmax_rows)
}
