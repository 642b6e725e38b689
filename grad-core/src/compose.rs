//! How a `#[differentiable]` fn uses the derivative of a fn it calls.
//!
//! Every differentiable fn `g` has a vector-Jacobian product
//! `g_vjp(<g's params>, cotangent) -> <one slot per float parameter of g, in order>`
//! (a bare value when `g` has one float parameter, else a tuple). A slot
//! holds `g`'s partial for that parameter already multiplied by the
//! cotangent, or [`NotDifferentiated`] where `g`'s derivative does not cover
//! the parameter (a `#[differentiable(wrt(..))]` that leaves it out, or a
//! hand-written `g_vjp` that returns no partial for it).
//!
//! A caller matches slots to its arguments by position among the call's
//! float arguments, and checks at compile time, through the traits
//! [`Partials`] and [`Covers`], that the callee returned one slot per float
//! argument and a real partial for every argument it differentiates. Both
//! failures are compile errors that name the callee, at the call.

/// The slot of a `_vjp` result for a float parameter that the derivative
/// does not cover.
///
/// A hand-written custom derivative returns it for a parameter it does not
/// differentiate; a caller that needs that partial is then a compile error.
///
/// ```
/// use grad_core::compose::NotDifferentiated;
///
/// /// `x^k`, with a custom derivative that covers `x` only.
/// fn mypow(x: f64, k: f64) -> f64 {
///     x.powf(k)
/// }
/// fn mypow_vjp(x: f64, k: f64, cotangent: f64) -> (f64, NotDifferentiated) {
///     (cotangent * k * x.powf(k - 1.0), NotDifferentiated)
/// }
///
/// assert_eq!(mypow_vjp(2.0, 3.0, 1.0).0, 12.0);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct NotDifferentiated;

/// The slots of a `_vjp` result for a call with `K` float arguments: one
/// bare slot for `K = 1`, a `K`-tuple otherwise. `Callee` is a marker type
/// named after the callee, for the error message.
#[diagnostic::on_unimplemented(
    message = "the derivative of `{Callee}` returns `{Self}`, which is not one partial for each of the {K} float arguments of this call",
    label = "the callee's `_vjp` must return one partial per float parameter, in order",
    note = "the convention is `g_vjp(<g's params>, cotangent) -> <one partial per float parameter of g>` (a tuple when there are several); return `grad::NotDifferentiated` for a parameter it does not differentiate"
)]
pub trait Partials<Callee, const K: usize> {
    /// The slots, as returned.
    type Slots;
    /// Returns the slots unchanged.
    fn slots(self) -> Self::Slots;
}

/// Implemented by every slot that holds a partial (floats, vectors, arrays);
/// not by [`NotDifferentiated`]. `Callee` and `ARG` (the 1-based position
/// among the call's float arguments) name the missing partial in the error.
#[diagnostic::on_unimplemented(
    message = "the derivative of `{Callee}` does not cover its float argument {ARG}, which this fn differentiates",
    label = "the callee's `_vjp` returns `NotDifferentiated` for this argument",
    note = "add the parameter to the callee's `#[differentiable(wrt(..))]`, or return its partial from the callee's hand-written `_vjp`"
)]
pub trait Covers<Callee, const ARG: usize> {
    /// The partial.
    type Partial;
    /// Returns the partial unchanged.
    fn partial(self) -> Self::Partial;
}

