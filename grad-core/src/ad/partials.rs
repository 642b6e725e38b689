//! How a callee's hand-written or generated `_grad` is read: one bare float
//! or a tuple of floats, indexed by argument.

/// The scalar partials a `g_grad` (or `g_vjp`) returns: one bare float, or a
/// tuple of floats.
///
/// ```
/// use grad_core::ad::ScalarPartials;
///
/// assert_eq!(<(f64, f64) as ScalarPartials<f64>>::ARITY, 2);
/// assert_eq!((1.0_f64, 2.0_f64).at(1), 2.0);
/// ```
pub trait ScalarPartials<T> {
    /// How many partials.
    const ARITY: usize;
    /// Partial `k` (`k < ARITY`).
    fn at(&self, k: usize) -> T;
}

macro_rules! scalar_partials {
    ($t:ty) => {
        impl ScalarPartials<$t> for $t {
            const ARITY: usize = 1;
            #[inline(always)]
            fn at(&self, _: usize) -> $t {
                *self
            }
        }
        scalar_partials!(@tuple $t; 2: 0 1);
        scalar_partials!(@tuple $t; 3: 0 1 2);
        scalar_partials!(@tuple $t; 4: 0 1 2 3);
        scalar_partials!(@tuple $t; 5: 0 1 2 3 4);
        scalar_partials!(@tuple $t; 6: 0 1 2 3 4 5);
        scalar_partials!(@tuple $t; 7: 0 1 2 3 4 5 6);
        scalar_partials!(@tuple $t; 8: 0 1 2 3 4 5 6 7);
        scalar_partials!(@tuple $t; 9: 0 1 2 3 4 5 6 7 8);
        scalar_partials!(@tuple $t; 10: 0 1 2 3 4 5 6 7 8 9);
        scalar_partials!(@tuple $t; 11: 0 1 2 3 4 5 6 7 8 9 10);
        scalar_partials!(@tuple $t; 12: 0 1 2 3 4 5 6 7 8 9 10 11);
    };
    (@tuple $t:ty; $n:literal: $($i:tt)*) => {
        impl ScalarPartials<$t> for ($(scalar_partials!(@ty $t, $i),)*) {
            const ARITY: usize = $n;
            #[inline(always)]
            fn at(&self, k: usize) -> $t {
                [$(self.$i),*][k]
            }
        }
    };
    (@ty $t:ty, $i:tt) => {
        $t
    };
}

scalar_partials!(f32);
scalar_partials!(f64);

/// Partial `IF` of `NF` float arguments, which is differentiated argument
/// `IA` of `NA`: a callee's `_grad` returns either one partial per float
/// argument (`ARITY == NF`) or, when it was declared `wrt(..)` the
/// differentiated ones, one per differentiated argument (`ARITY == NA`).
/// Any other count is a compile-time error.
///
/// ```
/// // g(c, w) called with a constant c: g_grad returns (∂g/∂c, ∂g/∂w) ...
/// assert_eq!(grad_core::ad::partial::<f64, _, 2, 1, 1, 0>(&(5.0_f64, 7.0_f64)), 7.0);
/// // ... or, for `#[differentiable(wrt(w))]`, only ∂g/∂w.
/// assert_eq!(grad_core::ad::partial::<f64, _, 2, 1, 1, 0>(&7.0_f64), 7.0);
/// ```
#[inline(always)]
pub fn partial<
    T,
    P: ScalarPartials<T>,
    const NF: usize,
    const IF: usize,
    const NA: usize,
    const IA: usize,
>(
    p: &P,
) -> T {
    const {
        assert!(
            P::ARITY == NF || P::ARITY == NA,
            "a `_grad` used by #[differentiable] returns neither one partial per float argument of the call nor one per differentiated argument"
        )
    };
    if P::ARITY == NF { p.at(IF) } else { p.at(IA) }
}
