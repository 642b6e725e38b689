//! Output vectors, length checks and conversions between the vector forms
//! (`&[T]`, `Vec<T>`, `[T; N]`, `&[T; N]`).

use crate::Real;

/// An output vector: `Vec<T>` or `[T; N]`.
///
/// ```
/// use grad_core::ad::v::Out;
///
/// let a: [f64; 2] = Out::build("op", 2, |i| i as f64);
/// assert_eq!(a, [0.0, 1.0]);
/// ```
pub trait Out<T: Real>: AsRef<[T]> + AsMut<[T]> + Sized {
    /// `[f(0), .., f(len − 1)]`; for an array, `len` must be `N` (else panics naming `op`).
    #[track_caller]
    fn build(op: &str, len: usize, f: impl FnMut(usize) -> T) -> Self;

    /// `len` zeros, for a kernel to overwrite.
    ///
    /// ```
    /// use grad_core::ad::v::Out;
    ///
    /// let z: Vec<f32> = Out::zeroed("op", 3);
    /// assert_eq!(z, vec![0.0; 3]);
    /// ```
    #[track_caller]
    fn zeroed(op: &str, len: usize) -> Self {
        Self::build(op, len, |_| T::ZERO)
    }

    /// The outer product `g·xᵀ`, row-major: row `r` is `g_r·x`.
    ///
    /// ```
    /// use grad_core::ad::v::Out;
    ///
    /// assert_eq!(<Vec<f64>>::outer("matvec", &[1.0, 2.0], &[3.0, 4.0]), vec![3.0, 4.0, 6.0, 8.0]);
    /// ```
    #[track_caller]
    fn outer(op: &str, g: &[T], x: &[T]) -> Self {
        let mut out = Self::zeroed(op, g.len() * x.len());
        if !x.is_empty() {
            for (row, &gr) in out.as_mut().chunks_exact_mut(x.len()).zip(g) {
                for (d, &xc) in row.iter_mut().zip(x) {
                    *d = gr * xc;
                }
            }
        }
        out
    }
}

impl<T: Real> Out<T> for Vec<T> {
    #[inline]
    fn build(_: &str, len: usize, f: impl FnMut(usize) -> T) -> Self {
        (0..len).map(f).collect()
    }

    #[inline]
    fn zeroed(_: &str, len: usize) -> Self {
        vec![T::ZERO; len]
    }

    /// Row by row into fresh capacity: no zeroing pass before the products
    /// (for the MLP's 400 KB `dw1`, the zeroing is a fifth of its gradient).
    #[inline]
    fn outer(_: &str, g: &[T], x: &[T]) -> Self {
        let mut out = Vec::with_capacity(g.len() * x.len());
        for &gr in g {
            out.extend(x.iter().map(|&xc| gr * xc));
        }
        out
    }
}

impl<T: Real, const N: usize> Out<T> for [T; N] {
    #[inline]
    #[track_caller]
    fn build(op: &str, len: usize, f: impl FnMut(usize) -> T) -> Self {
        check(op, N, len);
        core::array::from_fn(f)
    }
}

/// The names the public op gives its two vector arguments, so that a length
/// mismatch reads as the public op's does.
fn argument_names(op: &str) -> Option<(&'static str, &'static str)> {
    Some(match op {
        "dot" => ("a", "b"),
        "mse" => ("pred", "target"),
        "binary_cross_entropy" => ("p", "y"),
        "bce_with_logits" => ("z", "y"),
        "softmax_backward" | "log_softmax_backward" => ("y", "dy"),
        _ => return None,
    })
}

/// Panics unless `a == b`, naming the op and both lengths: in the public
/// op's words where there is one ("dot: a has length 2 but b has length
/// 3"), else "vector + vector: lengths differ: 2 vs 3".
///
/// ```should_panic
/// grad_core::ad::v::check("dot", 2, 3); // "dot: a has length 2 but b has length 3"
/// ```
#[inline]
#[track_caller]
pub fn check(op: &str, a: usize, b: usize) {
    if a != b {
        mismatch(op, a, b);
    }
}

#[cold]
#[inline(never)]
#[track_caller]
fn mismatch(op: &str, a: usize, b: usize) -> ! {
    match argument_names(op) {
        Some((x, y)) => panic!("{op}: {x} has length {a} but {y} has length {b}"),
        None => panic!("{op}: lengths differ: {a} vs {b}"),
    }
}

/// `[a, b, c]`-style conversion of a slice into an array (the cotangent of an array output).
///
/// ```
/// let a: [f64; 2] = grad_core::ad::v::to_array("vjp cotangent", &[1.0, 2.0]);
/// assert_eq!(a, [1.0, 2.0]);
/// ```
#[inline]
#[track_caller]
pub fn to_array<T: Real, const N: usize>(op: &str, x: &[T]) -> [T; N] {
    check(op, N, x.len());
    core::array::from_fn(|i| x[i])
}

