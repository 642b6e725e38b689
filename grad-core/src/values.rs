//! Value-level ops: the same function works on a scalar, an array (returns an
//! array) and a slice or `Vec` (returns a `Vec`).
//!
//! ```
//! use grad_core::{relu, sigmoid};
//!
//! assert_eq!(relu(-1.0_f64), 0.0);
//! assert_eq!(relu([-1.0_f32, 2.0]), [0.0, 2.0]);
//! assert_eq!(sigmoid(&[0.0_f64][..]), vec![0.5]);
//! ```

use crate::{Real, scalar};

/// A scalar, array, slice or `Vec` of [`Real`]s that elementwise ops apply to.
///
/// ```
/// use grad_core::values::Elementwise;
///
/// assert_eq!([1.0_f64, 2.0].map_elems(|x| 2.0 * x), [2.0, 4.0]);
/// ```
pub trait Elementwise {
    /// The element type.
    type Elem: Real;
    /// What mapping produces: the same scalar/array type, or `Vec<Elem>` for slices.
    type Output;
    /// Applies `f` to every element.
    fn map_elems(self, f: impl Fn(Self::Elem) -> Self::Elem) -> Self::Output;
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
}

impl<T: Real, const N: usize> Elementwise for &[T; N] {
    type Elem = T;
    type Output = [T; N];
    #[inline]
    fn map_elems(self, f: impl Fn(T) -> T) -> [T; N] {
        self.map(f)
    }
}

impl<T: Real> Elementwise for &[T] {
    type Elem = T;
    type Output = Vec<T>;
    #[inline]
    fn map_elems(self, f: impl Fn(T) -> T) -> Vec<T> {
        self.iter().map(|&x| f(x)).collect()
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
}

impl<T: Real> Elementwise for &Vec<T> {
    type Elem = T;
    type Output = Vec<T>;
    #[inline]
    fn map_elems(self, f: impl Fn(T) -> T) -> Vec<T> {
        self.as_slice().map_elems(f)
    }
}

macro_rules! elementwise_fn {
    ($(#[$doc:meta])* $name:ident = $f:expr) => {
        $(#[$doc])*
        #[inline]
        pub fn $name<X: Elementwise>(x: X) -> X::Output {
            x.map_elems($f)
        }
    };
}

elementwise_fn!(
    /// Logistic sigmoid, elementwise. See [`scalar::sigmoid`].
    ///
    /// ```
    /// assert_eq!(grad_core::sigmoid([0.0_f32]), [0.5]);
    /// ```
    sigmoid = scalar::sigmoid
);
elementwise_fn!(
    /// Hyperbolic tangent, elementwise.
    ///
    /// ```
    /// assert_eq!(grad_core::tanh([0.0_f32]), [0.0]);
    /// ```
    tanh = scalar::tanh
);
elementwise_fn!(
    /// `max(0, x)`, elementwise.
    ///
    /// ```
    /// assert_eq!(grad_core::relu(vec![-1.0_f64, 1.0]), vec![0.0, 1.0]);
    /// ```
    relu = scalar::relu
);
elementwise_fn!(
    /// `ln(1 + e^x)`, elementwise and stable.
    ///
    /// ```
    /// assert_eq!(grad_core::softplus(-1000.0_f64), 0.0);
    /// ```
    softplus = scalar::softplus
);
elementwise_fn!(
    /// `e^x`, elementwise.
    ///
    /// ```
    /// assert_eq!(grad_core::exp(0.0_f64), 1.0);
    /// ```
    exp = Real::exp
);
elementwise_fn!(
    /// Natural logarithm, elementwise.
    ///
    /// ```
    /// assert_eq!(grad_core::ln(1.0_f64), 0.0);
    /// ```
    ln = Real::ln
);
elementwise_fn!(
    /// Square root, elementwise.
    ///
    /// ```
    /// assert_eq!(grad_core::sqrt(4.0_f64), 2.0);
    /// ```
    sqrt = Real::sqrt
);
elementwise_fn!(
    /// Absolute value, elementwise.
    ///
    /// ```
    /// assert_eq!(grad_core::abs([-1.0_f64]), [1.0]);
    /// ```
    abs = Real::abs
);
elementwise_fn!(
    /// Sine, elementwise.
    ///
    /// ```
    /// assert_eq!(grad_core::sin(0.0_f64), 0.0);
    /// ```
    sin = Real::sin
);
elementwise_fn!(
    /// Cosine, elementwise.
    ///
    /// ```
    /// assert_eq!(grad_core::cos(0.0_f64), 1.0);
    /// ```
    cos = Real::cos
);

/// Leaky ReLU with the given negative slope, elementwise.
///
/// ```
/// assert_eq!(grad_core::leaky_relu([-1.0_f64, 2.0], 0.1), [-0.1, 2.0]);
/// ```
#[inline]
pub fn leaky_relu<X: Elementwise>(x: X, slope: X::Elem) -> X::Output {
    x.map_elems(|v| scalar::leaky_relu(v, slope))
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

/// Softmax over the whole vector, numerically stable. Empty in, empty out.
///
/// ```
/// assert_eq!(grad_core::softmax(&[0.0_f64, 0.0]), vec![0.5, 0.5]);
/// ```
pub fn softmax<T: Real>(v: impl AsRef<[T]>) -> Vec<T> {
    let v = v.as_ref();
    let m = v.iter().copied().fold(T::NEG_INFINITY, Real::max);
    let e: Vec<T> = v.iter().map(|&x| (x - m).exp()).collect();
    let s: T = e.iter().copied().sum();
    e.into_iter().map(|x| x / s).collect()
}
