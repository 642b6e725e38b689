//! `softplus` forward and backward.

use super::check::same_len;
use super::driver::{map1, map2};
use super::math;
use crate::Real;
use crate::dispatch::multiversion;

/// Softplus `out[i] = ln(1 + e^x[i])`, stable for every input (NaN propagates).
///
/// Worst error against an f64 reference: ≤ 4 ulp, absolute ≤ 1e−7 where the
/// value is below 1e−30 (budgets and measured errors: [`crate::testing`]).
/// Bit-identical on every dispatch path.
///
/// # Panics
///
/// If `x` and `out` differ in length: "softplus: x has length 3 but out has length 4".
///
/// ```
/// let x = [-1000.0, 0.0, 1000.0];
/// let mut out = [0.0_f32; 3];
/// grad_core::kernels::softplus(&x, &mut out);
/// assert_eq!(out[0], 0.0);
/// assert!((out[1] - 2.0_f32.ln()).abs() < 1e-7);
/// assert_eq!(out[2], 1000.0);
/// ```
pub fn softplus<T: Real>(x: &[T], out: &mut [T]) {
    same_len("softplus", "x", x.len(), "out", out.len());
    if super::fast::unary(super::fast::Unary::Softplus, x, out) {
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
        |v| math::softplus(v),
    );
}

/// Backward of [`softplus`]: `dx = dy·σ(x)`, from `x` and the output gradient
/// `dy`; overwrites `dx`.
///
/// # Panics
///
/// If the lengths differ: "softplus_backward: x has length 3 but dy has length 4"
/// (likewise for `dx`).
///
/// ```
/// let x = [-1000.0, 0.0, 1000.0];
/// let dy = [1.0_f32; 3];
/// let mut dx = [0.0_f32; 3];
/// grad_core::kernels::softplus_backward(&x, &dy, &mut dx);
/// assert_eq!(dx, [0.0, 0.5, 1.0]);
/// ```
pub fn softplus_backward<T: Real>(x: &[T], dy: &[T], dx: &mut [T]) {
    same_len("softplus_backward", "x", x.len(), "dy", dy.len());
    same_len("softplus_backward", "x", x.len(), "dx", dx.len());
    if super::fast::binary(super::fast::Binary::SoftplusBackward, x, dy, dx) {
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
        |x, g| g * math::sigmoid(x),
    );
}
