//! Generated gradients vs closed forms vs central finite differences.
//!
//! Every primitive (free and method form) and 40+ composite functions are
//! defined in [`defs`] once per float type; each is checked at
//! [`support::SAMPLES`] seeded random points in f64 and f32, with the
//! tolerances stated in [`support`]. Special points (kinks, saturation) and
//! the shapes of `wrt(..)` are checked one by one in [`points`].

#[macro_use]
mod defs_compose;
#[macro_use]
mod defs_composite;
mod defs;
mod points;
mod probes;
#[path = "../common/rng.rs"]
mod rng;
mod support;

use support::{Flat, Rng, SAMPLES, Tol, assert_close, central_diff, widen};

/// `check!(test_name: f, f_grad, f_value_and_grad, f_closed; x in [lo, hi], ...)`
/// defines a test that runs the f64 and f32 instances of `f` at random points
/// of the given box and checks
/// - `f_value_and_grad == (f, f_grad)` exactly,
/// - `f_grad` against the closed form `f_closed`,
/// - `f_grad` against the f64 central difference of `f`.
macro_rules! check {
    ($name:ident: $f:ident, $g:ident, $vg:ident, $c:ident; $($a:ident in [$lo:expr, $hi:expr]),+) => {
        #[test]
        fn $name() {
            check!(@prec d64, f64, $f, $g, $vg, $c; $($a in [$lo, $hi]),+);
            check!(@prec d32, f32, $f, $g, $vg, $c; $($a in [$lo, $hi]),+);
        }
    };
    (@prec $m:ident, $t:ident, $f:ident, $g:ident, $vg:ident, $c:ident; $($a:ident in [$lo:expr, $hi:expr]),+) => {{
        let what = concat!(stringify!($m), "::", stringify!($f));
        let mut rng = Rng::for_test(what);
        for _ in 0..SAMPLES {
            $(let $a = rng.uniform($lo, $hi) as $t;)+
            let at = [$(f64::from($a)),+];
            let value = defs::$m::$f($($a),+);
            let grad = defs::$m::$g($($a),+).flat();
            let (v2, g2) = defs::$m::$vg($($a),+);
            assert_eq!(v2.to_bits(), value.to_bits(), "{what}: value_and_grad value at {at:?}");
            assert_eq!(g2.flat(), grad, "{what}: value_and_grad grad at {at:?}");
            let closed = widen(&defs::$m::$c($($a),+).flat());
            assert_close(what, &at, &grad, &closed, <$t as Tol>::CLOSED);
            let fd = central_diff(
                |p: &[f64]| {
                    let mut it = p.iter().copied();
                    defs::d64::$f($({ let _ = stringify!($a); it.next().unwrap() }),+)
                },
                &at,
            );
            assert_close(what, &at, &grad, &fd, <$t as Tol>::FD);
        }
    }};
}

