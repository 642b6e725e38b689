//! The fns under test, each written once as a `macro_rules!` body over a
//! float type name and instantiated three times through `#[differentiable]`:
//! generic over `T: Real` (`name`), and for `f32` (`name_32`) and `f64`
//! (`name_64`). The tests compare the generic fn at `f32`/`f64` with the
//! concrete ones bit for bit.
//!
//! Literals are chosen so that literal arithmetic (`1.5 * 2.0`) is exact in
//! `f32` and `f64`: the three instantiations fold it alike.

use grad::prelude::*;

/// Declares `$name` (generic over `T: Real`), `$n32` and `$n64` from one body
/// written over `$T`.
macro_rules! three {
    ($body:ident: $name:ident, $n32:ident, $n64:ident) => {
        $body!($name, T, [<T: Real>]);
        $body!($n32, f32, []);
        $body!($n64, f64, []);
    };
}

/// Scalar arithmetic, transcendental methods and literals (some folded).
macro_rules! scalar {
    ($name:ident, $T:ident, [$($g:tt)*]) => {
        #[differentiable]
        pub(crate) fn $name $($g)* (x: $T, y: $T) -> $T {
            let a = x * y + 0.5 * x.sin();
            let k: $T = 1.5 * 2.0;
            a * (0.25 * y).exp() - y / 3.0 + k * x.powi(2)
        }
    };
}
three!(scalar: scalar, scalar_32, scalar_64);

/// A vector fn: `2σ(w·x + b) + ¼Σw²`.
macro_rules! vector {
    ($name:ident, $T:ident, [$($g:tt)*]) => {
        #[differentiable]
        pub(crate) fn $name $($g)* (w: &[$T], x: &[$T], b: $T) -> $T {
            let z = dot(w, x) + b;
            sigmoid(z) * 2.0 + 0.25 * sum(w * w)
        }
    };
}
three!(vector: vector, vector_32, vector_64);

/// A matrix fn: `½Σ tanh(W x)`.
macro_rules! matrix {
    ($name:ident, $T:ident, [$($g:tt)*]) => {
        #[differentiable]
        pub(crate) fn $name $($g)* (w: &Matrix<$T>, x: &[$T]) -> $T {
            let h = matvec(w, x);
            sum(tanh(h)) * 0.5
        }
    };
}
three!(matrix: matrix, matrix_32, matrix_64);

/// An `if` with a literal in its condition and in both branches.
macro_rules! branch {
    ($name:ident, $T:ident, [$($g:tt)*]) => {
        #[differentiable]
        pub(crate) fn $name $($g)* (x: $T, y: $T) -> $T {
            if x > 0.5 { x * y * 2.0 } else { y - x * x * 0.75 }
        }
    };
}
three!(branch: branch, branch_32, branch_64);

/// A `for` loop (Horner's rule), its accumulator a literal at first.
macro_rules! horner {
    ($name:ident, $T:ident, [$($g:tt)*]) => {
        #[differentiable]
        pub(crate) fn $name $($g)* (c: &[$T], x: $T) -> $T {
            let mut acc = 0.0;
            for i in 0..c.len() {
                acc = acc * x + c[i];
            }
            acc * 1.5
        }
    };
}
three!(horner: horner, horner_32, horner_64);

/// Composition: `inner(x, y)·inner(y, x) + 1`, the generic one calling the
/// generic `inner` with and without a turbofish.
macro_rules! inner {
    ($name:ident, $T:ident, [$($g:tt)*]) => {
        #[differentiable]
        pub(crate) fn $name $($g)* (x: $T, y: $T) -> $T {
            x * y.sin() + 0.5
        }
    };
}
three!(inner: inner, inner_32, inner_64);

/// The caller of [`inner`].
#[differentiable]
pub(crate) fn outer<T: Real>(x: T, y: T) -> T {
    inner(x, y) * inner::<T>(y, x) + 1.0
}
/// [`outer`] over `f32`.
#[differentiable]
pub(crate) fn outer_32(x: f32, y: f32) -> f32 {
    inner_32(x, y) * inner_32(y, x) + 1.0
}
/// [`outer`] over `f64`.
#[differentiable]
pub(crate) fn outer_64(x: f64, y: f64) -> f64 {
    inner_64(x, y) * inner_64(y, x) + 1.0
}

