//! [`AccumulateOuter`]: the outer product `g·xᵀ` added to a weight's
//! adjoint, the backward of `matvec(w, x)` in `w`.

use crate::{Matrix, Real};

/// A weight's adjoint (row-major: a flat `Vec` or a `Matrix`) that the
/// outer product `g·xᵀ` is added to: the backward of `matvec(w, x)` in `w`,
/// accumulated over a loop without a new matrix per iteration. An owned
/// buffer is updated in place; a borrowed one is copied first. Panics
/// unless it has `g.len()·x.len()` elements.
///
/// ```
/// use grad_core::ad::accumulate_outer;
///
/// let w = accumulate_outer(vec![0.0_f64; 4], &[1.0, 2.0], &[3.0, 4.0]);
/// assert_eq!(w, vec![3.0, 4.0, 6.0, 8.0]);
/// ```
pub trait AccumulateOuter<T> {
    /// The adjoint's owned type.
    type Output;
    /// `self += g·xᵀ`.
    #[track_caller]
    fn accumulate_outer(self, g: &[T], x: &[T]) -> Self::Output;
}

/// `acc[r·cols + c] += g[r]·x[c]`, checking the sizes.
#[inline]
#[track_caller]
fn add_outer<T: Real>(acc: &mut [T], g: &[T], x: &[T]) {
    assert!(
        acc.len() == g.len() * x.len(),
        "matvec: the weight's gradient has {} elements but the product g·xᵀ has {}×{}",
        acc.len(),
        g.len(),
        x.len()
    );
    if x.is_empty() {
        return;
    }
    for (row, &gr) in acc.chunks_exact_mut(x.len()).zip(g) {
        for (a, &xc) in row.iter_mut().zip(x) {
            *a += gr * xc;
        }
    }
}

impl<T: Real> AccumulateOuter<T> for Vec<T> {
    type Output = Vec<T>;
    #[inline]
    fn accumulate_outer(mut self, g: &[T], x: &[T]) -> Vec<T> {
        add_outer(&mut self, g, x);
        self
    }
}

impl<T: Real> AccumulateOuter<T> for &[T] {
    type Output = Vec<T>;
    #[inline]
    fn accumulate_outer(self, g: &[T], x: &[T]) -> Vec<T> {
        self.to_vec().accumulate_outer(g, x)
    }
}

impl<T: Real> AccumulateOuter<T> for Matrix<T> {
    type Output = Matrix<T>;
    #[inline]
    fn accumulate_outer(mut self, g: &[T], x: &[T]) -> Matrix<T> {
        add_outer(self.as_mut_slice(), g, x);
        self
    }
}

impl<T: Real> AccumulateOuter<T> for &Matrix<T> {
    type Output = Matrix<T>;
    #[inline]
    fn accumulate_outer(self, g: &[T], x: &[T]) -> Matrix<T> {
        self.clone().accumulate_outer(g, x)
    }
}

/// [`AccumulateOuter::accumulate_outer`] as a fn.
#[inline]
#[track_caller]
pub fn accumulate_outer<A: AccumulateOuter<T>, T>(acc: A, g: &[T], x: &[T]) -> A::Output {
    acc.accumulate_outer(g, x)
}
