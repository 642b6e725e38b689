//! Elementwise ops on vectors: `+ - * /` with a vector or a scalar, the
//! unary functions and the derivative helpers of the unary functions.
//!
//! `sigmoid tanh relu softplus exp ln` run the slice kernel the public op
//! runs on a slice or array, so they give its bits; the others map the
//! scalar function the public op maps.

use super::shape::{Out, check};
use crate::{Real, kernels, scalar};

macro_rules! binary {
    ($($name:ident $vs:ident $sv:ident $op:tt $sym:literal;)*) => {$(
        #[doc = concat!("Elementwise `a ", $sym, " b` of two vectors of equal length.")]
        ///
        /// ```
        /// let r: Vec<f64> = grad_core::ad::v::vv_add(&[1.0], &[2.0]);
        /// assert_eq!(r, vec![3.0]);
        /// ```
        #[inline]
        #[track_caller]
        pub fn $name<T: Real, O: Out<T>>(a: &[T], b: &[T]) -> O {
            check(concat!("vector ", $sym, " vector"), a.len(), b.len());
            O::build($sym, a.len(), |i| a[i] $op b[i])
        }

        #[doc = concat!("Elementwise `a ", $sym, " s`: a vector and a scalar.")]
        ///
        /// ```
        /// let r: Vec<f64> = grad_core::ad::v::vs_mul(&[1.0, 2.0], 2.0);
        /// assert_eq!(r, vec![2.0, 4.0]);
        /// ```
        #[inline]
        #[track_caller]
        pub fn $vs<T: Real, O: Out<T>>(a: &[T], s: T) -> O {
            O::build($sym, a.len(), |i| a[i] $op s)
        }

        #[doc = concat!("Elementwise `s ", $sym, " b`: a scalar and a vector.")]
        ///
        /// ```
        /// let r: Vec<f64> = grad_core::ad::v::sv_sub(1.0, &[1.0, 2.0]);
        /// assert_eq!(r, vec![0.0, -1.0]);
        /// ```
        #[inline]
        #[track_caller]
        pub fn $sv<T: Real, O: Out<T>>(s: T, b: &[T]) -> O {
            O::build($sym, b.len(), |i| s $op b[i])
        }
    )*};
}

binary! {
    vv_add vs_add sv_add + "+";
    vv_sub vs_sub sv_sub - "-";
    vv_mul vs_mul sv_mul * "*";
    vv_div vs_div sv_div / "/";
}

macro_rules! kernel {
    ($($name:ident;)*) => {$(
        #[doc = concat!(
            "Elementwise `", stringify!($name), "` by [`kernels::", stringify!($name),
            "`], the bits of [`crate::", stringify!($name), "`] on a slice."
        )]
        ///
        /// ```
        /// let r: [f32; 2] = grad_core::ad::v::sigmoid(&[0.0, -1000.0]);
        /// assert_eq!(r, grad_core::sigmoid([0.0_f32, -1000.0]));
        /// ```
        #[inline]
        #[track_caller]
        pub fn $name<T: Real, O: Out<T>>(x: &[T]) -> O {
            let mut out = O::zeroed(stringify!($name), x.len());
            kernels::$name(x, out.as_mut());
            out
        }
    )*};
}

kernel! {
    sigmoid;
    tanh;
    relu;
    softplus;
    exp;
    ln;
}

macro_rules! mapped {
    ($($name:ident = $f:expr;)*) => {$(
        #[doc = concat!("Elementwise `", stringify!($name), "`, one element at a time.")]
        ///
        /// ```
        /// let r: [f64; 1] = grad_core::ad::v::neg(&[1.0]);
        /// assert_eq!(r, [-1.0]);
        /// ```
        #[inline]
        #[track_caller]
        pub fn $name<T: Real, O: Out<T>>(x: &[T]) -> O {
            let f = $f;
            O::build(stringify!($name), x.len(), |i| f(x[i]))
        }
    )*};
}

mapped! {
    neg = |x: T| -x;
    sqrt = Real::sqrt;
    sin = Real::sin;
    cos = Real::cos;
    abs = Real::abs;
    sigmoid_deriv_from_output = scalar::sigmoid_deriv_from_output;
    tanh_deriv_from_output = scalar::tanh_deriv_from_output;
    relu_deriv = scalar::relu_deriv;
    abs_deriv = crate::ad::abs_deriv;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bits<T: Real>(v: &[T]) -> Vec<T::Bits> {
        v.iter().map(|x| x.to_bits()).collect()
    }

    #[test]
    fn unary_ops_give_the_public_ops_bits() {
        let x: Vec<f32> = (0..70).map(|i| (i as f32 - 35.0) * 0.37).collect();
        let check = |name: &str, got: Vec<f32>, want: Vec<f32>| {
            assert_eq!(bits(&got), bits(&want), "{name}");
        };
        check("sigmoid", sigmoid(&x), crate::sigmoid(&x));
        check("tanh", tanh(&x), crate::tanh(&x));
        check("relu", relu(&x), crate::relu(&x));
        check("softplus", softplus(&x), crate::softplus(&x));
        check("exp", exp(&x), crate::exp(&x));
        check("ln", ln(&x), crate::ln(&x));
        check("sqrt", sqrt(&x), crate::sqrt(&x));
        check("abs", abs(&x), crate::abs(&x));
        check("sin", sin(&x), crate::sin(&x));
        check("cos", cos(&x), crate::cos(&x));
    }

    #[test]
    #[should_panic(expected = "vector * vector: lengths differ: 2 vs 1")]
    fn vector_operands_of_different_lengths_panic() {
        let _: Vec<f64> = vv_mul(&[1.0, 2.0], &[1.0]);
    }
}

macro_rules! kernel_backward {
    ($($name:ident($first:ident);)*) => {$(
        #[doc = concat!(
            "`", stringify!($name), "(", stringify!($first), ", g)` by [`kernels::",
            stringify!($name), "`]: the gradient of the elementwise activation."
        )]
        ///
        /// ```
        /// let d: [f64; 2] = grad_core::ad::v::sigmoid_backward(&[0.5, 1.0], &[1.0, 1.0]);
        /// assert_eq!(d, [0.25, 0.0]);
        /// ```
        #[inline]
        #[track_caller]
        pub fn $name<T: Real, O: Out<T>>($first: &[T], g: &[T]) -> O {
            let mut out = O::zeroed(stringify!($name), $first.len());
            kernels::$name($first, g, out.as_mut());
            out
        }
    )*};
}

kernel_backward! {
    sigmoid_backward(y);
    tanh_backward(y);
    relu_backward(x);
    softplus_backward(x);
}
