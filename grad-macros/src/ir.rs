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

mod display;
mod vop;

pub(crate) use vop::{Bin, Un, VOp};

/// A value bound once in the program (SSA).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub(crate) struct Var(pub(crate) usize);

/// The type of a var.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub(crate) enum Ty {
    /// One float of the function's float type.
    Scalar,
    /// A vector of floats.
    Vector(Shape),
    /// A `Matrix` of floats (row-major; its shape is known at run time only).
    Matrix,
    /// A tuple of `n` slots (the partials a `g_vjp` call returns).
    Tuple(usize),
    /// A value that is never differentiated (`bool`, `usize`, ...).
    Other,
}

impl Ty {
    /// `a scalar`, `a vector`, `a matrix`: for messages.
    pub(crate) fn describe(&self) -> &'static str {
        match self {
            Ty::Scalar => "a scalar",
            Ty::Vector(_) => "a vector",
            Ty::Matrix => "a matrix",
            Ty::Tuple(_) => "a tuple of partials",
            Ty::Other => "a constant",
        }
    }

    /// Whether values of this type hold many floats (a vector or a matrix).
    pub(crate) fn is_tensor(&self) -> bool {
        matches!(self, Ty::Vector(_) | Ty::Matrix)
    }
}

/// The length of a vector type.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub(crate) enum Shape {
    /// `[T; N]`: the length as written (a literal or a const path).
    Array(ArrLen),
    /// A slice or `Vec`: known at run time only.
    Dynamic,
}

/// An array length: its tokens, compared by their text.
#[derive(Clone, Debug)]
pub(crate) struct ArrLen {
    pub(crate) tokens: TokenStream,
}

impl ArrLen {
    pub(crate) fn key(&self) -> String {
        self.tokens.to_string()
    }
    /// The length, when it is an integer literal.
    pub(crate) fn value(&self) -> Option<usize> {
        syn::parse2::<syn::LitInt>(self.tokens.clone())
            .ok()?
            .base10_parse()
            .ok()
    }
}

impl PartialEq for ArrLen {
    fn eq(&self, o: &Self) -> bool {
        self.key() == o.key()
    }
}
impl Eq for ArrLen {}
impl std::hash::Hash for ArrLen {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        self.key().hash(h)
    }
}

impl Shape {
    /// The shape of an elementwise op on `a` and `b`: the array when both are
    /// the same array, else dynamic.
    pub(crate) fn combine(a: &Shape, b: &Shape) -> Shape {
        match (a, b) {
            (Shape::Array(x), Shape::Array(y)) if x == y => a.clone(),
            _ => Shape::Dynamic,
        }
    }
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
    /// A float or vector argument: the callee's `_vjp` returns a slot for it.
    /// `true` when the user passed it by reference (`&v`).
    Float(Var, bool),
    /// A constant argument, passed through.
    Other(Var),
}

impl Arg {
    pub(crate) fn var(&self) -> Var {
        match self {
            Arg::Float(v, _) | Arg::Other(v) => *v,
        }
    }
    pub(crate) fn var_mut(&mut self) -> &mut Var {
        match self {
            Arg::Float(v, _) | Arg::Other(v) => v,
        }
    }
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
    /// The slot of float argument `i` (0-based, of `k`) in the result of
    /// `path_vjp(..)`: the callee's partial for that argument, already
    /// multiplied by the cotangent (checked at compile time to be a partial,
    /// not `NotDifferentiated`).
    Partial(Var, syn::Path, usize, usize),
    /// A vector op.
    V(VOp, Vec<Var>),
    /// `path_vjp(args, cotangent)`: a user fn's partials times the cotangent,
    /// one slot per float argument (checked at compile time to be that many).
    CallVjp(syn::Path, Vec<Arg>, Var),
    /// `path_jvp(args, tangents).1`: a user fn's directional derivative
    /// along one tangent per float argument (`None`: zero of the argument's
    /// shape), in forward mode.
    CallJvp(syn::Path, Vec<Arg>, Vec<Option<Var>>),
    /// `path_vjp_jvp(args, tangents, cotangent, cotangent_tangent)`: the
    /// tangent of the slots of `path_vjp(args, cotangent)` (second
    /// derivatives through a call), one tangent per float argument.
    CallVjpJvp(syn::Path, Vec<Arg>, Vec<Option<Var>>, Var, Option<Var>),
    /// The value of a loop's carried `param` at the start of iteration
    /// `index` (of a loop starting at `start`), read back from tape `tape`;
    /// with `ahead`, at the start of iteration `index + 1` (the value the
    /// iteration yields: the loop then also stores its final value).
    TapeRead(usize, Var, Var, bool),
    /// `accumulate(adjoint, contribution)`: one more contribution added to a
    /// vector's or matrix's adjoint (of the same shape), through grad-core's
    /// `Accumulate` trait, so rustc picks the shape.
    Accumulate(Var, Var),
    /// `accumulate_at(adjoint, i, d)`: `d` added to element `i` of a
    /// vector's adjoint (the backward of `v[i]`), in place where it can be.
    AccumulateAt(Var, Var, Var),
    /// `set_at(v, i, e)`: `v` with element `i` replaced by `e` (`v[i] = e`),
    /// in place where it can be.
    SetAt(Var, Var, Var),
    /// `accumulate_outer(adjoint, g, x)`: `g·xᵀ` added to a weight's adjoint
    /// (the backward of `matvec(w, x)`), in place where it can be.
    AccumulateOuter(Var, Var, Var),
}

