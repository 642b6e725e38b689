//! Elementwise ops on a scalar, an array (returns an array) or a slice/`Vec`
//! (returns a `Vec`).
//!
//! A scalar goes through the scalar function of [`crate::scalar`]; arrays,
//! slices and `Vec`s go through the slice kernel of `crate::kernels` where
//! one exists, into a freshly allocated output. The two may differ by the
//! kernel's documented error bound (a few ulp), never more.

use crate::{Real, scalar};

/// A scalar, array, slice or `Vec` of [`Real`]s that elementwise ops apply to.
///
/// ```
/// use grad_core::values::Elementwise;
///
/// assert_eq!([1.0_f64, 2.0].map_elems(|x| 2.0 * x), [2.0, 4.0]);
/// ```
pub trait Elementwise: Sized {
    /// The element type.
    type Elem: Real;
    /// What mapping produces: the same scalar/array type, or `Vec<Elem>` for slices.
    type Output;

    /// Applies `f` to every element.
    ///
    /// ```
    /// use grad_core::values::Elementwise;
    ///
    /// assert_eq!(vec![1.0_f32].map_elems(|x| x + 1.0), vec![2.0]);
    /// ```
    fn map_elems(self, f: impl Fn(Self::Elem) -> Self::Elem) -> Self::Output;

    /// Applies `scalar` to a scalar, or the slice kernel `kernel(input, out)`
    /// to the elements of an array, slice or `Vec` (`out` has the input's
    /// length and is overwritten).
    ///
    /// ```
    /// use grad_core::values::Elementwise;
    ///
    /// let double = |x: &[f64], out: &mut [f64]| {
    ///     for (o, v) in out.iter_mut().zip(x) {
    ///         *o = 2.0 * v;
    ///     }
    /// };
    /// assert_eq!([1.0_f64, 2.0].apply(|x| 2.0 * x, double), [2.0, 4.0]);
    /// assert_eq!(3.0_f64.apply(|x| 2.0 * x, double), 6.0);
    /// ```
    fn apply(
        self,
        scalar: impl Fn(Self::Elem) -> Self::Elem,
        kernel: impl Fn(&[Self::Elem], &mut [Self::Elem]),
    ) -> Self::Output;
}

macro_rules! impl_elementwise_scalar {
    ($t:ty) => {
        impl Elementwise for $t {
            type Elem = $t;
            type Output = $t;
            #[inline]
            fn map_elems(self, f: impl Fn($t) -> $t) -> $t {
                f(self)
            }
            #[inline]
            fn apply(self, scalar: impl Fn($t) -> $t, _: impl Fn(&[$t], &mut [$t])) -> $t {
                scalar(self)
            }
        }
    };
}
impl_elementwise_scalar!(f32);
impl_elementwise_scalar!(f64);

impl<T: Real, const N: usize> Elementwise for [T; N] {
    type Elem = T;
    type Output = [T; N];
    #[inline]
    fn map_elems(self, f: impl Fn(T) -> T) -> [T; N] {
        self.map(f)
    }
    #[inline]
    fn apply(self, _: impl Fn(T) -> T, kernel: impl Fn(&[T], &mut [T])) -> [T; N] {
        let mut out = [T::ZERO; N];
        kernel(&self, &mut out);
        out
    }
}

impl<T: Real, const N: usize> Elementwise for &[T; N] {
    type Elem = T;
    type Output = [T; N];
    #[inline]
    fn map_elems(self, f: impl Fn(T) -> T) -> [T; N] {
        self.map(f)
    }
    #[inline]
    fn apply(self, scalar: impl Fn(T) -> T, kernel: impl Fn(&[T], &mut [T])) -> [T; N] {
        (*self).apply(scalar, kernel)
    }
}

