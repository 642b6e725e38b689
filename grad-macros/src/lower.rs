//! `syn` body → IR in A-normal form, with every value's type inferred.
//!
//! Runs after the fence, so every construct here is inside the subset;
//! what can still fail is typing (e.g. a float op on a non-float value).

use crate::build::Builder;
use crate::diag::Diag;
use crate::ir::{Bin, Block, Op, Operand, Program, Shape, Stmt, Ty, Un, VOp, Var, Vars};
use crate::sig::{FloatTy, Kind, Ret, Sig};
use proc_macro2::{Span, TokenStream};
use quote::ToTokens;
use std::collections::HashMap;
use syn::spanned::Spanned;
use syn::visit_mut::{self, VisitMut};
use syn::{BinOp, Expr, Lit, Pat, UnOp};

mod annotate;
mod branch;
mod call;
mod check;
mod infer;
mod looping;
mod vector;

use call::{prim_path, unary_prim, vector_op_path};

/// The forward program and the var of each parameter (`None` for constants).
#[derive(Clone)]
pub(crate) struct Lowered {
    pub(crate) program: Program,
    pub(crate) params: Vec<Option<Var>>,
}

/// Lowers the body of `f`.
pub(crate) fn lower(f: &syn::ItemFn, sig: &Sig, diag: &mut Diag) -> Option<Lowered> {
    let mut vars = Vars::default();
    for p in &sig.params {
        vars.reserve(&p.ident.to_string());
    }
    let mut l = Lowerer {
        b: Builder::new(vars, sig.float),
        scopes: vec![HashMap::new()],
        poisoned: Default::default(),
        diag,
        float: sig.float,
    };
    let mut params = Vec::new();
    for p in &sig.params {
        match &p.kind {
            Kind::Scalar => {
                let v = l.b.vars.fresh("", Ty::Scalar, p.ident.span(), false);
                let info = l.b.vars.get_mut(v);
                info.name = p.ident.to_string();
                info.param = Some(p.ident.clone());
                info.user_named = true;
                l.scopes[0].insert(p.ident.to_string(), v);
                params.push(Some(v));
            }
            Kind::Vector(_) | Kind::Matrix => {
                let ty = match &p.kind {
                    Kind::Vector(c) => Ty::Vector(c.shape()),
                    _ => Ty::Matrix,
                };
                let v = l.b.vars.fresh("", ty, p.ident.span(), false);
                let info = l.b.vars.get_mut(v);
                info.name = p.ident.to_string();
                info.param = Some(p.ident.clone());
                info.user_named = true;
                l.scopes[0].insert(p.ident.to_string(), v);
                params.push(Some(v));
            }
            Kind::Const => params.push(None),
        }
    }
    let result = l.block_value(&f.block)?;
    let result = match &sig.ret {
        Ret::Scalar => {
            let ty = l.ty(result);
            if ty.is_tensor() {
                l.diag.error_at(
                    l.b.vars.get(result).span,
                    format!(
                        "this fn returns `{}`, but this value is {}; reduce it ({}) or change the return type",
                        sig.float.name(),
                        ty.describe(),
                        if ty == Ty::Matrix { "`sum`, `mean`, a loss such as `cross_entropy(m, labels)`, ..." } else { "`sum`, `mean`, `dot`, ..." }
                    ),
                );
            }
            l.as_scalar(result, f.block.span())
        }
        Ret::Matrix => {
            match l.ty(result) {
                Ty::Matrix => {}
                Ty::Other => l.b.vars.get_mut(result).ty = Ty::Matrix,
                _ if l.require_matrix(result) => {}
                t => l.diag.error_at(
                    l.b.vars.get(result).span,
                    format!(
                        "this fn returns a `Matrix`, but this value is {}; return a matrix, or change the return type",
                        t.describe()
                    ),
                ),
            }
            result
        }
        Ret::Vector(c) => {
            match l.ty(result) {
                Ty::Vector(_) => {}
                Ty::Matrix => l.diag.error_at(
                    l.b.vars.get(result).span,
                    "this fn returns a vector, but this value is a matrix; return a vector (`matvec`, a row reduction) or change the return type to `Matrix`",
                ),
                Ty::Other => l.b.vars.get_mut(result).ty = Ty::Vector(c.shape()),
                _ if l.require_vector(result) => {}
                _ => l.diag.error_at(
                    l.b.vars.get(result).span,
                    "this fn returns a vector, but this value is a scalar; return a vector, e.g. the scalar wrapped in an array literal (`[s]`), or change the return type",
                ),
            }
            result
        }
    };
    if l.diag.has_errors() {
        return None;
    }
    let stmts = std::mem::take(&mut l.b.stmts);
    infer::propagate_vectors(&stmts, &mut l.b.vars);
    Some(Lowered {
        program: Program {
            vars: l.b.vars,
            body: Block {
                stmts,
                yields: vec![Operand::Var(result)],
            },
        },
        params,
    })
}

