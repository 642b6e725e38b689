//! `#[differentiable]` on vector functions (API §2) against closed forms and
//! central finite differences, in f64 and f32.
//!
//! - [`ops`]: every vector op, at seeded random points ([`support::SAMPLES`]
//!   per precision), through `_grad`, `_value_and_grad` and (for
//!   vector-valued functions) `_vjp`;
//! - [`softmax`]: the softmax and log-softmax Jacobians in closed form, the
//!   seed tutorial's example, extreme logits, `_jacobian` vs `_vjp`;
//! - [`params`]: every parameter kind and its gradient type, `wrt(..)`;
//! - [`models`]: logistic regression, a two-layer network, composition with
//!   `#[differentiable]` and hand-written `g_vjp`/`g_grad`;
//! - [`large`]: the same ops at lengths 1 to 1000, across the switch to SIMD kernels;
//! - [`probes`]: corner cases of the rules (if, shadowing, identity outputs, ...);
//! - [`edge`]: NaN propagation, empty vectors, one-element softmax;
//! - [`panics`]: run-time length mismatches name the op and both lengths.
//!
//! Tolerances are stated once, in [`support`].

/// Conversion of an f64 test point into the precision under test.
pub(crate) trait FromF64 {
    /// `x`, rounded to `Self`.
    fn from64(x: f64) -> Self;
}

impl FromF64 for f64 {
    fn from64(x: f64) -> Self {
        x
    }
}

impl FromF64 for f32 {
    #[allow(
        clippy::cast_possible_truncation,
        reason = "test points are f32-representable by construction"
    )]
    fn from64(x: f64) -> Self {
        x as f32
    }
}

/// One argument of a function under test, by kind:
///
/// | kind | parameter | passed as |
/// |---|---|---|
/// | `s(lo, hi)` | `T` | value |
/// | `v(n, lo, hi)` | `&[T]` or `&Vec<T>` | `&vec` |
/// | `o(n, lo, hi)` | `Vec<T>` | `vec.clone()` |
/// | `a(n, lo, hi)` | `[T; n]` | value |
/// | `ar(n, lo, hi)` | `&[T; n]` | `&array` |
/// | `k(expr)` | a constant (`usize`, ...) | `expr` |
///
/// `@gen` draws the f64 storage, `@val` builds the typed value from a slice of
/// the flat point, `@pass` passes it, `@cl` passes the f64 value to a closed form.
macro_rules! arg {
    (@gen $r:ident, k($e:expr)) => { Vec::<f64>::new() };
    (@gen $r:ident, s($lo:expr, $hi:expr)) => { vec![$r.uniform($lo, $hi)] };
    (@gen $r:ident, $k:ident($n:expr, $lo:expr, $hi:expr)) => { $r.vec($n, $lo, $hi) };

    (@val $t:ident, $s:ident, k($e:expr)) => {{
        let _ = $s;
        $e
    }};
    (@val $t:ident, $s:ident, s($($p:tt)*)) => { <$t as $crate::FromF64>::from64($s[0]) };
    (@val $t:ident, $s:ident, v($($p:tt)*)) => {
        $s.iter().map(|&e| <$t as $crate::FromF64>::from64(e)).collect::<Vec<$t>>()
    };
    (@val $t:ident, $s:ident, o($($p:tt)*)) => { arg!(@val $t, $s, v()) };
    (@val $t:ident, $s:ident, a($n:expr, $($p:tt)*)) => {{
        let arr: [$t; $n] = core::array::from_fn(|i| <$t as $crate::FromF64>::from64($s[i]));
        arr
    }};
    (@val $t:ident, $s:ident, ar($n:expr, $($p:tt)*)) => { arg!(@val $t, $s, a($n,)) };

    (@pass k, $a:ident) => { $a };
    (@pass s, $a:ident) => { $a };
    (@pass v, $a:ident) => { &$a };
    (@pass o, $a:ident) => { $a.clone() };
    (@pass a, $a:ident) => { $a };
    (@pass ar, $a:ident) => { &$a };

    (@cl k, $a:ident) => { $a };
    (@cl s, $a:ident) => { $a };
    (@cl $k:ident, $a:ident) => { &$a[..] };
}

/// Binds each argument (typed as `$t`) from the flat point `$x` split by `$lens`.
macro_rules! unpack {
    ($x:expr, $lens:expr, $t:ident; $($a:ident: $k:ident($($p:expr),*)),+) => {
        let mut off = 0usize;
        let mut idx = 0usize;
        $(
            let piece = &$x[off..off + $lens[idx]];
            off += $lens[idx];
            idx += 1;
            let $a = arg!(@val $t, piece, $k($($p),*));
        )+
        let _ = (off, idx);
    };
}