// A bare float is covered for `f32` and `f64` spelled out: a blanket impl
// over every `T: Real` would be picked for `NotDifferentiated` too, and its
// `Partial = NotDifferentiated` would add a type mismatch to the error. A fn
// generic over `T: Real` checks its scalar slots with [`covered_real`].
#[diagnostic::do_not_recommend]
impl<Callee, const ARG: usize> Covers<Callee, ARG> for f32 {
    type Partial = f32;
    #[inline(always)]
    fn partial(self) -> f32 {
        self
    }
}
#[diagnostic::do_not_recommend]
impl<Callee, const ARG: usize> Covers<Callee, ARG> for f64 {
    type Partial = f64;
    #[inline(always)]
    fn partial(self) -> f64 {
        self
    }
}
// Containers are covered for every `T: Real` (`Vec<T>` never unifies with
// `NotDifferentiated`), so a fn generic over `T: Real` can call another one.
#[diagnostic::do_not_recommend]
impl<Callee, const ARG: usize, T: crate::Real> Covers<Callee, ARG> for Vec<T> {
    type Partial = Vec<T>;
    #[inline(always)]
    fn partial(self) -> Vec<T> {
        self
    }
}
#[diagnostic::do_not_recommend]
impl<Callee, const ARG: usize, T: crate::Real> Covers<Callee, ARG> for crate::Matrix<T> {
    type Partial = crate::Matrix<T>;
    #[inline(always)]
    fn partial(self) -> crate::Matrix<T> {
        self
    }
}
#[diagnostic::do_not_recommend]
impl<Callee, const ARG: usize, const N: usize, T: crate::Real> Covers<Callee, ARG> for [T; N] {
    type Partial = [T; N];
    #[inline(always)]
    fn partial(self) -> [T; N] {
        self
    }
}

/// One slot of a `_vjp` result: a partial (float, vector, array) or
/// [`NotDifferentiated`].
pub trait Slot {}

impl<T: crate::Real> Slot for T {}
impl<T: crate::Real> Slot for Vec<T> {}
impl<T: crate::Real, const N: usize> Slot for [T; N] {}
impl<T: crate::Real> Slot for crate::Matrix<T> {}
impl Slot for NotDifferentiated {}

#[diagnostic::do_not_recommend]
impl<Callee, P: Slot> Partials<Callee, 1> for P {
    type Slots = P;
    #[inline(always)]
    fn slots(self) -> P {
        self
    }
}

macro_rules! tuple_partials {
    ($k:literal: $($t:ident)*) => {
        #[diagnostic::do_not_recommend]
        impl<Callee, $($t),*> Partials<Callee, $k> for ($($t,)*) {
            type Slots = ($($t,)*);
            #[inline(always)]
            fn slots(self) -> Self::Slots {
                self
            }
        }
    };
}

tuple_partials!(2: A B);
tuple_partials!(3: A B C);
tuple_partials!(4: A B C D);
tuple_partials!(5: A B C D E);
tuple_partials!(6: A B C D E F);
tuple_partials!(7: A B C D E F G);
tuple_partials!(8: A B C D E F G H);
tuple_partials!(9: A B C D E F G H I);
tuple_partials!(10: A B C D E F G H I J);
tuple_partials!(11: A B C D E F G H I J K);
tuple_partials!(12: A B C D E F G H I J K L);

/// Checks that `p` is one slot per float argument of a call with `K` of them.
///
/// ```
/// #[allow(non_camel_case_types)]
/// struct g;
/// let (a, b) = grad_core::compose::partials::<g, 2, _>((1.0_f64, 2.0_f64));
/// assert_eq!((a, b), (1.0, 2.0));
/// ```
#[inline(always)]
pub fn partials<Callee, const K: usize, P: Partials<Callee, K>>(p: P) -> P::Slots {
    p.slots()
}

/// Checks that the slot `p`, for float argument `ARG` of a call to `Callee`,
/// holds a partial.
///
/// ```
/// #[allow(non_camel_case_types)]
/// struct g;
/// assert_eq!(grad_core::compose::covered::<g, 1, _>(2.5_f64), 2.5);
/// ```
#[inline(always)]
pub fn covered<Callee, const ARG: usize, P: Covers<Callee, ARG>>(p: P) -> P::Partial {
    p.partial()
}

/// Implemented by the float `T` itself only: a scalar slot of a call from a
/// fn generic over `T: Real` holds a partial (see [`covered_real`]).
#[diagnostic::on_unimplemented(
    message = "the derivative of `{Callee}` does not cover its float argument {ARG}, which this fn differentiates",
    label = "the callee's `_vjp` returns `NotDifferentiated` for this argument",
    note = "add the parameter to the callee's `#[differentiable(wrt(..))]`, or return its partial from the callee's hand-written `_vjp`"
)]
pub trait CoversReal<Callee, const ARG: usize, T> {
    /// Returns the partial unchanged.
    fn partial(self) -> T;
}

