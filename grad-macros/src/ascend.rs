//! Backward loops whose iterations commute run in ascending order.
//!
//! A reverse sweep's loop runs its iterations from last to first. When no
//! iteration depends on another (no tape to pop, and every carried adjoint is
//! either left unchanged by the body or added to at the element the loop
//! index names, `dw[j] += ..`), the order does not change a bit of the
//! result: each element receives the same additions in the same order. Then
//! the loop runs `start..end` upwards, which the compiler optimizes better
//! (it can prove its indices in range and vectorize; a descending loop with
//! checked indexing it does not).

use crate::emit::ident_of;
use crate::ir::{Block, Loop, Op, Operand, Stmt, Var, Vars};

/// Turns every commuting backward loop in `b` (nested ones too) ascending.
pub(crate) fn ascend_block(b: &mut Block, vars: &Vars) {
    for s in &mut b.stmts {
        match s {
            Stmt::Let(_) => {}
            Stmt::If(i) => {
                ascend_block(&mut i.then, vars);
                ascend_block(&mut i.els, vars);
            }
            Stmt::Loop(l) => {
                ascend_block(&mut l.body, vars);
                if l.rev && commutes(l, vars) {
                    l.rev = false;
                }
            }
        }
    }
}

/// Whether the iterations of `l` are independent (see the module docs).
fn commutes(l: &Loop, vars: &Vars) -> bool {
    if !l.tapes.is_empty() || l.cond.is_some() || l.trip.is_some() {
        return false;
    }
    let index_name = ident_of(vars, l.index).to_string();
    // A var of the body that is a copy of the loop index.
    let is_index = |v: Var| {
        v == l.index
            || l.body.stmts.iter().any(|s| {
                matches!(s, Stmt::Let(n) if n.var == v
                    && matches!(&n.op, Op::Opaque(ts, uses)
                        if uses.as_slice() == [l.index] && ts.to_string() == index_name))
            })
    };
    l.carried.iter().zip(&l.body.yields).all(|(c, y)| {
        let Operand::Var(y) = *y else { return false };
        if y == c.param {
            return true;
        }
        // `y = accumulate_at(param, index, d)`, the param read nowhere else.
        let Some(acc) = l.body.stmts.iter().find_map(|s| match s {
            Stmt::Let(n) if n.var == y => Some(&n.op),
            _ => None,
        }) else {
            return false;
        };
        let Op::AccumulateAt(a, i, d) = acc else {
            return false;
        };
        *a == c.param && *d != c.param && is_index(*i) && reads(&l.body, c.param) == 1
    })
}

/// How many times the statements of `b` (nested blocks too) read `v`.
fn reads(b: &Block, v: Var) -> usize {
    b.stmts
        .iter()
        .map(|s| match s {
            Stmt::Let(n) => n.op.uses().iter().filter(|u| **u == v).count(),
            Stmt::If(i) => usize::from(i.cond == v) + reads(&i.then, v) + reads(&i.els, v),
            Stmt::Loop(l) => {
                l.carried.iter().filter(|c| c.init == v).count()
                    + reads(&l.body, v)
                    + usize::from(l.start == v || l.end == v)
            }
        })
        .sum::<usize>()
        + b.yields.iter().filter(|y| **y == Operand::Var(v)).count()
}
