//! Forward mode and second derivatives (API §8): `f_jvp`, `f_hvp` and
//! `f_hessian` of `#[differentiable(jvp, hessian)]` fns, in f64 and f32.
//!
//! - `closed`: Hessians against closed forms: every scalar op's second
//!   derivative, the softmax cross-entropy (`diag(p) − ppᵀ`, per row of a
//!   batch), mse (`2I/n`), logistic regression (`Xᵀ diag(σ(1 − σ)) X / n`,
//!   from the logits and from the probabilities), softmax and log_softmax
//!   inside a loss, the bilinear cross terms of `matvec` and `matmul` (the
//!   fns are in `closed_defs`);
//! - `central` (with the fns of `defs`): every op of API §1–§3 and §6, each
//!   Hessian against central differences of the fn's `_grad`, symmetric to
//!   the last bit, `_hvp(v) = _hessian·v`, `_jvp = (f, ⟨_grad, v⟩)`;
//! - `bugs`: known bugs, as ignored failing tests;
//! - `newton`: Newton's method on a logistic regression with `_grad` and
//!   `_hessian` converges in fewer than 10 steps.
//!
//! Inputs are deterministic (`sin`/`cos` formulas of the matrix suite) and
//! f32-representable; tolerances are stated once, in `support`.

#[path = "matrices/support.rs"]
#[allow(
    dead_code,
    reason = "shared with tests/matrices.rs; not every helper is used here"
)]
mod msupport;

#[path = "second_order/support.rs"]
mod support;

/// `call!(path, args; [tokens] [dir tokens])`: calls `path` with one
/// argument per token of the first list, built from the [`support::Arg`]
/// slice `args` (the parameter's type picks the conversion), then, if
/// `dirs` is given, one direction per token of the second list.
macro_rules! call {
    ($f:path, $args:expr; [$($n:tt)+]) => {{
        let mut it = $args.iter();
        $f($({
            let _ = stringify!($n);
            $crate::support::FromArg::from_arg(it.next().expect("an argument"))
        },)+)
    }};
    ($f:path, $args:expr, $dirs:expr; [$($n:tt)+] [$($d:tt)+]) => {{
        let mut it = $args.iter();
        let mut dt = $dirs.iter();
        $f(
            $({
                let _ = stringify!($n);
                $crate::support::FromArg::from_arg(it.next().expect("an argument"))
            },)+
            $({
                let _ = stringify!($d);
                $crate::support::FromArg::from_arg(dt.next().expect("a direction"))
            },)+
        )
    }};
}

/// `check!(test: f, f_grad, f_jvp, f_hvp, f_hessian; [args]; dirs [p, ..])`
/// defines a test that evaluates the f64 and f32 instances of `f` (in
/// `defs`) at `args` (an array of [`support::Arg`]; `dirs` names the
/// differentiated parameters, one token each) and checks
/// - each column `k` of the f64 `f_hessian` against
///   `(f_grad(x + h e_k) − f_grad(x − h e_k)) / 2h` (and that it is not all zeros),
/// - that both Hessians are symmetric to the last bit,
/// - the f32 Hessian against the f64 one,
/// - `f_hvp(v)` against `f_hessian · v`, in both precisions,
/// - `f_jvp(v)`: its value equals `f`'s bits, its derivative `⟨f_grad, v⟩`.
macro_rules! check {
    ($name:ident: $f:ident, $g:ident, $jvp:ident, $hvp:ident, $h:ident;
     [$($arg:expr),+ $(,)?]; dirs [$($d:ident),+]) => {
        #[test]
        fn $name() {
            #[allow(unused_imports, reason = "not every case uses every constructor")]
            use $crate::support::*;
            use $crate::defs::{d32, d64};
            let at: Vec<Arg> = vec![$($arg),+];
            let what = stringify!($f);
            let n = flat_len(&at);

            let h = call!(d64::$h, at; [$($arg)+]);
            assert_symmetric(what, &h, n);
            let fd = grad_central_diff(|a| call!(d64::$g, a; [$($arg)+]).flat(), &at);
            assert_not_all_zero(what, &fd);
            assert_close(&format!("{what}_hessian vs central differences of {what}_grad"), h.as_slice(), &fd, FD64);

            let h32 = call!(d32::$h, at; [$($arg)+]);
            assert_symmetric(what, &h32, n);
            assert_close(&format!("{what}_hessian (f32) vs (f64)"), &h32.flat(), h.as_slice(), F32_VS_F64);

            for seed in [1, 2, 3] {
                let dirs = directions(&at, seed);
                let dv = flat_dirs(&dirs);
                let (hv, scale) = mul(h.as_slice(), &dv);
                let hvp = call!(d64::$hvp, at, dirs; [$($arg)+] [$($d)+]).flat();
                assert_scaled(&format!("{what}_hvp vs {what}_hessian·v"), &hvp, &hv, &scale, PRODUCT64);
                let (hv32, scale32) = mul(&h32.flat(), &dv);
                let hvp32 = call!(d32::$hvp, at, dirs; [$($arg)+] [$($d)+]).flat();
                assert_scaled(&format!("{what}_hvp (f32) vs its _hessian·v"), &hvp32, &hv32, &scale32, PRODUCT32);

                let (value, deriv) = call!(d64::$jvp, at, dirs; [$($arg)+] [$($d)+]);
                assert_eq!(value.to_bits(), call!(d64::$f, at; [$($arg)+]).to_bits(), "{what}_jvp's value");
                let (gv, gscale) = inner(&call!(d64::$g, at; [$($arg)+]).flat(), &dv);
                assert_scaled(&format!("{what}_jvp vs ⟨{what}_grad, v⟩"), &[deriv], &[gv], &[gscale], PRODUCT64);
                let (value32, deriv32) = call!(d32::$jvp, at, dirs; [$($arg)+] [$($d)+]);
                assert_eq!(value32.to_bits(), call!(d32::$f, at; [$($arg)+]).to_bits(), "{what}_jvp's f32 value");
                let (gv32, gscale32) = inner(&call!(d32::$g, at; [$($arg)+]).flat(), &dv);
                assert_scaled(&format!("{what}_jvp (f32) vs ⟨{what}_grad, v⟩"), &[f64::from(deriv32)], &[gv32], &[gscale32], PRODUCT32);
            }
        }
    };
}

#[path = "second_order/bugs.rs"]
mod bugs;
#[path = "second_order/central.rs"]
mod central;
#[path = "second_order/closed.rs"]
mod closed;
#[path = "second_order/closed_defs.rs"]
mod closed_defs;
#[path = "second_order/defs.rs"]
mod defs;
#[path = "second_order/newton.rs"]
mod newton;
