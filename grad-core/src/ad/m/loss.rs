//! Losses over matrices (`mse binary_cross_entropy bce_with_logits` over
//! every element, `cross_entropy` over rows: the value ops themselves) and
//! their backwards. The per-element backwards are those of `ad::v`
//! ([`el`]), with `n = rows·cols`.

use super::shape::same;
use crate::ad::v::el;
use crate::{Matrix, Real, kernels};

/// Mean squared error over every element: [`crate::mse`].
///
/// # Panics
///
/// If the shapes differ: "mse: pred is 2×3 but target is 3×2".
///
/// ```
/// use grad_core::Matrix;
///
/// let (p, t) = (Matrix::from_vec(1, 2, vec![1.0_f64, 2.0]), Matrix::zeros(1, 2));
/// assert_eq!(grad_core::ad::m::mse(&p, &t), 2.5);
/// ```
#[inline]
#[track_caller]
pub fn mse<T: Real>(p: &Matrix<T>, t: &Matrix<T>) -> T {
    crate::mse(p, t)
}

/// The backward of `mse` w.r.t. the prediction, `2 g (pᵢⱼ − tᵢⱼ) / n`, by
/// [`kernels::mse_backward`] (negate it for the target).
///
/// # Panics
///
/// As [`mse`].
///
/// ```
/// use grad_core::Matrix;
///
/// let (p, t) = (Matrix::from_vec(1, 2, vec![1.0_f64, 2.0]), Matrix::zeros(1, 2));
/// assert_eq!(grad_core::ad::m::mse_backward(&p, &t, 1.0).as_slice(), &[1.0, 2.0]);
/// ```
#[inline]
#[track_caller]
pub fn mse_backward<T: Real>(p: &Matrix<T>, t: &Matrix<T>, g: T) -> Matrix<T> {
    same("mse", "pred", p, "target", t);
    let mut d = vec![T::ZERO; p.as_slice().len()];
    kernels::mse_backward(p.as_slice(), t.as_slice(), g, &mut d);
    p.with_data(d)
}

/// `[f(k, aᵢⱼ, bᵢⱼ)]` with `k = g/n`, after checking the shapes for `op`.
#[inline]
#[track_caller]
fn per_element<T: Real>(
    (op, an, bn): (&str, &str, &str),
    a: &Matrix<T>,
    b: &Matrix<T>,
    g: T,
    f: impl Fn(T, T, T) -> T,
) -> Matrix<T> {
    same(op, an, a, bn, b);
    let (x, y) = (a.as_slice(), b.as_slice());
    let k = g / T::from_usize(x.len());
    a.with_data(x.iter().zip(y).map(|(&x, &y)| f(k, x, y)).collect())
}

const BCE: (&str, &str, &str) = ("binary_cross_entropy", "p", "y");
const BCE_LOGITS: (&str, &str, &str) = ("bce_with_logits", "z", "y");

/// Binary cross-entropy over every element, logs clamped at −100:
/// [`crate::binary_cross_entropy`].
///
/// # Panics
///
/// If the shapes differ: "binary_cross_entropy: p is 2×3 but y is 3×2".
///
/// ```
/// let p = grad_core::Matrix::from_vec(1, 2, vec![0.5_f64, 0.5]);
/// assert_eq!(grad_core::ad::m::binary_cross_entropy(&p, &p), std::f64::consts::LN_2);
/// ```
#[inline]
#[track_caller]
pub fn binary_cross_entropy<T: Real>(p: &Matrix<T>, y: &Matrix<T>) -> T {
    crate::binary_cross_entropy(p, y)
}

/// The backward of `binary_cross_entropy` w.r.t. `p`: [`el::bce_grad_p`]
/// with `k = g/n` (PyTorch's, finite where the clamped loss is).
///
/// # Panics
///
/// As [`binary_cross_entropy`].
///
/// ```
/// use grad_core::Matrix;
///
/// let (p, y) = (Matrix::from_vec(1, 2, vec![0.5_f64, 0.5]), Matrix::from_vec(1, 2, vec![1.0, 0.0]));
/// assert_eq!(grad_core::ad::m::bce_backward_p(&p, &y, 1.0).as_slice(), &[-1.0, 1.0]);
/// ```
#[inline]
#[track_caller]
pub fn bce_backward_p<T: Real>(p: &Matrix<T>, y: &Matrix<T>, g: T) -> Matrix<T> {
    per_element(BCE, p, y, g, el::bce_grad_p)
}

/// The backward of `binary_cross_entropy` w.r.t. `y`: [`el::bce_grad_y`]
/// with `k = g/n` (the forward's clamped logs).
///
/// # Panics
///
/// As [`binary_cross_entropy`].
///
/// ```
/// use grad_core::Matrix;
///
/// let (p, y) = (Matrix::from_vec(1, 2, vec![0.5_f64, 0.0]), Matrix::from_vec(1, 2, vec![1.0, 1.0]));
/// assert_eq!(grad_core::ad::m::bce_backward_y(&p, &y, 1.0).as_slice(), &[0.0, 50.0]);
/// ```
#[inline]
#[track_caller]
pub fn bce_backward_y<T: Real>(p: &Matrix<T>, y: &Matrix<T>, g: T) -> Matrix<T> {
    per_element(BCE, p, y, g, el::bce_grad_y)
}

