//! Forward mode: the tangent of every value of a program, given the tangents
//! of its parameters. Each statement is followed by its tangent's
//! statements, built by [`crate::rules_fwd`] from the op table's local
//! partials; an `if` carries its tangents out of the branch it takes.
//!
//! Applied to a function's forward program it gives `f_jvp`; applied to
//! its gradient program (forward and reverse sweep) it gives the
//! directional derivative of the gradient, `f_hvp` (forward over reverse).

use crate::build::Builder;
use crate::ir::{Block, If, Operand, Program, Stmt, Ty, Var};
use crate::rules_fwd;
use proc_macro2::Span;
use std::collections::HashMap;

/// `program` followed by the tangents of its yields: the block yields the
/// program's own yields, then one tangent per yield at `of` (zero of its
/// shape where nothing flows into it). `seeds` maps parameter vars to the
/// vars of their tangents. Fails with the span and name of an op that has
/// no forward rule.
pub(crate) fn tangents(
    program: Program,
    seeds: &HashMap<Var, Var>,
    of: &[usize],
    b: &mut Builder,
) -> Result<Program, (Span, String)> {
    let Program { vars, body } = program;
    b.vars = vars;
    let mut tan = seeds.clone();
    let stmts = sweep(b, &body.stmts, &mut tan)?;
    let mut yields = body.yields.clone();
    for &k in of {
        yields.push(match body.yields.get(k) {
            Some(Operand::Var(v)) => match tan.get(v) {
                Some(t) => Operand::Var(*t),
                None if b.ty(*v).is_tensor() => Operand::ZeroLike(*v),
                None => Operand::Zero,
            },
            Some(Operand::ZeroLike(v)) => Operand::ZeroLike(*v),
            Some(Operand::Zero) | None => Operand::Zero,
        });
    }
    Ok(Program {
        vars: std::mem::take(&mut b.vars),
        body: Block { stmts, yields },
    })
}

/// The statements of `stmts`, each followed by its tangent's statements.
fn sweep(
    b: &mut Builder,
    stmts: &[Stmt],
    tan: &mut HashMap<Var, Var>,
) -> Result<Vec<Stmt>, (Span, String)> {
    let outer = std::mem::take(&mut b.stmts);
    for s in stmts {
        match s {
            Stmt::Loop(l) => {
                let reads_tangent = l.carried.iter().any(|c| tan.contains_key(&c.init));
                if reads_tangent || block_reads(&l.body, tan) {
                    let l = tangent_loop(b, l, tan)?;
                    b.stmts.push(Stmt::Loop(l));
                } else {
                    b.stmts.push(s.clone());
                }
            }
            Stmt::Let(n) => {
                b.stmts.push(s.clone());
                let span = b.vars.get(n.var).span;
                if let Some(t) = rules_fwd::tangent(b, &n.op, n.var, tan, span)? {
                    let t = expand(b, t, n.var, span);
                    name_tangent(b, n.var, t);
                    tan.insert(n.var, t);
                }
            }
            Stmt::If(i) => {
                let mut then_tan = tan.clone();
                let mut els_tan = tan.clone();
                let mut then = Block {
                    stmts: sweep(b, &i.then.stmts, &mut then_tan)?,
                    yields: i.then.yields.clone(),
                };
                let mut els = Block {
                    stmts: sweep(b, &i.els.stmts, &mut els_tan)?,
                    yields: i.els.yields.clone(),
                };
                let mut outs = i.outs.clone();
                let mut new_tans = Vec::new();
                for (k, out) in i.outs.iter().enumerate() {
                    let pick = |blk: &Block, m: &HashMap<Var, Var>| match blk.yields.get(k) {
                        Some(Operand::Var(v)) => m.get(v).copied(),
                        _ => None,
                    };
                    let (t1, t2) = (pick(&i.then, &then_tan), pick(&i.els, &els_tan));
                    if t1.is_none() && t2.is_none() {
                        continue;
                    }
                    // A branch without a tangent yields zero of the shape of
                    // what it yields itself (in scope there, unlike `out`).
                    let zero = |t: Option<Var>, blk: &Block| match (t, blk.yields.get(k)) {
                        (Some(v), _) => Operand::Var(v),
                        (None, Some(Operand::Var(y))) if b.ty(*out).is_tensor() => {
                            Operand::ZeroLike(*y)
                        }
                        (None, Some(z @ Operand::ZeroLike(_))) => *z,
                        (None, _) => Operand::Zero,
                    };
                    let (z1, z2) = (zero(t1, &i.then), zero(t2, &i.els));
                    then.yields.push(z1);
                    els.yields.push(z2);
                    let info = b.vars.get(*out);
                    let (name, ty, span) =
                        (format!("{}_dot", info.name), info.ty.clone(), info.span);
                    let t = b.vars.fresh(&name, ty, span, false);
                    outs.push(t);
                    new_tans.push((*out, t));
                }
                b.stmts.push(Stmt::If(If {
                    cond: i.cond,
                    then,
                    els,
                    outs,
                }));
                // Tangents of values computed inside a branch stay known: the
                // reverse sweep's `if` with the same condition reads them
                // (the simplifier passes them out of the branch).
                tan.extend(then_tan);
                tan.extend(els_tan);
                tan.extend(new_tans);
            }
        }
    }
    Ok(std::mem::replace(&mut b.stmts, outer))
}

