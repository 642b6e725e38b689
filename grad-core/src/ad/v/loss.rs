//! Losses (`mse cross_entropy binary_cross_entropy bce_with_logits`, the
//! value ops themselves) and their backwards.

use super::el;
use super::shape::{Out, check};
use crate::{Real, kernels};

/// Mean squared error: [`crate::mse`].
///
/// # Panics
///
/// If the lengths differ: "mse: pred has length 2 but target has length 3".
///
/// ```
/// assert_eq!(grad_core::ad::v::mse(&[1.0_f64, 2.0], &[1.0, 0.0]), 2.0);
/// ```
#[inline]
#[track_caller]
pub fn mse<T: Real>(p: &[T], t: &[T]) -> T {
    crate::mse(p, t)
}

/// The backward of `mse` w.r.t. the prediction, `2 g (pᵢ − tᵢ) / n`, by
/// [`kernels::mse_backward`] (negate it for the target).
///
/// ```
/// let d: Vec<f64> = grad_core::ad::v::mse_backward(&[1.0, 2.0], &[1.0, 0.0], 1.0);
/// assert_eq!(d, vec![0.0, 2.0]);
/// ```
#[inline]
#[track_caller]
pub fn mse_backward<T: Real, O: Out<T>>(p: &[T], t: &[T], g: T) -> O {
    check("mse", p.len(), t.len());
    let mut d = O::zeroed("mse", p.len());
    kernels::mse_backward(p, t, g, d.as_mut());
    d
}

/// Panics, as [`crate::cross_entropy`] does, unless `class` indexes `z`.
#[inline]
#[track_caller]
fn check_class(len: usize, class: usize) {
    assert!(
        class < len,
        "cross_entropy: class = {class} is out of range for {len} classes (logits has length {len})"
    );
}

/// Cross-entropy of one row of logits against a class, `−log_softmax(z)[class]`:
/// [`crate::cross_entropy`].
///
/// # Panics
///
/// If `class >= z.len()`: "cross_entropy: class = 3 is out of range for 3
/// classes (logits has length 3)".
///
/// ```
/// let l = grad_core::ad::v::cross_entropy(&[0.0_f64, 0.0], 1);
/// assert_eq!(l, std::f64::consts::LN_2);
/// ```
#[inline]
#[track_caller]
pub fn cross_entropy<T: Real>(z: &[T], class: usize) -> T {
    check_class(z.len(), class);
    crate::cross_entropy(z, class)
}

/// The backward of `cross_entropy(z, class)`, `g (softmax(z) − onehot(class))`,
/// by [`kernels::cross_entropy_backward`].
///
/// ```
/// let d: Vec<f64> = grad_core::ad::v::cross_entropy_backward(&[0.0, 0.0], 1, 1.0);
/// assert_eq!(d, vec![0.5, -0.5]);
/// ```
#[inline]
#[track_caller]
pub fn cross_entropy_backward<T: Real, O: Out<T>>(z: &[T], class: usize, g: T) -> O {
    check_class(z.len(), class);
    let mut d = O::zeroed("cross_entropy", z.len());
    kernels::cross_entropy_backward(z, z.len(), &[class], g, d.as_mut());
    d
}

/// Binary cross-entropy of probabilities `p` against targets `y`, mean over
/// elements, each log clamped below at −100 like PyTorch:
/// [`crate::binary_cross_entropy`].
///
/// # Panics
///
/// If the lengths differ: "binary_cross_entropy: p has length 2 but y has
/// length 3".
///
/// ```
/// let l = grad_core::ad::v::binary_cross_entropy(&[0.5_f64], &[1.0]);
/// assert_eq!(l, std::f64::consts::LN_2);
/// assert_eq!(grad_core::ad::v::binary_cross_entropy(&[0.0_f32], &[1.0]), 100.0);
/// ```
#[inline]
#[track_caller]
pub fn binary_cross_entropy<T: Real>(p: &[T], y: &[T]) -> T {
    crate::binary_cross_entropy(p, y)
}

/// `[f(k, aᵢ, bᵢ)]` with `k = g/n`, after checking the lengths for `op`.
#[inline]
#[track_caller]
fn per_element<T: Real, O: Out<T>>(
    op: &str,
    a: &[T],
    b: &[T],
    g: T,
    f: impl Fn(T, T, T) -> T,
) -> O {
    check(op, a.len(), b.len());
    let k = g / T::from_usize(a.len());
    O::build(op, a.len(), |i| f(k, a[i], b[i]))
}

/// The backward of `binary_cross_entropy` w.r.t. `p`, PyTorch's
/// `g (pᵢ − yᵢ) / (max(pᵢ (1 − pᵢ), 10⁻¹²) n)` (see [`el::bce_grad_p`]):
/// finite where the clamped loss is.
///
/// ```
/// let d: Vec<f64> = grad_core::ad::v::bce_backward_p(&[0.5, 0.0], &[1.0, 1.0], 1.0);
/// assert_eq!(d[0], -1.0);
/// assert!((d[1] / -0.5e12 - 1.0).abs() < 1e-15);
/// ```
#[inline]
#[track_caller]
pub fn bce_backward_p<T: Real, O: Out<T>>(p: &[T], y: &[T], g: T) -> O {
    per_element("binary_cross_entropy", p, y, g, el::bce_grad_p)
}

