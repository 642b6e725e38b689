//! `V<T>`: a fixed chunk of [`L`] lanes with elementwise operators.
//!
//! Every operator is a branch-free loop over the lanes, so one step of an
//! approximation is applied to all lanes before the next step starts. LLVM
//! turns each step into a few adjacent full-width SIMD instructions of the
//! calling path's instruction set, and the independent lanes interleave, so
//! long dependency chains (polynomials) do not stall the pipeline.

#![allow(
    clippy::needless_range_loop,
    reason = "lane loops index several arrays in lockstep; LLVM vectorizes this form"
)]

use crate::Real;
use crate::real::Bits;
use core::ops::{Add, Div, Mul, Neg, Sub};

/// Lanes per chunk.
pub(crate) const L: usize = 32;

/// `L` floats.
#[derive(Clone, Copy)]
pub(crate) struct V<T>(pub(crate) [T; L]);

/// `L` lane masks.
#[derive(Clone, Copy)]
pub(crate) struct M(pub(crate) [bool; L]);

/// `L` bit patterns.
#[derive(Clone, Copy)]
pub(crate) struct B<U>(pub(crate) [U; L]);

impl<T: Real> V<T> {
    #[inline(always)]
    pub(crate) fn splat(v: T) -> Self {
        V([v; L])
    }
    #[inline(always)]
    pub(crate) fn zip(self, o: Self, f: impl Fn(T, T) -> T) -> Self {
        let mut r = self.0;
        for j in 0..L {
            r[j] = f(self.0[j], o.0[j]);
        }
        V(r)
    }
    #[inline(always)]
    fn cmp(self, o: Self, f: impl Fn(T, T) -> bool) -> M {
        let mut r = [false; L];
        for j in 0..L {
            r[j] = f(self.0[j], o.0[j]);
        }
        M(r)
    }
    #[inline(always)]
    pub(crate) fn lt(self, o: Self) -> M {
        self.cmp(o, |a, b| a < b)
    }
    #[inline(always)]
    pub(crate) fn gt(self, o: Self) -> M {
        self.cmp(o, |a, b| a > b)
    }
    #[inline(always)]
    pub(crate) fn le(self, o: Self) -> M {
        self.cmp(o, |a, b| a <= b)
    }
    #[inline(always)]
    pub(crate) fn eq(self, o: Self) -> M {
        self.cmp(o, |a, b| a == b)
    }
    /// Lanes that are NaN.
    #[inline(always)]
    #[allow(clippy::eq_op, reason = "a != a is the branch-free NaN test")]
    pub(crate) fn nan(self) -> M {
        self.cmp(self, |a, b| a != b)
    }
    /// `m ? a : b` lane by lane.
    #[inline(always)]
    pub(crate) fn select(m: M, a: Self, b: Self) -> Self {
        let mut r = b.0;
        for j in 0..L {
            r[j] = if m.0[j] { a.0[j] } else { b.0[j] };
        }
        V(r)
    }
    #[inline(always)]
    pub(crate) fn to_bits(self) -> B<T::Bits> {
        let mut r = [T::ZERO.to_bits(); L];
        for j in 0..L {
            r[j] = self.0[j].to_bits();
        }
        B(r)
    }
    #[inline(always)]
    pub(crate) fn from_bits(b: B<T::Bits>) -> Self {
        let mut r = [T::ZERO; L];
        for j in 0..L {
            r[j] = T::from_bits(b.0[j]);
        }
        V(r)
    }
}

impl M {
    #[inline(always)]
    pub(crate) fn or(self, o: M) -> M {
        let mut r = self.0;
        for j in 0..L {
            r[j] = self.0[j] | o.0[j];
        }
        M(r)
    }
}

