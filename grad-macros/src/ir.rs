//! The intermediate representation: a small typed program in A-normal form.
//!
//! Every intermediate value is a [`Var`] bound exactly once by a [`Node`]
//! whose [`Op`] reads only other vars (or constant tokens), so the reverse
//! sweep, the simplifier and the emitter each work on flat statement lists
//! instead of nested expressions.
//!
//! Control flow is one structured form, [`If`]: a condition var and two
//! [`Block`]s that yield values into the enclosing block's `outs`.

use proc_macro2::{Span, TokenStream};
use std::fmt;

/// A value bound once in the program (SSA).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub(crate) struct Var(pub(crate) usize);

/// The type of a var.
#[allow(dead_code)] // reason: `Vector` is constructed by the vector lowering (issue 4)
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub(crate) enum Ty {
    /// One float of the function's float type.
    Scalar,
    /// A vector of floats.
    Vector(Shape),
    /// A tuple of `n` scalars (the partials a `g_grad` call returns).
    Tuple(usize),
    /// A value that is never differentiated (`bool`, `usize`, ...).
    Other,
}

/// The length of a vector type.
#[allow(dead_code)] // reason: constructed by the vector lowering (issue 4)
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub(crate) enum Shape {
    /// `[T; N]`: the length as written (a literal or a const path).
    Array(String),
    /// A slice or `Vec`: known at run time only.
    Dynamic,
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

/// The integer exponent of `powi`.
#[derive(Clone, Debug)]
pub(crate) enum Expo {
    /// A literal exponent, folded at expansion time.
    Lit(i32),
    /// Any other `i32` expression (already rewritten to emitted names).
    Expr(TokenStream, Vec<Var>),
}

/// One argument of a call to a user function.
#[derive(Clone, Debug)]
pub(crate) enum Arg {
    /// A float argument: the callee's `_grad` returns a partial for it.
    Float(Var),
    /// A constant argument, passed through.
    Other(Var),
}

/// What a node computes.
#[derive(Clone, Debug)]
pub(crate) enum Op {
    /// A float literal.
    Lit(f64),
    /// A constant expression (tokens already rewritten to emitted names) and the vars it reads.
    Opaque(TokenStream, Vec<Var>),
    /// Elementwise unary primitive.
    Un(Un, Var),
    /// Binary primitive.
    Bin(Bin, Var, Var),
    /// `x.powi(n)`.
    Powi(Var, Expo),
    /// `path(args)`: a user function returning a float.
    Call(syn::Path, Vec<Arg>),
    /// `path_grad(args)`: the partials w.r.t. the float args (a tuple when more than one).
    CallGrad(syn::Path, Vec<Arg>),
    /// Field `i` of a tuple var.
    Field(Var, usize),
}

impl Op {
    /// The vars this op reads.
    pub(crate) fn uses(&self) -> Vec<Var> {
        match self {
            Op::Lit(_) => vec![],
            Op::Opaque(_, vs) => vs.clone(),
            Op::Un(_, a) | Op::Field(a, _) => vec![*a],
            Op::Bin(_, a, b) => vec![*a, *b],
            Op::Powi(a, Expo::Lit(_)) => vec![*a],
            Op::Powi(a, Expo::Expr(_, vs)) => {
                let mut v = vec![*a];
                v.extend(vs);
                v
            }
            Op::Call(_, args) | Op::CallGrad(_, args) => args
                .iter()
                .map(|a| match a {
                    Arg::Float(v) | Arg::Other(v) => *v,
                })
                .collect(),
        }
    }
}

/// `let var = op;`
#[derive(Clone, Debug)]
pub(crate) struct Node {
    pub(crate) var: Var,
    pub(crate) op: Op,
}

/// A value a block yields: a var, or zero of the slot's type.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Operand {
    Var(Var),
    Zero,
}

/// `let (outs..) = if cond { then } else { els };`
#[derive(Clone, Debug)]
pub(crate) struct If {
    pub(crate) cond: Var,
    pub(crate) then: Block,
    pub(crate) els: Block,
    pub(crate) outs: Vec<Var>,
}

/// A statement.
#[derive(Clone, Debug)]
pub(crate) enum Stmt {
    Let(Node),
    If(If),
}

/// A sequence of statements yielding values (one per `outs` slot of the enclosing `If`,
/// or the function's results at top level).
#[derive(Clone, Debug, Default)]
pub(crate) struct Block {
    pub(crate) stmts: Vec<Stmt>,
    pub(crate) yields: Vec<Operand>,
}

/// What the program knows about each var.
#[derive(Clone, Debug)]
pub(crate) struct VarInfo {
    /// The emitted name (`z`, `t3`, `dz`, ...).
    pub(crate) name: String,
    pub(crate) ty: Ty,
    /// Where in the user's source the value comes from.
    pub(crate) span: Span,
    /// Whether the user named it with a `let` (shown as a name in generated docs).
    pub(crate) user_named: bool,
    /// The value, when the var is a float literal.
    pub(crate) lit: Option<f64>,
    /// The parameter's own name, when the var is a parameter.
    pub(crate) param: Option<syn::Ident>,
}

/// The var table plus a fresh-name generator.
#[derive(Clone, Debug, Default)]
pub(crate) struct Vars {
    pub(crate) info: Vec<VarInfo>,
    used_names: std::collections::HashSet<String>,
    temps: usize,
}