// ---------- primitives ----------
check!(sigmoid_free: p_sigmoid, p_sigmoid_grad, p_sigmoid_value_and_grad, p_sigmoid_closed; x in [-8.0, 8.0]);
check!(relu_free: p_relu, p_relu_grad, p_relu_value_and_grad, p_relu_closed; x in [-3.0, 3.0]);
check!(tanh_free: p_tanh, p_tanh_grad, p_tanh_value_and_grad, p_tanh_closed; x in [-4.0, 4.0]);
check!(exp_free: p_exp, p_exp_grad, p_exp_value_and_grad, p_exp_closed; x in [-5.0, 5.0]);
check!(ln_free: p_ln, p_ln_grad, p_ln_value_and_grad, p_ln_closed; x in [0.05, 20.0]);
check!(sqrt_free: p_sqrt, p_sqrt_grad, p_sqrt_value_and_grad, p_sqrt_closed; x in [0.05, 20.0]);
check!(sin_free: p_sin, p_sin_grad, p_sin_value_and_grad, p_sin_closed; x in [-6.0, 6.0]);
check!(cos_free: p_cos, p_cos_grad, p_cos_value_and_grad, p_cos_closed; x in [-6.0, 6.0]);
check!(abs_free: p_abs, p_abs_grad, p_abs_value_and_grad, p_abs_closed; x in [-3.0, 3.0]);
check!(powi_free: p_powi, p_powi_grad, p_powi_value_and_grad, p_powi_closed; x in [-3.0, 3.0]);
check!(powf_free: p_powf, p_powf_grad, p_powf_value_and_grad, p_powf_closed; x in [0.1, 3.0], y in [-2.0, 3.0]);
check!(softplus_free: p_softplus, p_softplus_grad, p_softplus_value_and_grad, p_softplus_closed; x in [-10.0, 10.0]);
check!(leaky_relu_free: p_leaky_relu, p_leaky_relu_grad, p_leaky_relu_value_and_grad, p_leaky_relu_closed; x in [-3.0, 3.0]);
check!(max_free: p_max, p_max_grad, p_max_value_and_grad, p_max_closed; x in [-2.0, 2.0], y in [-2.0, 2.0]);
check!(min_free: p_min, p_min_grad, p_min_value_and_grad, p_min_closed; x in [-2.0, 2.0], y in [-2.0, 2.0]);
check!(exp_method: m_exp, m_exp_grad, m_exp_value_and_grad, m_exp_closed; x in [-5.0, 5.0]);
check!(ln_method: m_ln, m_ln_grad, m_ln_value_and_grad, m_ln_closed; x in [0.05, 20.0]);
check!(sqrt_method: m_sqrt, m_sqrt_grad, m_sqrt_value_and_grad, m_sqrt_closed; x in [0.05, 20.0]);
check!(tanh_method: m_tanh, m_tanh_grad, m_tanh_value_and_grad, m_tanh_closed; x in [-4.0, 4.0]);
check!(sin_method: m_sin, m_sin_grad, m_sin_value_and_grad, m_sin_closed; x in [-6.0, 6.0]);
check!(cos_method: m_cos, m_cos_grad, m_cos_value_and_grad, m_cos_closed; x in [-6.0, 6.0]);
check!(abs_method: m_abs, m_abs_grad, m_abs_value_and_grad, m_abs_closed; x in [-3.0, 3.0]);
check!(powi_method: m_powi, m_powi_grad, m_powi_value_and_grad, m_powi_closed; x in [0.3, 3.0]);
check!(powf_method: m_powf, m_powf_grad, m_powf_value_and_grad, m_powf_closed; x in [0.1, 3.0], y in [-2.0, 3.0]);
check!(max_method: m_max, m_max_grad, m_max_value_and_grad, m_max_closed; x in [-2.0, 2.0], y in [-2.0, 2.0]);
check!(min_method: m_min, m_min_grad, m_min_value_and_grad, m_min_closed; x in [-2.0, 2.0], y in [-2.0, 2.0]);

