//! `exp` forward and backward.

use super::check::same_len;
use super::driver::{map1, map2};
use super::math;
use crate::Real;
use crate::dispatch::multiversion;

/// `out[i] = e^x[i]`: overflow gives +∞, underflow +0, NaN propagates.
///
/// Worst error against an f64 reference: ≤ 4 ulp, absolute ≤ 1e−7 where the
/// value is below 1e−30 (budgets and measured errors: [`crate::testing`]).
/// Bit-identical on every dispatch path.
///
/// # Panics
///
/// If `x` and `out` differ in length: "exp: x has length 3 but out has length 4".
///
/// ```
/// let x = [0.0, 1.0, -1000.0];
/// let mut out = [0.0_f32; 3];
/// grad_core::kernels::exp(&x, &mut out);
/// assert_eq!(out[0], 1.0);
/// assert!((out[1] - std::f32::consts::E).abs() < 1e-6);
/// assert_eq!(out[2], 0.0);
/// ```
pub fn exp<T: Real>(x: &[T], out: &mut [T]) {
    same_len("exp", "x", x.len(), "out", out.len());
    if super::fast::unary(super::fast::Unary::Exp, x, out) {
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
        |v| math::exp(v),
    );
}

/// Backward of [`exp`]: `dx = dy·y`, from `y` and the output gradient
/// `dy`; overwrites `dx`.
///
/// # Panics
///
/// If the lengths differ: "exp_backward: y has length 3 but dy has length 4"
/// (likewise for `dx`).
///
/// ```
/// let y = [0.0, 1.0, -1000.0];
/// let dy = [1.0_f32; 3];
/// let mut dx = [0.0_f32; 3];
/// grad_core::kernels::exp_backward(&y, &dy, &mut dx);
/// assert_eq!(dx, [0.0, 1.0, -1000.0]);
/// ```
pub fn exp_backward<T: Real>(y: &[T], dy: &[T], dx: &mut [T]) {
    same_len("exp_backward", "y", y.len(), "dy", dy.len());
    same_len("exp_backward", "y", y.len(), "dx", dx.len());
    multiversion!(<T> bwd(y: &[T], dy: &[T], dx: &mut [T]))
}

#[inline(always)]
fn bwd<T: Real>(y: &[T], dy: &[T], dx: &mut [T]) {
    map2(
        y,
        dy,
        dx,
        #[inline(always)]
        |y, g| g * y,
    );
}
