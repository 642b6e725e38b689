//! Elementwise functions of a matrix, the derivative helpers of the
//! generated backwards, and the activations' backwards.
//!
//! `exp ln sqrt sin cos abs sigmoid tanh relu softplus` are the public ops
//! of [`crate::values`] on `&Matrix` (the slice kernels where there are
//! some), so their bits; the others map the scalar function `ad::v` maps.

use super::shape::same;
use crate::{Matrix, Real, kernels, scalar};

macro_rules! public {
    ($($name:ident;)*) => {$(
        #[doc = concat!("Elementwise `", stringify!($name), "`: [`crate::", stringify!($name), "`] on the matrix.")]
        ///
        /// ```
        /// let m = grad_core::Matrix::from_vec(1, 3, vec![0.25_f32, 1.0, 1000.0]);
        #[doc = concat!(
            "assert_eq!(grad_core::ad::m::", stringify!($name), "(&m), grad_core::",
            stringify!($name), "(&m));"
        )]
        /// ```
        #[inline]
        #[track_caller]
        pub fn $name<T: Real>(x: &Matrix<T>) -> Matrix<T> {
            crate::$name(x)
        }
    )*};
}

public! {
    exp;
    ln;
    sqrt;
    sin;
    cos;
    abs;
    sigmoid;
    tanh;
    relu;
    softplus;
}

macro_rules! mapped {
    ($($name:ident = $f:expr, $x:literal => $y:literal;)*) => {$(
        #[doc = concat!("Elementwise `", stringify!($name), "`, one element at a time (as `ad::v`'s).")]
        ///
        /// ```
        #[doc = concat!("let m = grad_core::Matrix::from_vec(1, 1, vec![", $x, "_f64]);")]
        #[doc = concat!("assert_eq!(grad_core::ad::m::", stringify!($name), "(&m)[(0, 0)], ", $y, ");")]
        /// ```
        #[inline]
        #[track_caller]
        pub fn $name<T: Real>(x: &Matrix<T>) -> Matrix<T> {
            let f = $f;
            x.with_data(x.as_slice().iter().map(|&v| f(v)).collect())
        }
    )*};
}

mapped! {
    neg = |x: T| -x, "1.5" => "-1.5";
    sigmoid_deriv_from_output = scalar::sigmoid_deriv_from_output, "0.5" => "0.25";
    tanh_deriv_from_output = scalar::tanh_deriv_from_output, "0.5" => "0.75";
    relu_deriv = scalar::relu_deriv, "-2.0" => "0.0";
    abs_deriv = crate::ad::abs_deriv, "-2.0" => "-1.0";
}

macro_rules! kernel_backward {
    ($($name:ident($first:ident) $doc:literal;)*) => {$(
        #[doc = concat!(
            "`", stringify!($name), "(", stringify!($first), ", g)` by [`kernels::",
            stringify!($name), "`]: the gradient of the elementwise activation, ", $doc, "."
        )]
        ///
        /// # Panics
        ///
        #[doc = concat!(
            "If the shapes differ: \"", stringify!($name), ": ", stringify!($first),
            " is 2×3 but dy is 3×2\"."
        )]
        ///
        /// ```
        /// use grad_core::Matrix;
        ///
        /// let (a, g) = (Matrix::from_vec(1, 2, vec![0.5_f64, 2.0]), Matrix::from_vec(1, 2, vec![1.0, 1.0]));
        #[doc = concat!("let d = grad_core::ad::m::", stringify!($name), "(&a, &g);")]
        #[doc = concat!("let want: Vec<f64> = grad_core::ad::v::", stringify!($name), "(a.as_slice(), g.as_slice());")]
        /// assert_eq!(d.as_slice(), &want[..]);
        /// ```
        #[inline]
        #[track_caller]
        pub fn $name<T: Real>($first: &Matrix<T>, g: &Matrix<T>) -> Matrix<T> {
            same(stringify!($name), stringify!($first), $first, "dy", g);
            let mut out = vec![T::ZERO; g.as_slice().len()];
            kernels::$name($first.as_slice(), g.as_slice(), &mut out);
            g.with_data(out)
        }
    )*};
}

kernel_backward! {
    sigmoid_backward(y) "`y` the output";
    tanh_backward(y) "`y` the output";
    relu_backward(x) "`x` the input";
    softplus_backward(x) "`x` the input";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[should_panic(expected = "relu_backward: x is 2×3 but dy is 3×2")]
    fn a_backward_of_another_shape_panics() {
        relu_backward(&Matrix::<f32>::zeros(2, 3), &Matrix::zeros(3, 2));
    }
}
