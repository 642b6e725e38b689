//! The `#[differentiable]` functions under test. `define!` is instantiated
//! once per float type, so every function exists in f64 (`d64`) and f32
//! (`d32`); their closed-form gradients are in [`crate::closed`] (f64 only).
//!
//! Naming: `e_*` elementwise, `u_*` unary elementwise functions, `i_*`
//! indexing and array literals, `r_*` reductions, `l_*` losses, `o_*`
//! vector-valued functions (they get `_vjp`/`_jacobian`), `p_*` parameter
//! kinds. Scalar-output elementwise checks weight the result with a third
//! vector `w` (`dot(op(..), w)`), so every element's derivative is visible.

macro_rules! define {
    ($t:ident) => {
        use grad::prelude::*;

        // ---------- elementwise, vector ⊕ vector ----------

        #[differentiable]
        pub(crate) fn e_add_vv(a: &[$t], b: &[$t], w: &[$t]) -> $t {
            dot(a + b, w)
        }

        #[differentiable]
        pub(crate) fn e_sub_vv(a: &[$t], b: &[$t], w: &[$t]) -> $t {
            dot(a - b, w)
        }

        #[differentiable]
        pub(crate) fn e_mul_vv(a: &[$t], b: &[$t], w: &[$t]) -> $t {
            dot(a * b, w)
        }

        #[differentiable]
        pub(crate) fn e_div_vv(a: &[$t], b: &[$t], w: &[$t]) -> $t {
            dot(a / b, w)
        }

        // ---------- elementwise, vector ⊕ scalar and scalar ⊕ vector ----------

        #[differentiable]
        pub(crate) fn e_add_vs(a: &[$t], s: $t, w: &[$t]) -> $t {
            dot(a + s, w)
        }

        #[differentiable]
        pub(crate) fn e_add_sv(a: &[$t], s: $t, w: &[$t]) -> $t {
            dot(s + a, w)
        }

        #[differentiable]
        pub(crate) fn e_sub_vs(a: &[$t], s: $t, w: &[$t]) -> $t {
            dot(a - s, w)
        }

        #[differentiable]
        pub(crate) fn e_sub_sv(a: &[$t], s: $t, w: &[$t]) -> $t {
            dot(s - a, w)
        }

        #[differentiable]
        pub(crate) fn e_mul_vs(a: &[$t], s: $t, w: &[$t]) -> $t {
            dot(a * s, w)
        }

        #[differentiable]
        pub(crate) fn e_mul_sv(a: &[$t], s: $t, w: &[$t]) -> $t {
            dot(s * a, w)
        }

        #[differentiable]
        pub(crate) fn e_div_vs(a: &[$t], s: $t, w: &[$t]) -> $t {
            dot(a / s, w)
        }

        #[differentiable]
        pub(crate) fn e_div_sv(a: &[$t], s: $t, w: &[$t]) -> $t {
            dot(s / a, w)
        }

        /// Literals on either side of every operator: d/da = 2 + 3 − 1 + 1/4 per element, weighted.
        #[differentiable]
        pub(crate) fn e_literals(a: &[$t], w: &[$t]) -> $t {
            dot(2.0 * a + a * 3.0 + (1.0 - a) + a / 4.0, w)
        }

        #[differentiable]
        pub(crate) fn e_neg(a: &[$t], w: &[$t]) -> $t {
            dot(-a, w)
        }

        /// A chain of elementwise ops through `let`s, shadowing included.
        #[differentiable]
        pub(crate) fn e_chain(a: &[$t], b: &[$t], s: $t) -> $t {
            let h = a * b + s;
            let h = h * h - a / 2.0;
            sum(h * s)
        }

        // ---------- unary elementwise fns ----------

        #[differentiable]
        pub(crate) fn u_sigmoid(a: &[$t], w: &[$t]) -> $t {
            dot(sigmoid(a), w)
        }

        #[differentiable]
        pub(crate) fn u_tanh(a: &[$t], w: &[$t]) -> $t {
            dot(tanh(a), w)
        }

        #[differentiable]
        pub(crate) fn u_relu(a: &[$t], w: &[$t]) -> $t {
            dot(relu(a), w)
        }

        #[differentiable]
        pub(crate) fn u_exp(a: &[$t], w: &[$t]) -> $t {
            dot(exp(a), w)
        }

        #[differentiable]
        pub(crate) fn u_ln(a: &[$t], w: &[$t]) -> $t {
            dot(ln(a), w)
        }

        #[differentiable]
        pub(crate) fn u_sqrt(a: &[$t], w: &[$t]) -> $t {
            dot(sqrt(a), w)
        }

        #[differentiable]
        pub(crate) fn u_abs(a: &[$t], w: &[$t]) -> $t {
            dot(abs(a), w)
        }

        #[differentiable]
        pub(crate) fn u_softplus(a: &[$t], w: &[$t]) -> $t {
            dot(softplus(a), w)
        }

        /// `sin` and `cos` work elementwise too (beyond the list of API §2).
        #[differentiable]
        pub(crate) fn u_sin_cos(a: &[$t], w: &[$t]) -> $t {
            dot(sin(a) * cos(w), w)
        }

        // ---------- indexing and array literals ----------

        #[differentiable]
        pub(crate) fn i_index(a: &[$t]) -> $t {
            a[1] * a[3] + a[0]
        }

        /// `v[i]` on an op's result: one row of the softmax Jacobian.
        #[differentiable]
        pub(crate) fn i_softmax_1(a: &[$t]) -> $t {
            softmax(a)[1]
        }

        #[differentiable]
        pub(crate) fn i_index_expr(a: &[$t], b: &[$t]) -> $t {
            (a + b)[2] * 2.0
        }

        /// A `usize` parameter as the index: a constant, not differentiated.
        #[differentiable]
        pub(crate) fn i_index_param(a: &[$t], k: usize) -> $t {
            a[k] * a[k]
        }

        #[differentiable]
        pub(crate) fn i_array_literal(x: $t, y: $t, z: $t) -> $t {
            softmax([x, 2.0 * y, x * z])[0]
        }

        #[differentiable]
        pub(crate) fn i_array_dot(x: $t, y: $t, w: &[$t]) -> $t {
            dot([x, y, x * y], w)
        }

        // ---------- reductions ----------

        #[differentiable]
        pub(crate) fn r_sum(a: &[$t]) -> $t {
            sum(a * a)
        }

        #[differentiable]
        pub(crate) fn r_mean(a: &[$t]) -> $t {
            mean(a * a)
        }

        #[differentiable]
        pub(crate) fn r_dot(a: &[$t], b: &[$t]) -> $t {
            dot(a, b)
        }

        /// `c · (W x)` with `W` 3×4 row-major.
        #[differentiable]
        pub(crate) fn r_matvec(w: &[$t], x: &[$t], c: &[$t]) -> $t {
            dot(matvec(w, x), c)
        }

        /// A dense layer `matvec(w, x) + b`, weighted.
        #[differentiable]
        pub(crate) fn r_dense(w: &[$t], x: &[$t], b: &[$t], c: &[$t]) -> $t {
            dot(matvec(w, x) + b, c)
        }

        #[differentiable]
        pub(crate) fn r_softmax(a: &[$t], w: &[$t]) -> $t {
            dot(softmax(a), w)
        }

        #[differentiable]
        pub(crate) fn r_log_softmax(a: &[$t], w: &[$t]) -> $t {
            dot(log_softmax(a), w)
        }

        /// Every reduction with `&` on its arguments.
        #[differentiable]
        pub(crate) fn r_ampersand(a: &[$t], b: &[$t]) -> $t {
            dot(&a, &b) + sum(&a) * mean(&b) + dot(&softmax(&a), &b) + mse(&a, &b)
        }

        // ---------- losses ----------

        #[differentiable]
        pub(crate) fn l_mse(p: &[$t], t: &[$t]) -> $t {
            mse(p, t)
        }

        #[differentiable]
        pub(crate) fn l_cross_entropy(z: &[$t], class: usize) -> $t {
            cross_entropy(z, class)
        }

        #[differentiable]
        pub(crate) fn l_bce(p: &[$t], y: &[$t]) -> $t {
            binary_cross_entropy(p, y)
        }

        #[differentiable]
        pub(crate) fn l_bce_with_logits(z: &[$t], y: &[$t]) -> $t {
            bce_with_logits(z, y)
        }

        /// `cross_entropy` of softmax-then-log composed by hand, for comparison with the fused op.
        #[differentiable]
        pub(crate) fn l_ce_by_hand(z: &[$t], class: usize) -> $t {
            -log_softmax(z)[class]
        }

        /// The regression loss of issue 4: `mse(w * x + b, y)`.
        #[differentiable]
        pub(crate) fn l_regression(w: &[$t], x: &[$t], b: $t, y: &[$t]) -> $t {
            mse(w * x + b, y)
        }

        // ---------- vector-valued functions ----------

        /// The VJP is the cotangent itself, for both parameters.
        #[differentiable]
        pub(crate) fn o_add(a: &[$t], b: &[$t]) -> Vec<$t> {
            a + b
        }

        #[differentiable]
        pub(crate) fn o_affine(a: &[$t], s: $t) -> Vec<$t> {
            s * a - 1.0
        }

        #[differentiable]
        pub(crate) fn o_softmax(a: &[$t]) -> Vec<$t> {
            softmax(a)
        }

        #[differentiable]
        pub(crate) fn o_log_softmax(a: &[$t]) -> Vec<$t> {
            log_softmax(a)
        }

        #[differentiable]
        pub(crate) fn o_dense(w: &[$t], x: &[$t], b: &[$t]) -> Vec<$t> {
            tanh(matvec(w, x) + b)
        }

        #[differentiable]
        pub(crate) fn o_unary(a: &[$t]) -> Vec<$t> {
            sigmoid(a) * exp(a) + softplus(a) - relu(a) / 2.0 + abs(a) * tanh(a)
        }

        #[differentiable]
        pub(crate) fn o_array(a: [$t; 3]) -> [$t; 3] {
            softmax(a)
        }

        #[differentiable]
        pub(crate) fn o_literal(x: $t, y: $t) -> [$t; 2] {
            [x * y, x + sqrt(y)]
        }

        // ---------- parameter kinds ----------

        #[differentiable]
        pub(crate) fn p_slice(a: &[$t]) -> $t {
            dot(softmax(a), a) + dot(a, a)
        }

        #[differentiable]
        pub(crate) fn p_vec(a: Vec<$t>) -> $t {
            dot(softmax(&a), &a) + dot(&a, &a)
        }

        #[allow(clippy::ptr_arg, reason = "the `&Vec<T>` parameter kind is under test")]
        #[differentiable]
        pub(crate) fn p_vec_ref(a: &Vec<$t>) -> $t {
            dot(softmax(a), a) + dot(a, a)
        }

        #[differentiable]
        pub(crate) fn p_array(a: [$t; 4]) -> $t {
            dot(softmax(a), a) + dot(a, a)
        }

        #[differentiable]
        pub(crate) fn p_array_ref(a: &[$t; 4]) -> $t {
            dot(softmax(a), a) + dot(a, a)
        }

        /// All kinds at once, plus a scalar and a constant.
        #[allow(clippy::ptr_arg, reason = "the `&Vec<T>` parameter kind is under test")]
        #[differentiable]
        pub(crate) fn p_mixed(
            w: &Vec<$t>,
            x: Vec<$t>,
            b: [$t; 2],
            c: &[$t; 2],
            s: $t,
            class: usize,
        ) -> $t {
            let z = matvec(w, &x) + b;
            cross_entropy(z * s, class) + dot(z, c)
        }

        /// `wrt(..)` with vectors: only `w` and `b`.
        #[differentiable(wrt(w, b))]
        pub(crate) fn p_wrt(w: &[$t], b: $t, x: &[$t], y: &[$t]) -> $t {
            mse(w * x + b, y)
        }
    };
}

pub(crate) mod d64 {
    define!(f64);
}

#[allow(
    dead_code,
    reason = "some f32 originals are only exercised through their generated fns"
)]
pub(crate) mod d32 {
    define!(f32);
}
