//! Shared helpers: deterministic inputs, the arguments of a function under
//! test in both precisions, flattening of gradients, central differences and
//! tolerances.
//!
//! Tolerances (stated once, used everywhere):
//!
//! | check | f64 | f32 |
//! |---|---|---|
//! | generated vs closed form | `1e-10·(1 + |c|)` | — |
//! | generated vs central difference (always taken in f64) | `1e-6·(1 + |fd|)` | `2e-3·(1 + |fd|)` |
//!
//! Every input is f32-representable (rounded through `f32` when built), so
//! the f32 instance of a function and its f64 twin see identical points, and
//! the f32 gradient is compared with the f64 central difference.

use grad::{Matrix, NotDifferentiated};

/// Relative tolerance of f64 gradients against the f64 central difference.
pub(crate) const FD64: f64 = 1e-6;
/// Relative tolerance of f32 gradients against the f64 central difference.
pub(crate) const FD32: f64 = 2e-3;
/// Relative tolerance of f64 gradients against a closed form.
pub(crate) const CLOSED: f64 = 1e-10;

/// `x` rounded to f32 and back.
fn r32(x: f64) -> f64 {
    f64::from(x as f32)
}

/// A deterministic "random-ish" `rows × cols` matrix in `[lo, hi]`:
/// `sin` of an irrational multiple of the index, different per `seed`.
pub(crate) fn mat(rows: usize, cols: usize, seed: u32, lo: f64, hi: f64) -> Matrix<f64> {
    Matrix::from_fn(rows, cols, |i, j| {
        let k = (i * cols + j) as f64;
        let u = 0.5 + 0.5 * (k * 1.618_033_988_7 + f64::from(seed) * 2.9 + 0.3).sin();
        r32(lo + (hi - lo) * u)
    })
}

/// A deterministic vector of length `n` in `[lo, hi]` (a `cos` formula).
pub(crate) fn vector(n: usize, seed: u32, lo: f64, hi: f64) -> Vec<f64> {
    (0..n)
        .map(|k| {
            let u = 0.5 + 0.5 * (k as f64 * 2.236_067_977 + f64::from(seed) * 1.414_3).cos();
            r32(lo + (hi - lo) * u)
        })
        .collect()
}

/// Labels `< classes`, one per row, every class used when `rows ≥ classes`.
pub(crate) fn labels(rows: usize, classes: usize) -> Vec<usize> {
    (0..rows).map(|i| (i * 7 + 2) % classes).collect()
}

/// The f32 copy of a matrix (exact: its elements are f32-representable).
pub(crate) fn m32(m: &Matrix<f64>) -> Matrix<f32> {
    Matrix::from_fn(m.rows(), m.cols(), |i, j| m[(i, j)] as f32)
}

/// One argument of a function under test, held in both precisions (the
/// f32 copy is made once; central differences perturb only the f64 one).
#[derive(Clone, Debug)]
pub(crate) enum Arg {
    /// A float.
    S(f64, f32),
    /// A vector.
    V(Vec<f64>, Vec<f32>),
    /// A matrix.
    M(Matrix<f64>, Matrix<f32>),
    /// Class labels.
    L(Vec<usize>),
    /// Not differentiated (outside `wrt`): never perturbed.
    K(Box<Arg>),
}

/// A scalar argument.
pub(crate) fn s(x: f64) -> Arg {
    Arg::S(r32(x), x as f32)
}

/// A vector argument.
pub(crate) fn v(n: usize, seed: u32, lo: f64, hi: f64) -> Arg {
    let x = vector(n, seed, lo, hi);
    let y = x.iter().map(|&e| e as f32).collect();
    Arg::V(x, y)
}

/// A matrix argument.
pub(crate) fn m(rows: usize, cols: usize, seed: u32, lo: f64, hi: f64) -> Arg {
    let x = mat(rows, cols, seed, lo, hi);
    let y = m32(&x);
    Arg::M(x, y)
}

/// A matrix argument with given elements.
pub(crate) fn mx(x: Matrix<f64>) -> Arg {
    let y = m32(&x);
    Arg::M(x, y)
}

/// An argument the function does not differentiate.
pub(crate) fn k(a: Arg) -> Arg {
    Arg::K(Box::new(a))
}

/// Labels for `rows` rows of `classes` classes.
pub(crate) fn l(rows: usize, classes: usize) -> Arg {
    Arg::L(labels(rows, classes))
}

impl Arg {
    fn inner(&self) -> &Arg {
        match self {
            Arg::K(a) => a.inner(),
            a => a,
        }
    }

    /// The f64 elements that are differentiated.
    fn perturbable(&mut self) -> Vec<&mut f64> {
        match self {
            Arg::S(x, _) => vec![x],
            Arg::V(v, _) => v.iter_mut().collect(),
            Arg::M(m, _) => m.as_mut_slice().iter_mut().collect(),
            Arg::K(_) | Arg::L(_) => Vec::new(),
        }
    }
}

/// A parameter of a function under test, built from an [`Arg`]: the
/// parameter's type picks the conversion (so one macro arm calls any fn).
pub(crate) trait FromArg<'a> {
    /// The value for this parameter.
    fn from_arg(a: &'a Arg) -> Self;
}

macro_rules! from_arg {
    ($($t:ty, $variant:ident, |$x:ident, $y:ident| $e:expr;)*) => {$(
        impl<'a> FromArg<'a> for $t {
            #[allow(unused_variables, reason = "each conversion reads one precision")]
            fn from_arg(a: &'a Arg) -> Self {
                match a.inner() {
                    Arg::$variant($x, $y) => $e,
                    other => panic!("{other:?} does not convert to {}", stringify!($t)),
                }
            }
        }
    )*};
}

