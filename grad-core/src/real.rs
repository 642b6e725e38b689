//! [`Real`]: the float types every kernel is written once for.

use core::fmt::{Debug, Display};
use core::iter::Sum;
use core::ops::{
    Add, AddAssign, BitAnd, BitOr, BitXor, Div, DivAssign, Mul, MulAssign, Neg, Not, Shl, Shr, Sub,
    SubAssign,
};

mod sealed {
    pub trait Sealed {}
    impl Sealed for f32 {}
    impl Sealed for f64 {}
    impl Sealed for u32 {}
    impl Sealed for u64 {}
}

/// The unsigned integer with the width of a [`Real`]: `u32` for `f32`, `u64`
/// for `f64`. The SIMD kernels use it to build and take apart floats bit by
/// bit (exponent fields, sign masks), which vectorizes on every instruction
/// set.
///
/// Arithmetic is wrapping (two's complement), so the same code runs in debug
/// and release builds.
///
/// ```
/// use grad_core::Real;
/// use grad_core::real::Bits;
///
/// let one = 1.0_f32.to_bits();
/// let two = f32::from_bits(one.wrapping_add(Bits::from_u32(1 << 23)));
/// assert_eq!(two, 2.0);
/// ```
pub trait Bits:
    sealed::Sealed
    + Copy
    + Eq
    + Debug
    + Send
    + Sync
    + 'static
    + BitAnd<Output = Self>
    + BitOr<Output = Self>
    + BitXor<Output = Self>
    + Not<Output = Self>
    + Shl<u32, Output = Self>
    + Shr<u32, Output = Self>
{
    /// `self + other`, wrapping around on overflow.
    ///
    /// ```
    /// use grad_core::real::Bits;
    /// assert_eq!(Bits::wrapping_add(u32::MAX, 2), 1);
    /// ```
    fn wrapping_add(self, other: Self) -> Self;
    /// `self − other`, wrapping around on overflow.
    ///
    /// ```
    /// use grad_core::real::Bits;
    /// assert_eq!(Bits::wrapping_sub(1_u64, 2), u64::MAX);
    /// ```
    fn wrapping_sub(self, other: Self) -> Self;
    /// Zero-extends a `u32`.
    ///
    /// ```
    /// use grad_core::real::Bits;
    /// assert_eq!(<u64 as Bits>::from_u32(7), 7_u64);
    /// ```
    fn from_u32(v: u32) -> Self;
}

macro_rules! impl_bits {
    ($t:ty) => {
        impl Bits for $t {
            #[inline(always)]
            fn wrapping_add(self, other: Self) -> Self {
                <$t>::wrapping_add(self, other)
            }
            #[inline(always)]
            fn wrapping_sub(self, other: Self) -> Self {
                <$t>::wrapping_sub(self, other)
            }
            #[inline(always)]
            fn from_u32(v: u32) -> Self {
                v as $t
            }
        }
    };
}
impl_bits!(u32);
impl_bits!(u64);

