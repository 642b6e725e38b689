//! `syn` body → IR in A-normal form, with every value's type inferred.
//!
//! Runs after the fence, so every construct here is inside the subset;
//! what can still fail is typing (e.g. a float op on a non-float value).

use crate::build::Builder;
use crate::diag::Diag;
use crate::ir::{Block, Op, Operand, Program, Stmt, Ty, Var, Vars};
use crate::sig::{FloatTy, Kind, Ret, Sig};
use proc_macro2::{Span, TokenStream};
use quote::ToTokens;
use std::collections::HashMap;
use syn::spanned::Spanned;
use syn::visit_mut::{self, VisitMut};
use syn::{Expr, Pat};

mod annotate;
mod branch;
mod call;
mod check;
mod expr;
mod infer;
mod looping;
mod vector;

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
                        // (A generic fn's literal is inlined unsuffixed, and
                        // converted to `T` where the code is emitted.)
                        let lit = crate::generic::opaque_lit(x, self.l.float);
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
}
