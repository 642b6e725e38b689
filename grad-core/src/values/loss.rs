//! Losses: `mse cross_entropy binary_cross_entropy bce_with_logits`, each the
//! mean over elements like PyTorch's `reduction="mean"`.

use super::check::{same_len, sum_f64};
use crate::{Real, kernels};

/// Mean squared error `Σ(predᵢ − targetᵢ)² / n` (PyTorch `F.mse_loss`), by
/// the SIMD kernel [`kernels::mse`].
///
/// # Panics
///
/// If `pred` and `target` have different lengths (the message names `mse` and
/// both lengths). The mse of two empty vectors is NaN (as PyTorch).
///
/// ```
/// assert_eq!(grad_core::mse([1.0_f64, 2.0], [1.0, 4.0]), 2.0);
/// assert!(grad_core::mse(Vec::<f32>::new(), Vec::new()).is_nan());
/// ```
#[track_caller]
pub fn mse<T: Real>(pred: impl AsRef<[T]>, target: impl AsRef<[T]>) -> T {
    let (p, t) = (pred.as_ref(), target.as_ref());
    same_len("mse", "pred", p.len(), "target", t.len());
    T::from_f64(
        sum_f64(p.len(), |i| {
            let d = p[i].to_f64() - t[i].to_f64();
            d * d
        }) / p.len() as f64,
    )
}

/// Cross-entropy of one row of logits against a class index:
/// `−log_softmax(logits)[class]` (PyTorch `F.cross_entropy` for one row).
///
/// Computed by [`kernels::cross_entropy`] as `ln Σⱼ e^(logitsⱼ − m) − (logits[class] − m)`
/// with `m` the maximum, so it is finite for any finite logits, e.g.
/// `[1000, 0, −1000]`.
///
/// # Panics
///
/// If `class >= logits.len()` (the message names `cross_entropy`, the class
/// and the length); in particular for empty logits.
///
/// ```
/// let l = grad_core::cross_entropy([0.0_f64, 0.0], 1);
/// assert_eq!(l, std::f64::consts::LN_2);
/// assert_eq!(grad_core::cross_entropy([1000.0_f32, 0.0, -1000.0], 2), 2000.0);
/// ```
#[track_caller]
pub fn cross_entropy<T: Real>(logits: impl AsRef<[T]>, class: usize) -> T {
    let x = logits.as_ref();
    assert!(
        class < x.len(),
        "cross_entropy: class = {class} is out of range for {} classes (logits has length {})",
        x.len(),
        x.len()
    );
    kernels::cross_entropy(x, x.len(), &[class])
}

/// A natural log clamped below at −100, as PyTorch's `binary_cross_entropy`
/// does so that `p = 0` or `p = 1` gives a finite loss. NaN stays NaN.
pub(crate) fn clamp_ln(l: f64) -> f64 {
    if l < -100.0 { -100.0 } else { l }
}

/// Binary cross-entropy of probabilities `p` against targets `y`:
/// `−mean(yᵢ·ln pᵢ + (1 − yᵢ)·ln(1 − pᵢ))` (PyTorch `F.binary_cross_entropy`).
///
/// Like PyTorch, each logarithm is clamped below at −100, so `p` of exactly 0
/// or 1 gives a finite loss (at most 100 per element) instead of `∞`. The
/// logarithms are evaluated in f64 (`ln(1 − p)` as `ln_1p(−p)`).
///
/// # Panics
///
/// If `p` and `y` have different lengths (the message names
/// `binary_cross_entropy` and both lengths).
///
/// # Errors
///
/// Never panics otherwise: empty vectors give NaN (the mean of nothing), and
/// a `p` outside `[0, 1]` gives NaN (PyTorch raises an error there).
///
/// ```
/// let l = grad_core::binary_cross_entropy([0.5_f64, 0.5], [1.0, 0.0]);
/// assert_eq!(l, std::f64::consts::LN_2);
/// assert_eq!(grad_core::binary_cross_entropy([0.0_f32], [1.0]), 100.0);
/// ```
#[track_caller]
pub fn binary_cross_entropy<T: Real>(p: impl AsRef<[T]>, y: impl AsRef<[T]>) -> T {
    let (p, y) = (p.as_ref(), y.as_ref());
    same_len("binary_cross_entropy", "p", p.len(), "y", y.len());
    let total = sum_f64(p.len(), |i| {
        let (pi, yi) = (p[i].to_f64(), y[i].to_f64());
        -(yi * clamp_ln(pi.ln()) + (1.0 - yi) * clamp_ln((-pi).ln_1p()))
    });
    T::from_f64(total / p.len() as f64)
}

/// Binary cross-entropy of logits `z` against targets `y`, the numerically
/// stable fusion of sigmoid and [`binary_cross_entropy`]
/// (PyTorch `F.binary_cross_entropy_with_logits`):
/// `mean(max(zᵢ, 0) − zᵢ·yᵢ + ln(1 + e^−|zᵢ|))`.
///
/// The exponent `−|z|` is never positive, so the result is finite for every
/// finite `z` (no clamping needed); it is evaluated in f64.
///
/// # Panics
///
/// If `z` and `y` have different lengths (the message names
/// `bce_with_logits` and both lengths). Empty vectors give NaN.
///
/// ```
/// let l = grad_core::bce_with_logits([0.0_f64, 0.0], [1.0, 0.0]);
/// assert_eq!(l, std::f64::consts::LN_2);
/// assert_eq!(grad_core::bce_with_logits([-1000.0_f32, 1000.0], [1.0, 1.0]), 500.0);
/// ```
#[track_caller]
pub fn bce_with_logits<T: Real>(z: impl AsRef<[T]>, y: impl AsRef<[T]>) -> T {
    let (z, y) = (z.as_ref(), y.as_ref());
    same_len("bce_with_logits", "z", z.len(), "y", y.len());
    let total = sum_f64(z.len(), |i| {
        let (zi, yi) = (z[i].to_f64(), y[i].to_f64());
        zi.max(0.0) - zi * yi + (-zi.abs()).exp().ln_1p()
    });
    T::from_f64(total / z.len() as f64)
}
