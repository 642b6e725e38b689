//! Helpers of the second-order tests, on top of the matrix suite's
//! arguments (`tests/matrices/support.rs`: [`Arg`] holds each argument in
//! f64 and f32, [`FromArg`] converts it to the parameter's type, [`Flat`]
//! flattens a gradient).
//!
//! Tolerances (stated once, used everywhere):
//!
//! | check | f64 | f32 |
//! |---|---|---|
//! | `_hessian` vs a closed form | `1e-12·(1 + |c|)` | `1e-4·(1 + |c|)` |
//! | `_hessian` vs central differences of `_grad` (taken in f64) | `1e-6·(1 + |fd|)` | — |
//! | `_hessian` (f32) vs `_hessian` (f64) | — | `2e-3·(1 + |h|)` |
//! | `_hvp(v)` vs `_hessian · v`; `_jvp`'s derivative vs `⟨_grad, v⟩` | `1e-12·(1 + Σ|terms|)` | `1e-4·(1 + Σ|terms|)` |
//! | symmetry of `_hessian`; `_jvp`'s value vs `f` | bit for bit | bit for bit |

pub(crate) use crate::msupport::{Arg, FD64, Flat, FromArg, assert_close, k, l, m, s, v};
use grad::{Matrix, Real};

/// Relative tolerance of an f64 Hessian against its closed form.
pub(crate) const CLOSED64: f64 = 1e-12;
/// Relative tolerance of an f32 Hessian against its (f64) closed form.
pub(crate) const CLOSED32: f64 = 1e-4;
/// Relative tolerance of an f32 Hessian against the f64 one.
pub(crate) const F32_VS_F64: f64 = 2e-3;
/// Relative tolerance of products (`H·v`, `⟨g, v⟩`), scaled by `Σ|terms|`.
pub(crate) const PRODUCT64: f64 = 1e-12;
/// The same in f32.
pub(crate) const PRODUCT32: f64 = 1e-4;

/// `a` without its "not differentiated" wrapper.
fn base(a: &Arg) -> &Arg {
    match a {
        Arg::K(inner) => base(inner),
        a => a,
    }
}

impl<'a, const N: usize> FromArg<'a> for [f64; N] {
    fn from_arg(a: &'a Arg) -> Self {
        match base(a) {
            Arg::V(x, _) => x
                .as_slice()
                .try_into()
                .expect("an array of the right length"),
            other => panic!("{other:?} is not an array"),
        }
    }
}

impl<'a, const N: usize> FromArg<'a> for [f32; N] {
    fn from_arg(a: &'a Arg) -> Self {
        match base(a) {
            Arg::V(_, y) => y
                .as_slice()
                .try_into()
                .expect("an array of the right length"),
            other => panic!("{other:?} is not an array"),
        }
    }
}

impl<'a, const N: usize> FromArg<'a> for &'a [f64; N] {
    fn from_arg(a: &'a Arg) -> Self {
        match base(a) {
            Arg::V(x, _) => x
                .as_slice()
                .try_into()
                .expect("an array of the right length"),
            other => panic!("{other:?} is not an array"),
        }
    }
}

impl<'a, const N: usize> FromArg<'a> for &'a [f32; N] {
    fn from_arg(a: &'a Arg) -> Self {
        match base(a) {
            Arg::V(_, y) => y
                .as_slice()
                .try_into()
                .expect("an array of the right length"),
            other => panic!("{other:?} is not an array"),
        }
    }
}

impl<'a> FromArg<'a> for &'a Vec<f64> {
    fn from_arg(a: &'a Arg) -> Self {
        match base(a) {
            Arg::V(x, _) => x,
            other => panic!("{other:?} is not a vector"),
        }
    }
}

impl<'a> FromArg<'a> for &'a Vec<f32> {
    fn from_arg(a: &'a Arg) -> Self {
        match base(a) {
            Arg::V(_, y) => y,
            other => panic!("{other:?} is not a vector"),
        }
    }
}

/// A `usize` constant (a class index), held as one label.
pub(crate) fn c(class: usize) -> Arg {
    Arg::L(vec![class])
}

impl<'a> FromArg<'a> for usize {
    fn from_arg(a: &'a Arg) -> Self {
        match base(a) {
            Arg::L(l) if l.len() == 1 => l[0],
            other => panic!("{other:?} is not a usize constant"),
        }
    }
}

/// The differentiated elements of `at` (in f64, flattened in order: a float
/// is one entry, a vector its elements, a matrix row by row), as mutable
/// references.
fn entries(at: &mut [Arg]) -> Vec<&mut f64> {
    at.iter_mut()
        .flat_map(|a| -> Vec<&mut f64> {
            match a {
                Arg::S(x, _) => vec![x],
                Arg::V(x, _) => x.iter_mut().collect(),
                Arg::M(x, _) => x.as_mut_slice().iter_mut().collect(),
                Arg::K(_) | Arg::L(_) => Vec::new(),
            }
        })
        .collect()
}

/// How many floats the Hessian of a fn of `at` is over.
pub(crate) fn flat_len(at: &[Arg]) -> usize {
    entries(&mut at.to_vec()).len()
}