impl<T: Real> Elementwise for &[T] {
    type Elem = T;
    type Output = Vec<T>;
    #[inline]
    fn map_elems(self, f: impl Fn(T) -> T) -> Vec<T> {
        self.iter().map(|&x| f(x)).collect()
    }
    #[inline]
    fn apply(self, _: impl Fn(T) -> T, kernel: impl Fn(&[T], &mut [T])) -> Vec<T> {
        let mut out = vec![T::ZERO; self.len()];
        kernel(self, &mut out);
        out
    }
}

impl<T: Real> Elementwise for Vec<T> {
    type Elem = T;
    type Output = Vec<T>;
    #[inline]
    fn map_elems(mut self, f: impl Fn(T) -> T) -> Vec<T> {
        for x in &mut self {
            *x = f(*x);
        }
        self
    }
    #[inline]
    fn apply(self, scalar: impl Fn(T) -> T, kernel: impl Fn(&[T], &mut [T])) -> Vec<T> {
        self.as_slice().apply(scalar, kernel)
    }
}

impl<T: Real> Elementwise for &Vec<T> {
    type Elem = T;
    type Output = Vec<T>;
    #[inline]
    fn map_elems(self, f: impl Fn(T) -> T) -> Vec<T> {
        self.as_slice().map_elems(f)
    }
    #[inline]
    fn apply(self, scalar: impl Fn(T) -> T, kernel: impl Fn(&[T], &mut [T])) -> Vec<T> {
        self.as_slice().apply(scalar, kernel)
    }
}

/// A slice "kernel" that maps `f` over `x` into `out`: the path for ops
/// without a SIMD kernel.
fn scalar_loop<T: Real>(f: impl Fn(T) -> T) -> impl Fn(&[T], &mut [T]) {
    move |x, out| {
        for (o, &v) in out.iter_mut().zip(x) {
            *o = f(v);
        }
    }
}