/// The cotangent of a `_vjp`, checked against the output's length.
///
/// ```
/// assert_eq!(grad_core::ad::v::cotangent(&[1.0_f64, 2.0], 2), &[1.0, 2.0]);
/// ```
#[inline]
#[track_caller]
pub fn cotangent<T: Real>(c: &[T], len: usize) -> &[T] {
    check("cotangent", len, c.len());
    c
}

/// A vector argument of a call to a user fn, in the form the callee's
/// parameter takes: `&[T]`, `Vec<T>`, `[T; N]` or `&[T; N]`.
///
/// ```
/// use grad_core::ad::v::FromVector;
///
/// let a: [f64; 2] = FromVector::from_vector(&[1.0, 2.0]);
/// assert_eq!(a, [1.0, 2.0]);
/// ```
pub trait FromVector<'a, T: Real>: Sized {
    /// Converts (copying only for owned forms); panics on a wrong array length.
    #[track_caller]
    fn from_vector(v: &'a [T]) -> Self;
}

impl<'a, T: Real> FromVector<'a, T> for &'a [T] {
    #[inline]
    fn from_vector(v: &'a [T]) -> Self {
        v
    }
}

impl<'a, T: Real> FromVector<'a, T> for Vec<T> {
    #[inline]
    fn from_vector(v: &'a [T]) -> Self {
        v.to_vec()
    }
}

impl<'a, T: Real, const N: usize> FromVector<'a, T> for [T; N] {
    #[inline]
    #[track_caller]
    fn from_vector(v: &'a [T]) -> Self {
        to_array("argument", v)
    }
}

impl<'a, T: Real, const N: usize> FromVector<'a, T> for &'a [T; N] {
    #[inline]
    #[track_caller]
    fn from_vector(v: &'a [T]) -> Self {
        check("argument", N, v.len());
        match v.try_into() {
            Ok(a) => a,
            Err(_) => unreachable!("length checked above"),
        }
    }
}

/// Passes a vector to a user fn in the form its parameter takes (see [`FromVector`]).
///
/// ```
/// fn g(v: &[f64]) -> f64 { v[0] }
/// assert_eq!(g(grad_core::ad::v::arg(&vec![2.0][..])), 2.0);
/// ```
#[inline]
#[track_caller]
pub fn arg<'a, T: Real, P: FromVector<'a, T>>(v: &'a [T]) -> P {
    P::from_vector(v)
}

/// A vector of `len` zeros.
///
/// ```
/// let z: Vec<f32> = grad_core::ad::v::zeros(2);
/// assert_eq!(z, vec![0.0, 0.0]);
/// ```
#[inline]
#[track_caller]
pub fn zeros<T: Real, O: Out<T>>(len: usize) -> O {
    O::zeroed("zeros", len)
}

/// `v.len()` as a float.
///
/// ```
/// assert_eq!(grad_core::ad::v::len_f::<f64>(&[1.0, 2.0]), 2.0);
/// ```
#[inline]
pub fn len_f<T: Real>(v: &[T]) -> T {
    T::from_usize(v.len())
}

/// `v[i]`, panicking with the op name when out of range.
///
/// ```
/// assert_eq!(grad_core::ad::v::index(&[1.0_f64, 2.0], 1), 2.0);
/// ```
#[inline]
#[track_caller]
pub fn index<T: Real>(v: &[T], i: usize) -> T {
    match v.get(i) {
        Some(x) => *x,
        None => panic!(
            "index: {i} is out of range for a vector of length {}",
            v.len()
        ),
    }
}

/// The backward of `v[i]`: `g` at `i`, zero elsewhere.
///
/// ```
/// let d: [f64; 3] = grad_core::ad::v::index_backward(2.0, 1, 3);
/// assert_eq!(d, [0.0, 2.0, 0.0]);
/// ```
#[inline]
#[track_caller]
pub fn index_backward<T: Real, O: Out<T>>(g: T, i: usize, len: usize) -> O {
    let mut d = O::zeroed("index", len);
    if let Some(x) = d.as_mut().get_mut(i) {
        *x = g;
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[should_panic(expected = "mse: pred has length 4 but target has length 3")]
    fn a_mismatch_of_a_public_op_reads_as_the_public_op() {
        check("mse", 4, 3);
    }

    #[test]
    #[should_panic(expected = "vector + vector: lengths differ: 3 vs 4")]
    fn a_mismatch_of_an_operator_names_the_operator() {
        check("vector + vector", 3, 4);
    }

    #[test]
    fn arrays_and_vecs_convert() {
        let a: [f32; 2] = arg(&[1.0, 2.0]);
        assert_eq!(a, [1.0, 2.0]);
        let r: &[f32; 2] = arg(&[1.0, 2.0]);
        assert_eq!(r, &[1.0, 2.0]);
        let v: Vec<f32> = arg(&[1.0]);
        assert_eq!(v, vec![1.0]);
    }
}
