//! `sigmoid` forward and backward.

use super::check::same_len;
use super::driver::{map1, map2};
use super::math;
use super::simd::V;
use crate::Real;
use crate::dispatch::multiversion;

/// Logistic sigmoid `out[i] = 1/(1 + e^−x[i])`, stable for every input (no overflow; NaN propagates).
///
/// Worst error against an f64 reference: ≤ 4 ulp, absolute ≤ 1e−7 where the
/// value is below 1e−30 (budgets and measured errors: [`crate::testing`]).
/// Bit-identical on every dispatch path.
///
/// # Panics
///
/// If `x` and `out` differ in length: "sigmoid: x has length 3 but out has length 4".
///
/// ```
/// let x = [-1000.0, 0.0, 1000.0];
/// let mut out = [0.0_f32; 3];
/// grad_core::kernels::sigmoid(&x, &mut out);
/// assert_eq!(out, [0.0, 0.5, 1.0]);
/// ```
pub fn sigmoid<T: Real>(x: &[T], out: &mut [T]) {
    same_len("sigmoid", "x", x.len(), "out", out.len());
    if super::fast::unary(super::fast::Unary::Sigmoid, x, out) {
        return;
    }
    multiversion!(<T> fwd(x: &[T], out: &mut [T]))
}

#[inline(always)]
fn fwd<T: Real>(x: &[T], out: &mut [T]) {
    map1(
        x,
        out,
        #[inline(always)]
        |v| math::sigmoid(v),
    );
}

/// Backward of [`sigmoid`]: `dx = dy·y·(1 − y)`, from `y` and the output gradient
/// `dy`; overwrites `dx`.
///
/// # Panics
///
/// If the lengths differ: "sigmoid_backward: y has length 3 but dy has length 4"
/// (likewise for `dx`).
///
/// ```
/// let y = [0.5, 0.0, 1.0];
/// let dy = [1.0_f32; 3];
/// let mut dx = [0.0_f32; 3];
/// grad_core::kernels::sigmoid_backward(&y, &dy, &mut dx);
/// assert_eq!(dx, [0.25, 0.0, 0.0]);
/// ```
pub fn sigmoid_backward<T: Real>(y: &[T], dy: &[T], dx: &mut [T]) {
    same_len("sigmoid_backward", "y", y.len(), "dy", dy.len());
    same_len("sigmoid_backward", "y", y.len(), "dx", dx.len());
    multiversion!(<T> bwd(y: &[T], dy: &[T], dx: &mut [T]))
}

#[inline(always)]
fn bwd<T: Real>(y: &[T], dy: &[T], dx: &mut [T]) {
    map2(
        y,
        dy,
        dx,
        #[inline(always)]
        |y, g| g * (y * (V::splat(T::ONE) - y)),
    );
}
