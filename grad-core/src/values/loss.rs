//! Losses: `mse cross_entropy binary_cross_entropy bce_with_logits`, each the
//! mean (over elements, or over rows for `cross_entropy` of a matrix) like
//! PyTorch's `reduction="mean"`. Each takes vectors or matrices ([`Operand`]).

use super::check::sum_f64;
use super::operand::{Labels, Operand, Shape, same_shape};
use crate::{Real, kernels};

/// Mean squared error `Σ(predᵢ − targetᵢ)² / n` over every element of two
/// vectors or two matrices (PyTorch `F.mse_loss`).
///
/// # Panics
///
/// If `pred` and `target` have different shapes (the message names `mse` and
/// both shapes: "mse: pred is 2×3 but target is 3×2"). The mse of two empty
/// vectors is NaN (as PyTorch).
///
/// ```
/// use grad_core::Matrix;
///
/// assert_eq!(grad_core::mse([1.0_f64, 2.0], [1.0, 4.0]), 2.0);
/// assert!(grad_core::mse(Vec::<f32>::new(), Vec::new()).is_nan());
/// let (a, b) = (Matrix::from_vec(1, 2, vec![1.0_f64, 2.0]), Matrix::zeros(1, 2));
/// assert_eq!(grad_core::mse(&a, &b), 2.5);
/// ```
#[track_caller]
pub fn mse<T: Real>(pred: impl Operand<T>, target: impl Operand<T>) -> T {
    same_shape("mse", "pred", pred.shape(), "target", target.shape());
    let (p, t) = (pred.elems(), target.elems());
    T::from_f64(
        sum_f64(p.len(), |i| {
            let d = p[i].to_f64() - t[i].to_f64();
            d * d
        }) / p.len() as f64,
    )
}

/// Cross-entropy of logits against class labels (PyTorch `F.cross_entropy`,
/// reduction `mean`): for a vector of logits and one `class: usize`,
/// `−log_softmax(logits)[class]`; for a matrix, one label per row
/// (`&[usize]`, `Vec<usize>`, an array) and the mean over rows.
///
/// Computed by [`kernels::cross_entropy`] as `ln Σⱼ e^(logitsⱼ − m) − (logits[class] − m)`
/// with `m` the row's maximum, so it is finite for any finite logits, e.g.
/// `[1000, 0, −1000]`. A matrix with no rows gives NaN (as PyTorch).
///
/// # Panics
///
/// For a vector, if `class >= logits.len()` (the message names
/// `cross_entropy`, the class and the length; in particular for empty
/// logits) or if more than one label is given. For a matrix, if the number of
/// labels is not the number of rows, or a label is not below `cols` (the
/// message names the row and the label: "cross_entropy: labels\[1\] = 7 is
/// out of range for 3 classes (logits is 2×3)").
///
/// ```
/// let l = grad_core::cross_entropy([0.0_f64, 0.0], 1);
/// assert_eq!(l, std::f64::consts::LN_2);
/// assert_eq!(grad_core::cross_entropy([1000.0_f32, 0.0, -1000.0], 2), 2000.0);
/// let m = grad_core::Matrix::from_vec(2, 2, vec![0.0_f64, 0.0, 0.0, 0.0]);
/// assert_eq!(grad_core::cross_entropy(&m, &[0, 1]), std::f64::consts::LN_2);
/// ```
#[track_caller]
pub fn cross_entropy<T: Real>(logits: impl Operand<T>, labels: impl Labels) -> T {
    let (x, labels) = (logits.elems(), labels.labels());
    match logits.shape() {
        Shape::Vector(len) => {
            assert!(
                labels.len() == 1,
                "cross_entropy: logits has length {len} (one row) but {} labels were given",
                labels.len()
            );
            let class = labels[0];
            assert!(
                class < len,
                "cross_entropy: class = {class} is out of range for {len} classes (logits has length {len})"
            );
            kernels::cross_entropy(x, len, labels)
        }
        Shape::Matrix(rows, cols) => {
            check_row_labels(rows, cols, labels);
            kernels::cross_entropy(x, cols, labels)
        }
    }
}

/// Panics, naming `cross_entropy`, unless a `rows × cols` batch of logits
/// has one label per row and each is below `cols`.
#[track_caller]
pub(crate) fn check_row_labels(rows: usize, cols: usize, labels: &[usize]) {
    assert!(
        labels.len() == rows,
        "cross_entropy: logits is {rows}×{cols} but labels has length {}",
        labels.len()
    );
    for (i, &label) in labels.iter().enumerate() {
        assert!(
            label < cols,
            "cross_entropy: labels[{i}] = {label} is out of range for {cols} classes (logits is {rows}×{cols})"
        );
    }
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
/// If `p` and `y` have different shapes (the message names
/// `binary_cross_entropy` and both lengths or shapes).
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
/// let p = grad_core::Matrix::from_vec(1, 2, vec![0.5_f64, 0.5]);
/// assert_eq!(grad_core::binary_cross_entropy(&p, &p), std::f64::consts::LN_2);
/// ```
#[track_caller]
pub fn binary_cross_entropy<T: Real>(p: impl Operand<T>, y: impl Operand<T>) -> T {
    same_shape("binary_cross_entropy", "p", p.shape(), "y", y.shape());
    let (p, y) = (p.elems(), y.elems());
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
/// If `z` and `y` have different shapes (the message names
/// `bce_with_logits` and both lengths or shapes). Empty vectors give NaN.
///
/// ```
/// let l = grad_core::bce_with_logits([0.0_f64, 0.0], [1.0, 0.0]);
/// assert_eq!(l, std::f64::consts::LN_2);
/// assert_eq!(grad_core::bce_with_logits([-1000.0_f32, 1000.0], [1.0, 1.0]), 500.0);
/// let z = grad_core::Matrix::<f64>::zeros(2, 1);
/// assert_eq!(grad_core::bce_with_logits(&z, &z), std::f64::consts::LN_2);
/// ```
#[track_caller]
pub fn bce_with_logits<T: Real>(z: impl Operand<T>, y: impl Operand<T>) -> T {
    same_shape("bce_with_logits", "z", z.shape(), "y", y.shape());
    let (z, y) = (z.elems(), y.elems());
    let total = sum_f64(z.len(), |i| {
        let (zi, yi) = (z[i].to_f64(), y[i].to_f64());
        zi.max(0.0) - zi * yi + (-zi.abs()).exp().ln_1p()
    });
    T::from_f64(total / z.len() as f64)
}
