//! The pieces only second derivatives need, on one vector (see
//! [`crate::ad`]'s `second` module for the formulas).

use super::shape::{Out, check};
use crate::Real;
use crate::ad::second;

/// The tangent of `y = log_softmax(x)` along `dx`: `dx − ⟨exp(y), dx⟩`.
///
/// ```
/// let d: Vec<f64> = grad_core::ad::v::log_softmax_jvp(&[0.5_f64.ln(), 0.5_f64.ln()], &[1.0, 1.0]);
/// assert!(d.iter().all(|x| x.abs() < 1e-15));
/// ```
#[inline]
#[track_caller]
pub fn log_softmax_jvp<T: Real, O: Out<T>>(y: &[T], dx: &[T]) -> O {
    check("log_softmax", y.len(), dx.len());
    let mut out = O::zeroed("log_softmax", y.len());
    second::log_softmax_jvp(y, dx, y.len(), out.as_mut());
    out
}

/// The tangent of `softmax_backward(y, g)` along `dy`.
///
/// ```
/// let d: Vec<f64> = grad_core::ad::v::softmax_backward_jvp_y(&[0.5, 0.5], &[1.0, 1.0], &[0.0, 0.0]);
/// assert_eq!(d, vec![0.0, 0.0]);
/// ```
#[inline]
#[track_caller]
pub fn softmax_backward_jvp_y<T: Real, O: Out<T>>(y: &[T], g: &[T], dy: &[T]) -> O {
    check("softmax", y.len(), g.len());
    check("softmax", y.len(), dy.len());
    let mut out = O::zeroed("softmax", y.len());
    second::softmax_backward_jvp_y(y, g, dy, y.len(), out.as_mut());
    out
}

/// The tangent of `log_softmax_backward(y, g)` along `dy`.
///
/// ```
/// let d: Vec<f64> = grad_core::ad::v::log_softmax_backward_jvp_y(&[0.0], &[2.0], &[1.0]);
/// assert_eq!(d, vec![-2.0]);
/// ```
#[inline]
#[track_caller]
pub fn log_softmax_backward_jvp_y<T: Real, O: Out<T>>(y: &[T], g: &[T], dy: &[T]) -> O {
    check("log_softmax", y.len(), g.len());
    check("log_softmax", y.len(), dy.len());
    let mut out = O::zeroed("log_softmax", y.len());
    second::log_softmax_backward_jvp_y(y, g, dy, y.len(), out.as_mut());
    out
}

/// The tangent of `cross_entropy_backward(z, class, g)` along `dz`:
/// `g·p⊙(dz − ⟨p, dz⟩)` with `p = softmax(z)`.
///
/// ```
/// let d: Vec<f64> = grad_core::ad::v::cross_entropy_backward_jvp_z(&[0.0, 0.0], 1.0, &[1.0, -1.0]);
/// assert_eq!(d, vec![0.5, -0.5]);
/// ```
#[inline]
#[track_caller]
pub fn cross_entropy_backward_jvp_z<T: Real, O: Out<T>>(z: &[T], g: T, dz: &[T]) -> O {
    check("cross_entropy", z.len(), dz.len());
    let mut out = O::zeroed("cross_entropy", z.len());
    second::cross_entropy_backward_jvp_z(z, g, dz, z.len(), out.as_mut());
    out
}
