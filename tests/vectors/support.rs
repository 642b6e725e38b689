//! Shared helpers: a seeded generator, flattening of gradients, central
//! differences, tolerances, panic-message checks.
//!
//! Tolerances (stated once, used everywhere):
//!
//! | check | f64 | f32 |
//! |---|---|---|
//! | generated vs closed form (same precision) | `1e-10·(1 + |c|)` | `1e-4·(1 + |c|)` |
//! | generated vs central difference | `1e-6·(1 + |fd|)` | `2e-3·(1 + |fd|)` |
//!
//! The central difference is always taken in f64, on the f64 twin of the
//! function, at the same point: every random point is f32-representable, so
//! the f32 instance and the f64 twin see identical inputs. An f32 difference
//! quotient would be too noisy to catch anything.

use std::panic::{AssertUnwindSafe, catch_unwind};

pub(crate) use crate::rng::Rng;

impl Rng {
    /// Uniform in `[lo, hi)`, rounded to the nearest f32 (so the f32 and f64
    /// instances of a function see the same point).
    pub(crate) fn uniform(&mut self, lo: f64, hi: f64) -> f64 {
        f64::from(self.uniform_f64(lo, hi) as f32)
    }

    /// `n` values uniform in `[lo, hi)`.
    pub(crate) fn vec(&mut self, n: usize, lo: f64, hi: f64) -> Vec<f64> {
        (0..n).map(|_| self.uniform(lo, hi)).collect()
    }
}

/// Random points per function and precision.
pub(crate) const SAMPLES: usize = 16;

/// Anything gradient-shaped, flattened to f64 in parameter order: scalars,
/// `Vec`s, arrays, tuples of those (the gradient shapes of API §1–2).
pub(crate) trait Flat {
    /// The elements, in order, widened to f64.
    fn flat(&self) -> Vec<f64>;
}

impl Flat for f64 {
    fn flat(&self) -> Vec<f64> {
        vec![*self]
    }
}

impl Flat for f32 {
    fn flat(&self) -> Vec<f64> {
        vec![f64::from(*self)]
    }
}

impl<T: Flat> Flat for Vec<T> {
    fn flat(&self) -> Vec<f64> {
        self.iter().flat_map(Flat::flat).collect()
    }
}

impl<T: Flat, const N: usize> Flat for [T; N] {
    fn flat(&self) -> Vec<f64> {
        self.iter().flat_map(Flat::flat).collect()
    }
}

macro_rules! flat_tuple {
    ($($x:ident $i:tt),+) => {
        impl<$($x: Flat),+> Flat for ($($x,)+) {
            fn flat(&self) -> Vec<f64> {
                let mut v = Vec::new();
                $(v.extend(self.$i.flat());)+
                v
            }
        }
    };
}
flat_tuple!(A 0, B 1);
flat_tuple!(A 0, B 1, C 2);
flat_tuple!(A 0, B 1, C 2, D 3);
flat_tuple!(A 0, B 1, C 2, D 3, E 4);
flat_tuple!(A 0, B 1, C 2, D 3, E 4, F 5);

/// Central differences of `f` at `at`, one per coordinate, in f64.
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

/// The Jacobian of a vector function by central differences: row `i` is the
/// gradient of output `i`.
pub(crate) fn central_jacobian(f: impl Fn(&[f64]) -> Vec<f64>, at: &[f64]) -> Vec<Vec<f64>> {
    let m = f(at).len();
    (0..m).map(|i| central_diff(|x| f(x)[i], at)).collect()
}

/// A float type the checks run in, with its tolerances.
pub(crate) trait Tol: Copy {
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
    const CLOSED: f64 = 1e-4;
    const FD: f64 = 2e-3;
}

/// Asserts `got[i] ≈ want[i]` within `rtol·(1 + |want[i]|)`, and `got` finite.
#[track_caller]
pub(crate) fn assert_close(what: &str, at: &[f64], got: &[f64], want: &[f64], rtol: f64) {
    assert_eq!(
        got.len(),
        want.len(),
        "{what}: length at {at:?}: got {got:?}, want {want:?}"
    );
    for (i, (&g, &w)) in got.iter().zip(want).enumerate() {
        let tol = rtol * (1.0 + w.abs());
        assert!(
            (g - w).abs() <= tol && g.is_finite(),
            "{what}: element {i} at {at:?}: got {g:e}, want {w:e} (|diff| {:e} > tol {tol:e})\n got  {got:?}\n want {want:?}",
            (g - w).abs()
        );
    }
}

/// Runs `f`, expecting a panic whose message names `op` and both lengths.
#[track_caller]
pub(crate) fn assert_panics_naming<R>(
    what: &str,
    op: &str,
    a: usize,
    b: usize,
    f: impl FnOnce() -> R,
) {
    let err = match catch_unwind(AssertUnwindSafe(f)) {
        Ok(_) => panic!("{what}: no panic, lengths {a} and {b} were accepted"),
        Err(e) => e,
    };
    let msg = err
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| err.downcast_ref::<&str>().map(|s| (*s).to_owned()))
        .unwrap_or_default();
    assert!(
        msg.contains(op) && msg.contains(&a.to_string()) && msg.contains(&b.to_string()),
        "{what}: the panic message {msg:?} should name `{op}` and both lengths {a} and {b}"
    );
}

/// `Σ a_i b_i` in f64.
pub(crate) fn dot64(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// `Jᵀ·c` for a Jacobian given as rows.
pub(crate) fn jt_c(j: &[Vec<f64>], c: &[f64]) -> Vec<f64> {
    let n = j.first().map_or(0, Vec::len);
    (0..n)
        .map(|k| j.iter().zip(c).map(|(row, ci)| row[k] * ci).sum())
        .collect()
}
