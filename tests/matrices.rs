//! `#[differentiable]` on matrix functions (API §6) against central finite
//! differences and closed forms, in f64 and f32.
//!
//! - `ops`: every matrix op and its backward, through `_grad`,
//!   `_value_and_grad` and (for matrix-valued fns) `_vjp`, on non-square
//!   shapes;
//! - `closed`: closed-form gradients of the products, broadcasts, losses;
//! - `models`: a two-layer MLP over a batch of 8 whose gradient is the mean
//!   of per-sample gradients (of the same fn on one-row batches, and of the
//!   vector version with `matvec`);
//! - `ops::composition`: matrices passed to and returned by user fns;
//! - `panics`: shape mismatches name the op and both shapes, in the fn and
//!   every generated one.
//!
//! Inputs are deterministic (`sin`/`cos` formulas); tolerances are stated
//! once, in `support`.

#[path = "matrices/support.rs"]
mod support;

/// `call!(path, args; [tokens] (, extra))`: calls `path` with each argument built from the
/// [`support::Arg`] slice `args`, the parameter's type picking the
/// conversion (`&Matrix<f32>`, `f64`, `&[usize]`, ...). `$n` lists one token
/// per argument (their count is all that matters).
macro_rules! call {
    ($f:path, $args:expr; [$($n:tt)+] $(, $extra:expr)?) => {{
        let mut it = $args.iter();
        $f(
            $({
                let _ = stringify!($n);
                $crate::support::FromArg::from_arg(it.next().expect("an argument"))
            },)+
            $($extra)?
        )
    }};
}

/// `check!(test: f, f_grad, f_value_and_grad; [args])` defines a test that
/// evaluates the f64 and f32 instances of a scalar-valued `f` at `args`
/// (an array of [`support::Arg`]) and checks
/// - `f_value_and_grad` against `f` and `f_grad`, bit for bit,
/// - each partial's shape against its parameter's,
/// - the f64 and f32 gradients against the f64 central difference of `f`,
/// - that the gradient is not identically zero (the check is not vacuous).
macro_rules! check {
    ($name:ident: $f:ident, $g:ident, $vg:ident; [$($arg:expr),+ $(,)?]) => {
        #[test]
        fn $name() {
            #[allow(unused_imports, reason = "not every case uses every constructor")]
            use $crate::support::*;
            use $crate::defs::{d32, d64};
            let at: Vec<Arg> = vec![$($arg),+];
            let what = stringify!($f);

            let value = call!(d64::$f, at; [$($arg)+]);
            let grad = call!(d64::$g, at; [$($arg)+]);
            let (v2, g2) = call!(d64::$vg, at; [$($arg)+]);
            assert_eq!(v2.to_bits(), value.to_bits(), "{what}: _value_and_grad's value");
            assert_eq!(
                g2.flat().iter().map(|x| x.to_bits()).collect::<Vec<_>>(),
                grad.flat().iter().map(|x| x.to_bits()).collect::<Vec<_>>(),
                "{what}: _value_and_grad's gradient"
            );
            assert_eq!(grad.shapes(), arg_shapes(&at), "{what}: the partials' shapes");

            let fd = central_diff(|a| call!(d64::$f, a; [$($arg)+]), &at);
            assert_not_all_zero(what, &fd);
            assert_close(&format!("{what}_grad (f64) vs central difference"), &grad.flat(), &fd, FD64);

            let grad32 = call!(d32::$g, at; [$($arg)+]);
            let (v32, g32) = call!(d32::$vg, at; [$($arg)+]);
            assert_eq!(v32.to_bits(), call!(d32::$f, at; [$($arg)+]).to_bits(), "{what}: f32 value");
            assert_eq!(g32.flat(), grad32.flat(), "{what}: f32 _value_and_grad's gradient");
            assert_eq!(grad32.shapes(), arg_shapes(&at), "{what}: the f32 partials' shapes");
            assert_close(&format!("{what}_grad (f32) vs central difference"), &grad32.flat(), &fd, FD32);
        }
    };
}

/// `check_vjp!(test: f, f_vjp; [args])` for a matrix-valued `f`: with a
/// cotangent `c` of the result's shape, `f_vjp(.., &c)` in f64 and f32
/// against the f64 central difference of `⟨c, f(..)⟩`.
macro_rules! check_vjp {
    ($name:ident: $f:ident, $vjp:ident; [$($arg:expr),+ $(,)?]) => {
        #[test]
        fn $name() {
            #[allow(unused_imports, reason = "not every case uses every constructor")]
            use $crate::support::*;
            use $crate::defs::{d32, d64};
            let at: Vec<Arg> = vec![$($arg),+];
            let what = stringify!($vjp);
            let out = call!(d64::$f, at; [$($arg)+]);
            let out32 = call!(d32::$f, at; [$($arg)+]);
            assert_eq!(out.shape(), out32.shape(), "{what}: f32 and f64 results' shapes");
            let c = mat(out.rows(), out.cols(), 99, -1.0, 1.0);
            let c32 = m32(&c);
            let vjp = call!(d64::$vjp, at; [$($arg)+], &c);
            let vjp32 = call!(d32::$vjp, at; [$($arg)+], &c32);
            assert_eq!(vjp.shapes(), arg_shapes(&at), "{what}: the partials' shapes");
            assert_eq!(vjp32.shapes(), arg_shapes(&at), "{what}: the f32 partials' shapes");
            let fd = central_diff(|a| dot64(call!(d64::$f, a; [$($arg)+]).as_slice(), c.as_slice()), &at);
            assert_not_all_zero(what, &fd);
            assert_close(&format!("{what} (f64) vs central difference"), &vjp.flat(), &fd, FD64);
            assert_close(&format!("{what} (f32) vs central difference"), &vjp32.flat(), &fd, FD32);
        }
    };
}

#[path = "matrices/closed.rs"]
mod closed;
#[path = "matrices/defs.rs"]
mod defs;
#[path = "matrices/models.rs"]
mod models;
#[path = "matrices/ops.rs"]
mod ops;
#[path = "matrices/panics.rs"]
mod panics;
