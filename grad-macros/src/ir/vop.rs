//! The primitives a node applies: the vector ops ([`VOp`], with their
//! runtime helpers' names) and the elementwise unary and binary
//! primitives ([`Un`], [`Bin`]).

/// Vector ops (forward, then backward-only pieces). Argument order is the
/// order of the op's `Vec<Var>`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub(crate) enum VOp {
    /// `sum(v)`
    Sum,
    /// `mean(v)`
    Mean,
    /// `dot(a, b)`
    Dot,
    /// `matvec(w, x)`
    Matvec,
    /// `matmul(a, b)`: two matrices
    Matmul,
    /// `transpose(a)`: a matrix
    Transpose,
    /// `softmax(v)`
    Softmax,
    /// `log_softmax(v)`
    LogSoftmax,
    /// `mse(pred, target)`
    Mse,
    /// `cross_entropy(logits, class)` (class: an `Other` var)
    CrossEntropy,
    /// `binary_cross_entropy(p, y)`
    Bce,
    /// `bce_with_logits(z, y)`
    BceLogits,
    /// `v[i]` (i: an `Other` var)
    Index,
    /// `[a, b, c]`
    ArrayLit,
    /// `fill(s, like)`: `s` repeated `like.len()` times
    Fill,
    /// `vec![s; n]` (n: an `Other` var)
    Repeat,
    /// `Matrix::zeros(rows, cols)` (both `Other` vars)
    Zeros,
    /// `mean_backward(g, like)`
    MeanBackward,
    /// `dot_backward(g, other, this)`: `g·other`, checking `other` has `this`'s length
    DotBackward,
    /// `index_backward(g, i, like)`
    IndexBackward,
    /// `softmax_backward(y, g)`
    SoftmaxBackward,
    /// `log_softmax_backward(y, g)`
    LogSoftmaxBackward,
    /// `mse_backward(p, t, g)`
    MseBackward,
    /// `cross_entropy_backward(z, class, g)`
    CrossEntropyBackward,
    /// `bce_backward_p(p, y, g)`
    BceBackwardP,
    /// `bce_backward_y(p, y, g)`
    BceBackwardY,
    /// `bce_logits_backward_z(z, y, g)`
    BceLogitsBackwardZ,
    /// `bce_logits_backward_y(z, y, g)`
    BceLogitsBackwardY,
    /// `matvec_backward_w(g, x)`
    MatvecBackwardW,
    /// `matvec_backward_x(w, g)`
    MatvecBackwardX,
    /// `matmul_backward_a(g, b)`: `g·bᵀ`
    MatmulBackwardA,
    /// `matmul_backward_b(a, g)`: `aᵀ·g`
    MatmulBackwardB,
    /// `col_sum(g)`: the sum of a matrix's rows (the adjoint of a vector broadcast over rows)
    ColSum,
    /// `log_softmax_jvp(y, ẋ)`: `ẋ − ⟨softmax, ẋ⟩` per row, `y = log_softmax(x)` (forward mode)
    LogSoftmaxJvp,
    /// `softmax_backward_jvp_y(y, g, ẏ)`: the tangent of `softmax_backward(y, g)` along `ẏ`
    SoftmaxBackwardJvpY,
    /// `log_softmax_backward_jvp_y(y, g, ẏ)`: the tangent of `log_softmax_backward(y, g)` along `ẏ`
    LogSoftmaxBackwardJvpY,
    /// `cross_entropy_backward_jvp_z(z, g, ż)`: the tangent of `cross_entropy_backward(z, c, g)` along `ż`
    CrossEntropyBackwardJvpZ,
    /// `sigmoid_backward(y, g)`: `g·y·(1 − y)` by the kernel, `y = σ(x)`
    SigmoidBackward,
    /// `tanh_backward(y, g)`: `g·(1 − y²)` by the kernel, `y = tanh(x)`
    TanhBackward,
    /// `relu_backward(x, g)`: `g·[x > 0]` by the kernel
    ReluBackward,
    /// `softplus_backward(x, g)`: `g·σ(x)` by the kernel
    SoftplusBackward,
}

