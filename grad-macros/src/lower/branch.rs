//! Lowering of `if`/`else`: both branches lowered into blocks whose yields
//! become the outputs of one IR `If`, coerced to a common type.

use super::Lowerer;
use crate::ir::{Block, If, Operand, Shape, Stmt, Ty, Var};
use syn::spanned::Spanned;

impl Lowerer<'_> {
    pub(super) fn if_expr(&mut self, i: &syn::ExprIf) -> Option<Var> {
        self.check_condition(&i.cond)?;
        let cond = self.opaque(&i.cond, Ty::Other);
        let outer = std::mem::take(&mut self.b.stmts);
        let then_v = self.block_value(&i.then_branch);
        let then_stmts = std::mem::take(&mut self.b.stmts);
        let els_v = match &i.else_branch {
            Some((_, els)) => self.expr(els),
            None => None,
        };
        let els_stmts = std::mem::replace(&mut self.b.stmts, outer);
        let (then_v, els_v) = (then_v?, els_v?);
        let mut then = Block {
            stmts: then_stmts,
            yields: vec![],
        };
        let mut els = Block {
            stmts: els_stmts,
            yields: vec![],
        };
        let ty = match (self.ty(then_v), self.ty(els_v)) {
            (Ty::Other, Ty::Other) => Ty::Other,
            (Ty::Vector(p), Ty::Vector(q)) => Ty::Vector(Shape::combine(&p, &q)),
            (Ty::Matrix, Ty::Matrix) => Ty::Matrix,
            (a, b) if a.is_tensor() || b.is_tensor() => {
                self.diag.error(
                    i,
                    format!(
                        "one branch of this `if` is {} and the other {}; both branches must have the same kind",
                        a.describe(),
                        b.describe()
                    ),
                );
                return None;
            }
            _ => Ty::Scalar,
        };
        let then_v = self.coerce_in(&mut then, then_v, ty.clone());
        let els_v = self.coerce_in(&mut els, els_v, ty.clone());
        then.yields.push(Operand::Var(then_v));
        els.yields.push(Operand::Var(els_v));
        let out = self.b.vars.fresh("", ty, i.span(), false);
        self.b.stmts.push(Stmt::If(If {
            cond,
            then,
            els,
            outs: vec![out],
        }));
        Some(out)
    }

    /// Coerces a branch's result inside that branch's block.
    pub(super) fn coerce_in(&mut self, block: &mut Block, v: Var, ty: Ty) -> Var {
        if ty != Ty::Scalar {
            return v;
        }
        let outer = std::mem::replace(&mut self.b.stmts, std::mem::take(&mut block.stmts));
        let v = self.as_scalar(v, self.b.vars.get(v).span);
        block.stmts = std::mem::replace(&mut self.b.stmts, outer);
        v
    }
}
