//! What the emitter learns from the program before emitting it: the
//! sigmoids that share their `exp` with their derivative, and the vectors
//! whose Rust type the callee decides.

use crate::ir::{Block, Op, Stmt, Ty, Un, Var, Vars};
use std::collections::HashSet;

/// Scalar sigmoids whose `y·(1 − y)` derivative is computed in the same
/// block (`out`), and those derivative nodes (`derivs`: only they may read
/// the complement, which is not in scope elsewhere).
pub(super) fn collect_sigmoid_pairs(
    b: &Block,
    vars: &Vars,
    out: &mut HashSet<Var>,
    derivs: &mut HashSet<Var>,
) {
    let sigmoids: HashSet<Var> = b
        .stmts
        .iter()
        .filter_map(|s| match s {
            Stmt::Let(n)
                if matches!(n.op, Op::Un(Un::Sigmoid, _)) && vars.get(n.var).ty == Ty::Scalar =>
            {
                Some(n.var)
            }
            _ => None,
        })
        .collect();
    for s in &b.stmts {
        match s {
            Stmt::Let(n) => {
                if let Op::Un(Un::SigmoidDerivFromOutput, y) = n.op
                    && sigmoids.contains(&y)
                {
                    out.insert(y);
                    derivs.insert(n.var);
                }
            }
            Stmt::If(i) => {
                collect_sigmoid_pairs(&i.then, vars, out, derivs);
                collect_sigmoid_pairs(&i.els, vars, out, derivs);
            }
            Stmt::Loop(l) => {
                if let Some(c) = &l.cond {
                    collect_sigmoid_pairs(c, vars, out, derivs);
                }
                collect_sigmoid_pairs(&l.body, vars, out, derivs);
            }
        }
    }
}

/// Vectors defined by ops whose Rust type the macro does not choose.
pub(super) fn collect_foreign(b: &Block, out: &mut HashSet<Var>) {
    for s in &b.stmts {
        match s {
            Stmt::Let(n) => {
                if matches!(
                    n.op,
                    Op::Opaque(..)
                        | Op::TapeRead(..)
                        | Op::CallVjp(..)
                        | Op::CallJvp(..)
                        | Op::CallVjpJvp(..)
                        | Op::Partial(..)
                ) {
                    out.insert(n.var);
                }
            }
            Stmt::If(i) => {
                collect_foreign(&i.then, out);
                collect_foreign(&i.els, out);
            }
            Stmt::Loop(l) => {
                if let Some(c) = &l.cond {
                    collect_foreign(c, out);
                }
                collect_foreign(&l.body, out);
            }
        }
    }
}