impl Vars {
    /// A new var emitted as `base`, or `base_1`, `base_2`, ... if `base` is taken.
    /// An empty `base` makes a temporary `t0`, `t1`, ...
    pub(crate) fn fresh(&mut self, base: &str, ty: Ty, span: Span, user_named: bool) -> Var {
        let name = if base.is_empty() {
            loop {
                let name = format!("t{}", self.temps);
                self.temps += 1;
                if !self.used_names.contains(&name) {
                    break name;
                }
            }
        } else {
            let mut name = base.to_string();
            let mut k = 0;
            while self.used_names.contains(&name) {
                k += 1;
                name = format!("{base}_{k}");
            }
            name
        };
        self.used_names.insert(name.clone());
        self.info.push(VarInfo {
            name,
            ty,
            span,
            user_named,
            lit: None,
            param: None,
        });
        Var(self.info.len() - 1)
    }

    /// Reserves `name` so that no fresh var is emitted under it.
    pub(crate) fn reserve(&mut self, name: &str) {
        self.used_names.insert(name.to_string());
    }

    pub(crate) fn get(&self, v: Var) -> &VarInfo {
        &self.info[v.0]
    }

    pub(crate) fn get_mut(&mut self, v: Var) -> &mut VarInfo {
        &mut self.info[v.0]
    }

    /// Gives `v` the user's name `base` (made unique).
    pub(crate) fn rename(&mut self, v: Var, base: &str) {
        let mut name = base.to_string();
        let mut k = 0;
        while self.used_names.contains(&name) {
            k += 1;
            name = format!("{base}_{k}");
        }
        self.used_names.insert(name.clone());
        let info = &mut self.info[v.0];
        info.name = name;
        info.user_named = true;
    }
}

/// A whole differentiated program: the var table and the top-level block.
#[derive(Clone, Debug)]
pub(crate) struct Program {
    pub(crate) vars: Vars,
    pub(crate) body: Block,
}

impl fmt::Display for Un {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = match self {
            Un::Neg => "neg",
            Un::Exp => "exp",
            Un::Ln => "ln",
            Un::Sqrt => "sqrt",
            Un::Sin => "sin",
            Un::Cos => "cos",
            Un::Abs => "abs",
            Un::Sigmoid => "sigmoid",
            Un::Tanh => "tanh",
            Un::Relu => "relu",
            Un::Softplus => "softplus",
            Un::SigmoidDerivFromOutput => "sigmoid_deriv_from_output",
            Un::TanhDerivFromOutput => "tanh_deriv_from_output",
            Un::ReluDeriv => "relu_deriv",
            Un::AbsDeriv => "abs_deriv",
        };
        f.write_str(s)
    }
}

impl fmt::Display for Bin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = match self {
            Bin::Add => "add",
            Bin::Sub => "sub",
            Bin::Mul => "mul",
            Bin::Div => "div",
            Bin::Max => "max",
            Bin::Min => "min",
            Bin::Powf => "powf",
            Bin::LeakyRelu => "leaky_relu",
            Bin::LeakyReluDeriv => "leaky_relu_deriv",
            Bin::MaxDerivFirst => "max_deriv_first",
            Bin::MaxDerivSecond => "max_deriv_second",
            Bin::MinDerivFirst => "min_deriv_first",
            Bin::MinDerivSecond => "min_deriv_second",
        };
        f.write_str(s)
    }
}

impl Program {
    fn fmt_block(&self, b: &Block, depth: usize, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pad = "  ".repeat(depth);
        let n = |v: &Var| self.vars.get(*v).name.clone();
        for s in &b.stmts {
            match s {
                Stmt::Let(node) => {
                    let rhs = match &node.op {
                        Op::Lit(x) => format!("{x:?}"),
                        Op::Opaque(ts, _) => format!("const {{ {ts} }}"),
                        Op::Un(u, a) => format!("{u}({})", n(a)),
                        Op::Bin(o, a, b) => format!("{o}({}, {})", n(a), n(b)),
                        Op::Powi(a, Expo::Lit(k)) => format!("powi({}, {k})", n(a)),
                        Op::Powi(a, Expo::Expr(ts, _)) => format!("powi({}, {ts})", n(a)),
                        Op::Call(p, args) | Op::CallGrad(p, args) => {
                            let grad = if matches!(node.op, Op::CallGrad(..)) {
                                "_grad"
                            } else {
                                ""
                            };
                            let args: Vec<String> = args
                                .iter()
                                .map(|a| match a {
                                    Arg::Float(v) | Arg::Other(v) => n(v),
                                })
                                .collect();
                            let p: Vec<String> =
                                p.segments.iter().map(|s| s.ident.to_string()).collect();
                            format!("{}{grad}({})", p.join("::"), args.join(", "))
                        }
                        Op::Field(a, i) => format!("{}.{i}", n(a)),
                    };
                    writeln!(f, "{pad}{} = {rhs}", n(&node.var))?;
                }
                Stmt::If(i) => {
                    let outs: Vec<String> = i.outs.iter().map(n).collect();
                    writeln!(f, "{pad}({}) = if {} {{", outs.join(", "), n(&i.cond))?;
                    self.fmt_block(&i.then, depth + 1, f)?;
                    writeln!(f, "{pad}}} else {{")?;
                    self.fmt_block(&i.els, depth + 1, f)?;
                    writeln!(f, "{pad}}}")?;
                }
            }
        }
        let ys: Vec<String> = b
            .yields
            .iter()
            .map(|o| match o {
                Operand::Var(v) => n(v),
                Operand::Zero => "0".into(),
            })
            .collect();
        writeln!(f, "{pad}yield ({})", ys.join(", "))
    }
}

impl fmt::Display for Program {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.fmt_block(&self.body, 0, f)
    }
}
