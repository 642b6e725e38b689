//! Edge cases of the macro itself: name collisions with generated
//! temporaries, scoping of shadowed names inside branches, precedence,
//! literal forms, constants and NaN at a `max` kink. f64 only; each checked
//! against its closed form and the central difference.

#![allow(
    clippy::let_and_return,
    clippy::unnecessary_cast,
    clippy::needless_lifetimes,
    reason = "bodies deliberately use the forms under test: a `let` then its name, a cast of a constant, an explicit lifetime"
)]

use grad::prelude::*;

use crate::support::{assert_close, central_diff};

/// Parameters named like the generated adjoints (`dx` for `x`) and temporaries (`t3`).
#[differentiable]
fn collide(x: f64, dx: f64, t3: f64) -> f64 {
    let dt4 = x * dx;
    let t5 = dt4 * t3 + x;
    t5 * dx
}

#[test]
fn params_named_like_generated_names() {
    let (x, dx, t3) = (0.7, -1.2, 2.5);
    // f = x·dx²·t3 + x·dx
    let want = [dx * dx * t3 + dx, 2.0 * x * dx * t3 + x, x * dx * dx];
    let got = collide_grad(x, dx, t3);
    let at = [x, dx, t3];
    assert_close("collide", &at, &[got.0, got.1, got.2], &want, 1e-12);
    let fd = central_diff(|p| collide(p[0], p[1], p[2]), &at);
    assert_close("collide", &at, &[got.0, got.1, got.2], &fd, 1e-6);
}

/// A name shadowed inside a branch must not leak out of it.
#[differentiable]
fn branch_scope(x: f64, y: f64) -> f64 {
    let a = x * y;
    let b = if x > 0.0 {
        let a = a * 3.0;
        a + y
    } else {
        let a = exp(a);
        a
    };
    a * b
}

#[test]
fn shadowing_inside_branches_is_scoped() {
    for (x, y) in [(0.5, 1.5), (-0.5, 1.5), (1.2, -0.3), (-1.1, -0.7)] {
        let a = x * y;
        let (b, dbx, dby) = if x > 0.0 {
            (3.0 * a + y, 3.0 * y, 3.0 * x + 1.0)
        } else {
            (a.exp(), a.exp() * y, a.exp() * x)
        };
        let want = [y * b + a * dbx, x * b + a * dby];
        let (gx, gy) = branch_scope_grad(x, y);
        assert_close("branch_scope", &[x, y], &[gx, gy], &want, 1e-12);
        assert_eq!(branch_scope(x, y), a * b);
    }
}

/// Precedence: unary minus binds looser than a method call; `-x.powi(2)` is `−(x²)`.
#[differentiable]
fn precedence(x: f64, y: f64) -> f64 {
    -x.powi(2) + -y * x - (x - y) / 2.0 * y
}

#[test]
fn precedence_is_rusts() {
    for (x, y) in [(0.3, 0.9), (-2.0, 1.0)] {
        let want = [-2.0 * x - y - y / 2.0, -x - (x - 2.0 * y) / 2.0];
        let (gx, gy) = precedence_grad(x, y);
        assert_close("precedence", &[x, y], &[gx, gy], &want, 1e-12);
        assert_eq!(precedence_value_and_grad(x, y).0, precedence(x, y));
    }
}

/// Literal forms: exponent notation, suffixes, integer casts, a `let` of a constant,
/// a constant argument to max/min, a block expression.
#[differentiable]
fn literals(x: f64) -> f64 {
    let c = 2.5e-1;
    let k = 3 as f64;
    let m = max(x, 0.0_f64) + min(1.0, x);
    let inner = {
        let q = x * k;
        q * c
    };
    m + inner + 1e3 * x * x
}

#[test]
fn literal_forms() {
    for x in [0.4, -0.6, 2.0] {
        let dm = if x >= 0.0 { 1.0 } else { 0.0 } + if 1.0 <= x { 0.0 } else { 1.0 };
        let want = dm + 0.75 + 2e3 * x;
        assert_close("literals", &[x], &[literals_grad(x)], &[want], 1e-12);
        assert_eq!(literals_value_and_grad(x).0, literals(x));
    }
}

/// Conditions that mix constants and floats, nested else-if three deep.
#[differentiable]
fn nested(x: f64, n: usize, flag: bool) -> f64 {
    if flag && n > 2 {
        x * x
    } else if x * (n as f64) > 1.0 {
        if x > 2.0 { x.powi(3) } else { sin(x) }
    } else {
        -x
    }
}

#[test]
fn nested_conditions_follow_the_branch() {
    assert_eq!(nested_grad(1.5, 3, true), 3.0);
    assert_eq!(nested_grad(2.5, 3, false), 3.0 * 2.5 * 2.5);
    assert_eq!(nested_grad(1.5, 3, false), 1.5_f64.cos());
    assert_eq!(nested_grad(0.1, 3, false), -1.0);
    assert_eq!(nested(0.1, 3, false), -0.1);
}

/// The same parameter in both arguments of max: a tie.
#[differentiable]
fn self_max(x: f64) -> f64 {
    max(x, x) + x.min(x)
}

#[test]
fn max_min_of_the_same_value_has_derivative_one() {
    // Whatever the tie convention, d/dx max(x, x) = 1 and d/dx min(x, x) = 1.
    assert_eq!(self_max_grad(0.3), 2.0);
    assert_eq!(self_max(0.3), 0.6);
}