/// Defines a value-level elementwise op from a scalar fn and a slice kernel.
macro_rules! elementwise_fn {
    ($(#[$doc:meta])* $name:ident = $scalar:path, $kernel:expr) => {
        $(#[$doc])*
        #[inline]
        pub fn $name<X: Elementwise>(x: X) -> X::Output {
            x.apply($scalar, $kernel)
        }
    };
}

elementwise_fn!(
    /// Logistic sigmoid `1 / (1 + e^−x)`, elementwise and stable for every
    /// input (0 below about −104 in f32, 1 above about 17). NaN propagates.
    ///
    /// Scalars use [`scalar::sigmoid`]; arrays, slices and `Vec`s use the
    /// SIMD kernel `kernels::sigmoid` (error bound in its docs).
    ///
    /// ```
    /// assert_eq!(grad_core::sigmoid(0.0_f64), 0.5);
    /// assert_eq!(grad_core::sigmoid([0.0_f32, -1000.0]), [0.5, 0.0]);
    /// let v = vec![0.0_f32; 3];
    /// assert_eq!(grad_core::sigmoid(&v), vec![0.5; 3]);
    /// ```
    sigmoid = scalar::sigmoid, scalar_loop(scalar::sigmoid)
);
elementwise_fn!(
    /// Hyperbolic tangent, elementwise; ±1 at ±∞, NaN propagates.
    ///
    /// Scalars use [`scalar::tanh`]; arrays, slices and `Vec`s use the SIMD
    /// kernel `kernels::tanh` (error bound in its docs).
    ///
    /// ```
    /// assert_eq!(grad_core::tanh([0.0_f32, 1000.0]), [0.0, 1.0]);
    /// ```
    tanh = scalar::tanh, scalar_loop(scalar::tanh)
);
elementwise_fn!(
    /// `max(0, x)`, elementwise; NaN propagates.
    ///
    /// ```
    /// assert_eq!(grad_core::relu(vec![-1.0_f64, 1.0]), vec![0.0, 1.0]);
    /// ```
    relu = scalar::relu, scalar_loop(scalar::relu)
);
elementwise_fn!(
    /// `ln(1 + e^x)`, elementwise and stable: `max(x, 0) + ln(1 + e^−|x|)`.
    ///
    /// ```
    /// assert_eq!(grad_core::softplus(-1000.0_f64), 0.0);
    /// assert_eq!(grad_core::softplus([1000.0_f32]), [1000.0]);
    /// ```
    softplus = scalar::softplus, scalar_loop(scalar::softplus)
);
elementwise_fn!(
    /// `e^x`, elementwise.
    ///
    /// ```
    /// assert_eq!(grad_core::exp(0.0_f64), 1.0);
    /// assert_eq!(grad_core::exp([0.0_f32]), [1.0]);
    /// ```
    exp = Real::exp, scalar_loop(Real::exp)
);
elementwise_fn!(
    /// Natural logarithm, elementwise: `ln 0 = −∞`, negative input gives NaN.
    ///
    /// ```
    /// assert_eq!(grad_core::ln(1.0_f64), 0.0);
    /// assert_eq!(grad_core::ln(vec![1.0_f32, 0.0]), vec![0.0, f32::NEG_INFINITY]);
    /// ```
    ln = Real::ln, scalar_loop(Real::ln)
);

/// Defines a value-level elementwise op that has no slice kernel.
macro_rules! mapped_fn {
    ($(#[$doc:meta])* $name:ident = $f:path) => {
        $(#[$doc])*
        #[inline]
        pub fn $name<X: Elementwise>(x: X) -> X::Output {
            x.map_elems($f)
        }
    };
}

mapped_fn!(
    /// Square root, elementwise.
    ///
    /// ```
    /// assert_eq!(grad_core::sqrt(4.0_f64), 2.0);
    /// ```
    sqrt = Real::sqrt
);
mapped_fn!(
    /// Absolute value, elementwise.
    ///
    /// ```
    /// assert_eq!(grad_core::abs([-1.0_f64]), [1.0]);
    /// ```
    abs = Real::abs
);
mapped_fn!(
    /// Sine, elementwise.
    ///
    /// ```
    /// assert_eq!(grad_core::sin(0.0_f64), 0.0);
    /// ```
    sin = Real::sin
);
mapped_fn!(
    /// Cosine, elementwise.
    ///
    /// ```
    /// assert_eq!(grad_core::cos(0.0_f64), 1.0);
    /// ```
    cos = Real::cos
);

/// Leaky ReLU with the given negative slope, elementwise: `x` for `x > 0`,
/// else `slope·x`.
///
/// ```
/// assert_eq!(grad_core::leaky_relu([-1.0_f64, 2.0], 0.1), [-0.1, 2.0]);
/// assert_eq!(grad_core::leaky_relu(-2.0_f32, 0.5), -1.0);
/// ```
#[inline]
pub fn leaky_relu<X: Elementwise>(x: X, slope: X::Elem) -> X::Output {
    let f = move |v| scalar::leaky_relu(v, slope);
    x.apply(f, scalar_loop(f))
}

/// `x^n` for an integer `n`.
///
/// ```
/// assert_eq!(grad_core::powi(3.0_f64, 2), 9.0);
/// ```
#[inline]
pub fn powi<T: Real>(x: T, n: i32) -> T {
    x.powi(n)
}

/// `x^p` for a real `p`.
///
/// ```
/// assert_eq!(grad_core::powf(4.0_f64, 0.5), 2.0);
/// ```
#[inline]
pub fn powf<T: Real>(x: T, p: T) -> T {
    x.powf(p)
}

/// The larger of two values (IEEE `maxNum`).
///
/// ```
/// assert_eq!(grad_core::max(1.0_f64, 2.0), 2.0);
/// ```
#[inline]
pub fn max<T: Real>(a: T, b: T) -> T {
    a.max(b)
}

/// The smaller of two values (IEEE `minNum`).
///
/// ```
/// assert_eq!(grad_core::min(1.0_f64, 2.0), 1.0);
/// ```
#[inline]
pub fn min<T: Real>(a: T, b: T) -> T {
    a.min(b)
}