impl VOp {
    /// The runtime helper's name in `::grad::__private::v`.
    pub(crate) fn helper(self) -> &'static str {
        match self {
            VOp::Sum => "sum",
            VOp::Mean => "mean",
            VOp::Dot => "dot",
            VOp::Matvec => "matvec",
            VOp::Matmul => "matmul",
            VOp::Transpose => "transpose",
            VOp::Softmax => "softmax",
            VOp::LogSoftmax => "log_softmax",
            VOp::Mse => "mse",
            VOp::CrossEntropy => "cross_entropy",
            VOp::Bce => "binary_cross_entropy",
            VOp::BceLogits => "bce_with_logits",
            VOp::Index => "index",
            VOp::ArrayLit => "array",
            VOp::Fill | VOp::Repeat => "fill",
            VOp::Zeros => "zeros",
            VOp::MeanBackward => "mean_backward",
            VOp::DotBackward => "dot_backward",
            VOp::IndexBackward => "index_backward",
            VOp::SoftmaxBackward => "softmax_backward",
            VOp::LogSoftmaxBackward => "log_softmax_backward",
            VOp::MseBackward => "mse_backward",
            VOp::CrossEntropyBackward => "cross_entropy_backward",
            VOp::BceBackwardP => "bce_backward_p",
            VOp::BceBackwardY => "bce_backward_y",
            VOp::BceLogitsBackwardZ => "bce_logits_backward_z",
            VOp::BceLogitsBackwardY => "bce_logits_backward_y",
            VOp::MatvecBackwardW => "matvec_backward_w",
            VOp::MatvecBackwardX => "matvec_backward_x",
            VOp::MatmulBackwardA => "matmul_backward_a",
            VOp::MatmulBackwardB => "matmul_backward_b",
            VOp::ColSum => "col_sum",
            VOp::LogSoftmaxJvp => "log_softmax_jvp",
            VOp::SoftmaxBackwardJvpY => "softmax_backward_jvp_y",
            VOp::LogSoftmaxBackwardJvpY => "log_softmax_backward_jvp_y",
            VOp::CrossEntropyBackwardJvpZ => "cross_entropy_backward_jvp_z",
            VOp::SigmoidBackward => "sigmoid_backward",
            VOp::TanhBackward => "tanh_backward",
            VOp::ReluBackward => "relu_backward",
            VOp::SoftplusBackward => "softplus_backward",
        }
    }
}

/// Elementwise unary primitives, their derivative helpers included.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub(crate) enum Un {
    Neg,
    Exp,
    Ln,
    Sqrt,
    Sin,
    Cos,
    Abs,
    Sigmoid,
    Tanh,
    Relu,
    Softplus,
    /// `y·(1 − y)` from `y = σ(x)`.
    SigmoidDerivFromOutput,
    /// `1 − y²` from `y = tanh(x)`.
    TanhDerivFromOutput,
    /// `1` for `x > 0`, else `0`.
    ReluDeriv,
    /// `sign(x)`, `0` at `0`.
    AbsDeriv,
}

/// Binary primitives.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub(crate) enum Bin {
    Add,
    Sub,
    Mul,
    Div,
    Max,
    Min,
    Powf,
    LeakyRelu,
    /// `1` for `x > 0`, else `slope`.
    LeakyReluDeriv,
    /// `1` if `a ≥ b` else `0`: ties go to the first argument.
    MaxDerivFirst,
    /// `1 − MaxDerivFirst`.
    MaxDerivSecond,
    /// `1` if `a ≤ b` else `0`: ties go to the first argument.
    MinDerivFirst,
    /// `1 − MinDerivFirst`.
    MinDerivSecond,
}