/// Central differences of a gradient: column `k` is
/// `(grad(x + h e_k) − grad(x − h e_k)) / 2h` with `h = 1e-5·(1 + |x_k|)`;
/// the result is `n × n`, row-major, like `f_hessian`.
pub(crate) fn grad_central_diff(grad: impl Fn(&[Arg]) -> Vec<f64>, at: &[Arg]) -> Vec<f64> {
    let n = flat_len(at);
    let mut h = vec![0.0; n * n];
    let mut args = at.to_vec();
    for col in 0..n {
        let x = *entries(&mut args)[col];
        let step = 1e-5 * (1.0 + x.abs());
        *entries(&mut args)[col] = x + step;
        let hi = grad(&args);
        *entries(&mut args)[col] = x - step;
        let lo = grad(&args);
        *entries(&mut args)[col] = x;
        assert_eq!(
            hi.len(),
            n,
            "the gradient has one entry per differentiated float"
        );
        for row in 0..n {
            h[row * n + col] = (hi[row] - lo[row]) / (2.0 * step);
        }
    }
    h
}

/// One direction per differentiated argument of `at`, of its shape, with
/// f32-representable elements in `[-1, 1]` (different per `seed`).
pub(crate) fn directions(at: &[Arg], seed: u32) -> Vec<Arg> {
    let mut seed = seed;
    at.iter()
        .filter_map(|a| {
            seed += 7;
            match a {
                Arg::S(..) => Some(s(0.25 + 0.5 * (f64::from(seed) * 1.3).sin())),
                Arg::V(x, _) => Some(v(x.len(), seed, -1.0, 1.0)),
                Arg::M(x, _) => Some(m(x.rows(), x.cols(), seed, -1.0, 1.0)),
                Arg::K(_) | Arg::L(_) => None,
            }
        })
        .collect()
}

/// The directions flattened, in f64.
pub(crate) fn flat_dirs(dirs: &[Arg]) -> Vec<f64> {
    entries(&mut dirs.to_vec())
        .into_iter()
        .map(|x| *x)
        .collect()
}

/// `H·v` in f64, with `Σ_j |H_ij v_j|` per row (the scale of its rounding).
pub(crate) fn mul(h: &[f64], v: &[f64]) -> (Vec<f64>, Vec<f64>) {
    let n = v.len();
    assert_eq!(h.len(), n * n, "a square matrix of the vector's size");
    let row = |i: usize| h[i * n..(i + 1) * n].iter().zip(v);
    (
        (0..n).map(|i| row(i).map(|(a, b)| a * b).sum()).collect(),
        (0..n)
            .map(|i| row(i).map(|(a, b)| (a * b).abs()).sum())
            .collect(),
    )
}

/// `⟨a, b⟩` and `Σ|a_i b_i|`.
pub(crate) fn inner(a: &[f64], b: &[f64]) -> (f64, f64) {
    assert_eq!(a.len(), b.len());
    let p = a.iter().zip(b);
    (
        p.clone().map(|(x, y)| x * y).sum(),
        p.map(|(x, y)| (x * y).abs()).sum(),
    )
}

/// `|got − want| ≤ rtol·(1 + scale)` for each element.
#[track_caller]
pub(crate) fn assert_scaled(what: &str, got: &[f64], want: &[f64], scale: &[f64], rtol: f64) {
    assert_eq!(got.len(), want.len(), "{what}: length");
    for (i, ((&g, &w), &s)) in got.iter().zip(want).zip(scale).enumerate() {
        let tol = rtol * (1.0 + s);
        assert!(
            (g - w).abs() <= tol && g.is_finite(),
            "{what}: element {i}: got {g:e}, want {w:e} (|diff| {:e} > tol {tol:e})",
            (g - w).abs()
        );
    }
}

/// The Hessian is `n × n` and symmetric to the last bit.
#[track_caller]
pub(crate) fn assert_symmetric<T: Real>(what: &str, h: &Matrix<T>, n: usize) {
    assert_eq!(h.shape(), (n, n), "{what}: the Hessian's shape");
    for i in 0..n {
        for j in 0..i {
            assert_eq!(
                h[(i, j)].to_f64().to_bits(),
                h[(j, i)].to_f64().to_bits(),
                "{what}: H[{i}][{j}] = {:e} but H[{j}][{i}] = {:e}",
                h[(i, j)].to_f64(),
                h[(j, i)].to_f64()
            );
        }
    }
}

/// Some entry of `h` is not zero: a check that cannot pass with a Hessian
/// of zeros.
#[track_caller]
pub(crate) fn assert_not_all_zero(what: &str, h: &[f64]) {
    assert!(
        h.iter().any(|&x| x != 0.0),
        "{what}: the Hessian is all zeros, the check would be vacuous"
    );
}

/// A matrix from an `n × n` row-major list, in f64.
pub(crate) fn square(n: usize, f: impl Fn(usize, usize) -> f64) -> Vec<f64> {
    (0..n * n).map(|k| f(k / n, k % n)).collect()
}

impl<const N: usize> Flat for [f64; N] {
    fn flat(&self) -> Vec<f64> {
        self.to_vec()
    }
}

impl<const N: usize> Flat for [f32; N] {
    fn flat(&self) -> Vec<f64> {
        self.iter().map(|&x| f64::from(x)).collect()
    }
}
