//! Shared helpers: a seeded generator, central differences, tolerances.
//!
//! Tolerances (stated once, used everywhere):
//!
//! | check | f64 | f32 |
//! |---|---|---|
//! | generated vs closed form (same precision) | `1e-10·(1 + |c|)` | `2e-4·(1 + |c|)` |
//! | generated vs central difference | `1e-6·(1 + |fd|)` | `2e-3·(1 + |fd|)` |
//!
//! The central difference is always taken in f64: f32 gradients are compared
//! with the f64 central difference of the f64 twin of the same function at the
//! same (f32-representable) point, since an f32 difference quotient would be
//! too noisy to catch anything.

pub(crate) use crate::rng::Rng;

impl Rng {
    /// Uniform in `[lo, hi)`.
    pub(crate) fn uniform(&mut self, lo: f64, hi: f64) -> f64 {
        self.uniform_f64(lo, hi)
    }
}

/// Random points per function and precision.
pub(crate) const SAMPLES: usize = 64;

/// A gradient of any arity as a flat list: the bare value for one parameter,
/// a tuple for several (the shapes of API §1).
pub(crate) trait Flat {
    /// The float type.
    type T;
    /// The partials in parameter order.
    fn flat(self) -> Vec<Self::T>;
}

impl Flat for f64 {
    type T = f64;
    fn flat(self) -> Vec<f64> {
        vec![self]
    }
}

impl Flat for f32 {
    type T = f32;
    fn flat(self) -> Vec<f32> {
        vec![self]
    }
}

macro_rules! flat_tuple {
    ($($x:ident),+) => {
        impl<T: Copy> Flat for ($(flat_tuple!(@t $x),)+) {
            type T = T;
            #[allow(non_snake_case, reason = "the tuple's fields are named after their positions")]
            fn flat(self) -> Vec<T> {
                let ($($x,)+) = self;
                vec![$($x),+]
            }
        }
    };
    (@t $x:ident) => { T };
}
flat_tuple!(A, B);
flat_tuple!(A, B, C);
flat_tuple!(A, B, C, D);
flat_tuple!(A, B, C, D, E);
flat_tuple!(A, B, C, D, E, F);
flat_tuple!(A, B, C, D, E, F, G);

/// Central differences of `f` at `at`, one per argument, in f64.
pub(crate) fn central_diff(f: impl Fn(&[f64]) -> f64, at: &[f64]) -> Vec<f64> {
    (0..at.len())
        .map(|i| {
            let h = 5e-6 * (1.0 + at[i].abs());
            let mut hi = at.to_vec();
            let mut lo = at.to_vec();
            hi[i] += h;
            lo[i] -= h;
            (f(&hi) - f(&lo)) / (hi[i] - lo[i])
        })
        .collect()
}

/// A float type the checks run in, with its tolerances.
pub(crate) trait Tol: Copy + Into<f64> + std::fmt::Debug {
    /// Relative tolerance against the closed form.
    const CLOSED: f64;
    /// Relative tolerance against the central difference.
    const FD: f64;
}

impl Tol for f64 {
    const CLOSED: f64 = 1e-10;
    const FD: f64 = 1e-6;
}

impl Tol for f32 {
    const CLOSED: f64 = 2e-4;
    const FD: f64 = 2e-3;
}

/// Asserts `got[i] ≈ want[i]` within `rtol·(1 + |want[i]|)`.
#[track_caller]
pub(crate) fn assert_close<T: Tol>(what: &str, at: &[f64], got: &[T], want: &[f64], rtol: f64) {
    assert_eq!(got.len(), want.len(), "{what}: arity at {at:?}");
    for (i, (&g, &w)) in got.iter().zip(want).enumerate() {
        let g: f64 = g.into();
        let tol = rtol * (1.0 + w.abs());
        assert!(
            (g - w).abs() <= tol && g.is_finite(),
            "{what}: partial {i} at {at:?}: got {g:e}, want {w:e} (|diff| {:e} > tol {tol:e})",
            (g - w).abs()
        );
    }
}

/// Converts a flat gradient to f64.
pub(crate) fn widen<T: Into<f64> + Copy>(v: &[T]) -> Vec<f64> {
    v.iter().map(|&x| x.into()).collect()
}
