//! What a call to a user fn returns, inferred from how the body uses it.
//!
//! The macro cannot see the callee, so a call's result is taken to be a
//! scalar until a use needs a vector (`dot(g(x), w)`, `sum(g(x) * 2.0)`,
//! `g(x)[0]`); then it, and the elementwise results computed from it, are
//! vectors. rustc checks the guess against the callee's signature, at the
//! call. A `let h: Vec<f64> = g(x);` annotation states it directly.

use super::Lowerer;
use crate::ir::{Op, Shape, Stmt, Ty, Var, Vars};

impl Lowerer<'_> {
    /// Makes `v` a vector if its type is still open (a call's result, or an
    /// elementwise op on such values and scalars); whether it is a vector now.
    pub(super) fn require_vector(&mut self, v: Var) -> bool {
        match self.ty(v) {
            Ty::Vector(_) => true,
            Ty::Scalar if self.open(v) => {
                self.retype(v, &Ty::Vector(Shape::Dynamic));
                true
            }
            _ => false,
        }
    }

    /// Makes `v` a matrix if its type is still open (as [`Self::require_vector`]);
    /// whether it is a matrix now.
    pub(super) fn require_matrix(&mut self, v: Var) -> bool {
        match self.ty(v) {
            Ty::Matrix => true,
            Ty::Scalar if self.open(v) => {
                self.retype(v, &Ty::Matrix);
                true
            }
            _ => false,
        }
    }

    /// Whether `v` is a scalar only by default: a call's result, or an
    /// elementwise op of which one operand is open and none is a vector.
    fn open(&self, v: Var) -> bool {
        if self.is_call(v) {
            return true;
        }
        match self.def(v) {
            Some(Op::Un(_, a)) => self.ty(a) == Ty::Scalar && self.open(a),
            Some(Op::Bin(_, x, y)) => {
                let scalar = |u: Var| self.ty(u) == Ty::Scalar;
                scalar(x) && scalar(y) && (self.open(x) || self.open(y))
            }
            _ => false,
        }
    }

    /// Gives the open `v` the type `ty`, and with it the open operands it is computed from.
    fn retype(&mut self, v: Var, ty: &Ty) {
        self.b.vars.get_mut(v).ty = ty.clone();
        let operands = match self.def(v) {
            Some(Op::Un(_, a)) => vec![a],
            Some(Op::Bin(_, x, y)) => vec![x, y],
            _ => vec![],
        };
        for u in operands {
            if self.ty(u) == Ty::Scalar && self.open(u) {
                self.retype(u, ty);
            }
        }
    }

    /// The op that defines `v` in the current block (elementwise ops only).
    fn def(&self, v: Var) -> Option<Op> {
        self.b.stmts.iter().rev().find_map(|s| match s {
            Stmt::Let(n) if n.var == v && matches!(n.op, Op::Un(..) | Op::Bin(..)) => {
                Some(n.op.clone())
            }
            _ => None,
        })
    }
}

/// After lowering: an elementwise op with a matrix operand is a matrix, else
/// with a vector operand a vector, also where the operand became one (by
/// [`Lowerer::require_vector`]) after the op was lowered.
pub(super) fn propagate_vectors(stmts: &[Stmt], vars: &mut Vars) {
    loop {
        let mut changed = false;
        for s in stmts {
            match s {
                Stmt::Let(n) => {
                    let ins = match &n.op {
                        Op::Un(_, a) => vec![*a],
                        Op::Bin(_, x, y) => vec![*x, *y],
                        _ => continue,
                    };
                    let has = |f: fn(&Ty) -> bool| ins.iter().any(|u| f(&vars.get(*u).ty));
                    let ty = if has(|t| *t == Ty::Matrix) {
                        Ty::Matrix
                    } else if has(|t| matches!(t, Ty::Vector(_))) {
                        Ty::Vector(Shape::Dynamic)
                    } else {
                        continue;
                    };
                    let now = &vars.get(n.var).ty;
                    if *now == Ty::Scalar || (ty == Ty::Matrix && matches!(now, Ty::Vector(_))) {
                        vars.get_mut(n.var).ty = ty;
                        changed = true;
                    }
                }
                Stmt::Loop(l) => {
                    if let Some(c) = &l.cond {
                        propagate_vectors(&c.stmts, vars);
                    }
                    propagate_vectors(&l.body.stmts, vars);
                }
                Stmt::If(i) => {
                    propagate_vectors(&i.then.stmts, vars);
                    propagate_vectors(&i.els.stmts, vars);
                }
            }
        }
        if !changed {
            return;
        }
    }
}
