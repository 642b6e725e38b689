//! Special points one by one: kinks, ties, saturation, constant parameters,
//! `wrt(..)` shapes and the tutorial's §4 number.
//!
//! Conventions at non-smooth points (those of PyTorch and JAX, and of
//! `grad_core::scalar`): `relu′(0) = 0`, `abs′(0) = 0`,
//! `leaky_relu′(0) = slope`; a `max`/`min` tie goes to the first argument
//! (see [`max_min_ties`]).

use crate::defs::{d32, d64};

#[test]
fn relu_at_zero_is_zero() {
    assert_eq!(d64::p_relu_grad(0.0), 0.0);
    assert_eq!(d64::p_relu_grad(-0.0), 0.0);
    assert_eq!(d32::p_relu_grad(0.0), 0.0);
    assert_eq!(d64::p_relu_grad(1e-300), 1.0);
    assert_eq!(d64::p_relu_grad(-1e-300), 0.0);
}

#[test]
fn abs_at_zero_is_zero() {
    assert_eq!(d64::p_abs_grad(0.0), 0.0);
    assert_eq!(d64::m_abs_grad(0.0), 0.0);
    assert_eq!(d64::p_abs_grad(-0.0), 0.0);
    assert_eq!(d32::m_abs_grad(0.0), 0.0);
    assert_eq!(d64::p_abs_grad(-1e-300), -1.0);
}

#[test]
fn leaky_relu_at_zero_is_slope() {
    assert_eq!(d64::p_leaky_relu_grad(0.0), 0.1);
    assert_eq!(d32::p_leaky_relu_grad(0.0), 0.1);
}

/// At a tie `x == y` the whole derivative goes to the FIRST argument:
/// `∂max(x, y) = (1, 0)` and `∂min(x, y) = (1, 0)` (`grad::__private::max_deriv_first`).
/// The partials sum to 1, so `max(x, x)` has derivative 1. (PyTorch's
/// `torch.maximum` and JAX split a tie 0.5/0.5 instead; either is a valid subgradient.)
#[test]
fn max_min_ties() {
    for t in [-1.5, 0.0, 2.0] {
        for (dx, dy) in [
            d64::p_max_grad(t, t),
            d64::m_max_grad(t, t),
            d64::p_min_grad(t, t),
            d64::m_min_grad(t, t),
        ] {
            assert_eq!((dx, dy), (1.0, 0.0), "tie at {t}");
        }
    }
}

#[test]
fn sigmoid_saturation() {
    for x in [100.0, -100.0, 800.0, -800.0] {
        let g = d64::p_sigmoid_grad(x);
        assert!((0.0..1e-40).contains(&g), "σ′({x}) = {g}");
        let g = d32::p_sigmoid_grad(x as f32);
        assert!((0.0..1e-30).contains(&g), "f32 σ′({x}) = {g}");
    }
    // σ′(±100) = e^−100 / (1 + e^−100)² ≈ 3.72e-44 in f64, to full relative accuracy
    // on both sides (at +100, σ rounds to 1, so this needs 1 − σ computed as
    // e^−100/(1 + e^−100), not as 1 − 1.0).
    let want = (-100.0_f64).exp();
    assert!((d64::p_sigmoid_grad(-100.0) - want).abs() <= 1e-12 * want);
    assert!((d64::p_sigmoid_grad(100.0) - want).abs() <= 1e-12 * want);
    let want32 = (-30.0_f64).exp();
    assert!((f64::from(d32::p_sigmoid_grad(30.0)) - want32).abs() <= 1e-5 * want32);
    // The neuron saturated: no NaN from 0·∞ anywhere.
    let (dx, dw, db) = d64::neuron_grad(100.0, 10.0, 0.0);
    assert!(dx == 0.0 && dw == 0.0 && db == 0.0, "({dx}, {dw}, {db})");
}

#[test]
fn tanh_saturation() {
    for x in [50.0, -50.0, 1000.0] {
        assert_eq!(d64::p_tanh_grad(x), 0.0);
        assert_eq!(d64::m_tanh_grad(x), 0.0);
        assert_eq!(d32::p_tanh_grad(x as f32), 0.0);
    }
}

#[test]
fn softplus_saturation() {
    assert_eq!(d64::p_softplus_grad(1000.0), 1.0);
    assert_eq!(d64::p_softplus_grad(-1000.0), 0.0);
    assert_eq!(d32::p_softplus_grad(200.0), 1.0);
    assert_eq!(d32::p_softplus_grad(-200.0), 0.0);
}

#[test]
fn kinks_inside_composites() {
    // leaky_relu(x·y, 0.01) + relu(x − y) at x = y = 0: both kinks, slopes 0.01 and 0.
    assert_eq!(d64::leaky_mix_grad(0.0, 0.0), (0.0, 0.0));
    // At x = y = 2 only relu(x − y) sits on its kink (relu′(0) = 0): ∂ = (y, x).
    assert_eq!(d64::leaky_mix_grad(2.0, 2.0), (2.0, 2.0));
    // At x = 0.5, y = −0.5: leaky_relu′ = 0.01 (x·y < 0), relu′ = 1.
    assert_eq!(
        d64::leaky_mix_grad(0.5, -0.5),
        (0.01 * -0.5 + 1.0, 0.01 * 0.5 - 1.0)
    );
    // abs(x − y)·x at x == y: only the x-factor term survives.
    let (dx, dy) = d64::abs_mix_grad(1.0, 1.0);
    assert_eq!(dx, 0.0);
    assert!((dy - 0.5 / 2.0_f64.sqrt()).abs() < 1e-15);
}