struct Lowerer<'a> {
    b: Builder,
    scopes: Vec<HashMap<String, Var>>,
    /// Names whose `let` failed to lower: reading them reports nothing more.
    poisoned: std::collections::HashSet<String>,
    diag: &'a mut Diag,
    float: FloatTy,
}

impl Lowerer<'_> {
    fn lookup(&self, name: &str) -> Option<Var> {
        self.scopes.iter().rev().find_map(|s| s.get(name).copied())
    }

    fn ty(&self, v: Var) -> Ty {
        self.b.vars.get(v).ty.clone()
    }

    /// Lowers a block's statements in a new scope; returns the tail's var.
    fn block_value(&mut self, block: &syn::Block) -> Option<Var> {
        self.scopes.push(HashMap::new());
        let mut result = None;
        let n = block.stmts.len();
        for (k, stmt) in block.stmts.iter().enumerate() {
            match stmt {
                syn::Stmt::Local(_) => self.local(stmt),
                syn::Stmt::Expr(e, None) if k + 1 == n => result = self.expr(e),
                syn::Stmt::Expr(e, _) => {
                    self.statement(e);
                }
                _ => {}
            }
        }
        self.scopes.pop();
        result
    }

    /// A `let` statement: binds the name in the current scope.
    fn local(&mut self, stmt: &syn::Stmt) {
        let syn::Stmt::Local(local) = stmt else {
            return;
        };
        let (ident, ty) = match &local.pat {
            Pat::Ident(p) => (p.ident.clone(), None),
            Pat::Type(t) => match &*t.pat {
                Pat::Ident(p) => (p.ident.clone(), Some(&*t.ty)),
                _ => return,
            },
            _ => return,
        };
        let Some(init) = &local.init else { return };
        if let Some(ty) = ty {
            self.check_annotation(ty);
        }
        let Some(v) = self.expr(&init.expr) else {
            self.poisoned.insert(ident.to_string());
            return;
        };
        self.poisoned.remove(&ident.to_string());
        let v = match ty {
            Some(ty) => match self.annotate(v, ty, &init.expr) {
                Some(v) => v,
                None => {
                    self.poisoned.insert(ident.to_string());
                    return;
                }
            },
            None => v,
        };
        let info = self.b.vars.get(v);
        if !info.user_named && info.param.is_none() {
            self.b.vars.rename(v, &ident.to_string());
            self.b.vars.get_mut(v).span = ident.span();
        }
        if let Some(scope) = self.scopes.last_mut() {
            scope.insert(ident.to_string(), v);
        }
    }

    /// Whether `v` is the result of a call to a user fn.
    pub(super) fn is_call(&self, v: Var) -> bool {
        self.b
            .stmts
            .iter()
            .rev()
            .any(|s| matches!(s, Stmt::Let(n) if n.var == v && matches!(n.op, Op::Call(..))))
    }

    /// Makes `v` a float: an `Other` constant is taken as a float constant.
    fn as_scalar(&mut self, v: Var, span: Span) -> Var {
        match self.ty(v) {
            Ty::Other => {
                if let Some(x) = self.int_lit(v) {
                    return self.b.lit(x, span);
                }
                self.b.vars.get_mut(v).ty = Ty::Scalar;
                v
            }
            _ => v,
        }
    }

    /// The value of `v` if it was bound to an integer literal.
    fn int_lit(&self, v: Var) -> Option<f64> {
        self.b.stmts.iter().rev().find_map(|s| match s {
            Stmt::Let(n) if n.var == v => match &n.op {
                Op::Opaque(ts, uses) if uses.is_empty() => syn::parse2::<syn::LitInt>(ts.clone())
                    .ok()?
                    .base10_parse::<f64>()
                    .ok(),
                _ => None,
            },
            _ => None,
        })
    }

    /// A constant (non-differentiated) expression, with local names rewritten.
    fn opaque(&mut self, e: &Expr, ty: Ty) -> Var {
        let (ts, uses) = self.rewrite(e);
        self.b.push(Op::Opaque(ts, uses), ty, e.span())
    }

    /// `e` with every local name replaced by its emitted name, and the vars it reads.
    fn rewrite(&self, e: &Expr) -> (TokenStream, Vec<Var>) {
        struct Rw<'a, 'b> {
            l: &'a Lowerer<'b>,
            uses: Vec<Var>,
        }
        impl VisitMut for Rw<'_, '_> {
            fn visit_expr_mut(&mut self, e: &mut Expr) {
                if let Expr::Path(p) = e
                    && p.qself.is_none()
                    && let Some(id) = p.path.get_ident()
                    && let Some(v) = self.l.lookup(&id.to_string())
                {
                    // A literal is inlined everywhere (it has no `let`): inline it here too.
                    if let Some(x) = self.l.b.vars.get(v).lit {
                        let lit = crate::emit::float_lit(x, self.l.float);
                        *e = syn::parse_quote!(#lit);
                        return;
                    }
                    self.uses.push(v);
                    let ident = crate::emit::ident_of(&self.l.b.vars, v);
                    *e = syn::parse_quote!(#ident);
                    return;
                }
                visit_mut::visit_expr_mut(self, e);
            }
        }
        let mut rw = Rw {
            l: self,
            uses: Vec::new(),
        };
        let mut e = e.clone();
        rw.visit_expr_mut(&mut e);
        let mut uses = rw.uses;
        uses.sort();
        uses.dedup();
        (e.into_token_stream(), uses)
    }

    fn expr(&mut self, e: &Expr) -> Option<Var> {
        let span = e.span();
        match e {
            Expr::Lit(l) => match &l.lit {
                Lit::Float(f) => {
                    if !f.suffix().is_empty() && f.suffix() != self.float.name() {
                        self.mixed(f, f.suffix());
                    }
                    match f.base10_parse::<f64>() {
                        Ok(x) => Some(self.b.lit(x, span)),
                        Err(err) => {
                            self.diag.push(err);
                            None
                        }
                    }
                }
                Lit::Int(i) if matches!(i.suffix(), "f32" | "f64") => {
                    if i.suffix() != self.float.name() {
                        self.mixed(i, i.suffix());
                    }
                    let x = i.base10_parse::<f64>().ok()?;
                    Some(self.b.lit(x, span))
                }
                _ => Some(self.opaque(e, Ty::Other)),
            },
            Expr::Path(p)
                if p.path
                    .get_ident()
                    .is_some_and(|id| self.poisoned.contains(&id.to_string())) =>
            {
                None
            }
            Expr::Path(p) => match p
                .path
                .get_ident()
                .and_then(|id| self.lookup(&id.to_string()))
            {
                Some(v) => Some(v),
                None => Some(self.opaque(e, Ty::Other)),
            },
            Expr::Paren(p) => self.expr(&p.expr),
            Expr::Group(g) => self.expr(&g.expr),
            Expr::Reference(r) => {
                let v = self.expr(&r.expr)?;
                match self.ty(v) {
                    Ty::Other => Some(self.opaque(e, Ty::Other)),
                    _ => Some(v),
                }
            }
            Expr::Index(ix) => {
                let v = self.expr(&ix.expr)?;
                if self.ty(v) == Ty::Other {
                    return Some(self.opaque(e, Ty::Other));
                }
                if self.ty(v) == Ty::Matrix {
                    self.diag.error(
                        ix,
                        "indexing a matrix is not supported in #[differentiable] fns; use the matrix ops (`matmul`, `sum`, `mean`, a loss), or move the indexing into a fn with a hand-written `_vjp`",
                    );
                    return None;
                }
                if !self.require_vector(v) {
                    self.diag
                        .error(&ix.expr, "indexing needs a vector, but this is a scalar");
                    return None;
                }
                self.check_index(&ix.index)?;
                let i = self.opaque(&ix.index, Ty::Other);
                Some(self.b.push(Op::V(VOp::Index, vec![v, i]), Ty::Scalar, span))
            }
            Expr::Array(a) => {
                let mut elems = Vec::new();
                for el in &a.elems {
                    let v = self.expr(el)?;
                    let ty = self.ty(v);
                    if ty.is_tensor() {
                        self.diag.error(
                            el,
                            format!(
                                "array literals hold scalars; this element is {}",
                                ty.describe()
                            ),
                        );
                        return None;
                    }
                    elems.push(self.as_scalar(v, el.span()));
                }
                let len = proc_macro2::Literal::usize_unsuffixed(elems.len());
                let shape = Shape::Array(crate::ir::ArrLen {
                    tokens: quote::quote!(#len),
                });
                Some(
                    self.b
                        .push(Op::V(VOp::ArrayLit, elems), Ty::Vector(shape), span),
                )
            }
            Expr::Block(b) => self.block_value(&b.block),
            Expr::Macro(m) if m.mac.path.is_ident("vec") => {
                let tokens = &m.mac.tokens;
                let r: syn::ExprRepeat = syn::parse2(quote::quote!([#tokens])).ok()?;
                let v = self.expr(&r.expr)?;
                let v = self.as_scalar(v, r.expr.span());
                let n = self.opaque(&r.len, Ty::Other);
                Some(self.b.push(
                    Op::V(VOp::Repeat, vec![v, n]),
                    Ty::Vector(Shape::Dynamic),
                    span,
                ))
            }
            Expr::Cast(c) => {
                let (fl, kind) = crate::sig::classify(&c.ty);
                match (fl, kind) {
                    (Some(fl), Kind::Scalar) => {
                        if fl != self.float {
                            self.diag.error(
                                &c.ty,
                                format!(
                                    "casts to `{}` are not supported in a #[differentiable] fn over `{}`: the derivative cannot cross float types; remove the cast, or write the whole fn in `{}`",
                                    fl.name(),
                                    self.float.name(),
                                    fl.name()
                                ),
                            );
                        }
                        let inner = self.expr(&c.expr)?;
                        match self.ty(inner) {
                            Ty::Scalar => Some(inner),
                            _ => Some(self.opaque(e, Ty::Scalar)),
                        }
                    }
                    _ => Some(self.opaque(e, Ty::Other)),
                }
            }
            Expr::Unary(u) => match u.op {
                UnOp::Neg(_) => {
                    let a = self.expr(&u.expr)?;
                    match self.ty(a) {
                        Ty::Scalar | Ty::Vector(_) | Ty::Matrix => {
                            Some(self.b.un(Un::Neg, a, span))
                        }
                        _ => Some(self.opaque(e, Ty::Other)),
                    }
                }
                _ => Some(self.opaque(e, Ty::Other)),
            },
            Expr::Binary(b) => {
                let op = match b.op {
                    BinOp::Add(_) => Bin::Add,
                    BinOp::Sub(_) => Bin::Sub,
                    BinOp::Mul(_) => Bin::Mul,
                    BinOp::Div(_) => Bin::Div,
                    _ => return Some(self.opaque(e, Ty::Other)),
                };
                let x = self.expr(&b.left)?;
                let y = self.expr(&b.right)?;
                if self.ty(x) == Ty::Other && self.ty(y) == Ty::Other {
                    return Some(self.opaque(e, Ty::Other));
                }
                if let (Ty::Matrix, Ty::Vector(_)) | (Ty::Vector(_), Ty::Matrix) =
                    (self.ty(x), self.ty(y))
                    && matches!(op, Bin::Mul | Bin::Div)
                {
                    let sym = if op == Bin::Mul { "*" } else { "/" };
                    self.diag.error(
                        b.op,
                        format!(
                            "`{sym}` of a matrix and a vector is not supported in #[differentiable] fns: only `+` and `-` broadcast a vector over the rows of a matrix; for a product use `matvec(w, x)` or `matmul(a, b)`"
                        ),
                    );
                    return None;
                }
                if let (Ty::Vector(Shape::Array(p)), Ty::Vector(Shape::Array(q))) =
                    (self.ty(x), self.ty(y))
                    && p != q
                    && p.value().is_some()
                    && q.value().is_some()
                {
                    self.diag.error(
                        b.op,
                        format!(
                            "elementwise op on vectors of different lengths: [_; {}] and [_; {}]",
                            p.key(),
                            q.key()
                        ),
                    );
                    return None;
                }
                let x = self.as_scalar(x, b.left.span());
                let y = self.as_scalar(y, b.right.span());
                Some(self.b.bin(op, x, y, span))
            }
            Expr::If(i) => self.if_expr(i),
            Expr::Call(c) => {
                let Expr::Path(p) = &*c.func else { return None };
                let args: Vec<&Expr> = c.args.iter().collect();
                if let Some(name) = vector_op_path(&p.path) {
                    return self.vector_op(&name, &args, span, &c.func);
                }
                let prim_name = prim_path(&p.path);
                match prim_name {
                    Some(name) => self.prim(&name, None, &args, span, &c.func),
                    None if call::foreign_path(&p.path) => {
                        self.foreign_call(&p.path, &args, &c.func);
                        None
                    }
                    None => self.user_call(&p.path, &args, span),
                }
            }
            Expr::MethodCall(m) => {
                let name = m.method.to_string();
                if matches!(name.as_str(), "len" | "rows" | "cols") {
                    return Some(self.opaque(e, Ty::Other));
                }
                // A copy: values are immutable in the IR, so the copy is the value.
                if matches!(name.as_str(), "to_vec" | "clone") && m.args.is_empty() {
                    return self.expr(&m.receiver);
                }
                let args: Vec<&Expr> = m.args.iter().collect();
                let recv = self.expr(&m.receiver)?;
                let recv_ty = self.ty(recv);
                if recv_ty.is_tensor() {
                    let hint = if unary_prim(&name).is_some() {
                        let recv_text = match call::strip(&m.receiver).as_ref() {
                            Expr::Path(p) => p.path.to_token_stream().to_string(),
                            _ => "v".to_string(),
                        };
                        format!("write the free fn `{name}({recv_text})`, which works elementwise")
                    } else {
                        "this op works on scalars only".to_string()
                    };
                    self.diag.error(
                        &m.method,
                        format!(
                            "`.{name}()` is a scalar method, but the receiver is {}; {hint}",
                            recv_ty.describe()
                        ),
                    );
                    return None;
                }
                self.prim(&name, Some(&m.receiver), &args, span, &m.method)
            }
            _ => {
                self.diag.error(
                    e,
                    "this expression is not supported in #[differentiable] fns",
                );
                None
            }
        }
    }
}
