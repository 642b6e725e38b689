//! `softmax` and `log_softmax` along a whole vector, and their backwards,
//! by the kernels the public ops run.

use super::shape::{Out, check};
use crate::{Real, kernels};

/// Softmax along the whole vector by [`kernels::softmax`]: the bits of
/// [`crate::softmax`].
///
/// ```
/// let p: [f64; 2] = grad_core::ad::v::softmax(&[1.0, 1.0]);
/// assert_eq!(p, [0.5, 0.5]);
/// ```
#[inline]
#[track_caller]
pub fn softmax<T: Real, O: Out<T>>(x: &[T]) -> O {
    let mut out = O::zeroed("softmax", x.len());
    kernels::softmax(x, out.as_mut());
    out
}

/// `ln softmax(x)` along the whole vector by [`kernels::log_softmax`]: the
/// bits of [`crate::log_softmax`].
///
/// ```
/// let l: Vec<f64> = grad_core::ad::v::log_softmax(&[0.0, 0.0]);
/// assert_eq!(l, vec![-std::f64::consts::LN_2; 2]);
/// ```
#[inline]
#[track_caller]
pub fn log_softmax<T: Real, O: Out<T>>(x: &[T]) -> O {
    let mut out = O::zeroed("log_softmax", x.len());
    kernels::log_softmax(x, out.as_mut());
    out
}

/// The backward of `y = softmax(x)`, `yᵢ (gᵢ − Σ gⱼ yⱼ)`, by
/// [`kernels::softmax_backward`].
///
/// ```
/// let d: Vec<f64> = grad_core::ad::v::softmax_backward(&[0.5, 0.5], &[1.0, 1.0]);
/// assert_eq!(d, vec![0.0, 0.0]);
/// ```
#[inline]
#[track_caller]
pub fn softmax_backward<T: Real, O: Out<T>>(y: &[T], g: &[T]) -> O {
    check("softmax_backward", y.len(), g.len());
    let mut dx = O::zeroed("softmax", y.len());
    kernels::softmax_backward(y, g, dx.as_mut());
    dx
}

/// The backward of `y = log_softmax(x)`, `gᵢ − e^(yᵢ) Σ gⱼ`, by
/// [`kernels::log_softmax_backward`].
///
/// ```
/// let d: Vec<f64> = grad_core::ad::v::log_softmax_backward(&[0.5_f64.ln(), 0.5_f64.ln()], &[1.0, 0.0]);
/// assert!((d[0] - 0.5).abs() < 1e-15 && (d[1] + 0.5).abs() < 1e-15);
/// ```
#[inline]
#[track_caller]
pub fn log_softmax_backward<T: Real, O: Out<T>>(y: &[T], g: &[T]) -> O {
    check("log_softmax_backward", y.len(), g.len());
    let mut dx = O::zeroed("log_softmax", y.len());
    kernels::log_softmax_backward(y, g, dx.as_mut());
    dx
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_and_long_rows_give_the_public_ops_bits() {
        for n in [1, 3, 31, 32, 33, 100] {
            let x: Vec<f32> = (0..n).map(|i| (i as f32 * 0.77).sin() * 30.0).collect();
            let (p, l): (Vec<f32>, Vec<f32>) = (softmax(&x), log_softmax(&x));
            let bits = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(&p), bits(&crate::softmax(&x)), "n = {n}");
            assert_eq!(bits(&l), bits(&crate::log_softmax(&x)), "n = {n}");
        }
    }
}