#[diagnostic::do_not_recommend]
impl<Callee, const ARG: usize, T: crate::Real> CoversReal<Callee, ARG, T> for T {
    #[inline(always)]
    fn partial(self) -> T {
        self
    }
}

/// [`covered`] for a scalar slot in a fn generic over `T: Real`: the
/// result's type is `T` whatever the slot holds, so a `NotDifferentiated`
/// slot is one error (the missing partial), not also a type mismatch.
///
/// ```
/// #[allow(non_camel_case_types)]
/// struct g;
/// fn half<T: grad_core::Real>(x: T) -> T {
///     grad_core::compose::covered_real::<g, 1, T, _>(x) * T::from_f64(0.5)
/// }
/// assert_eq!(half(3.0_f32), 1.5);
/// ```
#[inline(always)]
pub fn covered_real<Callee, const ARG: usize, T, P: CoversReal<Callee, ARG, T>>(p: P) -> T {
    p.partial()
}

/// A row of a Jacobian from one vector-Jacobian product: the gradient of a
/// vector parameter, or a one-element row for a scalar parameter (the
/// Jacobian is then a column).
///
/// ```
/// use grad_core::compose::JacobianRow;
///
/// assert_eq!(2.0_f64.into_row(), vec![2.0]);
/// assert_eq!([1.0_f32, 2.0].into_row(), vec![1.0, 2.0]);
/// ```
pub trait JacobianRow<T> {
    /// The row.
    fn into_row(self) -> Vec<T>;
}

impl<T: crate::Real> JacobianRow<T> for T {
    fn into_row(self) -> Vec<T> {
        vec![self]
    }
}

impl<T: crate::Real> JacobianRow<T> for Vec<T> {
    fn into_row(self) -> Vec<T> {
        self
    }
}

impl<T: crate::Real, const N: usize> JacobianRow<T> for [T; N] {
    fn into_row(self) -> Vec<T> {
        self.to_vec()
    }
}

/// [`JacobianRow::into_row`] as a fn.
///
/// ```
/// assert_eq!(grad_core::compose::jacobian_row::<f64, _>(3.0), vec![3.0]);
/// ```
pub fn jacobian_row<T, R: JacobianRow<T>>(r: R) -> Vec<T> {
    r.into_row()
}

/// A partial multiplied by a scalar cotangent: how a scalar-output fn's
/// `_vjp` is its gradient times the cotangent.
///
/// ```
/// use grad_core::compose::Scale;
///
/// assert_eq!(2.0_f64.scale(3.0), 6.0);
/// assert_eq!(vec![1.0_f32, -2.0].scale(0.5), vec![0.5, -1.0]);
/// ```
pub trait Scale<T> {
    /// `self · c`, elementwise.
    fn scale(self, c: T) -> Self;
}

impl<T: crate::Real> Scale<T> for T {
    #[inline(always)]
    fn scale(self, c: T) -> T {
        self * c
    }
}

impl<T: crate::Real> Scale<T> for Vec<T> {
    #[inline]
    fn scale(mut self, c: T) -> Vec<T> {
        self.iter_mut().for_each(|x| *x *= c);
        self
    }
}

impl<T: crate::Real, const N: usize> Scale<T> for [T; N] {
    #[inline]
    fn scale(mut self, c: T) -> [T; N] {
        self.iter_mut().for_each(|x| *x *= c);
        self
    }
}

impl<T: crate::Real> Scale<T> for crate::Matrix<T> {
    #[inline]
    fn scale(mut self, c: T) -> crate::Matrix<T> {
        self.as_mut_slice().iter_mut().for_each(|x| *x *= c);
        self
    }
}

/// [`Scale::scale`] as a fn.
///
/// ```
/// assert_eq!(grad_core::compose::scaled([1.0_f64, 2.0], 2.0), [2.0, 4.0]);
/// ```
#[inline(always)]
pub fn scaled<T, P: Scale<T>>(p: P, c: T) -> P {
    p.scale(c)
}
