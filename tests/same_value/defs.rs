//! The `#[differentiable]` fn of every op, once per float type (`d32`,
//! `d64`): `defs::d64::sigmoid::f` is `sigmoid(x)`, with its generated
//! `f_value_and_grad` beside it. One module per op keeps the fn's name
//! fixed, so the tests can name `f` and `f_value_and_grad` for any op.

/// `$name: ($params) -> [$ret] { $body }` becomes `pub mod $name` holding
/// `#[differentiable] pub fn f($params) -> $ret { $body }` (plain tokens:
/// the attribute does not look into `ty` fragments).
macro_rules! fns {
    ($($name:ident: ($($params:tt)*) -> [$($ret:tt)*] { $($body:tt)* })*) => {$(
        pub(crate) mod $name {
            #[allow(unused_imports, reason = "not every body calls a prelude fn")]
            use grad::prelude::*;

            #[differentiable]
            pub(crate) fn f($($params)*) -> $($ret)* {
                $($body)*
            }
        }
    )*};
}

macro_rules! define {
    ($t:ident) => {
        fns! {
            // ---------- scalar functions and operators ----------
            sigmoid: (x: $t) -> [$t] { sigmoid(x) }
            relu: (x: $t) -> [$t] { relu(x) }
            tanh: (x: $t) -> [$t] { tanh(x) }
            exp: (x: $t) -> [$t] { exp(x) }
            ln: (x: $t) -> [$t] { ln(x) }
            sqrt: (x: $t) -> [$t] { sqrt(x) }
            sin: (x: $t) -> [$t] { sin(x) }
            cos: (x: $t) -> [$t] { cos(x) }
            abs: (x: $t) -> [$t] { abs(x) }
            softplus: (x: $t) -> [$t] { softplus(x) }
            powi: (x: $t) -> [$t] { x.powi(3) }
            leaky_relu: (x: $t) -> [$t] { leaky_relu(x, 0.1) }
            neg: (x: $t) -> [$t] { -x }
            powf: (x: $t, y: $t) -> [$t] { powf(x, y) }
            max: (x: $t, y: $t) -> [$t] { max(x, y) }
            min: (x: $t, y: $t) -> [$t] { min(x, y) }
            add: (x: $t, y: $t) -> [$t] { x + y }
            sub: (x: $t, y: $t) -> [$t] { x - y }
            mul: (x: $t, y: $t) -> [$t] { x * y }
            div: (x: $t, y: $t) -> [$t] { x / y }

            // ---------- vector-valued ----------
            v_add_vv: (a: &[$t], b: &[$t]) -> [Vec<$t>] { a + b }
            v_sub_vv: (a: &[$t], b: &[$t]) -> [Vec<$t>] { a - b }
            v_mul_vv: (a: &[$t], b: &[$t]) -> [Vec<$t>] { a * b }
            v_div_vv: (a: &[$t], b: &[$t]) -> [Vec<$t>] { a / b }
            v_add_vs: (a: &[$t], s: $t) -> [Vec<$t>] { a + s }
            v_sub_vs: (a: &[$t], s: $t) -> [Vec<$t>] { a - s }
            v_mul_vs: (a: &[$t], s: $t) -> [Vec<$t>] { a * s }
            v_div_vs: (a: &[$t], s: $t) -> [Vec<$t>] { a / s }
            v_add_sv: (a: &[$t], s: $t) -> [Vec<$t>] { s + a }
            v_sub_sv: (a: &[$t], s: $t) -> [Vec<$t>] { s - a }
            v_mul_sv: (a: &[$t], s: $t) -> [Vec<$t>] { s * a }
            v_div_sv: (a: &[$t], s: $t) -> [Vec<$t>] { s / a }
            v_neg: (a: &[$t]) -> [Vec<$t>] { -a }
            v_sigmoid: (a: &[$t]) -> [Vec<$t>] { sigmoid(a) }
            v_tanh: (a: &[$t]) -> [Vec<$t>] { tanh(a) }
            v_relu: (a: &[$t]) -> [Vec<$t>] { relu(a) }
            v_exp: (a: &[$t]) -> [Vec<$t>] { exp(a) }
            v_ln: (a: &[$t]) -> [Vec<$t>] { ln(a) }
            v_sqrt: (a: &[$t]) -> [Vec<$t>] { sqrt(a) }
            v_abs: (a: &[$t]) -> [Vec<$t>] { abs(a) }
            v_softplus: (a: &[$t]) -> [Vec<$t>] { softplus(a) }
            v_softmax: (a: &[$t]) -> [Vec<$t>] { softmax(a) }
            v_log_softmax: (a: &[$t]) -> [Vec<$t>] { log_softmax(a) }
            v_matvec: (w: &[$t], x: &[$t]) -> [Vec<$t>] { matvec(w, x) }

            // ---------- scalar-valued ----------
            sum: (a: &[$t]) -> [$t] { sum(a) }
            mean: (a: &[$t]) -> [$t] { mean(a) }
            dot: (a: &[$t], b: &[$t]) -> [$t] { dot(a, b) }
            mse: (a: &[$t], b: &[$t]) -> [$t] { mse(a, b) }
            cross_entropy: (z: &[$t], class: usize) -> [$t] { cross_entropy(z, class) }
            binary_cross_entropy: (p: &[$t], y: &[$t]) -> [$t] { binary_cross_entropy(p, y) }
            bce_with_logits: (z: &[$t], y: &[$t]) -> [$t] { bce_with_logits(z, y) }

            // ---------- matrices (API §6) ----------
            m_matmul: (a: &Matrix<$t>, b: &Matrix<$t>) -> [Matrix<$t>] { matmul(a, b) }
            m_transpose: (a: &Matrix<$t>) -> [Matrix<$t>] { transpose(a) }
            m_matvec: (w: &Matrix<$t>, x: &[$t]) -> [Vec<$t>] { matvec(w, x) }
            m_add_mm: (a: &Matrix<$t>, b: &Matrix<$t>) -> [Matrix<$t>] { a + b }
            m_sub_mm: (a: &Matrix<$t>, b: &Matrix<$t>) -> [Matrix<$t>] { a - b }
            m_mul_mm: (a: &Matrix<$t>, b: &Matrix<$t>) -> [Matrix<$t>] { a * b }
            m_div_mm: (a: &Matrix<$t>, b: &Matrix<$t>) -> [Matrix<$t>] { a / b }
            m_add_ms: (a: &Matrix<$t>, s: $t) -> [Matrix<$t>] { a + s }
            m_sub_ms: (a: &Matrix<$t>, s: $t) -> [Matrix<$t>] { a - s }
            m_mul_ms: (a: &Matrix<$t>, s: $t) -> [Matrix<$t>] { a * s }
            m_div_ms: (a: &Matrix<$t>, s: $t) -> [Matrix<$t>] { a / s }
            m_add_sm: (a: &Matrix<$t>, s: $t) -> [Matrix<$t>] { s + a }
            m_sub_sm: (a: &Matrix<$t>, s: $t) -> [Matrix<$t>] { s - a }
            m_mul_sm: (a: &Matrix<$t>, s: $t) -> [Matrix<$t>] { s * a }
            m_div_sm: (a: &Matrix<$t>, s: $t) -> [Matrix<$t>] { s / a }
            m_add_mv: (a: &Matrix<$t>, v: &[$t]) -> [Matrix<$t>] { a + v }
            m_sub_mv: (a: &Matrix<$t>, v: &[$t]) -> [Matrix<$t>] { a - v }
            m_add_vm: (a: &Matrix<$t>, v: &[$t]) -> [Matrix<$t>] { v + a }
            m_sub_vm: (a: &Matrix<$t>, v: &[$t]) -> [Matrix<$t>] { v - a }
            m_neg: (a: &Matrix<$t>) -> [Matrix<$t>] { -a }
            m_sigmoid: (a: &Matrix<$t>) -> [Matrix<$t>] { sigmoid(a) }
            m_tanh: (a: &Matrix<$t>) -> [Matrix<$t>] { tanh(a) }
            m_relu: (a: &Matrix<$t>) -> [Matrix<$t>] { relu(a) }
            m_exp: (a: &Matrix<$t>) -> [Matrix<$t>] { exp(a) }
            m_ln: (a: &Matrix<$t>) -> [Matrix<$t>] { ln(a) }
            m_sqrt: (a: &Matrix<$t>) -> [Matrix<$t>] { sqrt(a) }
            m_abs: (a: &Matrix<$t>) -> [Matrix<$t>] { abs(a) }
            m_softplus: (a: &Matrix<$t>) -> [Matrix<$t>] { softplus(a) }
            m_sin: (a: &Matrix<$t>) -> [Matrix<$t>] { sin(a) }
            m_cos: (a: &Matrix<$t>) -> [Matrix<$t>] { cos(a) }
            m_softmax: (a: &Matrix<$t>) -> [Matrix<$t>] { softmax(a) }
            m_log_softmax: (a: &Matrix<$t>) -> [Matrix<$t>] { log_softmax(a) }
            m_sum: (a: &Matrix<$t>) -> [$t] { sum(a) }
            m_mean: (a: &Matrix<$t>) -> [$t] { mean(a) }
            m_mse: (a: &Matrix<$t>, b: &Matrix<$t>) -> [$t] { mse(a, b) }
            m_cross_entropy: (z: &Matrix<$t>, labels: &[usize]) -> [$t] { cross_entropy(z, labels) }
            m_binary_cross_entropy: (p: &Matrix<$t>, y: &Matrix<$t>) -> [$t] { binary_cross_entropy(p, y) }
            m_bce_with_logits: (z: &Matrix<$t>, y: &Matrix<$t>) -> [$t] { bce_with_logits(z, y) }
        }
    };
}

pub(crate) mod d32 {
    define!(f32);
}

pub(crate) mod d64 {
    define!(f64);
}
