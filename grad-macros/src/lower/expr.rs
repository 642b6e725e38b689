//! Lowering of one expression: the match over every expression form the
//! fence lets through, with its type checks.

use super::Lowerer;
use super::call::{self, prim_path, unary_prim, vector_op_path};
use crate::ir::{Bin, Op, Shape, Ty, Un, VOp, Var};
use crate::sig::Kind;
use quote::ToTokens;
use syn::spanned::Spanned;
use syn::{BinOp, Expr, Lit, UnOp};

impl Lowerer<'_> {
    /// Lowers `e`: the var holding its value, or `None` when it cannot be lowered.
    pub(super) fn expr(&mut self, e: &Expr) -> Option<Var> {
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
                None => {
                    if let Some(msg) = crate::generic::concrete_constant(p) {
                        self.diag.error(p, msg);
                        return None;
                    }
                    Some(self.opaque(e, Ty::Other))
                }
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
                    let k = self.matrix_element(v, ix)?;
                    return Some(self.b.push(Op::V(VOp::Index, vec![v, k]), Ty::Scalar, span));
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
                if let Some(msg) = crate::generic::cast_error(&c.ty) {
                    self.diag.error(&c.ty, msg);
                    return None;
                }
                let (fl, kind) = crate::sig::classify(&c.ty);
                match (fl, kind) {
                    (Some(fl), Kind::Scalar) => {
                        if fl != self.float {
                            self.diag.error(
                                &c.ty,
                                format!(
                                    "casts to `{}` are not supported in a #[differentiable] fn over `{}`: the derivative cannot cross float types; {}",
                                    fl.name(),
                                    self.float.name(),
                                    match self.float {
                                        crate::sig::FloatTy::Generic(t) => format!("convert with `{t}::from_f64(x)` (or `{t}::from_usize(n)` for a count)"),
                                        _ => format!("remove the cast, or write the whole fn in `{}`", fl.name()),
                                    }
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
            Expr::Call(c) if crate::generic::is_conversion(c) => {
                // `T::from_f64(x)`, `T::from_usize(n)`: a float constant.
                Some(self.opaque(e, Ty::Scalar))
            }
            Expr::Call(c) => {
                let Expr::Path(p) = &*c.func else { return None };
                let args: Vec<&Expr> = c.args.iter().collect();
                if let Some(name) = vector_op_path(&p.path) {
                    return self.vector_op(&name, &args, span, &c.func);
                }
                // `Matrix::zeros(rows, cols)`: a constant matrix to fill in.
                let segs: Vec<String> = p
                    .path
                    .segments
                    .iter()
                    .map(|s| s.ident.to_string())
                    .collect();
                if segs.ends_with(&["Matrix".to_string(), "zeros".to_string()]) && args.len() == 2 {
                    let r = self.opaque(args[0], Ty::Other);
                    let c = self.opaque(args[1], Ty::Other);
                    return Some(self.b.push(Op::V(VOp::Zeros, vec![r, c]), Ty::Matrix, span));
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