/// A loop carrying, beside each value, its tangent (zero where its initial
/// value has none); a carried value stored on a tape for a reverse sweep
/// gets its tangent stored beside it, for that sweep's tangent.
fn tangent_loop(
    b: &mut Builder,
    l: &crate::ir::Loop,
    tan: &mut HashMap<Var, Var>,
) -> Result<crate::ir::Loop, (Span, String)> {
    use crate::ir::{Carried, Op, VOp};
    let span = b.vars.get(l.index).span;
    let mut inner = tan.clone();
    // Constants carried by the loop (a `break`'s flag) have no tangent.
    let floats: Vec<_> = l
        .carried
        .iter()
        .filter(|c| b.ty(c.param).is_tensor() || b.ty(c.param) == Ty::Scalar)
        .copied()
        .collect();
    let mut params = Vec::new();
    for c in &floats {
        let info = b.vars.get(c.param);
        let (name, ty) = (format!("{}_dot", info.name), info.ty.clone());
        let tp = b.vars.fresh(&name, ty, span, false);
        inner.insert(c.param, tp);
        params.push(tp);
    }
    let stmts = sweep(b, &l.body.stmts, &mut inner)?;
    let mut carried = l.carried.clone();
    let mut yields = l.body.yields.clone();
    for (c, tp) in floats.iter().zip(&params) {
        let k = l
            .carried
            .iter()
            .position(|d| d.param == c.param)
            .unwrap_or(0);
        let ty = b.ty(c.param);
        let init = match tan.get(&c.init) {
            Some(t) => *t,
            None => {
                let zero = b.lit(0.0, span);
                if ty.is_tensor() {
                    b.push(Op::V(VOp::Fill, vec![zero, c.init]), ty.clone(), span)
                } else {
                    zero
                }
            }
        };
        yields.push(match l.body.yields.get(k) {
            Some(Operand::Var(y)) => match inner.get(y) {
                Some(t) => Operand::Var(*t),
                None if ty.is_tensor() => Operand::ZeroLike(*y),
                None => Operand::Zero,
            },
            Some(other) => *other,
            None => Operand::Zero,
        });
        let name = format!("{}_dot", b.vars.get(c.out).name);
        let out = b.vars.fresh(&name, ty, span, false);
        carried.push(Carried {
            init,
            param: *tp,
            out,
        });
        tan.insert(c.out, out);
        // A reverse sweep's loop reads the tangent back beside the value.
        tan.insert(c.param, *tp);
    }
    let mut tapes = l.tapes.clone();
    for (_, v) in &l.tapes {
        if let Some(tp) = inner.get(v) {
            tapes.push((tp.0, *tp));
            // A reverse sweep's loop reads the tangent of a stored body value too.
            tan.insert(*v, *tp);
        }
    }
    Ok(crate::ir::Loop {
        start: l.start,
        end: l.end,
        index: l.index,
        carried,
        body: Block { stmts, yields },
        rev: l.rev,
        tapes,
        cond: l.cond.clone(),
        trip: l.trip,
    })
}

/// Whether a statement of `b` reads a value with a tangent.
fn block_reads(b: &Block, tan: &HashMap<Var, Var>) -> bool {
    b.stmts.iter().any(|s| match s {
        Stmt::Let(n) => n.op.uses().iter().any(|u| tan.contains_key(u)),
        Stmt::If(i) => block_reads(&i.then, tan) || block_reads(&i.els, tan),
        Stmt::Loop(l) => block_reads(&l.body, tan),
    })
}

/// The tangent `t` broadcast to the shape of `y` where a lower-rank
/// contribution was all that flowed in (a scalar tangent of a vector
/// `v + s`, a vector tangent of a matrix `m + v`).
fn expand(b: &mut Builder, t: Var, y: Var, span: Span) -> Var {
    use crate::ir::{Bin, Op, VOp};
    match (b.ty(y), b.ty(t)) {
        (y_ty, Ty::Scalar) if y_ty.is_tensor() => b.push(Op::V(VOp::Fill, vec![t, y]), y_ty, span),
        (Ty::Matrix, Ty::Vector(_)) => {
            let zero = b.lit(0.0, span);
            let z = b.push(Op::V(VOp::Fill, vec![zero, y]), Ty::Matrix, span);
            b.push(Op::Bin(Bin::Add, z, t), Ty::Matrix, span)
        }
        _ => t,
    }
}

/// Names a fresh tangent temporary `<name>_dot` after its value (cosmetic).
fn name_tangent(b: &mut Builder, v: Var, t: Var) {
    let info = b.vars.get(t);
    let fresh = info.param.is_none()
        && info.lit.is_none()
        && !info.user_named
        && info.name.starts_with('t')
        && b.stmts
            .iter()
            .any(|s| matches!(s, Stmt::Let(n) if n.var == t));
    if fresh {
        let base = format!("{}_dot", b.vars.get(v).name);
        b.vars.rename(t, &base);
        b.vars.get_mut(t).user_named = false;
    }
}
