//! Scalar derivative helpers the generated code uses besides those of
//! [`crate::scalar`] (`sigmoid_deriv_from_output`, `relu_deriv`, ...).
//! Conventions at non-smooth points follow PyTorch and JAX.

use crate::Real;

/// `(σ(x), 1 − σ(x))` from one `exp`, with `σ(x)` bit-identical to
/// [`crate::scalar::sigmoid`] and `1 − σ(x)` accurate also where `σ(x)`
/// rounds to 1 (`σ′ = y·(1 − y)` then keeps its relative accuracy:
/// `σ′(100) ≈ 3.7e−44`).
///
/// ```
/// let (y, c) = grad_core::ad::sigmoid_with_complement(100.0_f64);
/// assert_eq!(y, 1.0);
/// assert!((y * c / (-100.0_f64).exp() - 1.0).abs() < 1e-12);
/// assert_eq!(grad_core::ad::sigmoid_with_complement(-1.5_f64).0, grad_core::ad::sigmoid(-1.5_f64));
/// ```
#[inline]
pub fn sigmoid_with_complement<T: Real>(x: T) -> (T, T) {
    if x >= T::ZERO {
        // σ = 1/(1 + e), 1 − σ = e/(1 + e) = e·σ   (e = e^−x ≤ 1)
        let e = (-x).exp();
        let y = T::ONE / (T::ONE + e);
        (y, e * y)
    } else {
        // σ = e/(1 + e) < 1/2, so 1 − σ loses nothing   (e = e^x < 1)
        let e = x.exp();
        let y = e / (T::ONE + e);
        (y, T::ONE - y)
    }
}

/// `d|x|/dx`: the sign of `x`, and `0` at `x = 0` (like PyTorch and JAX).
///
/// ```
/// assert_eq!(grad_core::ad::abs_deriv(-2.0_f64), -1.0);
/// assert_eq!(grad_core::ad::abs_deriv(0.0_f64), 0.0);
/// ```
#[inline]
pub fn abs_deriv<T: Real>(x: T) -> T {
    if x > T::ZERO {
        T::ONE
    } else if x < T::ZERO {
        -T::ONE
    } else {
        T::ZERO
    }
}

/// `∂max(a, b)/∂a`: `1` if `a ≥ b`, else `0` (a tie goes to the first argument).
/// The derivative follows the value returned: `max(a, NaN) = a`, so it goes to `a`.
///
/// ```
/// assert_eq!(grad_core::ad::max_deriv_first(1.0_f64, 1.0), 1.0);
/// ```
#[inline]
pub fn max_deriv_first<T: Real>(a: T, b: T) -> T {
    if a >= b || b.is_nan() {
        T::ONE
    } else {
        T::ZERO
    }
}

/// `∂max(a, b)/∂b`: `1 − ∂max(a, b)/∂a`.
///
/// ```
/// assert_eq!(grad_core::ad::max_deriv_second(1.0_f64, 1.0), 0.0);
/// ```
#[inline]
pub fn max_deriv_second<T: Real>(a: T, b: T) -> T {
    if a >= b || b.is_nan() {
        T::ZERO
    } else {
        T::ONE
    }
}

/// `∂min(a, b)/∂a`: `1` if `a ≤ b`, else `0` (a tie goes to the first argument).
/// The derivative follows the value returned: `min(a, NaN) = a`, so it goes to `a`.
///
/// ```
/// assert_eq!(grad_core::ad::min_deriv_first(1.0_f64, 1.0), 1.0);
/// ```
#[inline]
pub fn min_deriv_first<T: Real>(a: T, b: T) -> T {
    if a <= b || b.is_nan() {
        T::ONE
    } else {
        T::ZERO
    }
}

/// `∂min(a, b)/∂b`: `1 − ∂min(a, b)/∂a`.
///
/// ```
/// assert_eq!(grad_core::ad::min_deriv_second(1.0_f64, 1.0), 0.0);
/// ```
#[inline]
pub fn min_deriv_second<T: Real>(a: T, b: T) -> T {
    if a <= b || b.is_nan() {
        T::ZERO
    } else {
        T::ONE
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scalar;

    #[test]
    fn sigmoid_with_complement_gives_the_bits_of_sigmoid() {
        for x in [-1000.0, -20.0, -1.5, -0.0, 0.0, 0.3, 17.0, 100.0, f64::NAN] {
            let (y, _) = sigmoid_with_complement(x);
            assert_eq!(y.to_bits(), scalar::sigmoid(x).to_bits(), "x = {x}");
            let (y, _) = sigmoid_with_complement(x as f32);
            assert_eq!(y.to_bits(), scalar::sigmoid(x as f32).to_bits(), "x = {x}");
        }
    }

    #[test]
    fn max_and_min_derivatives_follow_the_value_returned() {
        assert_eq!(max_deriv_first(1.0, f64::NAN), 1.0);
        assert_eq!(max_deriv_second(1.0, f64::NAN), 0.0);
        assert_eq!(min_deriv_first(1.0, f64::NAN), 1.0);
        assert_eq!(max_deriv_first(1.0, 2.0), 0.0);
        assert_eq!(min_deriv_second(3.0, 2.0), 1.0);
    }
}
