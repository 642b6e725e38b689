//! Per-element pieces of the losses' backwards, shared by the vector
//! backwards of [`super`] and the loops the macro fuses. The binary
//! cross-entropy pieces use the forward's clamped logarithms (below at
//! −100, as PyTorch), so they are the derivatives of the loss that
//! [`crate::binary_cross_entropy`] computes.
//!
//! ```
//! assert_eq!(grad_core::ad::v::el::mse_grad(2.0_f64, 3.0, 1.0), 4.0);
//! ```

use crate::values::clamp_ln;
use crate::{Real, scalar};

/// PyTorch's floor of `p·(1 − p)` in `binary_cross_entropy`'s backward
/// (`EPSILON` of `aten/src/ATen/native/Loss.cpp`).
const BCE_EPSILON: f64 = 1e-12;

/// `k·(p − t)` (with `k = 2g/n`, the mse backward), the bits of
/// [`kernels::mse_backward`](crate::kernels::mse_backward).
///
/// ```
/// assert_eq!(grad_core::ad::v::el::mse_grad(1.0_f64, 3.0, 1.0), 2.0);
/// ```
#[inline(always)]
pub fn mse_grad<T: Real>(k: T, p: T, t: T) -> T {
    (p - t) * k
}

/// `k·(p − y) / max(p·(1 − p), 10⁻¹²)` (with `k = g/n`), in `f64`:
/// PyTorch's backward of `binary_cross_entropy`, the counterpart of the
/// forward's clamped logs (finite at `p ∈ {0, 1}`: `−k·10¹²` at `p = 0`,
/// `y = 1`). NaN where the loss is (`p` outside `[0, 1]`, or NaN).
///
/// ```
/// assert_eq!(grad_core::ad::v::el::bce_grad_p(1.0_f64, 0.5, 1.0), -2.0);
/// assert!((grad_core::ad::v::el::bce_grad_p(1.0_f64, 0.0, 1.0) / -1e12 - 1.0).abs() < 1e-15);
/// ```
#[inline(always)]
pub fn bce_grad_p<T: Real>(k: T, p: T, y: T) -> T {
    let (k, p, y) = (k.to_f64(), p.to_f64(), y.to_f64());
    if !(0.0..=1.0).contains(&p) {
        return T::NAN;
    }
    let d = p * (1.0 - p);
    T::from_f64(k * (p - y) / if d < BCE_EPSILON { BCE_EPSILON } else { d })
}

/// `k·(max(ln(1 − p), −100) − max(ln p, −100))` (with `k = g/n`), in
/// `f64`: the exact derivative of the clamped loss in `y`.
///
/// ```
/// assert_eq!(grad_core::ad::v::el::bce_grad_y(1.0_f64, 0.5, 1.0), 0.0);
/// assert_eq!(grad_core::ad::v::el::bce_grad_y(1.0_f64, 0.0, 1.0), 100.0);
/// ```
#[inline(always)]
pub fn bce_grad_y<T: Real>(k: T, p: T, _y: T) -> T {
    let (k, p) = (k.to_f64(), p.to_f64());
    T::from_f64(k * (clamp_ln((-p).ln_1p()) - clamp_ln(p.ln())))
}

/// `k·(σ(z) − y)` (with `k = g/n`), in `f64`.
///
/// ```
/// assert_eq!(grad_core::ad::v::el::bce_logits_grad_z(1.0_f64, 0.0, 1.0), -0.5);
/// ```
#[inline(always)]
pub fn bce_logits_grad_z<T: Real>(k: T, z: T, y: T) -> T {
    T::from_f64(k.to_f64() * (scalar::sigmoid(z.to_f64()) - y.to_f64()))
}

/// `−k·z` (with `k = g/n`).
///
/// ```
/// assert_eq!(grad_core::ad::v::el::bce_logits_grad_y(1.0_f64, 2.0, 1.0), -2.0);
/// ```
#[inline(always)]
pub fn bce_logits_grad_y<T: Real>(k: T, z: T, _y: T) -> T {
    -(k * z)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bce_backward_is_finite_where_the_clamped_loss_is() {
        for p in [0.0, 1.0, 1e-300] {
            for y in [0.0, 1.0, 0.5] {
                assert!(bce_grad_p(1.0, p, y).is_finite(), "p = {p}, y = {y}");
                assert!(bce_grad_y(1.0, p, y).is_finite(), "p = {p}, y = {y}");
            }
        }
        assert!(bce_grad_p(1.0, 1.5, 1.0).is_nan());
        assert!(bce_grad_p(1.0, f64::NAN, 1.0).is_nan());
    }

    #[test]
    fn the_bce_backward_is_the_derivative_inside() {
        let (p, y, h) = (0.3, 0.8, 1e-6);
        let bce = |p: f64, y: f64| crate::binary_cross_entropy([p], [y]);
        let fd = (bce(p + h, y) - bce(p - h, y)) / (2.0 * h);
        assert!((bce_grad_p(1.0, p, y) - fd).abs() < 1e-6);
        let fd = (bce(p, y + h) - bce(p, y - h)) / (2.0 * h);
        assert!((bce_grad_y(1.0, p, y) - fd).abs() < 1e-6);
    }

    #[test]
    fn mse_grad_gives_the_kernels_bits() {
        let (p, t) = ([0.1_f32, 2.0, -3.5], [0.3_f32, -1.0, 7.0]);
        let mut d = [0.0; 3];
        crate::kernels::mse_backward(&p, &t, 0.7, &mut d);
        let k = (0.7_f32 + 0.7) / 3.0;
        for i in 0..3 {
            assert_eq!(mse_grad(k, p[i], t[i]).to_bits(), d[i].to_bits());
        }
    }
}
