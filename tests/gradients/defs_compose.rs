//! The composition cases of [`super::defs`]: fns that call other
//! `#[differentiable]` fns, hand-written `_vjp`s, and fns in other modules,
//! each with its closed-form gradient. Instantiated by `define!` once per
//! float type, next to the fns they call.

macro_rules! define_composition {
    ($t:ident) => {
        /// Calls another `#[differentiable]` fn.
        #[differentiable]
        pub(crate) fn neuron_loss(x: $t, w: $t, b: $t, y: $t) -> $t {
            let e = neuron(x, w, b) - y;
            e * e
        }
        pub(crate) fn neuron_loss_closed(x: $t, w: $t, b: $t, y: $t) -> ($t, $t, $t, $t) {
            let e = neuron(x, w, b) - y;
            let (dx, dw, db) = neuron_closed(x, w, b);
            (2.0 * e * dx, 2.0 * e * dw, 2.0 * e * db, -2.0 * e)
        }

        /// A fn with a hand-written derivative (not `#[differentiable]`).
        pub(crate) fn cube(x: $t) -> $t {
            x * x * x
        }
        /// Hand-written derivative of [`cube`].
        pub(crate) fn cube_grad(x: $t) -> $t {
            3.0 * x * x
        }
        /// The custom derivative as `#[differentiable]` callers use it: the
        /// partial times the cotangent.
        pub(crate) fn cube_vjp(x: $t, cotangent: $t) -> $t {
            cotangent * cube_grad(x)
        }

        /// Uses the hand-written `cube_grad`.
        #[differentiable]
        pub(crate) fn uses_custom(x: $t) -> $t {
            cube(sin(x)) + x
        }
        pub(crate) fn uses_custom_closed(x: $t) -> $t {
            3.0 * x.sin() * x.sin() * x.cos() + 1.0
        }

        /// A two-argument fn with a hand-written derivative.
        pub(crate) fn weighted(a: $t, b: $t) -> $t {
            a * b * b
        }
        /// Hand-written derivative of [`weighted`].
        pub(crate) fn weighted_grad(a: $t, b: $t) -> ($t, $t) {
            (b * b, 2.0 * a * b)
        }
        /// The custom derivative as `#[differentiable]` callers use it.
        pub(crate) fn weighted_vjp(a: $t, b: $t, cotangent: $t) -> ($t, $t) {
            let (da, db) = weighted_grad(a, b);
            (cotangent * da, cotangent * db)
        }

        /// Uses the two-argument hand-written derivative.
        #[differentiable]
        pub(crate) fn uses_custom2(x: $t, y: $t) -> $t {
            weighted(x + y, exp(y)) * 2.0
        }
        pub(crate) fn uses_custom2_closed(x: $t, y: $t) -> ($t, $t) {
            let (da, db) = weighted_grad(x + y, y.exp());
            (2.0 * da, 2.0 * (da + db * y.exp()))
        }

        /// Fns in other modules.
        pub(crate) mod m {
            use grad::prelude::*;

            /// Inner module, first level.
            #[differentiable]
            pub(crate) fn g(x: $t) -> $t {
                tanh(x) * x
            }

            /// Nested module.
            pub(crate) mod inner {
                use grad::prelude::*;

                /// Second level.
                #[differentiable]
                pub(crate) fn h(x: $t, y: $t) -> $t {
                    super::g(x * y) + x
                }
            }
        }

        /// Calls `m::g` and `m::inner::h`: three levels deep.
        #[differentiable]
        pub(crate) fn modules(x: $t, y: $t) -> $t {
            m::g(x) + m::inner::h(x, y) * 2.0
        }
        pub(crate) fn modules_closed(x: $t, y: $t) -> ($t, $t) {
            let gp = |u: $t| u.tanh() + u * (1.0 - u.tanh() * u.tanh());
            (gp(x) + 2.0 * (gp(x * y) * y + 1.0), 2.0 * gp(x * y) * x)
        }

        /// Four levels: deep → modules → m::inner::h → m::g, plus neuron.
        #[differentiable]
        pub(crate) fn deep(x: $t, y: $t) -> $t {
            let a = modules(x, y);
            neuron(a, 0.5, -0.25) + uses_custom(y)
        }
        pub(crate) fn deep_closed(x: $t, y: $t) -> ($t, $t) {
            let a = modules(x, y);
            let (da, _, _) = neuron_closed(a, 0.5, -0.25);
            let (mx, my) = modules_closed(x, y);
            (da * mx, da * my + uses_custom_closed(y))
        }
    };
}