// ---------- composites ----------
check!(neuron: neuron, neuron_grad, neuron_value_and_grad, neuron_closed; x in [-3.0, 3.0], w in [-3.0, 3.0], b in [-2.0, 2.0]);
check!(mse1: mse1, mse1_grad, mse1_value_and_grad, mse1_closed; x in [-3.0, 3.0], w in [-3.0, 3.0]);
check!(poly10: poly10, poly10_grad, poly10_value_and_grad, poly10_closed; x in [-2.0, 2.0]);
check!(net3: net3, net3_grad, net3_value_and_grad, net3_closed; x in [-2.0, 2.0], w1 in [-2.0, 2.0], b1 in [-1.0, 1.0], w2 in [-2.0, 2.0], b2 in [-1.0, 1.0], w3 in [-2.0, 2.0]);
check!(tanh_heavy: tanh_heavy, tanh_heavy_grad, tanh_heavy_value_and_grad, tanh_heavy_closed; x in [-2.0, 2.0], y in [-2.0, 2.0]);
check!(soft_mix: soft_mix, soft_mix_grad, soft_mix_value_and_grad, soft_mix_closed; x in [-5.0, 5.0], y in [-2.0, 2.0]);
check!(pow_mix: pow_mix, pow_mix_grad, pow_mix_value_and_grad, pow_mix_closed; x in [-2.0, 2.0], y in [0.1, 3.0]);
check!(quotients: quotients, quotients_grad, quotients_value_and_grad, quotients_closed; x in [-3.0, 3.0], y in [0.5, 3.0]);
check!(negations: negations, negations_grad, negations_value_and_grad, negations_closed; x in [-3.0, 3.0], y in [-3.0, 3.0]);
check!(shadowing: shadowing, shadowing_grad, shadowing_value_and_grad, shadowing_closed; x in [-2.0, 2.0], y in [-2.0, 2.0]);
check!(annotated: annotated, annotated_grad, annotated_value_and_grad, annotated_closed; x in [-1.0, 2.0]);
check!(branches: branches, branches_grad, branches_value_and_grad, branches_closed; x in [-2.0, 2.0], y in [-2.0, 2.0]);
check!(else_if: else_if, else_if_grad, else_if_value_and_grad, else_if_closed; x in [-3.0, 3.0]);
check!(elu: elu, elu_grad, elu_value_and_grad, elu_closed; x in [-3.0, 3.0]);
check!(casts: casts, casts_grad, casts_value_and_grad, casts_closed; x in [-3.0, 3.0]);
check!(reuse: reuse, reuse_grad, reuse_value_and_grad, reuse_closed; x in [0.2, 2.0]);
check!(unused: unused, unused_grad, unused_value_and_grad, unused_closed; x in [-2.0, 2.0], y in [-2.0, 2.0]);
check!(softsign: softsign, softsign_grad, softsign_value_and_grad, softsign_closed; x in [-4.0, 4.0]);
check!(swish: swish, swish_grad, swish_value_and_grad, swish_closed; x in [-6.0, 6.0]);
check!(gelu: gelu, gelu_grad, gelu_value_and_grad, gelu_closed; x in [-4.0, 4.0]);
check!(lse2: lse2, lse2_grad, lse2_value_and_grad, lse2_closed; x in [-5.0, 5.0], y in [-5.0, 5.0]);
check!(gaussian: gaussian, gaussian_grad, gaussian_value_and_grad, gaussian_closed; x in [-2.0, 2.0], mu in [-1.0, 1.0], s in [0.5, 2.0]);
check!(trig: trig, trig_grad, trig_value_and_grad, trig_closed; x in [-3.0, 3.0], y in [-3.0, 3.0]);
check!(abs_mix: abs_mix, abs_mix_grad, abs_mix_value_and_grad, abs_mix_closed; x in [-2.0, 2.0], y in [-2.0, 2.0]);
check!(max_min: max_min, max_min_grad, max_min_value_and_grad, max_min_closed; x in [-2.0, 2.0], y in [-2.0, 2.0]);
check!(leaky_mix: leaky_mix, leaky_mix_grad, leaky_mix_value_and_grad, leaky_mix_closed; x in [-2.0, 2.0], y in [-2.0, 2.0]);
check!(hypot: hypot, hypot_grad, hypot_value_and_grad, hypot_closed; x in [0.1, 3.0], y in [-3.0, -0.1]);
check!(chain: chain, chain_grad, chain_value_and_grad, chain_closed; x in [-3.0, 3.0]);
check!(power_param: power_param, power_param_grad, power_param_value_and_grad, power_param_closed; x in [0.2, 3.0], p in [-1.5, 2.5]);
check!(soft_temp: soft_temp, soft_temp_grad, soft_temp_value_and_grad, soft_temp_closed; x in [-3.0, 3.0], k in [0.5, 4.0]);
check!(rational: rational, rational_grad, rational_value_and_grad, rational_closed; x in [0.3, 3.0], y in [-2.0, 2.0]);

// ---------- composition ----------
check!(calls_differentiable_fn: neuron_loss, neuron_loss_grad, neuron_loss_value_and_grad, neuron_loss_closed; x in [-2.0, 2.0], w in [-2.0, 2.0], b in [-1.0, 1.0], y in [0.0, 1.0]);
check!(calls_custom_grad: uses_custom, uses_custom_grad, uses_custom_value_and_grad, uses_custom_closed; x in [-3.0, 3.0]);
check!(calls_custom_grad_two_args: uses_custom2, uses_custom2_grad, uses_custom2_value_and_grad, uses_custom2_closed; x in [-1.0, 1.0], y in [-1.0, 1.0]);
check!(calls_fns_in_modules: modules, modules_grad, modules_value_and_grad, modules_closed; x in [-2.0, 2.0], y in [-2.0, 2.0]);
check!(four_levels_deep: deep, deep_grad, deep_value_and_grad, deep_closed; x in [-1.5, 1.5], y in [-1.5, 1.5]);
