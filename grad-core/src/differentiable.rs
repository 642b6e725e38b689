//! [`Differentiable`]: a value made of floats that a gradient has the shape
//! of and an optimizer updates: a float, a `Vec` or array of `Differentiable`
//! values, a [`Matrix`], a tuple of up to four `Differentiable` values of one
//! float type, or a struct with `#[derive(Differentiable)]` (in the `grad`
//! crate).
//!
//! The floats of a value are visited in a fixed order: a struct's fields in
//! declaration order, a tuple's members in order, a `Vec`'s or an array's
//! elements in order, a matrix's elements row by row (the order of
//! `f_hessian`'s flattening). Two values of the same shape (a parameter and
//! its gradient) visit their floats in the same order, which is what
//! [`Differentiable::zip_mut`] and the optimizers rely on.
//!
//! ```
//! use grad_core::{Differentiable, Matrix};
//!
//! let mut p = (vec![1.0_f64, 2.0], Matrix::from_vec(1, 2, vec![3.0, 4.0]), 5.0);
//! let g = (vec![0.5, 0.5], Matrix::from_vec(1, 2, vec![1.0, 1.0]), -1.0);
//! assert_eq!(p.n_floats(), 5);
//! // one plain gradient-descent step, p ← p − 0.1·g
//! p.zip_mut(&g, &mut |p, g| *p -= 0.1 * g);
//! let mut flat = Vec::new();
//! p.visit(&mut |x| flat.push(x));
//! assert_eq!(flat, [0.95, 1.95, 2.9, 3.9, 5.1]);
//! ```

use crate::{Matrix, Real};

/// A value made of floats of one type, [`Differentiable::Float`]: what a
/// parameter offers an optimizer and a gradient's arithmetic.
///
/// Implemented for `f32`, `f64`, `Vec<D>` and `[D; N]` of `Differentiable`
/// `D` (so `Vec<f32>`, `[f64; 3]`, `Vec<Layer>`), [`Matrix<T>`], tuples of up
/// to four `Differentiable` values with the same float type, and, through
/// `#[derive(Differentiable)]` in the `grad` crate, structs of such fields.
///
/// The float type is the associated type [`Float`](Differentiable::Float)
/// (not a generic parameter): a value has exactly one, so an optimizer's
/// step over `P: Differentiable` needs no annotation.
///
/// An implementation gives three methods: [`zeros_like`](Differentiable::zeros_like),
/// and the floats as contiguous slices, [`leaves`](Differentiable::leaves)
/// and [`leaves_mut`](Differentiable::leaves_mut), in the same order. The
/// rest (`add_assign`, `scale`, the visits, `n_floats`) are provided on top
/// of them and need no allocation.
///
/// ```
/// use grad_core::Differentiable;
///
/// // A hand-written implementation: two vectors, their floats in order.
/// #[derive(Clone, Debug, PartialEq)]
/// struct Pair {
///     a: Vec<f64>,
///     b: Vec<f64>,
/// }
///
/// impl Differentiable for Pair {
///     type Float = f64;
///     fn zeros_like(&self) -> Self {
///         Pair { a: self.a.zeros_like(), b: self.b.zeros_like() }
///     }
///     fn leaves(&self) -> impl Iterator<Item = &[f64]> {
///         self.a.leaves().chain(self.b.leaves())
///     }
///     fn leaves_mut(&mut self) -> impl Iterator<Item = &mut [f64]> {
///         self.a.leaves_mut().chain(self.b.leaves_mut())
///     }
/// }
///
/// let mut g = Pair { a: vec![1.0, 2.0], b: vec![3.0] };
/// g.add_assign(&g.clone());
/// g.scale(0.5);
/// assert_eq!(g, Pair { a: vec![1.0, 2.0], b: vec![3.0] });
/// assert_eq!(g.n_floats(), 3);
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not `Differentiable`",
    label = "not a float, a `Vec`, array or `Matrix` of floats, or a `#[derive(Differentiable)]` type",
    note = "derive it with `#[derive(Differentiable)]`; for a field that holds no parameters, mark it `#[differentiable(skip)]` to copy it unchanged"
)]
pub trait Differentiable: Sized {
    /// The float type of every float in the value: `f32` or `f64`.
    ///
    /// ```
    /// use grad_core::{Differentiable, Matrix};
    ///
    /// fn float_bits<P: Differentiable>(_: &P) -> usize {
    ///     8 * core::mem::size_of::<P::Float>()
    /// }
    /// assert_eq!(float_bits(&Matrix::<f32>::zeros(2, 2)), 32);
    /// assert_eq!(float_bits(&vec![1.0_f64]), 64);
    /// ```
    type Float: Real;