/// The backward of `binary_cross_entropy` w.r.t. `y`, with the forward's
/// clamped logs: `g (max(ln(1 − pᵢ), −100) − max(ln pᵢ, −100)) / n`.
///
/// ```
/// let d: Vec<f64> = grad_core::ad::v::bce_backward_y(&[0.5], &[1.0], 1.0);
/// assert_eq!(d, vec![0.0]);
/// ```
#[inline]
#[track_caller]
pub fn bce_backward_y<T: Real, O: Out<T>>(p: &[T], y: &[T], g: T) -> O {
    per_element("binary_cross_entropy", p, y, g, el::bce_grad_y)
}

/// Binary cross-entropy on logits, mean over elements, stable:
/// [`crate::bce_with_logits`].
///
/// # Panics
///
/// If the lengths differ: "bce_with_logits: z has length 2 but y has length 3".
///
/// ```
/// let l = grad_core::ad::v::bce_with_logits(&[0.0_f64], &[1.0]);
/// assert_eq!(l, std::f64::consts::LN_2);
/// ```
#[inline]
#[track_caller]
pub fn bce_with_logits<T: Real>(z: &[T], y: &[T]) -> T {
    crate::bce_with_logits(z, y)
}

/// The backward of `bce_with_logits` w.r.t. `z`: `g (σ(zᵢ) − yᵢ) / n`.
///
/// ```
/// let d: Vec<f64> = grad_core::ad::v::bce_logits_backward_z(&[0.0], &[1.0], 1.0);
/// assert_eq!(d, vec![-0.5]);
/// ```
#[inline]
#[track_caller]
pub fn bce_logits_backward_z<T: Real, O: Out<T>>(z: &[T], y: &[T], g: T) -> O {
    per_element("bce_with_logits", z, y, g, el::bce_logits_grad_z)
}

/// The backward of `bce_with_logits` w.r.t. `y`: `−g zᵢ / n`.
///
/// ```
/// let d: Vec<f64> = grad_core::ad::v::bce_logits_backward_y(&[2.0], &[1.0], 1.0);
/// assert_eq!(d, vec![-2.0]);
/// ```
#[inline]
#[track_caller]
pub fn bce_logits_backward_y<T: Real, O: Out<T>>(z: &[T], y: &[T], g: T) -> O {
    per_element("bce_with_logits", z, y, g, el::bce_logits_grad_y)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::panic::{AssertUnwindSafe, catch_unwind};

    /// The panic message of `f`.
    fn message(f: impl FnOnce()) -> String {
        let err = catch_unwind(AssertUnwindSafe(f)).expect_err("should panic");
        err.downcast_ref::<String>()
            .cloned()
            .or_else(|| err.downcast_ref::<&str>().map(|s| (*s).to_owned()))
            .unwrap_or_default()
    }

    #[test]
    fn length_mismatches_panic_with_the_public_ops_messages() {
        type V = Vec<f64>;
        let (a, b) = ([0.5_f64; 2], [0.5_f64; 3]);
        let public = [
            message(|| _ = crate::mse(a, b)),
            message(|| _ = crate::binary_cross_entropy(a, b)),
            message(|| _ = crate::binary_cross_entropy(a, b)),
            message(|| _ = crate::bce_with_logits(a, b)),
            message(|| _ = crate::bce_with_logits(a, b)),
            message(|| _ = crate::cross_entropy(a, 2)),
            message(|| _ = crate::dot(a, b)),
        ];
        let ours = [
            message(|| _ = mse_backward::<f64, V>(&a, &b, 1.0)),
            message(|| _ = bce_backward_p::<f64, V>(&a, &b, 1.0)),
            message(|| _ = bce_backward_y::<f64, V>(&a, &b, 1.0)),
            message(|| _ = bce_logits_backward_z::<f64, V>(&a, &b, 1.0)),
            message(|| _ = bce_logits_backward_y::<f64, V>(&a, &b, 1.0)),
            message(|| _ = cross_entropy_backward::<f64, V>(&a, 2, 1.0)),
            message(|| check("dot", 2, 3)),
        ];
        assert_eq!(ours, public);
    }

    #[test]
    fn the_bce_backward_is_finite_at_zero_and_one() {
        let d: Vec<f32> = bce_backward_p(&[0.0, 1.0, 0.0, 1.0], &[1.0, 0.0, 0.0, 1.0], 1.0);
        assert!(d.iter().all(|x| x.is_finite()), "{d:?}");
        let d: Vec<f32> = bce_backward_y(&[0.0, 1.0], &[1.0, 0.0], 1.0);
        assert_eq!(d, vec![50.0, -50.0]);
    }
}
