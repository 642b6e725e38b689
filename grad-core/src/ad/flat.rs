//! Values seen as flat lists of floats, for `f_hessian`: how many floats a
//! parameter holds, the unit direction along one of them, and a gradient
//! written into a row of the Hessian. Parameters are flattened in order:
//! a float is one entry, a vector its elements, a matrix its elements row by
//! row.
//!
//! ```
//! use grad_core::ad::{Flat, symmetric};
//!
//! let w = vec![1.0_f64, 2.0, 3.0];
//! assert_eq!(w.flat_len(), 3);
//! assert_eq!(w.direction(Some(1)), vec![0.0, 1.0, 0.0]);
//! let h = symmetric(2, vec![1.0_f64, 2.0, 4.0, 3.0]);
//! assert_eq!(h[(0, 1)], h[(1, 0)]);
//! ```

use crate::{Matrix, Real};

/// A parameter flattened into floats.
pub trait Flat<T: Real> {
    /// The type of a direction of the same shape.
    type Owned;
    /// How many floats `self` holds.
    fn flat_len(&self) -> usize;
    /// The direction of `self`'s shape that is 1 at flat index `k` and 0
    /// elsewhere (`Some(k)`), or 0 everywhere (`None`).
    fn direction(&self, at: Option<usize>) -> Self::Owned;
    /// Writes `self`'s floats, in order, to the start of `out`; returns how many.
    fn write_flat(&self, out: &mut [T]) -> usize;
}

impl<T: Real> Flat<T> for T {
    type Owned = T;
    #[inline]
    fn flat_len(&self) -> usize {
        1
    }
    #[inline]
    fn direction(&self, at: Option<usize>) -> T {
        if at.is_some() { T::ONE } else { T::ZERO }
    }
    #[inline]
    fn write_flat(&self, out: &mut [T]) -> usize {
        out[0] = *self;
        1
    }
}

/// `len` zeros, with a 1 at `at`.
fn unit_vec<T: Real>(len: usize, at: Option<usize>) -> Vec<T> {
    let mut v = vec![T::ZERO; len];
    if let Some(k) = at {
        v[k] = T::ONE;
    }
    v
}

impl<T: Real> Flat<T> for [T] {
    type Owned = Vec<T>;
    fn flat_len(&self) -> usize {
        self.len()
    }
    fn direction(&self, at: Option<usize>) -> Vec<T> {
        unit_vec(self.len(), at)
    }
    fn write_flat(&self, out: &mut [T]) -> usize {
        out[..self.len()].copy_from_slice(self);
        self.len()
    }
}

impl<T: Real> Flat<T> for Vec<T> {
    type Owned = Vec<T>;
    fn flat_len(&self) -> usize {
        self.len()
    }
    fn direction(&self, at: Option<usize>) -> Vec<T> {
        unit_vec(self.len(), at)
    }
    fn write_flat(&self, out: &mut [T]) -> usize {
        self.as_slice().write_flat(out)
    }
}

impl<T: Real, const N: usize> Flat<T> for [T; N] {
    type Owned = [T; N];
    fn flat_len(&self) -> usize {
        N
    }
    fn direction(&self, at: Option<usize>) -> [T; N] {
        let mut v = [T::ZERO; N];
        if let Some(k) = at {
            v[k] = T::ONE;
        }
        v
    }
    fn write_flat(&self, out: &mut [T]) -> usize {
        self.as_slice().write_flat(out)
    }
}

impl<T: Real> Flat<T> for Matrix<T> {
    type Owned = Matrix<T>;
    fn flat_len(&self) -> usize {
        self.rows() * self.cols()
    }
    fn direction(&self, at: Option<usize>) -> Matrix<T> {
        Matrix::from_vec(self.rows(), self.cols(), unit_vec(self.flat_len(), at))
    }
    fn write_flat(&self, out: &mut [T]) -> usize {
        self.as_slice().write_flat(out)
    }
}

