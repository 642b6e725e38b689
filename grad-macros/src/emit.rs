//! IR → tokens. Every node becomes one `let`, spanned at the user's source
//! expression it came from; temporaries are hygienic (`Span::mixed_site`),
//! and runtime functions are reached through `::grad::__private`.

use crate::fuse::{self, Item};

mod call;

pub(crate) use call::callee_module;
mod fused;
mod looped;
mod scan;
mod value;

use crate::ir::{Bin, Block, Expo, Op, Program, Stmt, Ty, Un, VOp, Var, Vars};
use crate::ops::Scalar;
use crate::sig::FloatTy;
use proc_macro2::{Ident, Literal, Punct, Spacing, Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use scan::{collect_foreign, collect_sigmoid_pairs};
use std::collections::{HashMap, HashSet};

/// The identifier a var is emitted under.
pub(crate) fn ident_of(vars: &Vars, v: Var) -> Ident {
    let info = vars.get(v);
    match &info.param {
        Some(id) => id.clone(),
        None => Ident::new(&info.name, Span::mixed_site()),
    }
}

/// `NAN`, `INFINITY` or `NEG_INFINITY` of the float type `ty` for a
/// non-finite `x`.
pub(crate) fn non_finite(x: f64, ty: &TokenStream) -> Option<TokenStream> {
    if x.is_nan() {
        Some(quote!(#ty::NAN))
    } else if x.is_infinite() {
        Some(if x > 0.0 {
            quote!(#ty::INFINITY)
        } else {
            quote!(#ty::NEG_INFINITY)
        })
    } else {
        None
    }
}

/// A float literal of the fn's float type.
pub(crate) fn float_lit(x: f64, float: FloatTy) -> TokenStream {
    let ty = match float {
        FloatTy::Generic(t) => return crate::generic::lit(x, t),
        FloatTy::F32 | FloatTy::F64 => float,
    };
    if let Some(special) = non_finite(x, &quote!(#ty)) {
        return special;
    }
    let text = match float {
        FloatTy::F32 => format!("{:?}_f32", x.abs() as f32),
        _ => format!("{:?}_f64", x.abs()),
    };
    let lit = text.parse::<Literal>().unwrap_or_else(|_| match float {
        FloatTy::F32 => Literal::f32_suffixed(x.abs() as f32),
        _ => Literal::f64_suffixed(x.abs()),
    });
    if x.is_sign_negative() {
        quote!((-#lit))
    } else {
        quote!(#lit)
    }
}

/// Spans for generated tokens: resolved like the macro's own code (so lints
/// treat them as macro output), located at the user's expression (so type
/// errors, if any, point at it).
fn hyg(span: Span) -> Span {
    Span::mixed_site().located_at(span)
}

/// Emits IR as statements.
pub(crate) struct Emitter<'a> {
    pub(crate) p: &'a Program,
    pub(crate) float: FloatTy,
    /// Use counts of every var (for loop fusion).
    counts: HashMap<Var, usize>,
    /// Vectors whose Rust type the callee decides (partials from `g_grad`/`g_vjp`,
    /// opaque values): never annotated, never moved as if they were our `Vec`s.
    foreign: HashSet<Var>,
    /// Scalar `y = σ(x)` whose derivative is taken in the same block: emitted
    /// with its complement `1 − y` from the same `exp`, so `σ′ = y·(1 − y)`
    /// keeps full relative accuracy where `σ` saturates to 1.
    sigmoid_pairs: HashSet<Var>,
    /// The derivative nodes `y·(1 − y)` in the same block as their paired `y`.
    paired_derivs: HashSet<Var>,
    /// The module holding the marker types that name callees in composition
    /// errors (see [`call::callee_module`]).
    callees: &'a Ident,
    /// The tapes the program reads (a loop pushes only to those).
    tapes: HashSet<usize>,
    /// The tapes read one iteration ahead (their loop also pushes its final value).
    tapes_ahead: HashSet<usize>,
}

impl<'a> Emitter<'a> {
    pub(crate) fn new(p: &'a Program, float: FloatTy, callees: &'a Ident) -> Self {
        let mut counts = HashMap::new();
        crate::simplify::count_block(&p.body, &mut counts);
        let mut foreign = HashSet::new();
        collect_foreign(&p.body, &mut foreign);
        let mut sigmoid_pairs = HashSet::new();
        let mut paired_derivs = HashSet::new();
        collect_sigmoid_pairs(&p.body, &p.vars, &mut sigmoid_pairs, &mut paired_derivs);
        let mut tapes = HashSet::new();
        let mut tapes_ahead = HashSet::new();
        looped::tapes_read(&p.body, &mut tapes, &mut tapes_ahead);
        Emitter {
            p,
            float,
            counts,
            foreign,
            sigmoid_pairs,
            paired_derivs,
            callees,
            tapes,
            tapes_ahead,
        }
    }

    /// Whether `op` can panic at run time: the vector ops and elementwise ops
    /// on vectors (lengths, an index or a class out of range).
    fn may_panic(&self, op: &Op) -> bool {
        match op {
            Op::V(..) => true,
            Op::AccumulateAt(..) | Op::SetAt(..) | Op::AccumulateOuter(..) => true,
            Op::Un(..) | Op::Bin(..) | Op::Accumulate(..) => {
                op.uses().iter().any(|u| self.ty(*u).is_tensor())
            }
            Op::Lit(_)
            | Op::TapeRead(..)
            | Op::Opaque(..)
            | Op::Powi(..)
            | Op::Call(..)
            | Op::CallVjp(..)
            | Op::CallJvp(..)
            | Op::CallVjpJvp(..)
            | Op::Partial(..) => false,
        }
    }

    /// The tokens reading `v`: its name, or the literal itself.
    pub(crate) fn operand(&self, v: Var) -> TokenStream {
        let info = self.p.vars.get(v);
        match info.lit {
            Some(x) => float_lit(x, self.float),
            None => {
                let id = ident_of(&self.p.vars, v);
                quote!(#id)
            }
        }
    }

    fn ty(&self, v: Var) -> &Ty {
        &self.p.vars.get(v).ty
    }

    /// The runtime module of an op on `args`: `m` when one is a matrix,
    /// `v` when one is a vector, `None` on scalars.
    fn module(&self, args: &[Var]) -> Option<Ident> {
        let tys: Vec<&Ty> = args.iter().map(|a| self.ty(*a)).collect();
        if tys.iter().any(|t| **t == Ty::Matrix) {
            Some(Ident::new("m", Span::call_site()))
        } else if tys.iter().any(|t| matches!(t, Ty::Vector(_))) {
            Some(Ident::new("v", Span::call_site()))
        } else {
            None
        }
    }

    /// `v` as a slice `&v[..]` when it is a vector, `&m` when it is a matrix
    /// (a `&&Matrix` parameter deref-coerces at the call), else as a value.
    fn arg(&self, v: Var) -> TokenStream {
        let o = self.operand(v);
        match self.ty(v) {
            Ty::Vector(_) => quote!(&#o[..]),
            Ty::Matrix => quote!(&#o),
            _ => o,
        }
    }

    /// The name of `1 − y` next to a paired `y = σ(x)`.
    fn complement(&self, y: Var) -> Ident {
        Ident::new(
            &format!("{}_c", self.p.vars.get(y).name),
            Span::mixed_site(),
        )
    }

    /// The statements of a block, without its yields; elementwise runs fused into loops.
    pub(crate) fn stmts(&self, b: &Block) -> TokenStream {
        let mut out = TokenStream::new();
        for item in fuse::plan(&b.stmts, &self.p.vars, &self.counts) {
            match item {
                Item::Stmt(s) => out.extend(self.stmt(s)),
                Item::Loop(g) => out.extend(self.fused(&g)),
            }
        }
        out
    }

    /// One statement.
    fn stmt(&self, s: &Stmt) -> TokenStream {
        let mut out = TokenStream::new();
        {
            match s {
                Stmt::Let(n) => {
                    if matches!(n.op, Op::Lit(_)) {
                        return out;
                    }
                    let span = hyg(self.p.vars.get(n.var).span);
                    let name = ident_of(&self.p.vars, n.var);
                    if let Op::Un(Un::Sigmoid, x) = &n.op
                        && self.sigmoid_pairs.contains(&n.var)
                    {
                        let x = self.operand(*x);
                        let c = self.complement(n.var);
                        out.extend(quote_spanned!(span=>
                            let (#name, #c) = ::grad::__private::sigmoid_with_complement(#x);
                        ));
                        return out;
                    }
                    if let Op::Un(Un::SigmoidDerivFromOutput, y) = &n.op
                        && self.paired_derivs.contains(&n.var)
                    {
                        let (y, c) = (self.operand(*y), self.complement(*y));
                        out.extend(quote_spanned!(span=> let #name = #y * #c;));
                        return out;
                    }
                    // A vector op can panic (lengths): its call carries the user's own
                    // span, so that `#[track_caller]` reports the user's line, not the
                    // attribute (a span of the macro's hygiene reports the attribute).
                    let op_span = if self.may_panic(&n.op) {
                        self.p.vars.get(n.var).span
                    } else {
                        span
                    };
                    let rhs = self.op(&n.op, op_span, self.ty(n.var));
                    match self.ty(n.var) {
                        Ty::Vector(s) if !self.foreign.contains(&n.var) => {
                            let ty = self.vec_ty(s);
                            out.extend(quote_spanned!(span=> let #name: #ty = #rhs;));
                        }
                        Ty::Matrix if !self.foreign.contains(&n.var) => {
                            let ty = self.matrix_ty();
                            out.extend(quote_spanned!(span=> let #name: #ty = #rhs;));
                        }
                        _ => out.extend(quote_spanned!(span=> let #name = #rhs;)),
                    }
                }
                Stmt::If(i) => {
                    let cond = self.operand(i.cond);
                    let tys: Vec<Ty> = i.outs.iter().map(|o| self.ty(*o).clone()).collect();
                    let then = self.branch(&i.then, &tys);
                    let els = self.branch(&i.els, &tys);
                    let outs: Vec<Ident> =
                        i.outs.iter().map(|o| ident_of(&self.p.vars, *o)).collect();
                    let pat = if outs.len() == 1 {
                        quote!(#(#outs)*)
                    } else {
                        quote!((#(#outs),*))
                    };
                    out.extend(quote!(let #pat = if #cond { #then } else { #els };));
                }
                Stmt::Loop(l) => out.extend(self.for_loop(l)),
            }
        }
        out
    }

    fn branch(&self, b: &Block, tys: &[Ty]) -> TokenStream {
        let stmts = self.stmts(b);
        let ys = self.yield_list(&b.yields, tys);
        let tail = if ys.len() == 1 {
            quote!(#(#ys)*)
        } else {
            quote!((#(#ys),*))
        };
        quote!(#stmts #tail)
    }

    fn op(&self, op: &Op, span: Span, result: &Ty) -> TokenStream {
        let pr = quote_spanned!(span=> ::grad::__private);
        match op {
            Op::Lit(x) => float_lit(*x, self.float),
            Op::Opaque(ts, _) => match self.float {
                FloatTy::Generic(t) => crate::generic::convert_tokens(ts, t),
                FloatTy::F32 | FloatTy::F64 => ts.clone(),
            },
            Op::TapeRead(k, i, s, ahead) => self.tape_read(*k, result, *i, *s, *ahead),
            Op::Un(u, a) => {
                let module = self.module(&[*a]);

                let a = self.arg(*a);
                let info = u.info();
                if let Some(module) = module {
                    let f = format_ident!("{}", info.name, span = span);
                    return quote_spanned!(span=> #pr::#module::#f(#a));
                }
                scalar_call(info.scalar, &[a], span)
            }
            Op::Bin(b, x, y) => {
                let module = self.module(&[*x, *y]);
                let kind = format!("{}{}", rank_letter(self.ty(*x)), rank_letter(self.ty(*y)));
                let (x, y) = (self.arg(*x), self.arg(*y));
                let info = b.info();
                if let Some(module) = module {
                    // The elementwise ops have vector and matrix forms named after
                    // them (`v::vv_add`, `m::mv_add`, ...); the lowering admits only
                    // those on vectors and matrices.
                    let f = format_ident!("{kind}_{}", info.name, span = span);
                    return quote_spanned!(span=> #pr::#module::#f(#x, #y));
                }
                scalar_call(info.scalar, &[x, y], span)
            }
            Op::Powi(a, e) => {
                let a = self.operand(*a);
                let n = match e {
                    Expo::Lit(k) => {
                        let k = Literal::i32_unsuffixed(*k);
                        quote!(#k)
                    }
                    Expo::Expr(ts, _) => ts.clone(),
                };
                quote_spanned!(span=> #pr::Real::powi(#a, #n))
            }
            Op::Call(path, args) => self.call(path, args, span),
            Op::Accumulate(acc, d) => self.accumulate(*acc, *d, span),
            Op::AccumulateAt(acc, i, d) => self.accumulate_at(*acc, *i, *d, span, "accumulate_at"),
            Op::SetAt(acc, i, d) => self.accumulate_at(*acc, *i, *d, span, "set_at"),
            Op::AccumulateOuter(acc, g, x) => self.accumulate_outer(*acc, *g, *x, span),
            Op::CallVjp(path, args, g) => self.call_vjp(path, args, *g, span),
            Op::CallJvp(path, args, tangents) => self.call_jvp(path, args, tangents, span),
            Op::CallVjpJvp(path, args, tangents, g, gd) => {
                self.call_vjp_jvp(path, args, tangents, *g, *gd, span)
            }
            Op::Partial(t, path, k, i) => self.partial(*t, path, *k, *i, span, result),
            Op::V(o, vs) => {
                if *o == VOp::ArrayLit {
                    let elems = vs.iter().map(|v| self.operand(*v));
                    return quote_spanned!(span=> [#(#elems),*]);
                }
                let like_last = matches!(
                    o,
                    VOp::Fill | VOp::MeanBackward | VOp::IndexBackward | VOp::DotBackward
                );
                let n = vs.len();
                let module = match result {
                    Ty::Matrix => format_ident!("m"),
                    _ => self.module(vs).unwrap_or_else(|| format_ident!("v")),
                };
                let matrix = module == "m";
                let args = vs.iter().enumerate().map(|(k, v)| {
                    let t = self.operand(*v);
                    if like_last && k + 1 == n && !matrix {
                        quote!(#t.len())
                    } else if matrix
                        && *self.ty(*v) == Ty::Other
                        && matches!(o, VOp::CrossEntropy | VOp::CrossEntropyBackward)
                    {
                        // Labels: borrowed, so a `Vec<usize>` parameter is not moved.
                        quote!(&#t)
                    } else {
                        self.arg(*v)
                    }
                });
                let f = format_ident!("{}", o.helper(), span = span);
                quote_spanned!(span=> #pr::#module::#f(#(#args),*))
            }
        }
    }
}

/// An op on scalars, as the op table says generated code computes it:
/// The letter of an operand's rank in the elementwise helpers' names
/// (`vv_add`, `ms_mul`, `mv_sub`, ...).
fn rank_letter(ty: &Ty) -> char {
    match ty {
        Ty::Matrix => 'm',
        Ty::Vector(_) => 'v',
        Ty::Scalar | Ty::Tuple(_) | Ty::Other => 's',
    }
}

/// `-a` / `a + b`, or a call of the fn it names on `args`.
fn scalar_call(f: Scalar, args: &[TokenStream], span: Span) -> TokenStream {
    let pr = quote_spanned!(span=> ::grad::__private);
    match f {
        Scalar::Operator(c) => {
            let c = Punct::new(c, Spacing::Alone);
            match args {
                [a, b, ..] => quote_spanned!(span=> #a #c #b),
                [a] => quote_spanned!(span=> #c #a),
                [] => quote!(),
            }
        }
        Scalar::Real(name) => {
            let f = Ident::new(name, span);
            quote_spanned!(span=> #pr::Real::#f(#(#args),*))
        }
        Scalar::Runtime(name) => {
            let f = Ident::new(name, span);
            quote_spanned!(span=> #pr::#f(#(#args),*))
        }
    }
}

/// The scalar fn of a unary primitive (`None` for an operator), for fused loops.
fn un_path(u: Un) -> Option<TokenStream> {
    let pr = quote!(::grad::__private);
    match u.info().scalar {
        Scalar::Operator(_) => None,
        Scalar::Real(name) => {
            let f = Ident::new(name, Span::call_site());
            Some(quote!(#pr::Real::#f))
        }
        Scalar::Runtime(name) => {
            let f = Ident::new(name, Span::call_site());
            Some(quote!(#pr::#f))
        }
    }
}

/// The op a length check names.
fn op_name(op: &Op) -> &'static str {
    match op {
        Op::Bin(Bin::Add, ..) => "vector + vector",
        Op::Accumulate(..) | Op::AccumulateAt(..) => "adjoint accumulation",
        Op::SetAt(..) => "element assignment",
        Op::AccumulateOuter(..) => "matvec",
        Op::Bin(Bin::Sub, ..) => "vector - vector",
        Op::Bin(Bin::Mul, ..) => "vector * vector",
        Op::Bin(Bin::Div, ..) => "vector / vector",
        Op::Bin(
            Bin::Max
            | Bin::Min
            | Bin::Powf
            | Bin::LeakyRelu
            | Bin::LeakyReluDeriv
            | Bin::MaxDerivFirst
            | Bin::MaxDerivSecond
            | Bin::MinDerivFirst
            | Bin::MinDerivSecond,
            ..,
        ) => "elementwise op",
        Op::V(VOp::Fill, _) => "sum",
        Op::V(VOp::MeanBackward, _) => "mean",
        Op::V(VOp::DotBackward, _) => "dot",
        Op::V(VOp::MseBackward, _) => "mse",
        Op::V(VOp::BceBackwardP | VOp::BceBackwardY, _) => "binary_cross_entropy",
        Op::V(VOp::BceLogitsBackwardZ | VOp::BceLogitsBackwardY, _) => "bce_with_logits",
        Op::V(o, _) => o.helper(),
        Op::Un(u, _) => u.info().name,
        Op::Lit(_) | Op::Opaque(..) | Op::TapeRead(..) | Op::Powi(..) => "elementwise op",
        Op::Call(..) | Op::CallVjp(..) | Op::CallJvp(..) | Op::CallVjpJvp(..) | Op::Partial(..) => {
            "call"
        }
    }
}
