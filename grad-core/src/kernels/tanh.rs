//! `tanh` forward and backward.

use super::check::same_len;
use super::driver::{map1, map2};
use super::math;
use super::simd::V;
use crate::Real;
use crate::dispatch::multiversion;

/// Hyperbolic tangent `out[i] = tanh x[i]`, saturating to ±1 (NaN propagates).
///
/// Worst error against an f64 reference: ≤ 4 ulp (budgets and measured
/// errors: [`crate::testing`]).
/// Bit-identical on every dispatch path.
///
/// # Panics
///
/// If `x` and `out` differ in length: "tanh: x has length 3 but out has length 4".
///
/// ```
/// let x = [-1000.0, 0.0, 1000.0];
/// let mut out = [0.0_f32; 3];
/// grad_core::kernels::tanh(&x, &mut out);
/// assert_eq!(out, [-1.0, 0.0, 1.0]);
/// ```
pub fn tanh<T: Real>(x: &[T], out: &mut [T]) {
    same_len("tanh", "x", x.len(), "out", out.len());
    if super::fast::unary(super::fast::Unary::Tanh, x, out) {
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
        |v| math::tanh(v),
    );
}

/// Backward of [`tanh`]: `dx = dy·(1 − y)·(1 + y)`, from `y` and the output gradient
/// `dy`; overwrites `dx`.
///
/// # Panics
///
/// If the lengths differ: "tanh_backward: y has length 3 but dy has length 4"
/// (likewise for `dx`).
///
/// ```
/// let y = [-1.0, 0.0, 1.0];
/// let dy = [1.0_f32; 3];
/// let mut dx = [0.0_f32; 3];
/// grad_core::kernels::tanh_backward(&y, &dy, &mut dx);
/// assert_eq!(dx, [0.0, 1.0, 0.0]);
/// ```
pub fn tanh_backward<T: Real>(y: &[T], dy: &[T], dx: &mut [T]) {
    same_len("tanh_backward", "y", y.len(), "dy", dy.len());
    same_len("tanh_backward", "y", y.len(), "dx", dx.len());
    multiversion!(<T> bwd(y: &[T], dy: &[T], dx: &mut [T]))
}

#[inline(always)]
fn bwd<T: Real>(y: &[T], dy: &[T], dx: &mut [T]) {
    map2(
        y,
        dy,
        dx,
        #[inline(always)]
        |y, g| {
            let one = V::splat(T::ONE);
            g * ((one - y) * (one + y))
        },
    );
}
