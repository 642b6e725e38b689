//! Lowering of calls: the built-in scalar primitives (free-fn and method
//! forms) and calls to user fns (differentiated through their `_vjp`).

use super::Lowerer;
use crate::ir::{Arg, Expo, Op, Ty, Un, Var};
use crate::ops::{self, Prim};
use proc_macro2::Span;
use quote::ToTokens;
use syn::spanned::Spanned;
use syn::{Expr, Lit, UnOp};

/// The primitives callable as free fns with one float argument (they also
/// work elementwise on vectors).
pub(super) fn unary_prim(name: &str) -> Option<Un> {
    ops::unary(name)
}

impl Lowerer<'_> {
    pub(super) fn float_arg(&mut self, e: &Expr) -> Option<Var> {
        let v = self.expr(e)?;
        Some(self.as_scalar(v, e.span()))
    }

    pub(super) fn prim(
        &mut self,
        name: &str,
        receiver: Option<&Expr>,
        args: &[&Expr],
        span: Span,
        at: &dyn ToTokens,
    ) -> Option<Var> {
        let mut all: Vec<&Expr> = receiver.into_iter().collect();
        all.extend(args.iter().copied());
        let Some(prim) = ops::prim(name) else {
            self.diag
                .error(at.to_token_stream(), format!("unknown function `{name}`"));
            return None;
        };
        let arity = prim.arity;
        if all.len() != arity {
            let form = if receiver.is_some() {
                format!("`x.{name}(..)` takes {} argument(s)", arity - 1)
            } else {
                format!("`{name}(..)` takes {arity} argument(s)")
            };
            self.diag.error(
                at.to_token_stream(),
                format!(
                    "{form}, found {}",
                    all.len() - usize::from(receiver.is_some())
                ),
            );
            return None;
        }
        if let Prim::Un(u) = prim.prim {
            let a = self.expr(all[0])?;
            if let Ty::Vector(_) = self.ty(a) {
                return Some(self.b.un(u, a, span));
            }
            let a = self.as_scalar(a, all[0].span());
            return Some(self.b.un(u, a, span));
        }
        let a = self.expr(all[0])?;
        if let Ty::Vector(_) = self.ty(a) {
            self.diag.error(all[0], format!("`{name}` works on scalars only, but this is a vector; index it (`v[i]`) or use an elementwise fn (`sigmoid tanh relu exp ln sqrt sin cos abs softplus`)"));
            return None;
        }
        let a = self.as_scalar(a, all[0].span());
        match prim.prim {
            Prim::Powi => {
                let n = match &*strip(all[1]) {
                    Expr::Lit(syn::ExprLit {
                        lit: Lit::Int(i), ..
                    }) => i.base10_parse::<i32>().ok().map(Expo::Lit),
                    Expr::Unary(syn::ExprUnary {
                        op: UnOp::Neg(_),
                        expr,
                        ..
                    }) => match &**expr {
                        Expr::Lit(syn::ExprLit {
                            lit: Lit::Int(i), ..
                        }) => i.base10_parse::<i32>().ok().map(|k| Expo::Lit(-k)),
                        _ => None,
                    },
                    _ => None,
                };
                let n = n.unwrap_or_else(|| {
                    let (ts, uses) = self.rewrite(all[1]);
                    Expo::Expr(ts, uses)
                });
                Some(self.b.push(Op::Powi(a, n), Ty::Scalar, span))
            }
            Prim::Bin(op) => {
                let b = self.float_arg(all[1])?;
                Some(self.b.push(Op::Bin(op, a, b), Ty::Scalar, span))
            }
            Prim::Un(_) => None,
        }
    }

    /// Reports a call of a fn that cannot have a `_vjp` beside it
    /// (`f64::hypot`, `std::..`, `grad::..`).
    pub(super) fn foreign_call(&mut self, path: &syn::Path, args: &[&Expr], at: &dyn ToTokens) {
        let shown: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        let shown = shown.join("::");
        let name = path
            .segments
            .last()
            .map_or_else(String::new, |s| s.ident.to_string());
        let args: Vec<String> = args
            .iter()
            .map(|a| quote::ToTokens::to_token_stream(a).to_string())
            .collect();
        self.diag.error(
            at.to_token_stream(),
            format!(
                "`{shown}` has no derivative in #[differentiable] fns: the built-in functions are `{}`; for anything else write a fn `{name}` with a hand-written `{name}_vjp` and call it as `{name}({})`",
                ops::PRIMS
                    .iter()
                    .map(|p| p.name)
                    .collect::<Vec<_>>()
                    .join("`, `"),
                args.join(", ")
            ),
        );
    }

    pub(super) fn user_call(
        &mut self,
        path: &syn::Path,
        args: &[&Expr],
        span: Span,
    ) -> Option<Var> {
        let mut lowered = Vec::new();
        for a in args {
            let by_ref = matches!(&*strip(a), Expr::Reference(_));
            let v = self.expr(a)?;
            if by_ref && self.ty(v) == Ty::Scalar && self.is_call(v) {
                let f = self.float.name();
                self.diag.error(
                    a,
                    format!("this value comes from a call, and the macro cannot tell whether it is a vector or a matrix; bind it with a type annotation: `let h: Vec<{f}> = ...;` or `let h: Matrix<{f}> = ...;`"),
                );
                return None;
            }
            lowered.push(match self.ty(v) {
                Ty::Scalar | Ty::Vector(_) | Ty::Matrix => Arg::Float(v, by_ref),
                _ => Arg::Other(v),
            });
        }
        Some(
            self.b
                .push(Op::Call(path.clone(), lowered), Ty::Scalar, span),
        )
    }
}

