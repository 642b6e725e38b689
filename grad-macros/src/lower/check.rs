//! The typing checks of lowering: index expressions, `if` conditions and
//! mixed float types, each reported with its span and the fix.

use super::Lowerer;
use super::call::{prim_path, unary_prim, vector_op_path};
use crate::ir::Ty;
use proc_macro2::TokenStream;
use quote::ToTokens;
use syn::{BinOp, Expr, Lit};

impl Lowerer<'_> {
    /// An index must be an integer constant: no float value (not even cast
    /// with `as usize`) and no float literal may appear in it.
    pub(super) fn check_index(&mut self, index: &Expr) -> Option<()> {
        let Some(what) = self.float_in(index) else {
            return Some(());
        };
        self.diag.error(
            index,
            format!(
                "indexing by a float is not supported in #[differentiable] fns ({what}); an index must be an integer constant or an integer expression of constant parameters, e.g. `v[0]` or `v[i]` with `i: usize` (casts `as usize` of floats are not allowed either)"
            ),
        );
        None
    }

    /// A loop's bound must be an integer: no float value or literal.
    pub(super) fn check_bound(&mut self, bound: &Expr) -> Option<()> {
        let Some(what) = self.float_in(bound) else {
            return Some(());
        };
        self.diag.error(
            bound,
            format!(
                "a loop over floats is not supported in #[differentiable] fns ({what}); loop over an integer range (`for i in 0..n`) and compute the float from `i`"
            ),
        );
        None
    }

    /// `None` if no float value or literal appears in `e`, else what does.
    fn float_in(&self, e: &Expr) -> Option<String> {
        struct Find<'a, 'b> {
            l: &'a Lowerer<'b>,
            found: Option<String>,
        }
        impl<'ast> syn::visit::Visit<'ast> for Find<'_, '_> {
            fn visit_expr(&mut self, e: &'ast Expr) {
                if self.found.is_some() {
                    return;
                }
                match e {
                    Expr::Path(p) if p.qself.is_none() => {
                        if let Some(id) = p.path.get_ident()
                            && let Some(v) = self.l.lookup(&id.to_string())
                            && matches!(self.l.ty(v), Ty::Scalar | Ty::Vector(_))
                        {
                            self.found = Some(format!("`{id}` is a float value"));
                        }
                    }
                    Expr::Lit(l) if matches!(l.lit, Lit::Float(_)) => {
                        self.found = Some("this is a float literal".to_string());
                    }
                    // `v.len()` is an integer even when `v` is a vector.
                    Expr::MethodCall(m) if m.method == "len" => {}
                    _ => syn::visit::visit_expr(self, e),
                }
            }
        }
        let mut find = Find {
            l: self,
            found: None,
        };
        syn::visit::Visit::visit_expr(&mut find, e);
        find.found
    }

    /// Whether `e` is (arithmetic on) a vector-typed local: `a`, `a * 2.0`, `-a`.
    pub(super) fn is_vector_expr(&self, e: &Expr) -> bool {
        match e {
            Expr::Paren(p) => self.is_vector_expr(&p.expr),
            Expr::Group(g) => self.is_vector_expr(&g.expr),
            Expr::Reference(r) => self.is_vector_expr(&r.expr),
            Expr::Unary(u) => self.is_vector_expr(&u.expr),
            Expr::Binary(b) => self.is_vector_expr(&b.left) || self.is_vector_expr(&b.right),
            Expr::Path(p) => p
                .path
                .get_ident()
                .and_then(|id| self.lookup(&id.to_string()))
                .is_some_and(|v| matches!(self.ty(v), Ty::Vector(_))),
            Expr::Array(_) => true,
            Expr::Call(c) => match &*c.func {
                Expr::Path(p) => match vector_op_path(&p.path).as_deref() {
                    Some("softmax" | "log_softmax" | "matvec") => true,
                    Some(_) => false,
                    None => {
                        prim_path(&p.path).is_some_and(|n| unary_prim(&n).is_some())
                            && c.args.iter().any(|a| self.is_vector_expr(a))
                    }
                },
                _ => false,
            },
            _ => false,
        }
    }

    /// An `if` condition compares numbers: a vector compared with `>` etc. is
    /// reported here (rustc would only say the types differ).
    pub(super) fn check_condition(&mut self, cond: &Expr) -> Option<()> {
        struct Find<'a, 'b> {
            l: &'a Lowerer<'b>,
            found: Option<(TokenStream, String)>,
        }
        impl<'a> syn::visit::Visit<'a> for Find<'a, '_> {
            fn visit_expr(&mut self, e: &'a Expr) {
                if self.found.is_some() {
                    return;
                }
                if let Expr::Binary(b) = e
                    && matches!(
                        b.op,
                        BinOp::Lt(_)
                            | BinOp::Le(_)
                            | BinOp::Gt(_)
                            | BinOp::Ge(_)
                            | BinOp::Eq(_)
                            | BinOp::Ne(_)
                    )
                {
                    let (vec_side, other) = if self.l.is_vector_expr(&b.left) {
                        (&*b.left, &*b.right)
                    } else if self.l.is_vector_expr(&b.right) {
                        (&*b.right, &*b.left)
                    } else {
                        return syn::visit::visit_expr(self, e);
                    };
                    let name = match super::call::strip(vec_side).as_ref() {
                        Expr::Path(p) => p.path.to_token_stream().to_string(),
                        _ => "v".to_string(),
                    };
                    let op = b.op.to_token_stream().to_string();
                    let rhs = match super::call::strip(other).as_ref() {
                        Expr::Lit(l) => l.to_token_stream().to_string(),
                        Expr::Path(p) => p.path.to_token_stream().to_string(),
                        _ => "y".to_string(),
                    };
                    self.found = Some((
                        e.to_token_stream(),
                        format!(
                            "comparing a vector with `{op}` is not supported in #[differentiable] fns: a condition needs one number; compare an element (`{name}[i] {op} {rhs}`) or a reduction (`sum({name}) {op} {rhs}`)"
                        ),
                    ));
                    return;
                }
                syn::visit::visit_expr(self, e);
            }
        }
        let mut find = Find {
            l: self,
            found: None,
        };
        syn::visit::Visit::visit_expr(&mut find, cond);
        let Some((at, msg)) = find.found else {
            return Some(());
        };
        self.diag.error(at, msg);
        None
    }

    pub(super) fn mixed(&mut self, at: impl ToTokens, found: &str) {
        self.diag.error(
            at,
            format!(
                "mixed float types: this is `{found}` but the fn uses `{}`; {}",
                self.float.name(),
                match self.float {
                    crate::sig::FloatTy::Generic(t) => format!(
                        "the fn is generic over `{t}: Real`: write float literals without a suffix (they are converted to `{t}`) and `{t}` for float types"
                    ),
                    _ => crate::generic::mixed_hint(self.float),
                }
            ),
        );
    }
}
