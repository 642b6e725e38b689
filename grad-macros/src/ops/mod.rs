//! The op table of the elementwise primitives: each declared once, with its
//! names (free fn and method form), arity, the runtime function generated
//! code calls, whether a fused loop may compute it, its doc formula, its
//! convention at non-smooth points, and its *local partials* as IR.
//!
//! The reverse sweep ([`crate::rules`]) multiplies a local partial by the
//! adjoint; a forward sweep multiplies it by the tangent. Every partial is
//! built from ops that are themselves in this table, derivative helpers
//! included, so a partial can be differentiated again. Every `match` here
//! is exhaustive: a new op is a compile error until each of its facts is
//! stated.
//!
//! The vector ops (`sum dot matvec softmax …`) have pullbacks, not local
//! partials (a Jacobian is never built): [`crate::rules_vec`].

use crate::ir::{Bin, Un, VOp};

mod local;

pub(crate) use local::{bin_local, powi_local, un_local};

/// What a primitive's name lowers to.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Prim {
    Un(Un),
    Bin(Bin),
    /// `x.powi(n)`: the exponent is an `i32`, not a float.
    Powi,
}

/// A primitive a body calls by name: `name(x, ..)`, and `x.name(..)` where
/// `method` (there, `Real` provides it outside the macro).
pub(crate) struct PrimName {
    pub(crate) name: &'static str,
    /// Arguments, the receiver of the method form included.
    pub(crate) arity: usize,
    pub(crate) prim: Prim,
}

/// Every primitive a body may call by name, in the order messages list them.
pub(crate) const PRIMS: &[PrimName] = &[
    un("exp", Un::Exp),
    un("ln", Un::Ln),
    un("sqrt", Un::Sqrt),
    un("tanh", Un::Tanh),
    un("sin", Un::Sin),
    un("cos", Un::Cos),
    un("abs", Un::Abs),
    un("sigmoid", Un::Sigmoid),
    un("relu", Un::Relu),
    un("softplus", Un::Softplus),
    bin("leaky_relu", Bin::LeakyRelu),
    PrimName {
        name: "powi",
        arity: 2,
        prim: Prim::Powi,
    },
    bin("powf", Bin::Powf),
    bin("max", Bin::Max),
    bin("min", Bin::Min),
];

const fn un(name: &'static str, u: Un) -> PrimName {
    PrimName {
        name,
        arity: 1,
        prim: Prim::Un(u),
    }
}

const fn bin(name: &'static str, b: Bin) -> PrimName {
    PrimName {
        name,
        arity: 2,
        prim: Prim::Bin(b),
    }
}

/// The primitive called `name`.
pub(crate) fn prim(name: &str) -> Option<&'static PrimName> {
    PRIMS.iter().find(|p| p.name == name)
}

/// The unary primitive called `name` (these also work elementwise on vectors).
pub(crate) fn unary(name: &str) -> Option<Un> {
    match prim(name)?.prim {
        Prim::Un(u) => Some(u),
        Prim::Bin(_) | Prim::Powi => None,
    }
}

/// The vector ops a body calls by name (free fns only), with their arity;
/// each is called by the name of its runtime function ([`VOp::helper`]).
pub(crate) const VECTOR_OPS: &[(VOp, usize)] = &[
    (VOp::Sum, 1),
    (VOp::Mean, 1),
    (VOp::Dot, 2),
    (VOp::Matvec, 2),
    (VOp::Matmul, 2),
    (VOp::Transpose, 1),
    (VOp::Softmax, 1),
    (VOp::LogSoftmax, 1),
    (VOp::Mse, 2),
    (VOp::CrossEntropy, 2),
    (VOp::Bce, 2),
    (VOp::BceLogits, 2),
];

/// The vector op called `name`, and its arity.
pub(crate) fn vector_op(name: &str) -> Option<(VOp, usize)> {
    VECTOR_OPS.iter().copied().find(|(o, _)| o.helper() == name)
}