/// Binary cross-entropy on logits over every element, stable:
/// [`crate::bce_with_logits`].
///
/// # Panics
///
/// If the shapes differ: "bce_with_logits: z is 2×3 but y is 3×2".
///
/// ```
/// let z = grad_core::Matrix::<f64>::zeros(2, 1);
/// assert_eq!(grad_core::ad::m::bce_with_logits(&z, &z), std::f64::consts::LN_2);
/// ```
#[inline]
#[track_caller]
pub fn bce_with_logits<T: Real>(z: &Matrix<T>, y: &Matrix<T>) -> T {
    crate::bce_with_logits(z, y)
}

/// The backward of `bce_with_logits` w.r.t. `z`: `g (σ(zᵢⱼ) − yᵢⱼ) / n`
/// ([`el::bce_logits_grad_z`]).
///
/// # Panics
///
/// As [`bce_with_logits`].
///
/// ```
/// use grad_core::Matrix;
///
/// let (z, y) = (Matrix::<f64>::zeros(1, 2), Matrix::from_vec(1, 2, vec![1.0, 0.0]));
/// assert_eq!(grad_core::ad::m::bce_logits_backward_z(&z, &y, 1.0).as_slice(), &[-0.25, 0.25]);
/// ```
#[inline]
#[track_caller]
pub fn bce_logits_backward_z<T: Real>(z: &Matrix<T>, y: &Matrix<T>, g: T) -> Matrix<T> {
    per_element(BCE_LOGITS, z, y, g, el::bce_logits_grad_z)
}

/// The backward of `bce_with_logits` w.r.t. `y`: `−g zᵢⱼ / n`
/// ([`el::bce_logits_grad_y`]).
///
/// # Panics
///
/// As [`bce_with_logits`].
///
/// ```
/// use grad_core::Matrix;
///
/// let (z, y) = (Matrix::from_vec(1, 2, vec![2.0_f64, -4.0]), Matrix::zeros(1, 2));
/// assert_eq!(grad_core::ad::m::bce_logits_backward_y(&z, &y, 1.0).as_slice(), &[-1.0, 2.0]);
/// ```
#[inline]
#[track_caller]
pub fn bce_logits_backward_y<T: Real>(z: &Matrix<T>, y: &Matrix<T>, g: T) -> Matrix<T> {
    per_element(BCE_LOGITS, z, y, g, el::bce_logits_grad_y)
}

/// Panics, as [`crate::cross_entropy`] does on a matrix, unless there is
/// one label per row and each is below `cols`.
#[inline]
#[track_caller]
fn check_labels<T: Real>(z: &Matrix<T>, labels: &[usize]) {
    let (rows, cols) = z.shape();
    crate::values::check_row_labels(rows, cols, labels);
}

/// Cross-entropy of each row of logits against its label, mean over rows
/// (NaN for no rows): [`crate::cross_entropy`] on the matrix.
///
/// # Panics
///
/// If `labels.len() != rows` ("cross_entropy: logits is 2×3 but labels has
/// length 1"), or a label is not below `cols` ("cross_entropy: labels\[1\] =
/// 7 is out of range for 3 classes (logits is 2×3)").
///
/// ```
/// let z = grad_core::Matrix::<f64>::zeros(2, 2);
/// assert_eq!(grad_core::ad::m::cross_entropy(&z, [0, 1]), std::f64::consts::LN_2);
/// ```
#[inline]
#[track_caller]
pub fn cross_entropy<T: Real>(z: &Matrix<T>, labels: impl AsRef<[usize]>) -> T {
    crate::cross_entropy(z, labels.as_ref())
}

/// The backward of `cross_entropy(z, labels)`, `g (softmax(z) − onehot) / rows`
/// row by row, fused, by [`kernels::cross_entropy_backward`].
///
/// # Panics
///
/// As [`cross_entropy`].
///
/// ```
/// let z = grad_core::Matrix::<f64>::zeros(2, 2);
/// let d = grad_core::ad::m::cross_entropy_backward(&z, vec![0, 1], 1.0);
/// assert_eq!(d.as_slice(), &[-0.25, 0.25, 0.25, -0.25]);
/// ```
#[inline]
#[track_caller]
pub fn cross_entropy_backward<T: Real>(
    z: &Matrix<T>,
    labels: impl AsRef<[usize]>,
    g: T,
) -> Matrix<T> {
    let labels = labels.as_ref();
    check_labels(z, labels);
    let mut d = vec![T::ZERO; z.as_slice().len()];
    kernels::cross_entropy_backward(z.as_slice(), z.cols(), labels, g, &mut d);
    z.with_data(d)
}