from_arg! {
    f64, S, |x, y| *x;
    f32, S, |x, y| *y;
    &'a [f64], V, |x, y| x;
    &'a [f32], V, |x, y| y;
    &'a Matrix<f64>, M, |x, y| x;
    &'a Matrix<f32>, M, |x, y| y;
    Matrix<f64>, M, |x, y| x.clone();
    Matrix<f32>, M, |x, y| y.clone();
    Vec<f64>, V, |x, y| x.clone();
    Vec<f32>, V, |x, y| y.clone();
}

impl<'a> FromArg<'a> for &'a [usize] {
    fn from_arg(a: &'a Arg) -> Self {
        match a.inner() {
            Arg::L(l) => l,
            other => panic!("{other:?} is not labels"),
        }
    }
}

/// Anything gradient-shaped, flattened to f64 in parameter order.
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

impl Flat for NotDifferentiated {
    fn flat(&self) -> Vec<f64> {
        Vec::new()
    }
}

impl<T: Flat> Flat for Vec<T> {
    fn flat(&self) -> Vec<f64> {
        self.iter().flat_map(Flat::flat).collect()
    }
}

impl Flat for Matrix<f64> {
    fn flat(&self) -> Vec<f64> {
        self.as_slice().to_vec()
    }
}

impl Flat for Matrix<f32> {
    fn flat(&self) -> Vec<f64> {
        self.as_slice().iter().map(|&x| f64::from(x)).collect()
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

/// The shape of a gradient, to check that each partial has its parameter's
/// shape (a `Matrix` of the same rows and columns, a `Vec` of the same length).
pub(crate) trait Shapes {
    /// `(rows, cols)` per slot; a vector is `(1, len)`, a scalar `(0, 0)`.
    fn shapes(&self) -> Vec<(usize, usize)>;
}

impl Shapes for f64 {
    fn shapes(&self) -> Vec<(usize, usize)> {
        vec![(0, 0)]
    }
}

impl Shapes for f32 {
    fn shapes(&self) -> Vec<(usize, usize)> {
        vec![(0, 0)]
    }
}

impl<T> Shapes for Vec<T> {
    fn shapes(&self) -> Vec<(usize, usize)> {
        vec![(1, self.len())]
    }
}

impl<T: grad::Real> Shapes for Matrix<T> {
    fn shapes(&self) -> Vec<(usize, usize)> {
        vec![self.shape()]
    }
}

macro_rules! shapes_tuple {
    ($($x:ident $i:tt),+) => {
        impl<$($x: Shapes),+> Shapes for ($($x,)+) {
            fn shapes(&self) -> Vec<(usize, usize)> {
                let mut v = Vec::new();
                $(v.extend(self.$i.shapes());)+
                v
            }
        }
    };
}
shapes_tuple!(A 0, B 1);
shapes_tuple!(A 0, B 1, C 2);
shapes_tuple!(A 0, B 1, C 2, D 3);
shapes_tuple!(A 0, B 1, C 2, D 3, E 4);

/// The shapes the gradient of a fn of `args` must have (differentiated ones only).
pub(crate) fn arg_shapes(args: &[Arg]) -> Vec<(usize, usize)> {
    args.iter()
        .filter_map(|a| match a {
            Arg::S(..) => Some((0, 0)),
            Arg::V(x, _) => Some((1, x.len())),
            Arg::M(x, _) => Some(x.shape()),
            Arg::K(_) | Arg::L(_) => None,
        })
        .collect()
}

/// The central difference of `f` in every differentiated element of `at`,
/// in argument order, in f64, with step `1e-6·(1 + |x|)`.
pub(crate) fn central_diff(f: impl Fn(&[Arg]) -> f64, at: &[Arg]) -> Vec<f64> {
    let mut out = Vec::new();
    let mut args = at.to_vec();
    for i in 0..args.len() {
        let n = args[i].perturbable().len();
        for j in 0..n {
            let x = *args[i].perturbable()[j];
            let h = 1e-6 * (1.0 + x.abs());
            *args[i].perturbable()[j] = x + h;
            let hi = f(&args);
            *args[i].perturbable()[j] = x - h;
            let lo = f(&args);
            *args[i].perturbable()[j] = x;
            out.push((hi - lo) / (2.0 * h));
        }
    }
    out
}

/// Asserts `got[i] ≈ want[i]` within `rtol·(1 + |want[i]|)`, and `got` finite.
#[track_caller]
pub(crate) fn assert_close(what: &str, got: &[f64], want: &[f64], rtol: f64) {
    assert_eq!(
        got.len(),
        want.len(),
        "{what}: length: got {got:?}, want {want:?}"
    );
    for (i, (&g, &w)) in got.iter().zip(want).enumerate() {
        let tol = rtol * (1.0 + w.abs());
        assert!(
            (g - w).abs() <= tol && g.is_finite(),
            "{what}: element {i}: got {g:e}, want {w:e} (|diff| {:e} > tol {tol:e})\n got  {got:?}\n want {want:?}",
            (g - w).abs()
        );
    }
}

/// `Σ a_i b_i`.
pub(crate) fn dot64(a: &[f64], b: &[f64]) -> f64 {
    assert_eq!(a.len(), b.len());
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Every element of the gradient is non-zero somewhere: a check that
/// cannot pass with a gradient of zeros (tests weight the outputs so that
/// no partial vanishes identically).
#[track_caller]
pub(crate) fn assert_not_all_zero(what: &str, g: &[f64]) {
    assert!(
        g.iter().any(|&x| x != 0.0),
        "{what}: the gradient is all zeros, the check would be vacuous"
    );
}
