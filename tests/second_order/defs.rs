//! The functions whose Hessians are checked against central differences of
//! their gradients (`central.rs`), once per float type: together they use
//! every op of API §1–§3 and §6 (scalars, vectors, arrays, matrices; free
//! and method forms), with mixed parameters, `wrt` subsets, `if`/`else`,
//! casts and literal constants. Each has `f_jvp`, `f_hvp` and `f_hessian`.

macro_rules! define {
    ($t:ident) => {
        use grad::prelude::*;

        // ---------- scalars (§1) ----------

        /// Every unary op in free-function form, with `y > 0`.
        #[differentiable(jvp, hessian)]
        pub(crate) fn s_free(x: $t, y: $t) -> $t {
            let a = sigmoid(x) * tanh(y) + exp(0.3 * x) * ln(y);
            let b = sqrt(y) * sin(x) + cos(x * y) + softplus(x - y);
            let c = relu(x) * y * y + abs(y - 2.0) * x * x + leaky_relu(x, 0.1) * y;
            a + b + c + powi(y, 3) * x + powf(y, x) + max(x, y) * x + min(x * y, 0.5) * y
        }

        /// Every method form, with `y > 0`.
        #[differentiable(jvp, hessian)]
        pub(crate) fn s_methods(x: $t, y: $t) -> $t {
            let a = x.exp() * y.ln() + y.sqrt() * x.tanh() + x.sin() * y.cos();
            let b = (x - 0.5).abs() * y + x.sigmoid() * y * y + (x * y).softplus();
            let c = (x + 3.0).relu() * x * y + x.leaky_relu(0.2) * x * y;
            a + b + c + x.powi(4) * y + y.powf(1.5) * x + x.powf(y) + x.max(y) * y + x.min(y) * x
        }

        /// Arithmetic: `+ - * /`, unary `-`, literals, shadowing, a cast of a
        /// constant, a `let` annotation.
        #[differentiable(jvp, hessian)]
        pub(crate) fn s_arith(x: $t, y: $t, n: usize) -> $t {
            let k = n as $t;
            let z: $t = -(x / y) + 2.0 * x * y - y / (1.0 + x * x);
            let z = z * k - x * x * x / 3.0;
            z + (x - y) * (x + y) / (y * y)
        }

        /// Branches: one polynomial side, one transcendental side.
        #[differentiable(jvp, hessian)]
        pub(crate) fn s_branch(x: $t, y: $t) -> $t {
            let a = x * y;
            if a > 1.0 {
                a * a * y + x.powi(3)
            } else if x < -1.0 {
                tanh(a) * y
            } else {
                sin(x) * y.exp() + sigmoid(a) + softplus(a)
            }
        }

        /// A `wrt` subset: `x` and `n` are constants.
        #[differentiable(wrt(w, b), jvp, hessian)]
        pub(crate) fn s_wrt(x: $t, w: $t, b: $t, n: usize) -> $t {
            let z = w * x + b;
            sigmoid(z) * (n as $t) - z * z / x + w * b * x
        }

        // ---------- vectors (§2, §3) ----------

        /// Elementwise ops and reductions on slices; `b > 0`.
        #[differentiable(jvp, hessian)]
        pub(crate) fn v_elementwise(a: &[$t], b: &[$t], s: $t) -> $t {
            let u = sum(sigmoid(a) * b) + sum(tanh(a - b)) + mean(exp(a * s));
            let w = sum(ln(b) / (b + 1.0)) + sum(sqrt(b) * abs(a));
            let z = dot(softplus(a), relu(b - 0.2)) + sum(-a * a / b) + sum(s - a) * s;
            u + w + z
        }

        /// `Vec` and `&Vec` parameters, indexing, `mean`, `dot`, a branch.
        #[allow(clippy::ptr_arg, reason = "API §2: `&Vec<T>` parameters are supported")]
        #[differentiable(jvp, hessian)]
        pub(crate) fn v_vecs(v: Vec<$t>, w: &Vec<$t>, s: $t) -> $t {
            let d = dot(&v, w) * mean(&v) + v[0] * w[2] * s;
            if s > 0.0 {
                d + sum(v / 2.0) * sum(w - 1.0) + s * s * w[1]
            } else {
                d - dot(exp(&v), w) * s
            }
        }

        /// Arrays by value and by reference, an array literal.
        #[differentiable(jvp, hessian)]
        pub(crate) fn v_arrays(a: [$t; 3], b: &[$t; 3]) -> $t {
            let c = [a[0] * b[1], a[1] - b[2], a[2] * a[2]];
            dot(c, b) + sum(sigmoid(c)) + mean(a * b) * a[1]
        }

        /// `softmax`, `log_softmax`, `mse` inside a loss.
        #[differentiable(jvp, hessian)]
        pub(crate) fn v_softmax(z: &[$t], t: &[$t]) -> $t {
            mse(softmax(z), t) - sum(log_softmax(z * t) * t) + dot(softmax(t), z)
        }

        /// `matvec` on a row-major slice, the losses; `class` and `x` are
        /// constants, `p ∈ (0, 1)`.
        #[differentiable(wrt(w, p, y), jvp, hessian)]
        pub(crate) fn v_losses(w: &[$t], x: &[$t], p: &[$t], y: &[$t], class: usize) -> $t {
            let z = matvec(w, x);
            let a = cross_entropy(&z, class) + binary_cross_entropy(p, y);
            a + bce_with_logits(z * 0.5, y) + mse(sigmoid(z), p)
        }

        /// A dense layer, every parameter differentiated (the input too).
        #[differentiable(jvp, hessian)]
        pub(crate) fn v_dense(w: &[$t], b: &[$t], x: &[$t]) -> $t {
            let h = tanh(matvec(w, x) + b);
            sum(h * h) + sum(h) * dot(x, x)
        }

        // ---------- matrices (§6) ----------

        /// A two-layer network on a batch: `matmul`, `transpose`, a row
        /// broadcast, `cross_entropy` over labels; `x` is a constant.
        #[differentiable(wrt(w1, b1, w2), jvp, hessian)]
        pub(crate) fn m_mlp(
            w1: &Matrix<$t>,
            b1: &[$t],
            w2: &Matrix<$t>,
            x: &Matrix<$t>,
            labels: &[usize],
        ) -> $t {
            let h = tanh(matmul(x, transpose(w1)) + b1);
            cross_entropy(matmul(h, w2), labels)
        }

        /// Elementwise matrix ops with matrices and scalars; `b > 0`.
        #[differentiable(jvp, hessian)]
        pub(crate) fn m_elementwise(a: &Matrix<$t>, b: &Matrix<$t>) -> $t {
            let u = sum(sigmoid(a) * b) + mean(exp(a / 2.0)) + sum(ln(b) - sqrt(b));
            let w = sum(abs(a - b) * softplus(a)) + sum(relu(a + 0.1) * b) + sum(a / b);
            u + w + mean(tanh(a * 2.0 - 0.5)) * sum(-b)
        }

        /// Matrix losses and the row-wise softmaxes; `t ∈ (0, 1)`.
        #[differentiable(jvp, hessian)]
        pub(crate) fn m_losses(z: &Matrix<$t>, p: Matrix<$t>, t: &Matrix<$t>) -> $t {
            let a = mse(softmax(z), t) - mean(log_softmax(z) * t);
            let b = binary_cross_entropy(sigmoid(&p), t) + bce_with_logits(z, t);
            a + b + mse(&p, z)
        }

        /// `matvec` of a matrix, a vector broadcast over the rows (`+` and `-`).
        #[differentiable(jvp, hessian)]
        pub(crate) fn m_broadcast(a: &Matrix<$t>, v: &[$t], x: &[$t]) -> $t {
            let r = tanh(matvec(a, x));
            sum(tanh(a + v) * (a - v)) + dot(r, r) + sum(v * x)
        }
    };
}

/// The f64 instances.
pub(crate) mod d64 {
    define!(f64);
}

/// The f32 instances.
pub(crate) mod d32 {
    define!(f32);
}
