//! The `#[differentiable]` functions under test. `define!` is instantiated
//! once per float type, so every function exists in f64 (`d64`) and f32
//! (`d32`).
//!
//! Naming: `e_*` elementwise operators, `u_*` unary elementwise functions,
//! `p_*` products and transposes, `r_*` row-wise ops and reductions, `l_*`
//! losses, `o_*` matrix-valued functions (they get `_vjp`), `x_*` mixed
//! parameters, `wrt(..)` subsets and composition. Scalar-output checks of a
//! matrix-valued op weight the result with a matrix `w` (`sum(op(..) * w)`),
//! so every element's derivative is visible and none vanishes identically.

macro_rules! define {
    ($t:ident) => {
        use grad::prelude::*;

        // ---------- products ----------

        #[differentiable]
        pub(crate) fn p_matmul(a: &Matrix<$t>, b: &Matrix<$t>, w: &Matrix<$t>) -> $t {
            sum(matmul(a, b) * w)
        }

        #[differentiable]
        pub(crate) fn p_transpose(a: &Matrix<$t>, w: &Matrix<$t>) -> $t {
            sum(transpose(a) * w)
        }

        /// `aᵀ·b` and `a·bᵀ` in one fn: transposes feeding products.
        #[differentiable]
        pub(crate) fn p_matmul_transposed(a: &Matrix<$t>, b: &Matrix<$t>, c: &Matrix<$t>) -> $t {
            let x = matmul(transpose(a), b);
            let y = matmul(&x, transpose(c));
            sum(y * y)
        }

        #[differentiable]
        pub(crate) fn p_matvec(w: &Matrix<$t>, x: &[$t], c: &[$t]) -> $t {
            dot(matvec(w, x), c)
        }

        /// `matvec` of a matrix taken by value, its result through `tanh`.
        #[differentiable]
        pub(crate) fn p_matvec_owned(w: Matrix<$t>, x: Vec<$t>, b: &[$t]) -> $t {
            let h = tanh(matvec(&w, &x) + b);
            sum(h * h)
        }

        // ---------- elementwise, matrix ⊙ matrix ----------

        #[differentiable]
        pub(crate) fn e_add_mm(a: &Matrix<$t>, b: &Matrix<$t>, w: &Matrix<$t>) -> $t {
            sum((a + b) * w)
        }

        #[differentiable]
        pub(crate) fn e_sub_mm(a: &Matrix<$t>, b: &Matrix<$t>, w: &Matrix<$t>) -> $t {
            sum((a - b) * w)
        }

        #[differentiable]
        pub(crate) fn e_mul_mm(a: &Matrix<$t>, b: &Matrix<$t>, w: &Matrix<$t>) -> $t {
            sum(a * b * w)
        }

        #[differentiable]
        pub(crate) fn e_div_mm(a: &Matrix<$t>, b: &Matrix<$t>, w: &Matrix<$t>) -> $t {
            sum(a / b * w)
        }

        // ---------- elementwise, matrix and scalar in both orders ----------

        #[differentiable]
        pub(crate) fn e_add_ms(a: &Matrix<$t>, s: $t, w: &Matrix<$t>) -> $t {
            sum((a + s) * w)
        }

        #[differentiable]
        pub(crate) fn e_add_sm(a: &Matrix<$t>, s: $t, w: &Matrix<$t>) -> $t {
            sum((s + a) * w)
        }

        #[differentiable]
        pub(crate) fn e_sub_ms(a: &Matrix<$t>, s: $t, w: &Matrix<$t>) -> $t {
            sum((a - s) * w)
        }

        #[differentiable]
        pub(crate) fn e_sub_sm(a: &Matrix<$t>, s: $t, w: &Matrix<$t>) -> $t {
            sum((s - a) * w)
        }

        #[differentiable]
        pub(crate) fn e_mul_ms(a: &Matrix<$t>, s: $t, w: &Matrix<$t>) -> $t {
            sum(a * s * w)
        }

        #[differentiable]
        pub(crate) fn e_mul_sm(a: &Matrix<$t>, s: $t, w: &Matrix<$t>) -> $t {
            sum(s * a * w)
        }

        #[differentiable]
        pub(crate) fn e_div_ms(a: &Matrix<$t>, s: $t, w: &Matrix<$t>) -> $t {
            sum(a / s * w)
        }

        #[differentiable]
        pub(crate) fn e_div_sm(a: &Matrix<$t>, s: $t, w: &Matrix<$t>) -> $t {
            sum(s / a * w)
        }

        /// Literals on both sides: d/da = (2 − 3 + 1/4)·w per element.
        #[differentiable]
        pub(crate) fn e_literals(a: &Matrix<$t>, w: &Matrix<$t>) -> $t {
            sum((2.0 * a - a * 3.0 + a / 4.0 + 1.0 - 0.5) * w)
        }

        // ---------- matrix ± vector (row broadcast) and vector ± matrix ----------

        #[differentiable]
        pub(crate) fn e_add_mv(a: &Matrix<$t>, v: &[$t], w: &Matrix<$t>) -> $t {
            sum((a + v) * w)
        }

        #[differentiable]
        pub(crate) fn e_sub_mv(a: &Matrix<$t>, v: &[$t], w: &Matrix<$t>) -> $t {
            sum((a - v) * w)
        }

        #[differentiable]
        pub(crate) fn e_add_vm(a: &Matrix<$t>, v: &[$t], w: &Matrix<$t>) -> $t {
            sum((v + a) * w)
        }

        #[differentiable]
        pub(crate) fn e_sub_vm(a: &Matrix<$t>, v: &[$t], w: &Matrix<$t>) -> $t {
            sum((v - a) * w)
        }

        /// A broadcast vector that is itself computed (`v * 2`, `exp(v)`).
        #[differentiable]
        pub(crate) fn e_broadcast_computed(a: &Matrix<$t>, v: &[$t], w: &Matrix<$t>) -> $t {
            let b = v * 2.0;
            sum(tanh(a + b - exp(v)) * w)
        }

        #[differentiable]
        pub(crate) fn e_neg(a: &Matrix<$t>, w: &Matrix<$t>) -> $t {
            sum(-a * w)
        }

        // ---------- unary elementwise functions ----------

        #[differentiable]
        pub(crate) fn u_sigmoid(a: &Matrix<$t>, w: &Matrix<$t>) -> $t {
            sum(sigmoid(a) * w)
        }

        #[differentiable]
        pub(crate) fn u_tanh(a: &Matrix<$t>, w: &Matrix<$t>) -> $t {
            sum(tanh(a) * w)
        }

        #[differentiable]
        pub(crate) fn u_relu(a: &Matrix<$t>, w: &Matrix<$t>) -> $t {
            sum(relu(a) * w)
        }

        #[differentiable]
        pub(crate) fn u_exp(a: &Matrix<$t>, w: &Matrix<$t>) -> $t {
            sum(exp(a) * w)
        }

        #[differentiable]
        pub(crate) fn u_ln(a: &Matrix<$t>, w: &Matrix<$t>) -> $t {
            sum(ln(a) * w)
        }

        #[differentiable]
        pub(crate) fn u_sqrt(a: &Matrix<$t>, w: &Matrix<$t>) -> $t {
            sum(sqrt(a) * w)
        }

        #[differentiable]
        pub(crate) fn u_abs(a: &Matrix<$t>, w: &Matrix<$t>) -> $t {
            sum(abs(a) * w)
        }

        #[differentiable]
        pub(crate) fn u_softplus(a: &Matrix<$t>, w: &Matrix<$t>) -> $t {
            sum(softplus(a) * w)
        }

        #[differentiable]
        pub(crate) fn u_sin(a: &Matrix<$t>, w: &Matrix<$t>) -> $t {
            sum(sin(a) * w)
        }

        #[differentiable]
        pub(crate) fn u_cos(a: &Matrix<$t>, w: &Matrix<$t>) -> $t {
            sum(cos(a) * w)
        }

        // ---------- row-wise and reductions ----------

        #[differentiable]
        pub(crate) fn r_softmax(a: &Matrix<$t>, w: &Matrix<$t>) -> $t {
            sum(softmax(a) * w)
        }

        #[differentiable]
        pub(crate) fn r_log_softmax(a: &Matrix<$t>, w: &Matrix<$t>) -> $t {
            sum(log_softmax(a) * w)
        }

        #[differentiable]
        pub(crate) fn r_sum(a: &Matrix<$t>) -> $t {
            sum(a)
        }

        #[differentiable]
        pub(crate) fn r_mean(a: &Matrix<$t>) -> $t {
            mean(a)
        }

        #[differentiable]
        pub(crate) fn r_sum_mean_of_products(a: &Matrix<$t>, b: &Matrix<$t>) -> $t {
            sum(a * b) + mean(a * a) * 3.0
        }

        // ---------- losses ----------

        #[differentiable(wrt(z))]
        pub(crate) fn l_cross_entropy(z: &Matrix<$t>, labels: &[usize]) -> $t {
            cross_entropy(z, labels)
        }

        #[differentiable]
        pub(crate) fn l_mse(a: &Matrix<$t>, b: &Matrix<$t>) -> $t {
            mse(a, b)
        }

        #[differentiable]
        pub(crate) fn l_bce(p: &Matrix<$t>, y: &Matrix<$t>) -> $t {
            binary_cross_entropy(p, y)
        }

        #[differentiable]
        pub(crate) fn l_bce_with_logits(z: &Matrix<$t>, y: &Matrix<$t>) -> $t {
            bce_with_logits(z, y)
        }

        /// Losses of computed matrices (the loss's backward feeds a chain).
        #[differentiable]
        pub(crate) fn l_chain(a: &Matrix<$t>, b: &Matrix<$t>, y: &Matrix<$t>) -> $t {
            let z = matmul(a, b);
            bce_with_logits(&z, y) + mse(sigmoid(&z), y) + binary_cross_entropy(sigmoid(z), y)
        }

        // ---------- matrix-valued (they get `_vjp`) ----------

        #[differentiable]
        pub(crate) fn o_layer(w: Matrix<$t>, x: &Matrix<$t>, b: &[$t], s: $t) -> Matrix<$t> {
            sigmoid(matmul(x, &w) * s + b)
        }

        #[differentiable]
        pub(crate) fn o_softmax(a: &Matrix<$t>) -> Matrix<$t> {
            softmax(a * 2.0 - 1.0)
        }

        #[differentiable]
        pub(crate) fn o_transpose(a: &Matrix<$t>, b: &Matrix<$t>) -> Matrix<$t> {
            transpose(a * b)
        }

        /// The identity: the VJP is the cotangent itself.
        #[differentiable]
        pub(crate) fn o_identity(a: &Matrix<$t>) -> Matrix<$t> {
            a
        }

        // ---------- mixed parameters, wrt, composition ----------

        /// A scalar scaling a matrix: its partial sums over every element.
        #[differentiable]
        pub(crate) fn x_scale(a: &Matrix<$t>, s: $t, w: &Matrix<$t>) -> $t {
            sum(sigmoid(a * s) * w) + s * mean(a)
        }

        /// Floats, vectors and matrices in one fn, by value and by reference.
        #[differentiable]
        pub(crate) fn x_all_kinds(a: Matrix<$t>, b: &Matrix<$t>, v: &[$t], s: $t, c: $t) -> $t {
            let h: Matrix<$t> = tanh(matmul(&a, b) + v) * s;
            mean(h * h) + c * sum(v) + sum(softmax(h) * c)
        }

        #[differentiable(wrt(b))]
        pub(crate) fn x_wrt_b(a: &Matrix<$t>, b: &Matrix<$t>, s: $t) -> $t {
            sum(tanh(matmul(a, b)) * s)
        }

        #[differentiable(wrt(s, a))]
        pub(crate) fn x_wrt_s_a(a: &Matrix<$t>, b: &Matrix<$t>, s: $t) -> $t {
            sum(tanh(matmul(a, b)) * s)
        }

        /// A callee taking a matrix by value, differentiated in `s` only.
        #[differentiable(wrt(s))]
        pub(crate) fn scaled_total(a: Matrix<$t>, s: $t) -> $t {
            sum(tanh(a * s))
        }

        /// Composition where the matrix argument is a constant of the caller.
        #[differentiable(wrt(s))]
        pub(crate) fn x_calls_const(a: &Matrix<$t>, s: $t) -> $t {
            scaled_total(a, s * s) + s
        }

        // ---------- composition: matrices passed to and returned by user fns ----------

        /// A scalar-valued fn of a `&Matrix`, called by [`x_calls_frob`].
        #[differentiable]
        pub(crate) fn frob(a: &Matrix<$t>, s: $t) -> $t {
            sum(a * a) * s
        }

        /// Composition: a computed matrix passed to a fn taking `&Matrix`.
        #[differentiable]
        pub(crate) fn x_calls_frob(a: &Matrix<$t>, b: &Matrix<$t>, s: $t) -> $t {
            let p = matmul(a, b);
            frob(&p, s) + frob(a, 0.5)
        }

        /// A matrix-valued fn, called by [`x_calls_dense`].
        #[differentiable]
        pub(crate) fn dense(x: &Matrix<$t>, w: &Matrix<$t>, b: &[$t]) -> Matrix<$t> {
            tanh(matmul(x, w) + b)
        }

        /// Composition: a matrix returned by a `#[differentiable]` fn, used
        /// by the caller's ops.
        #[differentiable(wrt(w1, b1, w2))]
        pub(crate) fn x_calls_dense(
            x: &Matrix<$t>,
            w1: &Matrix<$t>,
            b1: &[$t],
            w2: &Matrix<$t>,
            labels: &[usize],
        ) -> $t {
            let h = dense(x, w1, b1);
            cross_entropy(matmul(h, w2), labels)
        }

        /// Composition twice: a matrix-valued fn called by a matrix-valued fn.
        #[differentiable]
        pub(crate) fn o_two_layers(x: &Matrix<$t>, w1: &Matrix<$t>, b1: &[$t]) -> Matrix<$t> {
            // A call's result passed by reference to a user fn needs its kind
            // spelled out (the macro cannot tell a vector from a matrix there).
            let h: Matrix<$t> = dense(x, w1, b1);
            dense(&h, &transpose(w1), b1)
        }
    };
}

pub(crate) mod d64 {
    define!(f64);
}

pub(crate) mod d32 {
    define!(f32);
}
