//! The fns whose Hessians `closed.rs` checks against closed forms, once
//! per float type (`hessian` only).

macro_rules! define_closed {
    ($t:ident) => {
        use grad::prelude::*;

        #[differentiable(hessian)]
        pub(crate) fn sigmoid1(x: $t) -> $t {
            sigmoid(x)
        }
        #[differentiable(hessian)]
        pub(crate) fn tanh1(x: $t) -> $t {
            tanh(x)
        }
        #[differentiable(hessian)]
        pub(crate) fn softplus1(x: $t) -> $t {
            softplus(x)
        }
        #[differentiable(hessian)]
        pub(crate) fn exp1(x: $t) -> $t {
            exp(x)
        }
        #[differentiable(hessian)]
        pub(crate) fn ln1(x: $t) -> $t {
            ln(x)
        }
        #[differentiable(hessian)]
        pub(crate) fn sqrt1(x: $t) -> $t {
            x.sqrt()
        }
        #[differentiable(hessian)]
        pub(crate) fn sin1(x: $t) -> $t {
            sin(x)
        }
        #[differentiable(hessian)]
        pub(crate) fn cos1(x: $t) -> $t {
            x.cos()
        }
        #[differentiable(hessian)]
        pub(crate) fn powi0(x: $t) -> $t {
            x.powi(0)
        }
        #[differentiable(hessian)]
        pub(crate) fn powi1(x: $t) -> $t {
            powi(x, 1)
        }
        #[differentiable(hessian)]
        pub(crate) fn powi2(x: $t) -> $t {
            x.powi(2)
        }
        #[differentiable(hessian)]
        pub(crate) fn powi5(x: $t) -> $t {
            x.powi(5)
        }
        #[differentiable(hessian)]
        pub(crate) fn powi_m3(x: $t) -> $t {
            powi(x, -3)
        }
        #[differentiable(hessian)]
        pub(crate) fn powf2(x: $t, y: $t) -> $t {
            x.powf(y)
        }
        /// Piecewise linear in each argument: a zero Hessian away from kinks.
        #[differentiable(hessian)]
        pub(crate) fn piecewise(x: $t, y: $t) -> $t {
            relu(x) + abs(y) + leaky_relu(x, 0.1) + max(x, y) + min(x, y) + x.relu() - y.abs()
        }
        #[differentiable(hessian)]
        pub(crate) fn quotient(x: $t, y: $t) -> $t {
            x / y
        }
        #[differentiable(hessian)]
        pub(crate) fn product(x: $t, y: $t, z: $t) -> $t {
            x * y * z
        }
        #[differentiable(wrt(z), hessian)]
        pub(crate) fn ce(z: &[$t], class: usize) -> $t {
            cross_entropy(z, class)
        }
        #[differentiable(wrt(z), hessian)]
        pub(crate) fn ce_batch(z: &Matrix<$t>, labels: &[usize]) -> $t {
            cross_entropy(z, labels)
        }
        #[differentiable(wrt(p), hessian)]
        pub(crate) fn mse_v(p: &[$t], t: &[$t]) -> $t {
            mse(p, t)
        }
        #[differentiable(wrt(p), hessian)]
        pub(crate) fn mse_m(p: &Matrix<$t>, t: &Matrix<$t>) -> $t {
            mse(p, t)
        }
        /// Logistic regression from the logits (`x` row-major, `n × d`).
        #[differentiable(wrt(w), hessian)]
        pub(crate) fn logreg(w: &[$t], x: &[$t], y: &[$t]) -> $t {
            bce_with_logits(matvec(x, w), y)
        }
        /// The same from the probabilities.
        #[differentiable(wrt(w), hessian)]
        pub(crate) fn logreg_p(w: &[$t], x: &[$t], y: &[$t]) -> $t {
            binary_cross_entropy(sigmoid(matvec(x, w)), y)
        }
        /// The same with `x` a `Matrix`.
        #[differentiable(wrt(w), hessian)]
        pub(crate) fn logreg_m(w: &[$t], x: &Matrix<$t>, y: &[$t]) -> $t {
            bce_with_logits(matvec(x, w), y)
        }
        #[differentiable(wrt(z), hessian)]
        pub(crate) fn log_softmax_loss(z: &[$t], t: &[$t]) -> $t {
            -sum(log_softmax(z) * t)
        }
        #[differentiable(wrt(z), hessian)]
        pub(crate) fn softmax_loss(z: &[$t], c: &[$t]) -> $t {
            sum(softmax(z) * c)
        }
        #[differentiable(wrt(w, x), hessian)]
        pub(crate) fn bilinear_matvec(w: &[$t], x: &[$t], c: &[$t]) -> $t {
            dot(c, matvec(w, x))
        }
        #[differentiable(wrt(a, b), hessian)]
        pub(crate) fn bilinear_matmul(a: &Matrix<$t>, b: &Matrix<$t>, c: &Matrix<$t>) -> $t {
            sum(matmul(a, b) * c)
        }
    };
}

#[allow(dead_code, reason = "only the `_hessian` of each fn is checked here")]
pub(crate) mod d64 {
    define_closed!(f64);
}

#[allow(dead_code, reason = "only the `_hessian` of each fn is checked here")]
pub(crate) mod d32 {
    define_closed!(f32);
}
