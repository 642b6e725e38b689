//! Loop fusion for run-time-length vectors: a run of elementwise arithmetic
//! over the same length becomes one loop, so `w * x + b` and the backward of
//! `mse` read each input once and allocate only the vectors that outlive the
//! loop, instead of one `Vec` per intermediate. Reductions and
//! transcendental functions are never fused: they call grad-core's kernels,
//! whose results are the public ops' bits.
//!
//! Members are grouped greedily in program order: an op joins the current
//! group when it reads one of the group's vectors (so lengths are equal by
//! construction, and checked once before the loop). Scalar statements that
//! read no vector are hoisted in front of it.

use crate::ir::{Node, Op, Shape, Stmt, Ty, VOp, Var, Vars};
use std::collections::{HashMap, HashSet};

/// One fused loop.
pub(crate) struct Group<'a> {
    /// Scalar statements emitted before the loop.
    pub(crate) before: Vec<&'a Stmt>,
    /// The fused statements and their nodes, in order.
    pub(crate) members: Vec<(&'a Stmt, &'a Node)>,
    /// Vectors read elementwise (or for their length) that the loop does not compute.
    pub(crate) externals: Vec<Var>,
    /// Members whose vectors are needed after the loop.
    pub(crate) materialized: HashSet<Var>,
}

/// An item to emit: a plain statement or a fused loop.
pub(crate) enum Item<'a> {
    Stmt(&'a Stmt),
    Loop(Group<'a>),
}

/// Whether `n` computes a run-time-length vector elementwise with
/// arithmetic that a loop computes exactly as the runtime's op does (the op
/// table's `fusable` unary ops and elementwise binary ops, and the loss
/// backwards' per-element pieces). Transcendental functions are not fused:
/// they call grad-core's SIMD kernels, the same functions users call.
pub(crate) fn is_map(n: &Node, vars: &Vars) -> bool {
    if vars.get(n.var).ty != Ty::Vector(Shape::Dynamic) {
        return false;
    }
    match &n.op {
        Op::Un(u, _) => u.info().fusable,
        Op::Bin(b, ..) => b.info().elementwise,
        // Adding a contribution into an adjoint: `acc[i] + d[i]`.
        Op::Accumulate(..) => true,
        Op::AccumulateAt(..) | Op::SetAt(..) | Op::AccumulateOuter(..) => false,
        Op::V(o, _) => matches!(
            o,
            VOp::Fill
                | VOp::MeanBackward
                | VOp::DotBackward
                | VOp::MseBackward
                | VOp::BceBackwardP
                | VOp::BceBackwardY
                | VOp::BceLogitsBackwardZ
                | VOp::BceLogitsBackwardY
        ),
        Op::Lit(_)
        | Op::TapeRead(..)
        | Op::Opaque(..)
        | Op::Powi(..)
        | Op::Call(..)
        | Op::CallVjp(..)
        | Op::CallJvp(..)
        | Op::CallVjpJvp(..)
        | Op::Partial(..) => false,
    }
}

/// The vector inputs of a fusable node.
fn vector_inputs(n: &Node, vars: &Vars) -> Vec<Var> {
    n.op.uses()
        .into_iter()
        .filter(|v| matches!(vars.get(*v).ty, Ty::Vector(_)))
        .collect()
}

/// Groups `stmts` into plain statements and fused loops. `counts` are the
/// use counts of every var in the whole program.
pub(crate) fn plan<'a>(
    stmts: &'a [Stmt],
    vars: &Vars,
    counts: &HashMap<Var, usize>,
) -> Vec<Item<'a>> {
    let mut items = Vec::new();
    let mut cur: Option<Group<'a>> = None;
    for s in stmts {
        let node = match s {
            Stmt::Let(n) => Some(n),
            Stmt::If(_) | Stmt::Loop(_) => None,
        };
        if let Some(n) = node.filter(|n| is_map(n, vars)) {
            let ins = vector_inputs(n, vars);
            let joins = cur.as_ref().is_some_and(|g| {
                ins.iter()
                    .any(|v| g.externals.contains(v) || g.members.iter().any(|(_, m)| m.var == *v))
            });
            if !joins {
                flush(&mut cur, &mut items, vars, counts);
                cur = Some(Group {
                    before: Vec::new(),
                    members: Vec::new(),
                    externals: Vec::new(),
                    materialized: HashSet::new(),
                });
            }
            let Some(g) = cur.as_mut() else { continue };
            for v in ins {
                if !g.members.iter().any(|(_, m)| m.var == v) && !g.externals.contains(&v) {
                    g.externals.push(v);
                }
            }
            g.members.push((s, n));
            continue;
        }
        // A scalar statement that reads no vector moves before the loop.
        let hoistable = match (s, cur.as_ref()) {
            (Stmt::Let(n), Some(_)) => {
                !matches!(
                    vars.get(n.var).ty,
                    Ty::Vector(_) | Ty::Matrix | Ty::Tuple(_)
                ) && !n.op.uses().iter().any(|u| vars.get(*u).ty.is_tensor())
            }
            _ => false,
        };
        if hoistable && let Some(g) = cur.as_mut() {
            g.before.push(s);
            continue;
        }
        flush(&mut cur, &mut items, vars, counts);
        items.push(Item::Stmt(s));
    }
    flush(&mut cur, &mut items, vars, counts);
    items
}

fn flush<'a>(
    cur: &mut Option<Group<'a>>,
    items: &mut Vec<Item<'a>>,
    vars: &Vars,
    counts: &HashMap<Var, usize>,
) {
    let Some(mut g) = cur.take() else { return };
    // Uses inside the loop; the rest are outside and need the vector.
    let mut inside: HashMap<Var, usize> = HashMap::new();
    for (_, m) in &g.members {
        for u in m.op.uses() {
            *inside.entry(u).or_default() += 1;
        }
    }
    for (_, m) in &g.members {
        let total = counts.get(&m.var).copied().unwrap_or(0);
        let within = inside.get(&m.var).copied().unwrap_or(0);
        if matches!(vars.get(m.var).ty, Ty::Vector(_)) && total > within {
            g.materialized.insert(m.var);
        }
    }
    if g.members.len() < 2 {
        // Nothing to fuse: emit as plain statements.
        items.extend(g.before.into_iter().map(Item::Stmt));
        for (s, _) in g.members {
            items.push(Item::Stmt(s));
        }
        return;
    }
    items.push(Item::Loop(g));
}