    /// A value of `self`'s shape whose floats are all zero; the fields that
    /// are not floats (a derived struct's constants) are copied unchanged.
    ///
    /// ```
    /// use grad_core::{Differentiable, Matrix};
    ///
    /// assert_eq!(vec![1.0_f32, 2.0].zeros_like(), vec![0.0, 0.0]);
    /// assert_eq!(Matrix::from_vec(1, 2, vec![1.0_f64, 2.0]).zeros_like().shape(), (1, 2));
    /// assert_eq!((3.0_f64, [1.0, 2.0]).zeros_like(), (0.0, [0.0, 0.0]));
    /// ```
    fn zeros_like(&self) -> Self;

    /// The floats as contiguous slices, in the visiting order (see the
    /// [module docs](self)). A float is a slice of one; a `Vec<f32>` and a
    /// matrix are one slice each.
    ///
    /// ```
    /// use grad_core::Differentiable;
    ///
    /// let p = (2.0_f64, vec![3.0, 4.0]);
    /// let leaves: Vec<&[f64]> = p.leaves().collect();
    /// assert_eq!(leaves, [&[2.0][..], &[3.0, 4.0][..]]);
    /// ```
    fn leaves(&self) -> impl Iterator<Item = &[Self::Float]>;

    /// The floats as contiguous mutable slices, in the order of
    /// [`leaves`](Differentiable::leaves).
    ///
    /// ```
    /// use grad_core::Differentiable;
    ///
    /// let mut p = [vec![1.0_f32], vec![2.0, 3.0]];
    /// for leaf in p.leaves_mut() {
    ///     leaf[0] = 0.0;
    /// }
    /// assert_eq!(p, [vec![0.0], vec![0.0, 3.0]]);
    /// ```
    fn leaves_mut(&mut self) -> impl Iterator<Item = &mut [Self::Float]>;

    /// The leaves of a slice of values. A float overrides it to give the
    /// whole slice at once, so that a `Vec<f32>` is one leaf; other types
    /// keep the default, each element's leaves in turn.
    ///
    /// ```
    /// use grad_core::Differentiable;
    ///
    /// assert_eq!(f64::slice_leaves(&[1.0, 2.0]).count(), 1);
    /// assert_eq!(<Vec<f64>>::slice_leaves(&[vec![1.0], vec![2.0]]).count(), 2);
    /// ```
    #[doc(hidden)]
    fn slice_leaves(s: &[Self]) -> impl Iterator<Item = &[Self::Float]> {
        s.iter().flat_map(|d| d.leaves())
    }

    /// [`slice_leaves`](Differentiable::slice_leaves), mutably.
    ///
    /// ```
    /// use grad_core::Differentiable;
    ///
    /// assert_eq!(f32::slice_leaves_mut(&mut [1.0, 2.0]).count(), 1);
    /// ```
    #[doc(hidden)]
    fn slice_leaves_mut(s: &mut [Self]) -> impl Iterator<Item = &mut [Self::Float]> {
        s.iter_mut().flat_map(|d| d.leaves_mut())
    }

    /// `self += other`, float by float: how gradients of the same shape
    /// add up.
    ///
    /// # Panics
    ///
    /// If `other` has a different shape (a `Vec` of another length, a
    /// matrix of another shape), naming both sizes.
    ///
    /// ```
    /// use grad_core::Differentiable;
    ///
    /// let mut g = vec![1.0_f64, 2.0];
    /// Differentiable::add_assign(&mut g, &vec![0.5, 0.5]);
    /// assert_eq!(g, [1.5, 2.5]);
    /// ```
    #[track_caller]
    fn add_assign(&mut self, other: &Self) {
        self.zip_mut(other, &mut |a, b| *a += b);
    }