impl Op {
    /// The vars this op reads.
    pub(crate) fn uses(&self) -> Vec<Var> {
        match self {
            Op::Lit(_) => vec![],
            Op::Opaque(_, vs) => vs.clone(),
            Op::Un(_, a) | Op::Partial(a, ..) => vec![*a],
            // The tape's number is the var of the carried value it stores: a
            // read keeps that loop (and its pushes) alive.
            Op::TapeRead(k, i, s, _) => vec![Var(*k), *i, *s],
            Op::Bin(_, a, b) | Op::Accumulate(a, b) => vec![*a, *b],
            Op::AccumulateAt(a, i, d) | Op::SetAt(a, i, d) | Op::AccumulateOuter(a, i, d) => {
                vec![*a, *i, *d]
            }
            Op::Powi(a, Expo::Lit(_)) => vec![*a],
            Op::Powi(a, Expo::Expr(_, vs)) => {
                let mut v = vec![*a];
                v.extend(vs);
                v
            }
            Op::Call(_, args) => args.iter().map(Arg::var).collect(),
            Op::V(_, vs) => vs.clone(),
            Op::CallJvp(_, args, tangents) => {
                let mut v: Vec<Var> = args.iter().map(Arg::var).collect();
                v.extend(tangents.iter().flatten());
                v
            }
            Op::CallVjpJvp(_, args, tangents, g, gd) => {
                let mut v: Vec<Var> = args.iter().map(Arg::var).collect();
                v.extend(tangents.iter().flatten());
                v.push(*g);
                v.extend(gd);
                v
            }
            Op::CallVjp(_, args, g) => {
                let mut v: Vec<Var> = args.iter().map(Arg::var).collect();
                v.push(*g);
                v
            }
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
    /// Zero with the shape of a vector or matrix var (an adjoint one branch never touched).
    ZeroLike(Var),
}

/// `let (outs..) = if cond { then } else { els };`
#[derive(Clone, Debug)]
pub(crate) struct If {
    pub(crate) cond: Var,
    pub(crate) then: Block,
    pub(crate) els: Block,
    pub(crate) outs: Vec<Var>,
}

/// A value a loop carries from one iteration to the next.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Carried {
    /// Its value before the first iteration.
    pub(crate) init: Var,
    /// Its value at the start of an iteration, inside the body.
    pub(crate) param: Var,
    /// Its value after the last iteration.
    pub(crate) out: Var,
}

/// `for index in start..end { body }`, in SSA form: the body reads each
/// carried value's `param` and yields its next value, in order; `rev` runs
/// the indices from `end − 1` down to `start` (a reverse sweep's loop).
/// `tapes` lists the carried values stored at the start of each iteration
/// (by tape number), for the reverse sweep to read back.
///
/// A `while` loop has a `cond` block, computed from the carried values at
/// the start of each iteration (it yields the condition), instead of an
/// `end`; it counts its iterations from `start` into `trip`.
#[derive(Clone, Debug)]
pub(crate) struct Loop {
    pub(crate) start: Var,
    pub(crate) end: Var,
    pub(crate) index: Var,
    pub(crate) carried: Vec<Carried>,
    pub(crate) body: Block,
    pub(crate) rev: bool,
    pub(crate) tapes: Vec<(usize, Var)>,
    pub(crate) cond: Option<Block>,
    pub(crate) trip: Option<Var>,
}

/// A statement.
#[derive(Clone, Debug)]
pub(crate) enum Stmt {
    Let(Node),
    If(If),
    Loop(Loop),
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
                if !self.taken(&name) {
                    break name;
                }
            }
        } else {
            let mut name = base.to_string();
            let mut k = 0;
            while self.taken(&name) {
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

    /// Whether `name` cannot be given to a new var: it is in use, or a Rust
    /// keyword (the adjoint of `o` would be `do`).
    fn taken(&self, name: &str) -> bool {
        const KEYWORDS: &[&str] = &[
            "abstract", "as", "async", "await", "become", "box", "break", "const", "continue",
            "crate", "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen",
            "if", "impl", "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override",
            "priv", "pub", "ref", "return", "self", "static", "struct", "super", "trait", "true",
            "try", "type", "typeof", "unsafe", "unsized", "use", "virtual", "where", "while",
            "yield",
        ];
        self.used_names.contains(name) || KEYWORDS.contains(&name)
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
        while self.taken(&name) {
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