/// Whether `path` names a fn that no user crate can give a `_vjp` beside:
/// an associated fn of a float type, or a fn of `std`, `core` or `grad`.
pub(super) fn foreign_path(path: &syn::Path) -> bool {
    path.segments.len() > 1
        && path.segments.first().is_some_and(|s| {
            ["f32", "f64", "std", "core", "alloc", "grad", "grad_core"]
                .iter()
                .any(|n| s.ident == n)
        })
}

/// `Some(name)` if `path` names a built-in vector op: `softmax`, `grad::mse`, ...
pub(super) fn vector_op_path(path: &syn::Path) -> Option<String> {
    let last = path.segments.last()?.ident.to_string();
    let known = ops::vector_op(&last).is_some();
    let prefix: Vec<String> = path
        .segments
        .iter()
        .take(path.segments.len() - 1)
        .map(|s| s.ident.to_string())
        .collect();
    let prefix: Vec<&str> = prefix.iter().map(String::as_str).collect();
    let ok = matches!(
        prefix.as_slice(),
        [] | ["grad"] | ["grad", "prelude"] | ["grad", "values"]
    );
    (known && ok).then_some(last)
}

pub(super) fn strip(e: &Expr) -> std::borrow::Cow<'_, Expr> {
    match e {
        Expr::Paren(p) => strip(&p.expr),
        Expr::Group(g) => strip(&g.expr),
        _ => std::borrow::Cow::Borrowed(e),
    }
}

/// `Some(name)` if `path` names a built-in primitive: `sigmoid`, `f64::exp`, `grad::sigmoid`, ...
pub(super) fn prim_path(path: &syn::Path) -> Option<String> {
    let last = path.segments.last()?.ident.to_string();
    let known = ops::prim(&last).is_some();
    if !known {
        return None;
    }
    let prefix: Vec<String> = path
        .segments
        .iter()
        .take(path.segments.len() - 1)
        .map(|s| s.ident.to_string())
        .collect();
    let prefix: Vec<&str> = prefix.iter().map(String::as_str).collect();
    let ok = matches!(
        prefix.as_slice(),
        [] | ["f64"] | ["f32"] | ["grad"] | ["grad", "prelude"] | ["grad", "values"]
    ) || matches!(prefix.as_slice(), [t] if crate::generic::current() == Some(*t));
    ok.then_some(last)
}