impl<U: Bits> B<U> {
    #[inline(always)]
    pub(crate) fn splat(v: U) -> Self {
        B([v; L])
    }
    #[inline(always)]
    fn zip(self, o: Self, f: impl Fn(U, U) -> U) -> Self {
        let mut r = self.0;
        for j in 0..L {
            r[j] = f(self.0[j], o.0[j]);
        }
        B(r)
    }
    #[inline(always)]
    fn map(self, f: impl Fn(U) -> U) -> Self {
        let mut r = self.0;
        for v in r.iter_mut() {
            *v = f(*v);
        }
        B(r)
    }
    #[inline(always)]
    pub(crate) fn add(self, o: Self) -> Self {
        self.zip(o, U::wrapping_add)
    }
    #[inline(always)]
    pub(crate) fn sub(self, o: Self) -> Self {
        self.zip(o, U::wrapping_sub)
    }
    #[inline(always)]
    pub(crate) fn and(self, o: Self) -> Self {
        self.zip(o, |a, b| a & b)
    }
    #[inline(always)]
    pub(crate) fn or(self, o: Self) -> Self {
        self.zip(o, |a, b| a | b)
    }
    #[inline(always)]
    pub(crate) fn shl(self, s: u32) -> Self {
        self.map(|a| a << s)
    }
    #[inline(always)]
    pub(crate) fn shr(self, s: u32) -> Self {
        self.map(|a| a >> s)
    }
}

macro_rules! binop {
    ($tr:ident, $f:ident, $op:tt) => {
        impl<T: Real> $tr for V<T> {
            type Output = V<T>;
            #[inline(always)]
            fn $f(self, o: V<T>) -> V<T> {
                self.zip(o, |a, b| a $op b)
            }
        }
    };
}
binop!(Add, add, +);
binop!(Sub, sub, -);
binop!(Mul, mul, *);
binop!(Div, div, /);

impl<T: Real> Neg for V<T> {
    type Output = V<T>;
    #[inline(always)]
    fn neg(self) -> V<T> {
        let mut r = self.0;
        for v in r.iter_mut() {
            *v = -*v;
        }
        V(r)
    }
}

/// What the approximations in `math` need from a number: implemented by a
/// single `T` (for once-per-row scalars) and by `V<T>` (for chunks), so each
/// approximation is written once and gives the same bits either way.
pub(crate) trait Lanes<T: Real>:
    Copy
    + Add<Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + Div<Output = Self>
    + Neg<Output = Self>
{
    type Mask: Copy;
    type Int: Copy;
    fn splat(v: T) -> Self;
    fn lt(self, o: Self) -> Self::Mask;
    fn gt(self, o: Self) -> Self::Mask;
    fn eq(self, o: Self) -> Self::Mask;
    fn nan(self) -> Self::Mask;
    fn or(a: Self::Mask, b: Self::Mask) -> Self::Mask;
    fn select(m: Self::Mask, a: Self, b: Self) -> Self;
    fn bits(self) -> Self::Int;
    fn from_int(b: Self::Int) -> Self;
    fn int(u: T::Bits) -> Self::Int;
    fn iadd(a: Self::Int, b: Self::Int) -> Self::Int;
    fn isub(a: Self::Int, b: Self::Int) -> Self::Int;
    fn iand(a: Self::Int, b: Self::Int) -> Self::Int;
    fn ior(a: Self::Int, b: Self::Int) -> Self::Int;
    fn ishl(a: Self::Int, s: u32) -> Self::Int;
    fn ishr(a: Self::Int, s: u32) -> Self::Int;
}