    /// `self *= c`, float by float.
    ///
    /// ```
    /// use grad_core::Differentiable;
    ///
    /// let mut g = (2.0_f32, [1.0, -4.0]);
    /// g.scale(0.5);
    /// assert_eq!(g, (1.0, [0.5, -2.0]));
    /// ```
    fn scale(&mut self, c: Self::Float) {
        self.visit_mut(&mut |x| *x *= c);
    }

    /// Calls `f` with every float, in the visiting order.
    ///
    /// ```
    /// use grad_core::Differentiable;
    ///
    /// let g = (3.0_f64, vec![4.0]);
    /// let mut norm_sq = 0.0;
    /// g.visit(&mut |x| norm_sq += x * x);
    /// assert_eq!(norm_sq.sqrt(), 5.0);
    /// ```
    fn visit(&self, f: &mut impl FnMut(Self::Float)) {
        for leaf in self.leaves() {
            for &x in leaf {
                f(x);
            }
        }
    }

    /// Calls `f` with every float, mutably, in the visiting order.
    ///
    /// ```
    /// use grad_core::Differentiable;
    ///
    /// let mut g = vec![3.0_f64, -4.0];
    /// g.visit_mut(&mut |x| *x = x.clamp(-1.0, 1.0));
    /// assert_eq!(g, [1.0, -1.0]);
    /// ```
    fn visit_mut(&mut self, f: &mut impl FnMut(&mut Self::Float)) {
        for leaf in self.leaves_mut() {
            for x in leaf {
                f(x);
            }
        }
    }

    /// Calls `f` with every float of `self`, mutably, and the float at the
    /// same place in `other`: how an optimizer applies a gradient.
    ///
    /// # Panics
    ///
    /// If `other` has a different shape, naming both sizes.
    ///
    /// ```
    /// use grad_core::Differentiable;
    ///
    /// let mut p = [1.0_f64, 2.0];
    /// p.zip_mut(&[10.0, 20.0], &mut |p, g| *p -= 0.01 * g);
    /// assert_eq!(p, [0.9, 1.8]);
    /// ```
    ///
    /// ```should_panic
    /// use grad_core::Differentiable;
    /// // "Differentiable: a part of `self` has 2 floats but the same part of `other` has 3"
    /// vec![0.0_f64; 2].zip_mut(&vec![0.0; 3], &mut |_, _| {});
    /// ```
    #[track_caller]
    fn zip_mut(&mut self, other: &Self, f: &mut impl FnMut(&mut Self::Float, Self::Float)) {
        let mut b = other.leaves();
        for a in self.leaves_mut() {
            let b = b.next().unwrap_or_else(|| extra_leaf("self"));
            same_len(a.len(), b.len());
            for (x, &y) in a.iter_mut().zip(b) {
                f(x, y);
            }
        }
        if b.next().is_some() {
            extra_leaf("other");
        }
    }

    /// How many floats the value holds.
    ///
    /// ```
    /// use grad_core::{Differentiable, Matrix};
    ///
    /// assert_eq!((Matrix::<f32>::zeros(3, 4), vec![0.0; 4]).n_floats(), 16);
    /// ```
    fn n_floats(&self) -> usize {
        self.leaves().map(<[Self::Float]>::len).sum()
    }
}

/// Panics: two leaves that should match differ in length.
#[inline]
#[track_caller]
pub(crate) fn same_len(a: usize, b: usize) {
    if a != b {
        panic!(
            "Differentiable: a part of `self` has {a} floats but the same part of `other` has {b}; \
             both must have the same shape"
        );
    }
}

/// Panics: one value has more parts than the other.
#[cold]
#[track_caller]
pub(crate) fn extra_leaf(longer: &str) -> ! {
    panic!(
        "Differentiable: `{longer}` has more parts than the other value; both must have the same shape"
    )
}

/// A float is one float: `f32` and `f64` (every [`Real`]), so a generic
/// `T: Real` is `Differentiable<Float = T>`.
impl<T: Real> Differentiable for T {
    type Float = T;
    #[inline(always)]
    fn zeros_like(&self) -> T {
        T::ZERO
    }
    #[inline(always)]
    fn leaves(&self) -> impl Iterator<Item = &[T]> {
        core::iter::once(core::slice::from_ref(self))
    }
    #[inline(always)]
    fn leaves_mut(&mut self) -> impl Iterator<Item = &mut [T]> {
        core::iter::once(core::slice::from_mut(self))
    }
    #[inline(always)]
    fn slice_leaves(s: &[T]) -> impl Iterator<Item = &[T]> {
        core::iter::once(s)
    }
    #[inline(always)]
    fn slice_leaves_mut(s: &mut [T]) -> impl Iterator<Item = &mut [T]> {
        core::iter::once(s)
    }
    #[inline(always)]
    fn n_floats(&self) -> usize {
        1
    }
}