/// How generated code computes an op on scalars.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Scalar {
    /// A Rust operator: `-x`, `x + y`, ...
    Operator(char),
    /// `::grad::__private::Real::<name>`: the float's own method.
    Real(&'static str),
    /// `::grad::__private::<name>`: grad-core's scalar fn (the one users call).
    Runtime(&'static str),
}

/// Which value a vector backward kernel reads besides the adjoint.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Reads {
    Input,
    Output,
}

/// The conventions at non-smooth points, each stated where its op or the
/// op's derivative appears.
const RELU: &str = "relu′(0) = 0";
const ABS: &str = "abs′(0) = 0";
const LEAKY_RELU: &str = "leaky_relu′(0) = slope";
const MAX: &str = "max on a tie sends the gradient to its first argument, and with one NaN argument to the value returned";
const MIN: &str = "min on a tie sends the gradient to its first argument, and with one NaN argument to the value returned";

/// The facts of a unary op.
pub(crate) struct UnInfo {
    /// Its name in IR listings, and of its vector form `::grad::__private::v::<name>`.
    pub(crate) name: &'static str,
    pub(crate) scalar: Scalar,
    /// Whether a fused loop may compute it per element: exact elementwise
    /// arithmetic. Otherwise a vector runs grad-core's kernel.
    pub(crate) fusable: bool,
    /// The kernel of its backward on vectors, and what it reads.
    pub(crate) vector_backward: Option<(VOp, Reads)>,
    /// Doc formula: `{}` is the argument, wrapped at precedence `.1`; the
    /// result has precedence `.2` (see [`crate::doc`]).
    pub(crate) doc: (&'static str, u8, u8),
    /// Its convention at non-smooth points, stated in the generated docs.
    pub(crate) convention: Option<&'static str>,
}

/// Precedences of doc formulas (a sum, a product, a negation, an atom).
pub(crate) const SUM: u8 = 1;
pub(crate) const PROD: u8 = 2;
pub(crate) const NEG: u8 = 3;
pub(crate) const ATOM: u8 = 4;

impl Un {
    /// This op's row of the table.
    pub(crate) fn info(self) -> UnInfo {
        let row = |name, scalar, fusable, doc, convention| UnInfo {
            name,
            scalar,
            fusable,
            vector_backward: None,
            doc,
            convention,
        };
        let call = |f: &'static str| (f, 0, ATOM);
        match self {
            Un::Neg => row("neg", Scalar::Operator('-'), true, ("−{}", NEG, NEG), None),
            Un::Exp => row("exp", Scalar::Real("exp"), false, call("exp({})"), None),
            Un::Ln => row("ln", Scalar::Real("ln"), false, call("ln({})"), None),
            Un::Sqrt => row(
                "sqrt",
                Scalar::Real("sqrt"),
                true,
                ("√{}", ATOM, ATOM),
                None,
            ),
            Un::Sin => row("sin", Scalar::Real("sin"), false, call("sin({})"), None),
            Un::Cos => row("cos", Scalar::Real("cos"), false, call("cos({})"), None),
            Un::Abs => row("abs", Scalar::Real("abs"), true, call("|{}|"), Some(ABS)),
            Un::Sigmoid => UnInfo {
                vector_backward: Some((VOp::SigmoidBackward, Reads::Output)),
                ..row(
                    "sigmoid",
                    Scalar::Runtime("sigmoid"),
                    false,
                    call("σ({})"),
                    None,
                )
            },
            Un::Tanh => UnInfo {
                vector_backward: Some((VOp::TanhBackward, Reads::Output)),
                ..row(
                    "tanh",
                    Scalar::Runtime("tanh"),
                    false,
                    call("tanh({})"),
                    None,
                )
            },
            Un::Relu => UnInfo {
                vector_backward: Some((VOp::ReluBackward, Reads::Input)),
                ..row(
                    "relu",
                    Scalar::Runtime("relu"),
                    true,
                    call("relu({})"),
                    Some(RELU),
                )
            },
            Un::Softplus => UnInfo {
                vector_backward: Some((VOp::SoftplusBackward, Reads::Input)),
                ..row(
                    "softplus",
                    Scalar::Runtime("softplus"),
                    false,
                    call("softplus({})"),
                    None,
                )
            },
            Un::SigmoidDerivFromOutput => row(
                "sigmoid_deriv_from_output",
                Scalar::Runtime("sigmoid_deriv_from_output"),
                true,
                ("{}·(1 − {})", PROD, PROD),
                None,
            ),
            Un::TanhDerivFromOutput => row(
                "tanh_deriv_from_output",
                Scalar::Runtime("tanh_deriv_from_output"),
                true,
                ("(1 − {}²)", ATOM, ATOM),
                None,
            ),
            Un::ReluDeriv => row(
                "relu_deriv",
                Scalar::Runtime("relu_deriv"),
                true,
                call("[{} > 0]"),
                Some(RELU),
            ),
            Un::AbsDeriv => row(
                "abs_deriv",
                Scalar::Runtime("abs_deriv"),
                true,
                call("sign({})"),
                Some(ABS),
            ),
        }
    }
}

/// The facts of a binary op.
pub(crate) struct BinInfo {
    /// Its name in IR listings, and (with `vv_`/`vs_`/`sv_`) of its vector forms.
    pub(crate) name: &'static str,
    pub(crate) scalar: Scalar,
    /// Whether it works on vectors (then elementwise, fused in loops).
    pub(crate) elementwise: bool,
    /// Doc formula: `{a}` and `{b}` are the arguments, wrapped at
    /// precedences `.1` and `.2`; the result has precedence `.3`.
    pub(crate) doc: (&'static str, u8, u8, u8),
    pub(crate) convention: Option<&'static str>,
}

impl Bin {
    /// This op's row of the table.
    pub(crate) fn info(self) -> BinInfo {
        let row = |name, scalar, doc, convention| BinInfo {
            name,
            scalar,
            elementwise: false,
            doc,
            convention,
        };
        let arith = |name, c, doc| BinInfo {
            elementwise: true,
            ..row(name, Scalar::Operator(c), doc, None)
        };
        let call = |f: &'static str| (f, 0, 0, ATOM);
        match self {
            Bin::Add => arith("add", '+', ("{a} + {b}", SUM, SUM, SUM)),
            Bin::Sub => arith("sub", '-', ("{a} − {b}", SUM, PROD, SUM)),
            Bin::Mul => arith("mul", '*', ("{a}·{b}", PROD, PROD, PROD)),
            Bin::Div => arith("div", '/', ("{a} / {b}", PROD, NEG, SUM)),
            Bin::Max => row("max", Scalar::Real("max"), call("max({a}, {b})"), Some(MAX)),
            Bin::Min => row("min", Scalar::Real("min"), call("min({a}, {b})"), Some(MIN)),
            Bin::Powf => row(
                "powf",
                Scalar::Real("powf"),
                ("{a}^{b}", ATOM, ATOM, ATOM),
                None,
            ),
            Bin::LeakyRelu => row(
                "leaky_relu",
                Scalar::Runtime("leaky_relu"),
                call("leaky_relu({a}, {b})"),
                Some(LEAKY_RELU),
            ),
            Bin::LeakyReluDeriv => row(
                "leaky_relu_deriv",
                Scalar::Runtime("leaky_relu_deriv"),
                call("leaky_relu′({a}, {b})"),
                Some(LEAKY_RELU),
            ),
            Bin::MaxDerivFirst => row(
                "max_deriv_first",
                Scalar::Runtime("max_deriv_first"),
                call("[{a} ≥ {b}]"),
                Some(MAX),
            ),
            Bin::MaxDerivSecond => row(
                "max_deriv_second",
                Scalar::Runtime("max_deriv_second"),
                call("[{a} < {b}]"),
                Some(MAX),
            ),
            Bin::MinDerivFirst => row(
                "min_deriv_first",
                Scalar::Runtime("min_deriv_first"),
                call("[{a} ≤ {b}]"),
                Some(MIN),
            ),
            Bin::MinDerivSecond => row(
                "min_deriv_second",
                Scalar::Runtime("min_deriv_second"),
                call("[{a} > {b}]"),
                Some(MIN),
            ),
        }
    }
}
