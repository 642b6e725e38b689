//! The reverse sweep: walks the forward program backwards, asking the rule
//! table for each node's local partials and accumulating adjoints.
//!
//! Forward values are referenced directly by the backward code (the forward
//! block stays in scope), so nothing is recomputed. An `if` is
//! differentiated branch by branch: the backward code of each branch runs
//! under the same condition, and the adjoints it changes leave the branch as
//! the outputs of a backward `if`.

use crate::build::Builder;
use crate::ir::{Bin, Block, If, Op, Operand, Program, Shape, Stmt, Ty, VOp, Var};
use crate::lower::Lowered;
use crate::rules;
use crate::sig::FloatTy;
use std::collections::{BTreeSet, HashMap, HashSet};

/// The forward program followed by its backward sweep. The top block
/// yields the value, then one adjoint per differentiated parameter.
///
/// A scalar result is seeded with `1`; a vector result with `cotangent`
/// (an array result's cotangent is first checked and copied into an array).
pub(crate) fn differentiate(
    lowered: Lowered,
    diff: &[bool],
    float: FloatTy,
    cotangent: &syn::Ident,
) -> Program {
    let Lowered { program, params } = lowered;
    let forward = program.body;
    let seeds: Vec<Var> = params
        .iter()
        .zip(diff)
        .filter_map(|(p, d)| if *d { *p } else { None })
        .collect();
    let mut active: HashSet<Var> = seeds.iter().copied().collect();
    mark_active(&forward.stmts, &mut active);
    let mut forward = forward;

    let mut b = Builder::new(program.vars, float);
    b.reassociate = true;
    let mut adj: HashMap<Var, Var> = HashMap::new();
    let result = match forward.yields.first() {
        Some(Operand::Var(v)) => Some(*v),
        _ => None,
    };
    if let Some(r) = result
        && active.contains(&r)
    {
        let span = b.vars.get(r).span;
        let seed = match b.ty(r) {
            Ty::Vector(Shape::Array(n)) => {
                let n = &n.tokens;
                let tokens = quote::quote!(::grad::__private::v::to_array::<#float, #n>("cotangent", #cotangent));
                let ty = b.ty(r);
                b.push_named(Op::Opaque(tokens, vec![]), ty, span, "seed")
            }
            Ty::Matrix => {
                // Checked against the output's shape.
                let out = crate::emit::ident_of(&b.vars, r);
                let tokens = quote::quote!(::grad::__private::m::cotangent(#cotangent, &#out));
                b.push_named(Op::Opaque(tokens, vec![r]), Ty::Matrix, span, "seed")
            }
            Ty::Vector(Shape::Dynamic) => {
                // Checked against the output's length (which keeps the output alive).
                let out = crate::emit::ident_of(&b.vars, r);
                let tokens = quote::quote!(::grad::__private::v::cotangent(#cotangent, #out.len()));
                b.push_named(
                    Op::Opaque(tokens, vec![r]),
                    Ty::Vector(Shape::Dynamic),
                    span,
                    "seed",
                )
            }
            _ => b.lit(1.0, span),
        };
        adj.insert(r, seed);
    }
    sweep(&mut b, &mut forward.stmts, &mut adj, &mut active);

    let mut yields = forward.yields.clone();
    for (p, d) in params.iter().zip(diff) {
        if !*d {
            continue;
        }
        yields.push(match p.and_then(|p| adj.get(&p)) {
            Some(v) => Operand::Var(*v),
            None => Operand::Zero,
        });
    }
    let mut stmts = forward.stmts;
    stmts.append(&mut b.stmts);
    Program {
        vars: b.vars,
        body: Block { stmts, yields },
    }
}

/// Marks every var that depends on an active var through a differentiable op.
pub(crate) fn mark_active(stmts: &[Stmt], active: &mut HashSet<Var>) {
    for s in stmts {
        match s {
            Stmt::Loop(l) => crate::reverse_loop::mark_loop(l, active),
            Stmt::Let(n) => {
                let differentiable = !matches!(n.op, crate::ir::Op::Opaque(..));
                if differentiable && n.op.uses().iter().any(|u| active.contains(u)) {
                    active.insert(n.var);
                }
            }
            Stmt::If(i) => {
                mark_active(&i.then.stmts, active);
                mark_active(&i.els.stmts, active);
                for (k, out) in i.outs.iter().enumerate() {
                    let yields_active = [&i.then, &i.els].iter().any(
                        |b| matches!(b.yields.get(k), Some(Operand::Var(v)) if active.contains(v)),
                    );
                    if yields_active {
                        active.insert(*out);
                    }
                }
            }
        }
    }
}

pub(crate) fn accumulate(b: &mut Builder, adj: &mut HashMap<Var, Var>, v: Var, d: Var) {
    // A value broadcast over a bigger one receives the sum of its contributions:
    // a scalar the sum of all, a vector added to every row of a matrix the sum of the rows.
    let span = b.vars.get(v).span;
    let d = match (b.ty(v), b.ty(d)) {
        (Ty::Scalar, t) if t.is_tensor() => b.push(Op::V(VOp::Sum, vec![d]), Ty::Scalar, span),
        (Ty::Vector(s), Ty::Matrix) => b.push(Op::V(VOp::ColSum, vec![d]), Ty::Vector(s), span),
        _ => d,
    };
    let new = match adj.get(&v) {
        None => d,
        // The backward of `matvec(w, x)` in `w` adds g·xᵀ in place.
        Some(&old) if let Some((g, x)) = outer_product(b, d) => {
            let ty = b.ty(v);
            b.push(Op::AccumulateOuter(old, g, x), ty, span)
        }
        // The backward of `v[i]` adds to one element: O(1), no one-hot vector.
        Some(&old) if let Some((g, i)) = index_backward(b, d) => {
            let ty = b.ty(v);
            b.push(Op::AccumulateAt(old, i, g), ty, span)
        }
        // Floats add (and fold); a vector's or matrix's adjoint accumulates
        // through grad-core's trait, which rustc types.
        Some(&old) if b.ty(v).is_tensor() => {
            let ty = b.ty(v);
            b.push(Op::Accumulate(old, d), ty, span)
        }
        Some(&old) => b.bin(Bin::Add, old, d, span),
    };
    name_adjoint(b, v, new);
    adj.insert(v, new);
}

/// `(g, x)` if `d` is `matvec_backward_w(g, x)`, bound in the current block.
fn outer_product(b: &Builder, d: Var) -> Option<(Var, Var)> {
    b.stmts.iter().rev().find_map(|s| match s {
        Stmt::Let(n) if n.var == d => match &n.op {
            Op::V(VOp::MatvecBackwardW, args) => Some((args[0], args[1])),
            _ => None,
        },
        _ => None,
    })
}

/// `(g, i)` if `d` is `index_backward(g, i, like)`, bound in the current block.
fn index_backward(b: &Builder, d: Var) -> Option<(Var, Var)> {
    b.stmts.iter().rev().find_map(|s| match s {
        Stmt::Let(n) if n.var == d => match &n.op {
            Op::V(VOp::IndexBackward, args) => Some((args[0], args[1])),
            _ => None,
        },
        _ => None,
    })
}

/// Names a fresh backward temporary holding `v`'s adjoint `d<v>` (cosmetic:
/// the expansion reads `let dz = ...` instead of `let t7 = ...`).
fn name_adjoint(b: &mut Builder, v: Var, adj: Var) {
    let info = b.vars.get(adj);
    let fresh_temp = info.param.is_none()
        && info.lit.is_none()
        && !info.user_named
        && info.name.starts_with('t')
        && b.stmts
            .iter()
            .any(|s| matches!(s, Stmt::Let(n) if n.var == adj));
    if fresh_temp {
        let base = format!("d{}", b.vars.get(v).name);
        b.vars.rename(adj, &base);
        b.vars.get_mut(adj).user_named = false;
    }
}

/// Vars bound anywhere inside `stmts` (nested blocks included).
pub(crate) fn defined_in(stmts: &[Stmt], out: &mut HashSet<Var>) {
    for s in stmts {
        match s {
            Stmt::Let(n) => {
                out.insert(n.var);
            }
            Stmt::If(i) => {
                out.extend(i.outs.iter().copied());
                defined_in(&i.then.stmts, out);
                defined_in(&i.els.stmts, out);
            }
            Stmt::Loop(l) => {
                out.insert(l.index);
                out.extend(l.carried.iter().flat_map(|c| [c.param, c.out]));
                out.extend(l.trip);
                if let Some(c) = &l.cond {
                    defined_in(&c.stmts, out);
                }
                defined_in(&l.body.stmts, out);
            }
        }
    }
}

/// The reverse sweep of `stmts` (appended to `b`), updating the adjoints in
/// `adj`. Loops in `stmts` learn which of their carried values to store.
pub(crate) fn sweep(
    b: &mut Builder,
    stmts: &mut [Stmt],
    adj: &mut HashMap<Var, Var>,
    active: &mut HashSet<Var>,
) {
    for s in stmts.iter_mut().rev() {
        match s {
            Stmt::Let(n) => {
                let Some(&g) = adj.get(&n.var) else { continue };
                let span = b.vars.get(n.var).span;
                let is_active = |v: Var| active.contains(&v);
                for (v, d) in rules::pullback(b, &n.op, n.var, g, span, &is_active) {
                    accumulate(b, adj, v, d);
                }
            }
            Stmt::Loop(l) => crate::reverse_loop::sweep_loop(b, l, adj, active),
            Stmt::If(i) => {
                let seeds: Vec<(usize, Var)> = i
                    .outs
                    .iter()
                    .enumerate()
                    .filter_map(|(k, o)| adj.get(o).map(|g| (k, *g)))
                    .collect();
                if seeds.is_empty() {
                    continue;
                }
                let mut branch = |blk: &mut Block, b: &mut Builder| {
                    let outer = std::mem::take(&mut b.stmts);
                    let mut sub = adj.clone();
                    for (k, g) in &seeds {
                        if let Some(Operand::Var(y)) = blk.yields.get(*k)
                            && active.contains(y)
                        {
                            accumulate(b, &mut sub, *y, *g);
                        }
                    }
                    sweep(b, &mut blk.stmts, &mut sub, active);
                    let stmts = std::mem::replace(&mut b.stmts, outer);
                    (stmts, sub)
                };
                let (then_stmts, then_adj) = branch(&mut i.then, b);
                let (els_stmts, els_adj) = branch(&mut i.els, b);
                let mut local = HashSet::new();
                defined_in(&i.then.stmts, &mut local);
                defined_in(&i.els.stmts, &mut local);
                let changed: BTreeSet<Var> = then_adj
                    .iter()
                    .chain(els_adj.iter())
                    .filter(|(k, v)| !local.contains(k) && adj.get(k) != Some(v))
                    .map(|(k, _)| *k)
                    .collect();
                if changed.is_empty() {
                    continue;
                }
                let mut then = Block {
                    stmts: then_stmts,
                    yields: vec![],
                };
                let mut els = Block {
                    stmts: els_stmts,
                    yields: vec![],
                };
                let mut outs = Vec::new();
                for k in changed {
                    let info = b.vars.get(k);
                    let (name, span, ty) = (format!("d{}", info.name), info.span, info.ty.clone());
                    let out = b.vars.fresh(&name, ty, span, false);
                    let vector = b.vars.get(k).ty.is_tensor();
                    let pick = |m: &HashMap<Var, Var>| match m.get(&k) {
                        Some(v) => Operand::Var(*v),
                        None if vector => Operand::ZeroLike(k),
                        None => Operand::Zero,
                    };
                    then.yields.push(pick(&then_adj));
                    els.yields.push(pick(&els_adj));
                    outs.push(out);
                    adj.insert(k, out);
                }
                b.stmts.push(Stmt::If(If {
                    cond: i.cond,
                    then,
                    els,
                    outs,
                }));
            }
        }
    }
}