impl<D: Differentiable> Differentiable for Vec<D> {
    type Float = D::Float;
    #[inline]
    fn zeros_like(&self) -> Self {
        self.iter().map(D::zeros_like).collect()
    }
    #[inline]
    fn leaves(&self) -> impl Iterator<Item = &[D::Float]> {
        D::slice_leaves(self)
    }
    #[inline]
    fn leaves_mut(&mut self) -> impl Iterator<Item = &mut [D::Float]> {
        D::slice_leaves_mut(self)
    }
}

impl<D: Differentiable, const N: usize> Differentiable for [D; N] {
    type Float = D::Float;
    #[inline]
    fn zeros_like(&self) -> Self {
        self.each_ref().map(D::zeros_like)
    }
    #[inline]
    fn leaves(&self) -> impl Iterator<Item = &[D::Float]> {
        D::slice_leaves(self)
    }
    #[inline]
    fn leaves_mut(&mut self) -> impl Iterator<Item = &mut [D::Float]> {
        D::slice_leaves_mut(self)
    }
}

impl<T: Real> Differentiable for Matrix<T> {
    type Float = T;
    #[inline]
    fn zeros_like(&self) -> Self {
        Matrix::zeros(self.rows(), self.cols())
    }
    #[inline]
    fn leaves(&self) -> impl Iterator<Item = &[T]> {
        core::iter::once(self.as_slice())
    }
    #[inline]
    fn leaves_mut(&mut self) -> impl Iterator<Item = &mut [T]> {
        core::iter::once(self.as_mut_slice())
    }
    #[inline]
    fn n_floats(&self) -> usize {
        self.rows() * self.cols()
    }
}

macro_rules! tuple_differentiable {
    ($first:ident $($rest:ident)*; $($i:tt)*) => {
        impl<$first: Differentiable $(, $rest: Differentiable<Float = $first::Float>)*> Differentiable
            for ($first, $($rest,)*)
        {
            type Float = $first::Float;
            #[inline]
            fn zeros_like(&self) -> Self {
                ($(self.$i.zeros_like(),)*)
            }
            #[inline]
            fn leaves(&self) -> impl Iterator<Item = &[Self::Float]> {
                let it = core::iter::empty();
                $(let it = it.chain(self.$i.leaves());)*
                it
            }
            #[inline]
            fn leaves_mut(&mut self) -> impl Iterator<Item = &mut [Self::Float]> {
                let it = core::iter::empty();
                $(let it = it.chain(self.$i.leaves_mut());)*
                it
            }
        }
    };
}
tuple_differentiable!(A; 0);
tuple_differentiable!(A B; 0 1);
tuple_differentiable!(A B C; 0 1 2);
tuple_differentiable!(A B C D; 0 1 2 3);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_values_visit_in_order() {
        let mut p = (
            vec![vec![1.0_f64, 2.0], vec![3.0]],
            [Matrix::from_vec(1, 2, vec![4.0, 5.0])],
        );
        assert_eq!(p.leaves().count(), 3);
        assert_eq!(p.n_floats(), 5);
        let mut seen = Vec::new();
        p.visit(&mut |x| seen.push(x));
        assert_eq!(seen, [1.0, 2.0, 3.0, 4.0, 5.0]);
        let z = p.zeros_like();
        assert_eq!(z.n_floats(), 5);
        let g = p.clone();
        p.add_assign(&g);
        p.scale(0.25);
        let mut seen = Vec::new();
        p.visit(&mut |x| seen.push(x));
        assert_eq!(seen, [0.5, 1.0, 1.5, 2.0, 2.5]);
    }

    #[test]
    #[should_panic(expected = "`other` has more parts")]
    fn more_parts_in_other_panics() {
        let mut a = vec![vec![1.0_f64]];
        a.add_assign(&vec![vec![1.0], vec![2.0]]);
    }
}
