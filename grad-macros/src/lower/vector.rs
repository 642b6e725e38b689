//! Lowering of the built-in vector ops, with their type checks.

use super::Lowerer;
use crate::ir::{ArrLen, Op, Shape, Ty, VOp, Var};
use proc_macro2::Span;
use quote::{ToTokens, quote};
use syn::Expr;

impl Lowerer<'_> {
    /// A built-in vector op: `sum(v)`, `softmax(v)`, `mse(p, t)`, `cross_entropy(z, class)`, ...
    pub(super) fn vector_op(
        &mut self,
        name: &str,
        args: &[&Expr],
        span: Span,
        at: &Expr,
    ) -> Option<Var> {
        let Some((op, arity)) = crate::ops::vector_op(name) else {
            self.diag.error(at, format!("unknown vector op `{name}`"));
            return None;
        };
        if args.len() != arity {
            self.diag.error(
                at,
                format!(
                    "`{name}(..)` takes {arity} argument(s), found {}",
                    args.len()
                ),
            );
            return None;
        }
        let f = self.float.name();
        let matrix_op = matches!(op, VOp::Matmul | VOp::Transpose);
        let mut vs = Vec::new();
        for (k, a) in args.iter().enumerate() {
            let v = self.expr(a)?;
            if op == VOp::CrossEntropy && k == 1 {
                if self.ty(v) != Ty::Other {
                    self.diag.error(
                        a,
                        "the class of `cross_entropy(logits, class)` is a `usize` index (for a matrix of logits, `labels: &[usize]`), not a float",
                    );
                    return None;
                }
                vs.push(v);
                continue;
            }
            match self.ty(v) {
                Ty::Vector(_) | Ty::Matrix => vs.push(v),
                Ty::Other => {
                    let want = if matrix_op {
                        format!(
                            "a matrix here, and the type of this value cannot be inferred; bind it with a type annotation: `let m: Matrix<{f}> = ...;`"
                        )
                    } else {
                        format!(
                            "a vector here, and the type of this value cannot be inferred; bind it with a type annotation: `let v: Vec<{f}> = ...;` (or `[{f}; N]`, `Matrix<{f}>`)"
                        )
                    };
                    self.diag.error(a, format!("`{name}` needs {want}"));
                    return None;
                }
                _ if matrix_op && self.require_matrix(v) => vs.push(v),
                _ if !matrix_op && self.require_vector(v) => vs.push(v),
                _ if matrix_op => {
                    self.diag.error(
                        a,
                        format!("`{name}` needs a matrix here, but this is a scalar"),
                    );
                    return None;
                }
                _ => {
                    let fix = self.wrapped_call(name, args);
                    self.diag.error(
                        a,
                        format!(
                            "`{name}` needs a vector here, but this is a scalar; wrap the scalar in an array literal: `{fix}`"
                        ),
                    );
                    return None;
                }
            }
        }
        self.check_ranks(op, name, &vs, args)?;
        let ty = match op {
            VOp::Softmax | VOp::LogSoftmax => self.ty(vs[0]),
            VOp::Matvec if self.ty(vs[0]) == Ty::Matrix => Ty::Vector(Shape::Dynamic),
            VOp::Matvec => Ty::Vector(self.matvec_rows(vs[0], vs[1], at)?),
            VOp::Matmul | VOp::Transpose => Ty::Matrix,
            _ => Ty::Scalar,
        };
        if matches!(op, VOp::Dot | VOp::Mse | VOp::Bce | VOp::BceLogits)
            && let (Ty::Vector(Shape::Array(p)), Ty::Vector(Shape::Array(q))) =
                (self.ty(vs[0]), self.ty(vs[1]))
            && p != q
            && p.value().is_some()
            && q.value().is_some()
        {
            self.diag.error(
                at,
                format!(
                    "`{name}` of vectors of different lengths: [_; {}] and [_; {}]",
                    p.key(),
                    q.key()
                ),
            );
            return None;
        }
        Some(self.b.push(Op::V(op, vs), ty, span))
    }

    /// Reports an argument of the wrong rank: a matrix where an op takes a
    /// vector, a vector where it takes a matrix, or losses of mixed ranks.
    fn check_ranks(&mut self, op: VOp, name: &str, vs: &[Var], args: &[&Expr]) -> Option<()> {
        let is_m = |l: &Self, k: usize| l.ty(vs[k]) == Ty::Matrix;
        let bad = |k: usize, msg: String, l: &mut Self| {
            l.diag.error(args[k], msg);
            None
        };
        match op {
            VOp::Dot => {
                if let Some(k) = (0..2).find(|k| is_m(self, *k)) {
                    return bad(
                        k,
                        "`dot` takes two vectors, but this is a matrix; multiply matrices with `matmul(a, b)`, or write `sum(a * b)` for the elementwise product's sum".to_string(),
                        self,
                    );
                }
            }
            VOp::Matvec if is_m(self, 1) => {
                return bad(
                    1,
                    "`matvec(w, x)` takes a vector `x`, but this is a matrix; multiply matrices with `matmul(a, b)`".to_string(),
                    self,
                );
            }
            VOp::Matmul | VOp::Transpose => {
                if let Some(k) = (0..vs.len()).find(|k| !is_m(self, *k)) {
                    let hint = if op == VOp::Matmul {
                        "; for a matrix times a vector use `matvec(w, x)`"
                    } else {
                        "; a vector has no transpose here: use it as it is (`dot`, `matvec(w, x)` take it either way), or make it a 1-row `Matrix`"
                    };
                    return bad(
                        k,
                        format!("`{name}` takes matrices, but this is a vector{hint}"),
                        self,
                    );
                }
            }
            VOp::Mse | VOp::Bce | VOp::BceLogits if is_m(self, 0) != is_m(self, 1) => {
                return bad(
                    1,
                    format!(
                        "`{name}` takes two vectors or two matrices of the same shape, but this is {} and the first argument {}",
                        self.ty(vs[1]).describe(),
                        self.ty(vs[0]).describe()
                    ),
                    self,
                );
            }
            _ => {}
        }
        Some(())
    }

    /// `name(..)` with every argument that is not a vector wrapped in `[..]`:
    /// `bce_with_logits([z], [y])` (simple names kept, others by role).
    fn wrapped_call(&self, name: &str, args: &[&Expr]) -> String {
        let roles: &[&str] = match name {
            "dot" => &["a", "b"],
            "matvec" => &["w", "x"],
            "mse" => &["pred", "target"],
            "cross_entropy" => &["logits", "class"],
            "binary_cross_entropy" => &["p", "y"],
            "bce_with_logits" => &["z", "y"],
            _ => &["x"],
        };
        let parts: Vec<String> = args
            .iter()
            .enumerate()
            .map(|(k, a)| {
                let text = match super::call::strip(a).as_ref() {
                    Expr::Path(p) if p.path.get_ident().is_some() => {
                        p.path.to_token_stream().to_string()
                    }
                    _ => roles.get(k).copied().unwrap_or("x").to_string(),
                };
                let class = name == "cross_entropy" && k == 1;
                if class || self.is_vector_expr(a) {
                    text
                } else {
                    format!("[{text}]")
                }
            })
            .collect();
        format!("{name}({})", parts.join(", "))
    }

    /// The output shape of `matvec(w, x)`: an array when both lengths are literals.
    fn matvec_rows(&mut self, w: Var, x: Var, at: &Expr) -> Option<Shape> {
        let (Ty::Vector(Shape::Array(w)), Ty::Vector(Shape::Array(x))) = (self.ty(w), self.ty(x))
        else {
            return Some(Shape::Dynamic);
        };
        match (w.value(), x.value()) {
            (Some(w), Some(x)) if x > 0 && w % x == 0 => {
                let r = proc_macro2::Literal::usize_unsuffixed(w / x);
                Some(Shape::Array(ArrLen { tokens: quote!(#r) }))
            }
            (Some(w), Some(x)) => {
                self.diag.error(
                    at,
                    format!(
                        "`matvec`: the matrix length {w} is not a multiple of the vector length {x}"
                    ),
                );
                None
            }
            _ => Some(Shape::Dynamic),
        }
    }
}
