//! `matvec` and its backward: `y = W·x` with `W` row-major,
//! `w.len() / x.len()` rows.

use super::shape::Out;
use crate::{Real, kernels};

/// The number of rows of `w` for an `x` of length `cols`, with
/// [`crate::matvec`]'s panics.
#[inline]
#[track_caller]
fn rows(w: usize, cols: usize) -> usize {
    assert!(
        cols != 0,
        "matvec: x has length 0, so w (length {w}) has no defined row count"
    );
    assert!(
        w.is_multiple_of(cols),
        "matvec: w has length {w}, which is not a multiple of x's length {cols}"
    );
    w / cols
}

/// `W·x` by [`kernels::matvec`]: the bits of [`crate::matvec`].
///
/// # Panics
///
/// As [`crate::matvec`]: if `x` is empty or `w.len()` is not a multiple of
/// `x.len()` ("matvec: w has length 7, which is not a multiple of x's
/// length 3").
///
/// ```
/// let y: Vec<f64> = grad_core::ad::v::matvec(&[1.0, 0.0, 0.0, 2.0], &[3.0, 4.0]);
/// assert_eq!(y, vec![3.0, 8.0]);
/// ```
#[inline]
#[track_caller]
pub fn matvec<T: Real, O: Out<T>>(w: &[T], x: &[T]) -> O {
    let m = rows(w.len(), x.len());
    let mut out = O::zeroed("matvec", m);
    kernels::matvec(w, x, out.as_mut());
    out
}

/// `∂L/∂W = g·xᵀ` (row-major, `g.len()` rows): row `r` is `g_r·x`, the
/// bits of [`kernels::matvec_backward`]'s `dw` (one rounded product each).
///
/// ```
/// let dw: Vec<f64> = grad_core::ad::v::matvec_backward_w(&[1.0, 2.0], &[3.0]);
/// assert_eq!(dw, vec![3.0, 6.0]);
/// ```
#[inline]
#[track_caller]
pub fn matvec_backward_w<T: Real, O: Out<T>>(g: &[T], x: &[T]) -> O {
    O::outer("matvec", g, x)
}

/// `∂L/∂x = Wᵀ·g`, accumulated row by row (`dx += g_r·w_r`, unfused) as
/// [`kernels::matvec_backward`] does, so its bits.
///
/// # Panics
///
/// If `g` is empty or `w.len()` is not a multiple of `g.len()`.
///
/// ```
/// let dx: Vec<f64> = grad_core::ad::v::matvec_backward_x(&[1.0, 2.0, 3.0, 4.0], &[1.0, 1.0]);
/// assert_eq!(dx, vec![4.0, 6.0]);
/// ```
#[inline]
#[track_caller]
pub fn matvec_backward_x<T: Real, O: Out<T>>(w: &[T], g: &[T]) -> O {
    let m = g.len();
    assert!(
        m != 0 && w.len().is_multiple_of(m),
        "matvec: w has length {}, which is not a multiple of the output's length {m}",
        w.len()
    );
    let mut dx = O::zeroed("matvec", w.len() / m);
    let d = dx.as_mut();
    if !d.is_empty() {
        for (row, &gr) in w.chunks_exact(d.len()).zip(g) {
            for (dc, &wc) in d.iter_mut().zip(row) {
                *dc += gr * wc;
            }
        }
    }
    dx
}

/// Both backwards of `y = W·x` in one pass, by [`kernels::matvec_backward`]:
/// `(∂L/∂W, ∂L/∂x)`.
///
/// # Panics
///
/// As [`matvec`], for `w` and `x`; if `g` does not have one element per row.
///
/// ```
/// let (dw, dx): (Vec<f64>, Vec<f64>) =
///     grad_core::ad::v::matvec_backward(&[1.0, 2.0, 3.0, 4.0], &[5.0, 6.0], &[1.0, 10.0]);
/// assert_eq!(dw, vec![5.0, 6.0, 50.0, 60.0]);
/// assert_eq!(dx, vec![31.0, 42.0]);
/// ```
#[inline]
#[track_caller]
pub fn matvec_backward<T: Real, W: Out<T>, X: Out<T>>(w: &[T], x: &[T], g: &[T]) -> (W, X) {
    let m = rows(w.len(), x.len());
    super::shape::check("matvec", m, g.len());
    let (mut dw, mut dx) = (W::zeroed("matvec", w.len()), X::zeroed("matvec", x.len()));
    kernels::matvec_backward(w, x, g, dw.as_mut(), dx.as_mut());
    (dw, dx)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bits<T: Real>(v: &[T]) -> Vec<T::Bits> {
        v.iter().map(|x| x.to_bits()).collect()
    }

    fn case<T: Real>(rows_: usize, cols: usize) {
        let w: Vec<T> = (0..rows_ * cols)
            .map(|i| T::from_f64(((i * 37 % 101) as f64 - 50.0) / 7.0))
            .collect();
        let x: Vec<T> = (0..cols)
            .map(|i| T::from_f64(1.0 / (i as f64 + 0.3)))
            .collect();
        let g: Vec<T> = (0..rows_)
            .map(|i| T::from_f64((i as f64 - 2.5) * 0.9))
            .collect();
        let y: Vec<T> = matvec(&w, &x);
        assert_eq!(bits(&y), bits(&crate::matvec(&w, &x)));
        let (mut dw, mut dx) = (vec![T::ZERO; w.len()], vec![T::ZERO; cols]);
        kernels::matvec_backward(&w, &x, &g, &mut dw, &mut dx);
        let (dw2, dx2): (Vec<T>, Vec<T>) = matvec_backward(&w, &x, &g);
        assert_eq!(bits(&matvec_backward_w::<T, Vec<T>>(&g, &x)), bits(&dw));
        assert_eq!(bits(&matvec_backward_x::<T, Vec<T>>(&w, &g)), bits(&dx));
        assert_eq!((bits(&dw2), bits(&dx2)), (bits(&dw), bits(&dx)));
    }

    #[test]
    fn forward_and_backwards_give_the_kernels_bits() {
        for (r, c) in [(1, 1), (3, 2), (5, 33), (17, 70), (64, 9)] {
            case::<f32>(r, c);
            case::<f64>(r, c);
        }
    }

    #[test]
    #[should_panic(expected = "matvec: w has length 7, which is not a multiple of x's length 3")]
    fn a_length_that_does_not_divide_panics_like_the_public_matvec() {
        let _: Vec<f64> = matvec(&[0.5; 7], &[1.0; 3]);
    }
}
