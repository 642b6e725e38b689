//! `let` type annotations: checked against the fn's float type, and the
//! way to type a value the macro cannot infer (`let h: Vec<f64> = g(x);`).

use super::Lowerer;
use crate::ir::{Shape, Ty, Var};
use crate::sig::Kind;
use syn::Expr;
use syn::spanned::Spanned;

impl Lowerer<'_> {
    pub(super) fn check_annotation(&mut self, ty: &syn::Type) {
        let (fl, _) = crate::sig::classify(ty);
        if let Some(fl) = fl
            && fl != self.float
        {
            self.diag.error(
                ty,
                format!(
                    "mixed float types: this is `{}` but the fn uses `{}`; use one float type per #[differentiable] fn",
                    fl.name(),
                    self.float.name()
                ),
            );
        }
    }

    /// Applies a `let` type annotation: the way to type a value the macro
    /// cannot infer. `None` after a mismatch (reported here; the name is then
    /// poisoned so its uses report nothing more).
    pub(super) fn annotate(&mut self, v: Var, ty: &syn::Type, e: &Expr) -> Option<Var> {
        let (fl, kind) = crate::sig::classify(ty);
        if fl.is_none() {
            return Some(v);
        }
        Some(match (kind, self.ty(v)) {
            (Kind::Vector(c), Ty::Other) => {
                self.b.vars.get_mut(v).ty = Ty::Vector(c.shape());
                v
            }
            (Kind::Vector(c), Ty::Vector(s)) => {
                let want = c.shape();
                if let (Shape::Array(a), Shape::Array(b)) = (&want, &s)
                    && a != b
                {
                    self.diag.error(
                        ty,
                        format!(
                            "this annotation says length {}, but the value has length {}",
                            a.key(),
                            b.key()
                        ),
                    );
                    return None;
                }
                v
            }
            (Kind::Vector(c), Ty::Scalar) if self.is_call(v) => {
                // A user fn returning a vector: the annotation says so.
                self.b.vars.get_mut(v).ty = Ty::Vector(c.shape());
                v
            }
            (Kind::Vector(_), t) => {
                self.diag.error(
                    e,
                    format!(
                        "this value is {}, but its `let` is annotated with a vector type",
                        t.describe()
                    ),
                );
                return None;
            }
            (Kind::Matrix, Ty::Matrix) => v,
            (Kind::Matrix, Ty::Other) => {
                self.b.vars.get_mut(v).ty = Ty::Matrix;
                v
            }
            (Kind::Matrix, Ty::Scalar) if self.is_call(v) => {
                // A user fn returning a matrix: the annotation says so.
                self.b.vars.get_mut(v).ty = Ty::Matrix;
                v
            }
            (Kind::Matrix, t) => {
                self.diag.error(
                    e,
                    format!(
                        "this value is {}, but its `let` is annotated with a matrix type",
                        t.describe()
                    ),
                );
                return None;
            }
            (Kind::Scalar, t @ (Ty::Vector(_) | Ty::Matrix)) => {
                self.diag.error(
                    e,
                    format!(
                        "this value is {}, but its `let` is annotated `{}`; annotate it `{}`, or reduce it to a float (`sum`, `mean`, ...)",
                        t.describe(),
                        self.float.name(),
                        match t {
                            Ty::Matrix => format!("Matrix<{}>", self.float.name()),
                            _ => format!("Vec<{}>", self.float.name()),
                        }
                    ),
                );
                return None;
            }
            (Kind::Scalar, _) => self.as_scalar(v, e.span()),
            (Kind::Const, _) => v,
        })
    }
}
