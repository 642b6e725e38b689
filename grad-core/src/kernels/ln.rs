//! `ln` forward and backward.

use super::check::same_len;
use super::driver::{map1, map2};
use super::math;
use crate::Real;
use crate::dispatch::multiversion;

/// Natural logarithm `out[i] = ln x[i]`: `ln 0 = −∞`, `ln` of a negative number is NaN, NaN propagates.
///
/// Worst error against an f64 reference: ≤ 4 ulp (budgets and measured
/// errors: [`crate::testing`]).
/// Bit-identical on every dispatch path.
///
/// # Panics
///
/// If `x` and `out` differ in length: "ln: x has length 3 but out has length 4".
///
/// ```
/// let x = [1.0, 4.0, 0.5];
/// let mut out = [0.0_f32; 3];
/// grad_core::kernels::ln(&x, &mut out);
/// assert_eq!(out[0], 0.0);
/// assert!((out[1] - 4.0_f32.ln()).abs() < 1e-6);
/// ```
pub fn ln<T: Real>(x: &[T], out: &mut [T]) {
    same_len("ln", "x", x.len(), "out", out.len());
    if super::fast::unary(super::fast::Unary::Ln, x, out) {
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
        |v| math::ln(v),
    );
}

/// Backward of [`ln`]: `dx = dy/x`, from `x` and the output gradient
/// `dy`; overwrites `dx`.
///
/// # Panics
///
/// If the lengths differ: "ln_backward: x has length 3 but dy has length 4"
/// (likewise for `dx`).
///
/// ```
/// let x = [1.0, 4.0, 0.5];
/// let dy = [1.0_f32; 3];
/// let mut dx = [0.0_f32; 3];
/// grad_core::kernels::ln_backward(&x, &dy, &mut dx);
/// assert_eq!(dx, [1.0, 0.25, 2.0]);
/// ```
pub fn ln_backward<T: Real>(x: &[T], dy: &[T], dx: &mut [T]) {
    same_len("ln_backward", "x", x.len(), "dy", dy.len());
    same_len("ln_backward", "x", x.len(), "dx", dx.len());
    if super::fast::binary(super::fast::Binary::LnBackward, x, dy, dx) {
        return;
    }
    multiversion!(<T> bwd(x: &[T], dy: &[T], dx: &mut [T]))
}

#[inline(always)]
fn bwd<T: Real>(x: &[T], dy: &[T], dx: &mut [T]) {
    map2(
        x,
        dy,
        dx,
        #[inline(always)]
        |x, g| g / x,
    );
}