/// A floating-point type `grad` differentiates and computes with: `f32` or `f64`.
///
/// The trait is sealed: it cannot be implemented outside this crate, so every
/// kernel can rely on IEEE-754 binary32/binary64 semantics.
///
/// ```
/// use grad_core::Real;
///
/// fn half<T: Real>(x: T) -> T {
///     x * T::from_f64(0.5)
/// }
/// assert_eq!(half(3.0_f32), 1.5);
/// ```
pub trait Real:
    sealed::Sealed
    + crate::kernels::consts::Consts
    + Copy
    + Default
    + PartialEq
    + PartialOrd
    + Debug
    + Display
    + Send
    + Sync
    + 'static
    + Add<Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + Div<Output = Self>
    + Neg<Output = Self>
    + AddAssign
    + SubAssign
    + MulAssign
    + DivAssign
    + Sum
{
    /// `0`.
    const ZERO: Self;
    /// `1`.
    const ONE: Self;
    /// Positive infinity.
    const INFINITY: Self;
    /// Negative infinity.
    const NEG_INFINITY: Self;
    /// A quiet NaN.
    const NAN: Self;
    /// Machine epsilon.
    const EPSILON: Self;
    /// The smallest positive normal value.
    const MIN_POSITIVE: Self;
    /// Number of explicit fraction bits: 23 for `f32`, 52 for `f64`.
    ///
    /// ```
    /// use grad_core::Real;
    /// assert_eq!(<f64 as Real>::MANTISSA_BITS, 52);
    /// ```
    const MANTISSA_BITS: u32;
    /// Exponent bias: 127 for `f32`, 1023 for `f64`.
    ///
    /// ```
    /// use grad_core::Real;
    /// assert_eq!(<f32 as Real>::EXPONENT_BIAS, 127);
    /// ```
    const EXPONENT_BIAS: u32;

    /// The unsigned integer of the same width (`u32` / `u64`).
    type Bits: Bits;

    /// The IEEE-754 bit pattern.
    ///
    /// ```
    /// use grad_core::Real;
    /// assert_eq!(Real::to_bits(1.0_f32), 0x3f80_0000);
    /// ```
    fn to_bits(self) -> Self::Bits;
    /// The float with this IEEE-754 bit pattern.
    ///
    /// ```
    /// use grad_core::Real;
    /// assert_eq!(<f32 as Real>::from_bits(0x4000_0000), 2.0);
    /// ```
    fn from_bits(bits: Self::Bits) -> Self;

    /// Converts from `f64`, rounding to nearest.
    fn from_f64(v: f64) -> Self;
    /// Converts to `f64` exactly.
    fn to_f64(self) -> f64;
    /// Converts a count to this type (rounding to nearest).
    fn from_usize(n: usize) -> Self;

    /// `e^self`, correctly rounded by the platform's libm.
    fn exp(self) -> Self;
    /// Natural logarithm.
    fn ln(self) -> Self;
    /// `ln(1 + self)`, accurate near 0.
    fn ln_1p(self) -> Self;
    /// `e^self − 1`, accurate near 0.
    fn exp_m1(self) -> Self;
    /// Square root.
    fn sqrt(self) -> Self;
    /// Hyperbolic tangent.
    fn tanh(self) -> Self;
    /// Sine.
    fn sin(self) -> Self;
    /// Cosine.
    fn cos(self) -> Self;
    /// Absolute value.
    fn abs(self) -> Self;
    /// Integer power.
    fn powi(self, n: i32) -> Self;
    /// Real power.
    fn powf(self, p: Self) -> Self;
    /// IEEE `maxNum`: the larger, ignoring one NaN.
    fn max(self, other: Self) -> Self;
    /// IEEE `minNum`: the smaller, ignoring one NaN.
    fn min(self, other: Self) -> Self;
    /// Whether this is NaN.
    fn is_nan(self) -> bool;
    /// Whether this is neither infinite nor NaN.
    fn is_finite(self) -> bool;

    /// The method form of [`sigmoid`](crate::scalar::sigmoid): `1/(1 + e^−x)`, the same function.
    ///
    /// ```
    /// use grad_core::Real;
    /// assert_eq!(0.0_f64.sigmoid(), grad_core::scalar::sigmoid(0.0_f64));
    /// ```
    #[inline]
    fn sigmoid(self) -> Self {
        crate::scalar::sigmoid(self)
    }
    /// The method form of [`relu`](crate::scalar::relu): `max(x, 0)`, the same function.
    ///
    /// ```
    /// use grad_core::Real;
    /// assert_eq!((-2.0_f32).relu(), 0.0);
    /// ```
    #[inline]
    fn relu(self) -> Self {
        crate::scalar::relu(self)
    }
    /// The method form of [`softplus`](crate::scalar::softplus): `ln(1 + eˣ)`, the same function.
    ///
    /// ```
    /// use grad_core::Real;
    /// assert_eq!(1.0_f64.softplus(), grad_core::scalar::softplus(1.0_f64));
    /// ```
    #[inline]
    fn softplus(self) -> Self {
        crate::scalar::softplus(self)
    }
    /// The method form of [`leaky_relu`](crate::scalar::leaky_relu), the same function.
    ///
    /// ```
    /// use grad_core::Real;
    /// assert_eq!((-2.0_f64).leaky_relu(0.1), -0.2);
    /// ```
    #[inline]
    fn leaky_relu(self, slope: Self) -> Self {
        crate::scalar::leaky_relu(self, slope)
    }
}

macro_rules! impl_real {
    ($t:ty, $bits:ty, $mant:expr, $bias:expr) => {
        impl Real for $t {
            const MIN_POSITIVE: Self = <$t>::MIN_POSITIVE;
            const MANTISSA_BITS: u32 = $mant;
            const EXPONENT_BIAS: u32 = $bias;
            type Bits = $bits;

            #[inline(always)]
            fn to_bits(self) -> $bits {
                <$t>::to_bits(self)
            }
            #[inline(always)]
            fn from_bits(bits: $bits) -> Self {
                <$t>::from_bits(bits)
            }
            const ZERO: Self = 0.0;
            const ONE: Self = 1.0;
            const INFINITY: Self = <$t>::INFINITY;
            const NEG_INFINITY: Self = <$t>::NEG_INFINITY;
            const NAN: Self = <$t>::NAN;
            const EPSILON: Self = <$t>::EPSILON;

            #[inline(always)]
            fn from_f64(v: f64) -> Self {
                v as $t
            }
            #[inline(always)]
            fn to_f64(self) -> f64 {
                self as f64
            }
            #[inline(always)]
            fn from_usize(n: usize) -> Self {
                n as $t
            }
            #[inline(always)]
            fn exp(self) -> Self {
                <$t>::exp(self)
            }
            #[inline(always)]
            fn ln(self) -> Self {
                <$t>::ln(self)
            }
            #[inline(always)]
            fn ln_1p(self) -> Self {
                <$t>::ln_1p(self)
            }
            #[inline(always)]
            fn exp_m1(self) -> Self {
                <$t>::exp_m1(self)
            }
            #[inline(always)]
            fn sqrt(self) -> Self {
                <$t>::sqrt(self)
            }
            #[inline(always)]
            fn tanh(self) -> Self {
                <$t>::tanh(self)
            }
            #[inline(always)]
            fn sin(self) -> Self {
                <$t>::sin(self)
            }
            #[inline(always)]
            fn cos(self) -> Self {
                <$t>::cos(self)
            }
            #[inline(always)]
            fn abs(self) -> Self {
                <$t>::abs(self)
            }
            #[inline(always)]
            fn powi(self, n: i32) -> Self {
                <$t>::powi(self, n)
            }
            #[inline(always)]
            fn powf(self, p: Self) -> Self {
                <$t>::powf(self, p)
            }
            #[inline(always)]
            fn max(self, other: Self) -> Self {
                <$t>::max(self, other)
            }
            #[inline(always)]
            fn min(self, other: Self) -> Self {
                <$t>::min(self, other)
            }
            #[inline(always)]
            fn is_nan(self) -> bool {
                <$t>::is_nan(self)
            }
            #[inline(always)]
            fn is_finite(self) -> bool {
                <$t>::is_finite(self)
            }
        }
    };
}

impl_real!(f32, u32, 23, 127);
impl_real!(f64, u64, 52, 1023);
