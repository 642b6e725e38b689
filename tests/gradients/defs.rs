//! The functions under test, each followed by its closed-form gradient
//! (`<name>_closed`, same shape as `<name>_grad`). `define!` is instantiated
//! once per float type, so every function exists in f64 (`d64`) and f32 (`d32`);
//! the composite fns are in `defs_composite.rs` (`define_composites!`), the
//! fns that call other fns in `defs_compose.rs` (`define_composition!`).

macro_rules! define {
    ($t:ident) => {
        use grad::prelude::*;

        /// Stable sigmoid for closed forms.
        fn sg(x: $t) -> $t {
            grad::scalar::sigmoid(x)
        }

        // ---------- primitives, free-function form ----------

        #[differentiable]
        pub(crate) fn p_sigmoid(x: $t) -> $t {
            sigmoid(x)
        }
        pub(crate) fn p_sigmoid_closed(x: $t) -> $t {
            sg(x) * (1.0 - sg(x))
        }

        #[differentiable]
        pub(crate) fn p_relu(x: $t) -> $t {
            relu(x)
        }
        pub(crate) fn p_relu_closed(x: $t) -> $t {
            if x > 0.0 { 1.0 } else { 0.0 }
        }

        #[differentiable]
        pub(crate) fn p_tanh(x: $t) -> $t {
            tanh(x)
        }
        pub(crate) fn p_tanh_closed(x: $t) -> $t {
            1.0 - x.tanh() * x.tanh()
        }

        #[differentiable]
        pub(crate) fn p_exp(x: $t) -> $t {
            exp(x)
        }
        pub(crate) fn p_exp_closed(x: $t) -> $t {
            x.exp()
        }

        #[differentiable]
        pub(crate) fn p_ln(x: $t) -> $t {
            ln(x)
        }
        pub(crate) fn p_ln_closed(x: $t) -> $t {
            1.0 / x
        }

        #[differentiable]
        pub(crate) fn p_sqrt(x: $t) -> $t {
            sqrt(x)
        }
        pub(crate) fn p_sqrt_closed(x: $t) -> $t {
            0.5 / x.sqrt()
        }

        #[differentiable]
        pub(crate) fn p_sin(x: $t) -> $t {
            sin(x)
        }
        pub(crate) fn p_sin_closed(x: $t) -> $t {
            x.cos()
        }

        #[differentiable]
        pub(crate) fn p_cos(x: $t) -> $t {
            cos(x)
        }
        pub(crate) fn p_cos_closed(x: $t) -> $t {
            -x.sin()
        }

        #[differentiable]
        pub(crate) fn p_abs(x: $t) -> $t {
            abs(x)
        }
        pub(crate) fn p_abs_closed(x: $t) -> $t {
            if x > 0.0 {
                1.0
            } else if x < 0.0 {
                -1.0
            } else {
                0.0
            }
        }

        #[differentiable]
        pub(crate) fn p_powi(x: $t) -> $t {
            powi(x, 3)
        }
        pub(crate) fn p_powi_closed(x: $t) -> $t {
            3.0 * x * x
        }

        #[differentiable]
        pub(crate) fn p_powf(x: $t, y: $t) -> $t {
            powf(x, y)
        }
        pub(crate) fn p_powf_closed(x: $t, y: $t) -> ($t, $t) {
            (y * x.powf(y - 1.0), x.powf(y) * x.ln())
        }

        #[differentiable]
        pub(crate) fn p_softplus(x: $t) -> $t {
            softplus(x)
        }
        pub(crate) fn p_softplus_closed(x: $t) -> $t {
            sg(x)
        }

        #[differentiable]
        pub(crate) fn p_leaky_relu(x: $t) -> $t {
            leaky_relu(x, 0.1)
        }
        pub(crate) fn p_leaky_relu_closed(x: $t) -> $t {
            if x > 0.0 { 1.0 } else { 0.1 }
        }

        #[differentiable]
        pub(crate) fn p_max(x: $t, y: $t) -> $t {
            max(x, y)
        }
        pub(crate) fn p_max_closed(x: $t, y: $t) -> ($t, $t) {
            if x > y { (1.0, 0.0) } else { (0.0, 1.0) }
        }

        #[differentiable]
        pub(crate) fn p_min(x: $t, y: $t) -> $t {
            min(x, y)
        }
        pub(crate) fn p_min_closed(x: $t, y: $t) -> ($t, $t) {
            if x < y { (1.0, 0.0) } else { (0.0, 1.0) }
        }

        // ---------- primitives, method form ----------

        #[differentiable]
        pub(crate) fn m_exp(x: $t) -> $t {
            x.exp()
        }
        pub(crate) fn m_exp_closed(x: $t) -> $t {
            x.exp()
        }

        #[differentiable]
        pub(crate) fn m_ln(x: $t) -> $t {
            x.ln()
        }
        pub(crate) fn m_ln_closed(x: $t) -> $t {
            1.0 / x
        }

        #[differentiable]
        pub(crate) fn m_sqrt(x: $t) -> $t {
            x.sqrt()
        }
        pub(crate) fn m_sqrt_closed(x: $t) -> $t {
            0.5 / x.sqrt()
        }

        #[differentiable]
        pub(crate) fn m_tanh(x: $t) -> $t {
            x.tanh()
        }
        pub(crate) fn m_tanh_closed(x: $t) -> $t {
            1.0 - x.tanh() * x.tanh()
        }

        #[differentiable]
        pub(crate) fn m_sin(x: $t) -> $t {
            x.sin()
        }
        pub(crate) fn m_sin_closed(x: $t) -> $t {
            x.cos()
        }

        #[differentiable]
        pub(crate) fn m_cos(x: $t) -> $t {
            x.cos()
        }
        pub(crate) fn m_cos_closed(x: $t) -> $t {
            -x.sin()
        }

        #[differentiable]
        pub(crate) fn m_abs(x: $t) -> $t {
            x.abs()
        }
        pub(crate) fn m_abs_closed(x: $t) -> $t {
            p_abs_closed(x)
        }

        #[differentiable]
        pub(crate) fn m_powi(x: $t) -> $t {
            x.powi(-2)
        }
        pub(crate) fn m_powi_closed(x: $t) -> $t {
            -2.0 / (x * x * x)
        }

        #[differentiable]
        pub(crate) fn m_powf(x: $t, y: $t) -> $t {
            x.powf(y)
        }
        pub(crate) fn m_powf_closed(x: $t, y: $t) -> ($t, $t) {
            p_powf_closed(x, y)
        }

        #[differentiable]
        pub(crate) fn m_max(x: $t, y: $t) -> $t {
            x.max(y)
        }
        pub(crate) fn m_max_closed(x: $t, y: $t) -> ($t, $t) {
            p_max_closed(x, y)
        }

        #[differentiable]
        pub(crate) fn m_min(x: $t, y: $t) -> $t {
            x.min(y)
        }
        pub(crate) fn m_min_closed(x: $t, y: $t) -> ($t, $t) {
            p_min_closed(x, y)
        }

        define_composites!($t);
        define_composition!($t);

        // ---------- wrt(..) ----------

        /// Only `w` and `b` are differentiated.
        #[differentiable(wrt(w, b))]
        pub(crate) fn neuron_wb(x: $t, w: $t, b: $t) -> $t {
            sigmoid(w * x + b)
        }

        /// Only `x`: the gradient is the bare value.
        #[differentiable(wrt(x))]
        pub(crate) fn neuron_x(x: $t, w: $t, b: $t) -> $t {
            sigmoid(w * x + b)
        }
    };
}

/// f64 instances.
#[allow(
    dead_code,
    reason = "every fn exists in both precisions; some checks use only one"
)]
pub(crate) mod d64 {
    define!(f64);
}

/// f32 instances.
#[allow(
    dead_code,
    reason = "every fn exists in both precisions; some checks use only one"
)]
pub(crate) mod d32 {
    define!(f32);
}