/// Second order: `x²y + ½y³ + sin x`, with `_jvp`, `_hvp` and `_hessian`.
macro_rules! quartic {
    ($name:ident, $T:ident, [$($g:tt)*]) => {
        #[differentiable(hessian)]
        pub(crate) fn $name $($g)* (x: $T, y: $T) -> $T {
            x * x * y + 0.5 * y.powi(3) + x.sin()
        }
    };
}
three!(quartic: quartic, quartic_32, quartic_64);

/// A vector-valued fn (`_vjp`, `_jacobian`): `x ⊙ x · ½ + 1.25`.
macro_rules! squares {
    ($name:ident, $T:ident, [$($g:tt)*]) => {
        #[differentiable]
        pub(crate) fn $name $($g)* (x: &[$T]) -> Vec<$T> {
            x * x * 0.5 + 1.25
        }
    };
}
three!(squares: squares, squares_32, squares_64);

/// The float type bounded in a where-clause, with another bound beside
/// `Real`, and a count converted with `T::from_usize`.
#[differentiable]
pub(crate) fn weighted<T>(x: &[T]) -> T
where
    T: grad::Real + core::fmt::Debug,
{
    let mut s = 0.0;
    for i in 0..x.len() {
        s = s + T::from_usize(i + 1) * x[i] * x[i];
    }
    s
}

/// `x·(0.1·9)`: a literal product that is not exact in `f32` (0.1 is not
/// an `f32`).
macro_rules! tenth {
    ($name:ident, $T:ident, [$($g:tt)*]) => {
        #[differentiable]
        pub(crate) fn $name $($g)* (x: $T) -> $T {
            x * (0.1 * 9.0)
        }
    };
}
three!(tenth: tenth, tenth_32, tenth_64);

/// Annotated locals (`T`, `Vec<T>` from a call), conversions
/// (`T::from_f64`, `<T as Real>::from_f64`, `T::ZERO`), `T::exp` by path and
/// scalar methods with literal arguments.
#[differentiable]
pub(crate) fn annotated<T: Real>(x: T, v: &[T]) -> T {
    let h: T = x * 2.0;
    let w: Vec<T> = squared(v);
    let z = T::from_f64(0.25) + <T as Real>::from_f64(0.5) + T::ZERO;
    sum(w) * h + T::exp(x) + x.max(0.0) + x.powf(1.5) + z * x
}

/// `v ⊙ v`, called by [`annotated`].
#[differentiable]
pub(crate) fn squared<T: Real>(v: &[T]) -> Vec<T> {
    v * v
}

/// An array of a const-generic length.
#[differentiable]
pub(crate) fn half_norm<T: Real, const N: usize>(x: [T; N]) -> T {
    sum(x * x) * 0.5
}

/// A matrix-valued fn.
#[differentiable]
pub(crate) fn shifted<T: Real>(w: Matrix<T>, s: T) -> Matrix<T> {
    w * s + 1.0
}

/// A `while` loop whose condition holds a literal: `s ← 2s + ½` until `s ≥ 10`.
#[differentiable]
pub(crate) fn doubling<T: Real>(x: T) -> T {
    let mut s = x;
    while s < 10.0 {
        s = s * 2.0 + 0.5;
    }
    s
}

/// A callee of [`second_composed`], with second derivatives.
#[differentiable(hessian)]
pub(crate) fn sin_prod<T: Real>(x: T, y: T) -> T {
    x * y.sin()
}

/// Second derivatives through calls of a generic fn.
#[differentiable(jvp, hessian)]
pub(crate) fn second_composed<T: Real>(x: T, y: T) -> T {
    sin_prod(x, y) * sin_prod::<T>(y, x) + 0.5 * x
}

/// Lifetimes beside `T`, an array literal and `vec![lit; n]`.
#[differentiable]
pub(crate) fn with_lifetime<'a, T: Real>(x: &'a [T], k: &'a [usize]) -> T {
    let a = [x[k[0]], 0.5];
    let v = vec![0.25; 3];
    sum(a) + sum(v) * x[0]
}

/// `wrt` in a generic fn.
#[differentiable(wrt(y))]
pub(crate) fn only_y<T: Real>(x: T, y: T) -> T {
    x * y * y
}

/// A concrete fn calling the generic [`inner`] (`T` inferred, and named).
#[differentiable]
pub(crate) fn concrete_caller(x: f32, y: f32) -> f32 {
    inner(x, y) * inner::<f32>(y, x) + 1.0
}