/// A borrowed container is flattened like the container (one impl per
/// container: a blanket impl over `&A` would overlap the one for every `T: Real`).
macro_rules! by_ref {
    ($([$($gen:tt)*] $a:ty),*) => {$(
        impl<T: Real $($gen)*> Flat<T> for &$a {
            type Owned = <$a as Flat<T>>::Owned;
            fn flat_len(&self) -> usize {
                (**self).flat_len()
            }
            fn direction(&self, at: Option<usize>) -> Self::Owned {
                (**self).direction(at)
            }
            fn write_flat(&self, out: &mut [T]) -> usize {
                (**self).write_flat(out)
            }
        }
    )*};
}
by_ref!([] [T], [] Vec<T>, [, const N: usize] [T; N], [] Matrix<T>);

/// The Hessian over parameters of `sizes` floats each: `row(p, k, out)`
/// writes the Hessian-vector product along entry `k` of parameter `p` (the
/// row of that flattened entry) into `out`; the result is made symmetric
/// by [`symmetric`].
///
/// ```
/// // f(x, y) = x²y: the rows along x and along y
/// let (x, y) = (3.0_f64, 2.0);
/// let h = grad_core::ad::hessian::<f64>(&[1, 1], |p, _, out| {
///     let row = if p == 0 { [2.0 * y, 2.0 * x] } else { [2.0 * x, 0.0] };
///     out.copy_from_slice(&row);
/// });
/// assert_eq!(h.as_slice(), &[4.0, 6.0, 6.0, 0.0]);
/// ```
pub fn hessian<T: Real>(sizes: &[usize], mut row: impl FnMut(usize, usize, &mut [T])) -> Matrix<T> {
    let n: usize = sizes.iter().sum();
    let mut h = vec![T::ZERO; n * n];
    let mut r = 0;
    for (p, &size) in sizes.iter().enumerate() {
        for k in 0..size {
            row(p, k, &mut h[r * n..(r + 1) * n]);
            r += 1;
        }
    }
    symmetric(n, h)
}

/// The `n × n` matrix `(H + Hᵀ)/2` of the row-major `h`: a Hessian assembled
/// from Hessian-vector products, made symmetric to the last bit (its two
/// halves differ by rounding only).
///
/// ```
/// let h = grad_core::ad::symmetric(2, vec![1.0_f32, 2.0, 2.5, 3.0]);
/// assert_eq!(h.as_slice(), &[1.0, 2.25, 2.25, 3.0]);
/// ```
pub fn symmetric<T: Real>(n: usize, mut h: Vec<T>) -> Matrix<T> {
    let two = T::ONE + T::ONE;
    for i in 0..n {
        for j in i + 1..n {
            let s = (h[i * n + j] + h[j * n + i]) / two;
            h[i * n + j] = s;
            h[j * n + i] = s;
        }
    }
    Matrix::from_vec(n, n, h)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_flatten_in_order() {
        let m = Matrix::from_vec(2, 2, vec![1.0_f64, 2.0, 3.0, 4.0]);
        assert_eq!(Flat::<f64>::flat_len(&&m), 4);
        assert_eq!(m.direction(Some(2)).as_slice(), &[0.0, 0.0, 1.0, 0.0]);
        assert_eq!(m.direction(None).as_slice(), &[0.0; 4]);
        let mut out = [0.0; 7];
        assert_eq!(m.write_flat(&mut out[1..]), 4);
        assert_eq!([9.0_f64, 8.0].write_flat(&mut out[5..]), 2);
        assert_eq!(out, [0.0, 1.0, 2.0, 3.0, 4.0, 9.0, 8.0]);
        let s: &[f32] = &[1.0, 2.0];
        assert_eq!(s.direction(Some(0)), vec![1.0, 0.0]);
        assert_eq!(2.0_f32.direction(Some(0)), 1.0);
        assert_eq!(2.0_f32.direction(None), 0.0);
        assert_eq!([0.0_f64; 2].direction(Some(1)), [0.0, 1.0]);
    }

    #[test]
    fn symmetric_halves_are_bit_equal() {
        let n = 3;
        let h: Vec<f64> = (0..n * n).map(|k| (k as f64 * 0.7).sin() / 3.0).collect();
        let s = symmetric(n, h);
        for i in 0..n {
            for j in 0..n {
                assert_eq!(s[(i, j)].to_bits(), s[(j, i)].to_bits());
            }
        }
    }
}
