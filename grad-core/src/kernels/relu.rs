//! `relu` forward and backward.

use super::check::same_len;
use super::driver::{map1_streamed, map2_streamed};
use super::simd::V;
use crate::Real;
use crate::dispatch::multiversion;

/// Rectified linear unit `out[i] = max(0, x[i])`; NaN propagates, `−0 → +0`.
///
/// Exact (no rounding). Bit-identical on every dispatch path.
///
/// # Panics
///
/// If `x` and `out` differ in length: "relu: x has length 3 but out has length 4".
///
/// ```
/// let mut out = [9.0_f64; 3];
/// grad_core::kernels::relu(&[-1.0, 0.0, 2.5], &mut out);
/// assert_eq!(out, [0.0, 0.0, 2.5]);
/// ```
pub fn relu<T: Real>(x: &[T], out: &mut [T]) {
    same_len("relu", "x", x.len(), "out", out.len());
    multiversion!(<T> fwd(x: &[T], out: &mut [T]))
}

#[inline(always)]
fn fwd<T: Real>(x: &[T], out: &mut [T]) {
    // `!(x <= 0)` keeps NaN.
    let zero = V::splat(T::ZERO);
    map1_streamed(
        x,
        out,
        #[inline(always)]
        |v| V::select(v.le(zero), zero, v),
    );
}

/// Backward of [`relu`]: `dx = dy` where `x > 0`, else 0 (`relu′(0) = 0`, as
/// PyTorch and JAX); `x` is the forward *input*. Overwrites `dx`.
///
/// # Panics
///
/// If the lengths differ: "relu_backward: x has length 3 but dy has length 4"
/// (likewise for `dx`).
///
/// ```
/// let mut dx = [9.0_f32; 3];
/// grad_core::kernels::relu_backward(&[-1.0, 0.0, 2.0], &[5.0, 5.0, 5.0], &mut dx);
/// assert_eq!(dx, [0.0, 0.0, 5.0]);
/// ```
pub fn relu_backward<T: Real>(x: &[T], dy: &[T], dx: &mut [T]) {
    same_len("relu_backward", "x", x.len(), "dy", dy.len());
    same_len("relu_backward", "x", x.len(), "dx", dx.len());
    multiversion!(<T> bwd(x: &[T], dy: &[T], dx: &mut [T]))
}

#[inline(always)]
fn bwd<T: Real>(x: &[T], dy: &[T], dx: &mut [T]) {
    let zero = V::splat(T::ZERO);
    map2_streamed(
        x,
        dy,
        dx,
        #[inline(always)]
        |x, g| V::select(x.gt(zero), g, zero),
    );
}