/// `check!(test: f, f_grad, f_value_and_grad, closed_f; a: v(5, -2.0, 2.0), s: s(0.5, 2.0), ...)`
/// defines a test running the f64 and f32 instances of a scalar-valued `f`
/// at [`support::SAMPLES`] random points, checking
/// - `f_value_and_grad` against `(f, f_grad)` (same precision, closed-form tolerance),
/// - `f_grad` against the closed form `closed::closed_f` (f64),
/// - `f_grad` against the f64 central difference of `d64::f`.
macro_rules! check {
    ($name:ident: $f:ident, $g:ident, $vg:ident, $c:ident; $($a:ident: $k:ident($($p:expr),*)),+ $(,)?) => {
        #[test]
        fn $name() {
            check!(@prec d64, f64, $f, $g, $vg, $c; $($a: $k($($p),*)),+);
            check!(@prec d32, f32, $f, $g, $vg, $c; $($a: $k($($p),*)),+);
        }
    };
    (@prec $m:ident, $t:ident, $f:ident, $g:ident, $vg:ident, $c:ident; $($a:ident: $k:ident($($p:expr),*)),+) => {{
        use $crate::support::{Flat, Rng, SAMPLES, Tol, assert_close, central_diff};
        let what = concat!(stringify!($m), "::", stringify!($f));
        let mut rng = Rng::for_test(what);
        for _ in 0..SAMPLES {
            let stores: Vec<Vec<f64>> = vec![$(arg!(@gen rng, $k($($p),*))),+];
            let lens: Vec<usize> = stores.iter().map(Vec::len).collect();
            let at: Vec<f64> = stores.concat();
            let (value, grad, (v2, g2)) = {
                unpack!(at, lens, $t; $($a: $k($($p),*)),+);
                (
                    $crate::defs::$m::$f($(arg!(@pass $k, $a)),+),
                    $crate::defs::$m::$g($(arg!(@pass $k, $a)),+),
                    $crate::defs::$m::$vg($(arg!(@pass $k, $a)),+),
                )
            };
            let grad = grad.flat();
            assert_close(
                concat!(stringify!($vg), " value"), &at, &v2.flat(), &value.flat(), <$t as Tol>::CLOSED,
            );
            assert_close(concat!(stringify!($vg), " grad"), &at, &g2.flat(), &grad, <$t as Tol>::CLOSED);
            let closed = {
                unpack!(at, lens, f64; $($a: $k($($p),*)),+);
                $crate::closed::$c($(arg!(@cl $k, $a)),+)
            };
            assert_close(&format!("{what}_grad vs closed form"), &at, &grad, &closed, <$t as Tol>::CLOSED);
            let fd = central_diff(
                |x| {
                    unpack!(x, lens, f64; $($a: $k($($p),*)),+);
                    $crate::defs::d64::$f($(arg!(@pass $k, $a)),+)
                },
                &at,
            );
            assert_close(&format!("{what}_grad vs central difference"), &at, &grad, &fd, <$t as Tol>::FD);
        }
    }};
}

/// `check_vjp!(test: f, f_vjp; args...)` for a vector-valued `f`: at random
/// points and random cotangents `c`, `f_vjp(.., c)` in f64 and f32 against
/// the f64 central difference of `x ↦ c·f(x)`.
macro_rules! check_vjp {
    ($name:ident: $f:ident, $vjp:ident; $($a:ident: $k:ident($($p:expr),*)),+ $(,)?) => {
        #[test]
        fn $name() {
            check_vjp!(@prec d64, f64, $f, $vjp; $($a: $k($($p),*)),+);
            check_vjp!(@prec d32, f32, $f, $vjp; $($a: $k($($p),*)),+);
        }
    };
    (@prec $m:ident, $t:ident, $f:ident, $vjp:ident; $($a:ident: $k:ident($($p:expr),*)),+) => {{
        use $crate::support::{Flat, Rng, SAMPLES, Tol, assert_close, central_diff, dot64};
        let what = concat!(stringify!($m), "::", stringify!($vjp));
        let mut rng = Rng::for_test(what);
        for _ in 0..SAMPLES {
            let stores: Vec<Vec<f64>> = vec![$(arg!(@gen rng, $k($($p),*))),+];
            let lens: Vec<usize> = stores.iter().map(Vec::len).collect();
            let at: Vec<f64> = stores.concat();
            let f64_at = |x: &[f64]| -> Vec<f64> {
                unpack!(x, lens, f64; $($a: $k($($p),*)),+);
                $crate::defs::d64::$f($(arg!(@pass $k, $a)),+).flat()
            };
            let m = f64_at(&at).len();
            let c64 = rng.vec(m, -1.0, 1.0);
            let c: Vec<$t> = c64.iter().map(|&e| <$t as $crate::FromF64>::from64(e)).collect();
            let vjp = {
                unpack!(at, lens, $t; $($a: $k($($p),*)),+);
                $crate::defs::$m::$vjp($(arg!(@pass $k, $a)),+, &c).flat()
            };
            let fd = central_diff(|x| dot64(&f64_at(x), &c64), &at);
            assert_close(&format!("{what} vs central difference"), &at, &vjp, &fd, <$t as Tol>::FD);
        }
    }};
}

// The modules come after the macros: `macro_rules!` scope is textual.
mod closed;
mod defs;
mod edge;
mod large;
mod models;
mod ops;
mod panics;
mod params;
mod probes;
#[path = "../common/rng.rs"]
mod rng;
mod softmax;
mod support;