#[test]
fn branch_boundaries_follow_the_branch_taken() {
    // x > y is false at x == y: the else branch `x − y²`.
    assert_eq!(d64::branches_grad(1.0, 1.0), (1.0, -2.0));
    // elu at 0: the else branch, exp(0) = 1.
    assert_eq!(d64::elu_grad(0.0), 1.0);
    // else_if at −1: middle branch, cos(−1).
    assert_eq!(d64::else_if_grad(-1.0), (-1.0_f64).cos());
}

#[test]
fn tutorial_section_4_mse() {
    // d/dw (1 − x·w)² at x = 1, w = 2 is 2 (PyTorch prints tensor([2.])).
    let (_, dw) = d64::mse1_grad(1.0, 2.0);
    assert_eq!(dw, 2.0);
    let (v, (_, dw)) = d64::mse1_value_and_grad(1.0, 2.0);
    assert_eq!((v, dw), (1.0, 2.0));
    let (_, dw) = d32::mse1_grad(1.0, 2.0);
    assert_eq!(dw, 2.0);
}

#[test]
fn wrt_selects_and_orders_partials() {
    let (x, w, b) = (0.7, -1.3, 0.4);
    let (_, dw, db) = d64::neuron_grad(x, w, b);
    // wrt(w, b): a 2-tuple.
    let g: (f64, f64) = d64::neuron_wb_grad(x, w, b);
    assert_eq!(g, (dw, db));
    let (v, g2): (f64, (f64, f64)) = d64::neuron_wb_value_and_grad(x, w, b);
    assert_eq!((v, g2), (d64::neuron_wb(x, w, b), g));
    // wrt(x): the bare value, not a 1-tuple.
    let gx: f64 = d64::neuron_x_grad(x, w, b);
    assert_eq!(gx, d64::neuron_grad(x, w, b).0);
    let (v, gx2): (f64, f64) = d64::neuron_x_value_and_grad(x, w, b);
    assert_eq!((v, gx2), (d64::neuron_x(x, w, b), gx));
    let gx32: f32 = d32::neuron_x_grad(0.7, -1.3, 0.4);
    assert!((f64::from(gx32) - gx).abs() < 1e-6);
}

#[test]
fn non_float_params_are_constants() {
    // logistic(x, w, b, y: bool) -> 3 partials; int_params(x, n: usize, k: i32) -> 1.
    for y in [true, false] {
        let got = d64::logistic_grad(0.3, 1.7, -0.2, y);
        let want = d64::logistic_closed(0.3, 1.7, -0.2, y);
        assert!((got.0 - want.0).abs() < 1e-14, "{got:?} vs {want:?}");
        assert!((got.1 - want.1).abs() < 1e-14, "{got:?} vs {want:?}");
        assert!((got.2 - want.2).abs() < 1e-14, "{got:?} vs {want:?}");
        let (v, g) = d64::logistic_value_and_grad(0.3, 1.7, -0.2, y);
        assert_eq!((v, g), (d64::logistic(0.3, 1.7, -0.2, y), got));
    }
    for (n, k) in [(0, 2), (3, -1), (7, 4)] {
        for x in [0.5, 1.5, -2.0] {
            let g: f64 = d64::int_params_grad(x, n, k);
            let want = d64::int_params_closed(x, n, k);
            assert!(
                (g - want).abs() <= 1e-12 * (1.0 + want.abs()),
                "n={n} k={k} x={x}: {g} vs {want}"
            );
            let g32: f32 = d32::int_params_grad(x as f32, n, k);
            assert!((f64::from(g32) - want).abs() <= 1e-5 * (1.0 + want.abs()));
        }
    }
}

#[test]
fn unused_parameter_gets_exact_zero() {
    assert_eq!(d64::unused_grad(3.0, 5.0), (6.0, 0.0));
    assert_eq!(d32::unused_grad(3.0, 5.0), (6.0, 0.0));
}

#[test]
fn nan_propagates() {
    assert!(d64::neuron_grad(f64::NAN, 1.0, 0.0).1.is_nan());
    assert!(d64::p_exp_grad(f64::NAN).is_nan());
}

#[test]
fn module_fns_have_their_own_gradients() {
    let x: f64 = 0.8;
    let g = d64::m::g_grad(x);
    assert!((g - (x.tanh() + x * (1.0 - x.tanh() * x.tanh()))).abs() < 1e-14);
    let (hx, hy) = d64::m::inner::h_grad(0.5, 2.0);
    let (mx, my) = d64::modules_closed(0.5, 2.0);
    // modules = g(x) + 2·h(x, y)
    assert!((2.0 * hy - my).abs() < 1e-12);
    assert!((d64::m::g_grad(0.5) + 2.0 * hx - mx).abs() < 1e-12);
}