impl<T: Real> Lanes<T> for V<T> {
    type Mask = M;
    type Int = B<T::Bits>;
    #[inline(always)]
    fn splat(v: T) -> Self {
        V::splat(v)
    }
    #[inline(always)]
    fn lt(self, o: Self) -> M {
        V::lt(self, o)
    }
    #[inline(always)]
    fn gt(self, o: Self) -> M {
        V::gt(self, o)
    }
    #[inline(always)]
    fn eq(self, o: Self) -> M {
        V::eq(self, o)
    }
    #[inline(always)]
    fn nan(self) -> M {
        V::nan(self)
    }
    #[inline(always)]
    fn or(a: M, b: M) -> M {
        a.or(b)
    }
    #[inline(always)]
    fn select(m: M, a: Self, b: Self) -> Self {
        V::select(m, a, b)
    }
    #[inline(always)]
    fn bits(self) -> B<T::Bits> {
        self.to_bits()
    }
    #[inline(always)]
    fn from_int(b: B<T::Bits>) -> Self {
        V::from_bits(b)
    }
    #[inline(always)]
    fn int(u: T::Bits) -> B<T::Bits> {
        B::splat(u)
    }
    #[inline(always)]
    fn iadd(a: Self::Int, b: Self::Int) -> Self::Int {
        a.add(b)
    }
    #[inline(always)]
    fn isub(a: Self::Int, b: Self::Int) -> Self::Int {
        a.sub(b)
    }
    #[inline(always)]
    fn iand(a: Self::Int, b: Self::Int) -> Self::Int {
        a.and(b)
    }
    #[inline(always)]
    fn ior(a: Self::Int, b: Self::Int) -> Self::Int {
        a.or(b)
    }
    #[inline(always)]
    fn ishl(a: Self::Int, s: u32) -> Self::Int {
        a.shl(s)
    }
    #[inline(always)]
    fn ishr(a: Self::Int, s: u32) -> Self::Int {
        a.shr(s)
    }
}

/// One lane: a plain `T`.
#[derive(Clone, Copy)]
pub(crate) struct S<T>(pub(crate) T);

macro_rules! sop {
    ($tr:ident, $f:ident, $op:tt) => {
        impl<T: Real> $tr for S<T> {
            type Output = S<T>;
            #[inline(always)]
            fn $f(self, o: S<T>) -> S<T> {
                S(self.0 $op o.0)
            }
        }
    };
}
sop!(Add, add, +);
sop!(Sub, sub, -);
sop!(Mul, mul, *);
sop!(Div, div, /);

impl<T: Real> Neg for S<T> {
    type Output = S<T>;
    #[inline(always)]
    fn neg(self) -> S<T> {
        S(-self.0)
    }
}

impl<T: Real> Lanes<T> for S<T> {
    type Mask = bool;
    type Int = T::Bits;
    #[inline(always)]
    fn splat(v: T) -> Self {
        S(v)
    }
    #[inline(always)]
    fn lt(self, o: Self) -> bool {
        self.0 < o.0
    }
    #[inline(always)]
    fn gt(self, o: Self) -> bool {
        self.0 > o.0
    }
    #[inline(always)]
    fn eq(self, o: Self) -> bool {
        self.0 == o.0
    }
    #[inline(always)]
    fn nan(self) -> bool {
        self.0.is_nan()
    }
    #[inline(always)]
    fn or(a: bool, b: bool) -> bool {
        a | b
    }
    #[inline(always)]
    fn select(m: bool, a: Self, b: Self) -> Self {
        if m { a } else { b }
    }
    #[inline(always)]
    fn bits(self) -> T::Bits {
        self.0.to_bits()
    }
    #[inline(always)]
    fn from_int(b: T::Bits) -> Self {
        S(T::from_bits(b))
    }
    #[inline(always)]
    fn int(u: T::Bits) -> T::Bits {
        u
    }
    #[inline(always)]
    fn iadd(a: T::Bits, b: T::Bits) -> T::Bits {
        a.wrapping_add(b)
    }
    #[inline(always)]
    fn isub(a: T::Bits, b: T::Bits) -> T::Bits {
        a.wrapping_sub(b)
    }
    #[inline(always)]
    fn iand(a: T::Bits, b: T::Bits) -> T::Bits {
        a & b
    }
    #[inline(always)]
    fn ior(a: T::Bits, b: T::Bits) -> T::Bits {
        a | b
    }
    #[inline(always)]
    fn ishl(a: T::Bits, s: u32) -> T::Bits {
        a << s
    }
    #[inline(always)]
    fn ishr(a: T::Bits, s: u32) -> T::Bits {
        a >> s
    }
}
