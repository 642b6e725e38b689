//! Scalar functions and their derivatives, stable over the whole float range.
//!
//! These are the one-element definitions every kernel and the generated code
//! agree with. Derivatives at non-smooth points follow PyTorch and JAX:
//! `relu′(0) = 0`, `abs′(0) = 0`.

use crate::Real;

/// Logistic sigmoid `σ(x) = 1 / (1 + e^−x)`.
///
/// Stable for every input: for `x ≥ 0` it evaluates `1 / (1 + e^−x)` and for
/// `x < 0` it evaluates `e^x / (1 + e^x)`, so `e^…` never overflows.
///
/// ```
/// assert_eq!(grad_core::scalar::sigmoid(0.0_f64), 0.5);
/// assert_eq!(grad_core::scalar::sigmoid(-1000.0_f64), 0.0);
/// ```
#[inline]
pub fn sigmoid<T: Real>(x: T) -> T {
    if x >= T::ZERO {
        T::ONE / (T::ONE + (-x).exp())
    } else {
        let e = x.exp();
        e / (T::ONE + e)
    }
}

/// `σ′(x)` from the output `y = σ(x)`: `y·(1 − y)`.
///
/// ```
/// assert_eq!(grad_core::scalar::sigmoid_deriv_from_output(0.5_f64), 0.25);
/// ```
#[inline]
pub fn sigmoid_deriv_from_output<T: Real>(y: T) -> T {
    y * (T::ONE - y)
}

/// Hyperbolic tangent.
///
/// ```
/// assert_eq!(grad_core::scalar::tanh(1000.0_f64), 1.0);
/// ```
#[inline]
pub fn tanh<T: Real>(x: T) -> T {
    x.tanh()
}

/// `tanh′(x)` from the output `y = tanh(x)`: `1 − y²`, evaluated as
/// `(1 − y)·(1 + y)` so it keeps full relative accuracy as `|y| → 1`
/// (where `1 − y·y` would cancel).
///
/// ```
/// assert_eq!(grad_core::scalar::tanh_deriv_from_output(0.0_f64), 1.0);
/// assert_eq!(grad_core::scalar::tanh_deriv_from_output(0.5_f64), 0.75);
/// ```
#[inline]
pub fn tanh_deriv_from_output<T: Real>(y: T) -> T {
    (T::ONE - y) * (T::ONE + y)
}

/// Rectified linear unit `max(0, x)`; NaN propagates.
///
/// ```
/// assert_eq!(grad_core::scalar::relu(-2.0_f32), 0.0);
/// assert_eq!(grad_core::scalar::relu(3.0_f32), 3.0);
/// ```
#[inline]
pub fn relu<T: Real>(x: T) -> T {
    if x > T::ZERO || x.is_nan() {
        x
    } else {
        T::ZERO
    }
}

/// `relu′(x)`: 1 for `x > 0`, else 0 (0 at `x = 0`, like PyTorch and JAX).
///
/// ```
/// assert_eq!(grad_core::scalar::relu_deriv(0.0_f64), 0.0);
/// ```
#[inline]
pub fn relu_deriv<T: Real>(x: T) -> T {
    if x > T::ZERO { T::ONE } else { T::ZERO }
}

/// Leaky ReLU: `x` for `x > 0`, else `slope·x`.
///
/// ```
/// assert_eq!(grad_core::scalar::leaky_relu(-2.0_f64, 0.1), -0.2);
/// ```
#[inline]
pub fn leaky_relu<T: Real>(x: T, slope: T) -> T {
    if x > T::ZERO { x } else { slope * x }
}

/// `leaky_relu′(x)`: 1 for `x > 0`, else `slope` (`slope` at 0).
///
/// ```
/// assert_eq!(grad_core::scalar::leaky_relu_deriv(-1.0_f64, 0.1), 0.1);
/// ```
#[inline]
pub fn leaky_relu_deriv<T: Real>(x: T, slope: T) -> T {
    if x > T::ZERO { T::ONE } else { slope }
}

/// Softplus `ln(1 + e^x)`, stable: `max(x, 0) + ln(1 + e^−|x|)`.
///
/// ```
/// assert_eq!(grad_core::scalar::softplus(1000.0_f64), 1000.0);
/// assert_eq!(grad_core::scalar::softplus(-1000.0_f64), 0.0);
/// ```
#[inline]
pub fn softplus<T: Real>(x: T) -> T {
    x.max(T::ZERO) + (-x.abs()).exp().ln_1p()
}

/// `softplus′(x) = σ(x)`.
///
/// ```
/// assert_eq!(grad_core::scalar::softplus_deriv(0.0_f64), 0.5);
/// ```
#[inline]
pub fn softplus_deriv<T: Real>(x: T) -> T {
    sigmoid(x)
}