/// `max(a, NaN)` is `a` (IEEE maxNum, what `f64::max` returns), so its derivative
/// must flow to `a`, not to the NaN argument.
///
/// Fails while `grad::__private::{max,min}_deriv_*` test only `a >= b` / `a <= b`:
/// with `b = NaN` the comparison is false and the whole derivative goes to `b`.
/// The fix: treat a NaN `b` like a win of `a` (`a >= b || b.is_nan()`).
#[test]
fn max_with_nan_differentiates_the_value_returned() {
    use crate::defs::d64;
    assert_eq!(d64::p_max(1.0, f64::NAN), 1.0);
    assert_eq!(d64::p_max_grad(1.0, f64::NAN), (1.0, 0.0), "∂max(1, NaN)");
    assert_eq!(d64::p_max_grad(f64::NAN, 1.0), (0.0, 1.0), "∂max(NaN, 1)");
    assert_eq!(d64::p_min(1.0, f64::NAN), 1.0);
    assert_eq!(d64::p_min_grad(1.0, f64::NAN), (1.0, 0.0), "∂min(1, NaN)");
}

/// A long chain: 40 dependent operations.
#[differentiable]
fn long_chain(x: f64) -> f64 {
    let a = x * 1.01 + 0.1;
    let a = sin(a) + a * 0.5;
    let a = tanh(a) * 2.0 - a;
    let a = a * a + 0.3;
    let a = sqrt(a) + exp(-a);
    let a = sigmoid(a * 3.0) * a;
    let a = softplus(a - 1.0) + a / 3.0;
    let a = cos(a) * a + a;
    let a = ln(a * a + 1.0) - a * 0.1;
    let a = a.powi(2) + a.powf(1.0) * 0.0 + a;
    a * x
}

#[test]
fn long_chain_matches_finite_differences() {
    for x in [-1.3, -0.2, 0.4, 1.7] {
        let fd = central_diff(|p| long_chain(p[0]), &[x]);
        assert_close("long_chain", &[x], &[long_chain_grad(x)], &fd, 1e-6);
        assert_eq!(
            long_chain_value_and_grad(x),
            (long_chain(x), long_chain_grad(x))
        );
    }
}

/// A parameter named like a prelude function.
#[differentiable]
fn shadows_prelude(exp: f64, y: f64) -> f64 {
    exp * y + tanh(y)
}

#[test]
fn param_named_like_a_primitive() {
    let (gx, gy) = shadows_prelude_grad(0.5, 0.25);
    assert_eq!(
        shadows_prelude_value_and_grad(0.5, 0.25).0,
        shadows_prelude(0.5, 0.25)
    );
    assert_close(
        "shadows_prelude",
        &[0.5, 0.25],
        &[gx, gy],
        &[0.25, 0.5 + 1.0 - 0.25_f64.tanh().powi(2)],
        1e-12,
    );
}

/// Calls with constant arguments: a `usize` parameter and a float literal in
/// the callee's float slots.
#[differentiable]
fn callee(x: f64, n: usize, s: f64) -> f64 {
    x * (n as f64) * s
}

#[differentiable]
fn const_args(x: f64, k: usize) -> f64 {
    callee(x, k, 2.0) + callee(x, 3, x)
}

#[test]
fn calls_with_constant_arguments() {
    // const_args = 2kx + 3x²
    for (x, k) in [(2.0, 2), (-0.5, 7)] {
        assert_eq!(const_args_grad(x, k), 2.0 * k as f64 + 6.0 * x);
        assert_eq!(const_args_value_and_grad(x, k).0, const_args(x, k));
    }
}

/// A lifetime parameter (not a type generic) is fine.
#[differentiable]
fn with_lifetime<'a>(x: f64, idx: &'a [usize]) -> f64 {
    x * x * idx.len() as f64
}

#[test]
fn lifetime_parameters_are_accepted() {
    assert_eq!(with_lifetime_grad(2.0, &[1, 2, 3]), 12.0);
    assert_eq!(with_lifetime(2.0, &[1, 2, 3]), 12.0);
}

/// Calling a fn differentiated only `wrt(w)` with a constant in its other slot.
#[differentiable(wrt(w))]
fn wrt_w(x: f64, w: f64) -> f64 {
    x * w * w
}

#[differentiable]
fn calls_wrt_w(w: f64) -> f64 {
    wrt_w(3.0, w) + w
}

#[test]
fn calls_a_wrt_subset_fn_with_a_constant() {
    // calls_wrt_w = 3w² + w
    assert_eq!(calls_wrt_w_grad(2.0), 13.0);
    assert_eq!(calls_wrt_w(1.0), 4.0);
}

/// A `let` bound to a constant, used in a condition (found by tools/fuzz-gradients.sh).
#[differentiable]
fn const_let_condition(x: f64) -> f64 {
    let c = 2.0 * 3.0;
    let d = c + x;
    if c > 3.0 { d * x } else { x }
}

#[test]
fn const_let_in_a_condition() {
    // (6 + x)·x
    assert_eq!(const_let_condition_grad(1.0), 8.0);
    assert_eq!(const_let_condition(1.0), 7.0);
}
