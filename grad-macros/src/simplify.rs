//! Whole-program clean-up after the reverse sweep (local folding already
//! happened in the builder):
//!
//! - **CSE**: a node computing what a dominating node already computed is
//!   replaced by that node (`σ(a)` of a softplus derivative reuses a forward
//!   `σ(a)`; two rules asking for `x·y` share it);
//! - **DCE**: nodes, `if` outputs and whole `if`s that the requested results
//!   do not read are dropped, so `f_grad` of a fn that never reads `y` does
//!   no work for `y`;
//! - **exports**: a forward value computed inside an `if` branch and read by
//!   the backward code is passed out of the `if` (zero from the other branch).

use crate::ir::{Block, Expo, If, Op, Operand, Program, Stmt, Var};
use std::collections::{HashMap, HashSet};

/// Simplifies `p` for the results at `roots` (indices into the top block's yields).
pub(crate) fn simplify(p: &Program, roots: &[usize]) -> Program {
    let mut p = p.clone();
    let mut subst = HashMap::new();
    cse_block(&mut p.body, &mut HashMap::new(), &mut subst);
    p.body.yields = roots.iter().map(|&i| p.body.yields[i]).collect();
    let mut counts = HashMap::new();
    count_block(&p.body, &mut counts);
    export_block(&mut p.body, &mut counts);
    let mut live = HashSet::new();
    dce_block(&mut p.body, &mut live);
    crate::ascend::ascend_block(&mut p.body, &p.vars);
    p
}

fn sub(v: &mut Var, subst: &HashMap<Var, Var>) {
    while let Some(n) = subst.get(v) {
        *v = *n;
    }
}

pub(crate) fn sub_op(op: &mut Op, s: &HashMap<Var, Var>) {
    match op {
        Op::Lit(_) => {}
        Op::TapeRead(_, i, st, _) => {
            sub(i, s);
            sub(st, s);
        }
        Op::Opaque(_, vs) => vs.iter_mut().for_each(|v| sub(v, s)),
        Op::Un(_, a) | Op::Partial(a, ..) => sub(a, s),
        Op::Bin(_, a, b) | Op::Accumulate(a, b) => {
            sub(a, s);
            sub(b, s);
        }
        Op::AccumulateAt(a, i, d) | Op::SetAt(a, i, d) | Op::AccumulateOuter(a, i, d) => {
            sub(a, s);
            sub(i, s);
            sub(d, s);
        }
        Op::Powi(a, e) => {
            sub(a, s);
            if let Expo::Expr(_, vs) = e {
                vs.iter_mut().for_each(|v| sub(v, s));
            }
        }
        Op::Call(_, args) => {
            for a in args {
                sub(a.var_mut(), s);
            }
        }
        Op::V(_, vs) => vs.iter_mut().for_each(|v| sub(v, s)),
        Op::CallVjp(_, args, g) => {
            for a in args {
                sub(a.var_mut(), s);
            }
            sub(g, s);
        }
        Op::CallJvp(_, args, tangents) => {
            for a in args {
                sub(a.var_mut(), s);
            }
            tangents.iter_mut().flatten().for_each(|t| sub(t, s));
        }
        Op::CallVjpJvp(_, args, tangents, g, gd) => {
            for a in args {
                sub(a.var_mut(), s);
            }
            tangents.iter_mut().flatten().for_each(|t| sub(t, s));
            sub(g, s);
            gd.iter_mut().for_each(|t| sub(t, s));
        }
    }
}

/// A structural key for CSE (`None`: never merged).
fn key(op: &Op) -> Option<String> {
    use crate::ir::Bin;
    Some(match op {
        Op::Opaque(..)
        | Op::TapeRead(..)
        | Op::AccumulateAt(..)
        | Op::SetAt(..)
        | Op::AccumulateOuter(..) => return None,
        // Opaque tokens may contain user spans that must stay distinct.
        Op::Lit(x) => format!("lit {}", x.to_bits()),
        Op::Un(u, a) => format!("{u} {}", a.0),
        Op::Bin(b, x, y) => {
            let (x, y) = if matches!(b, Bin::Add | Bin::Mul) && y < x {
                (y, x)
            } else {
                (x, y)
            };
            format!("{b} {} {}", x.0, y.0)
        }
        Op::Accumulate(x, y) => format!("acc {} {}", x.0, y.0),
        Op::Powi(a, Expo::Lit(k)) => format!("powi {} {k}", a.0),
        Op::Powi(_, Expo::Expr(..)) => return None,
        Op::Partial(a, _, _, i) => format!("partial {} {i}", a.0),
        Op::Call(p, args) => {
            let tag = "call";
            let path = quote::quote!(#p).to_string();
            let args: Vec<String> = args.iter().map(|a| a.var().0.to_string()).collect();
            format!("{tag} {path} {}", args.join(","))
        }
        Op::V(o, vs) => {
            let vs: Vec<String> = vs.iter().map(|v| v.0.to_string()).collect();
            format!("v {o:?} {}", vs.join(","))
        }
        // Second-order calls are never merged (they are few, and each is costly to key).
        Op::CallVjpJvp(..) => return None,
        Op::CallJvp(p, args, tangents) => {
            let path = quote::quote!(#p).to_string();
            let args: Vec<String> = args.iter().map(|a| a.var().0.to_string()).collect();
            let ts: Vec<String> = tangents
                .iter()
                .map(|t| t.map_or("0".to_string(), |t| t.0.to_string()))
                .collect();
            format!("jvp {path} {} {}", args.join(","), ts.join(","))
        }
        Op::CallVjp(p, args, g) => {
            let path = quote::quote!(#p).to_string();
            let args: Vec<String> = args.iter().map(|a| a.var().0.to_string()).collect();
            format!("vjp {path} {} {}", args.join(","), g.0)
        }
    })
}

fn cse_block(b: &mut Block, avail: &mut HashMap<String, Var>, subst: &mut HashMap<Var, Var>) {
    let mut kept = Vec::with_capacity(b.stmts.len());
    for mut s in std::mem::take(&mut b.stmts) {
        match &mut s {
            Stmt::Let(n) => {
                sub_op(&mut n.op, subst);
                if let Some(k) = key(&n.op) {
                    if let Some(&prev) = avail.get(&k) {
                        subst.insert(n.var, prev);
                        continue;
                    }
                    avail.insert(k, n.var);
                }
            }
            Stmt::If(i) => {
                sub(&mut i.cond, subst);
                cse_block(&mut i.then, &mut avail.clone(), subst);
                cse_block(&mut i.els, &mut avail.clone(), subst);
            }
            Stmt::Loop(l) => {
                sub(&mut l.start, subst);
                sub(&mut l.end, subst);
                for c in &mut l.carried {
                    sub(&mut c.init, subst);
                }
                if let Some(c) = &mut l.cond {
                    cse_block(c, &mut avail.clone(), subst);
                }
                cse_block(&mut l.body, &mut avail.clone(), subst);
            }
        }
        kept.push(s);
    }
    b.stmts = kept;
    for y in &mut b.yields {
        if let Operand::Var(v) | Operand::ZeroLike(v) = y {
            sub(v, subst);
        }
    }
}

fn dce_block(b: &mut Block, live: &mut HashSet<Var>) {
    for y in &b.yields {
        if let Operand::Var(v) | Operand::ZeroLike(v) = y {
            live.insert(*v);
        }
    }
    let mut kept = Vec::new();
    for mut s in std::mem::take(&mut b.stmts).into_iter().rev() {
        match &mut s {
            Stmt::Let(n) => {
                if !live.contains(&n.var) {
                    continue;
                }
                live.extend(n.op.uses());
            }
            Stmt::If(i) => {
                let keep: Vec<bool> = i.outs.iter().map(|o| live.contains(o)).collect();
                if !keep.iter().any(|k| *k) {
                    continue;
                }
                filter_outs(i, &keep);
                dce_block(&mut i.then, live);
                dce_block(&mut i.els, live);
                live.insert(i.cond);
            }
            Stmt::Loop(l) => {
                if !dce_loop(l, live) {
                    continue;
                }
            }
        }
        kept.push(s);
    }
    kept.reverse();
    b.stmts = kept;
}

/// Keeps the carried values of `l` that are read after it or by the body's
/// computation of a kept one; whether anything is kept.
fn dce_loop(l: &mut crate::ir::Loop, live: &mut HashSet<Var>) -> bool {
    // A carried value is needed after the loop, or read back from its tape.
    let mut keep: Vec<bool> = l
        .carried
        .iter()
        .map(|c| live.contains(&c.out) || live.contains(&c.param))
        .collect();
    // A loop also stays for its trip count, or for a body value read back
    // from its tape.
    let counted =
        l.trip.is_some_and(|t| live.contains(&t)) || l.tapes.iter().any(|(_, v)| live.contains(v));
    if !counted && !keep.iter().any(|k| *k) {
        return false;
    }
    loop {
        let mut body = l.body.clone();
        body.yields = pick(&body.yields, &keep);
        let mut inner = live.clone();
        // A `while` loop's condition always runs, and reads what it reads.
        if let Some(c) = &mut l.cond {
            dce_block(c, &mut inner);
        }
        dce_block(&mut body, &mut inner);
        let mut grew = false;
        for (k, c) in l.carried.iter().enumerate() {
            if !keep[k] && inner.contains(&c.param) {
                keep[k] = true;
                grew = true;
            }
        }
        if !grew {
            if !keep.iter().any(|k| *k) && !counted {
                return false;
            }
            l.body = body;
            let carried: Vec<_> = l
                .carried
                .iter()
                .zip(&keep)
                .filter(|(_, k)| **k)
                .map(|(c, _)| *c)
                .collect();
            // The tapes of kept carried values and of body values still computed.
            let mut defined = HashSet::new();
            crate::reverse::defined_in(&l.body.stmts, &mut defined);
            l.tapes
                .retain(|(_, v)| carried.iter().any(|c| c.param == *v) || defined.contains(v));
            l.carried = carried;
            live.extend(inner);
            live.extend(l.carried.iter().map(|c| c.init));
            live.insert(l.start);
            live.insert(l.end);
            return true;
        }
    }
}

/// The entries of `v` whose `keep` is set.
fn pick(v: &[Operand], keep: &[bool]) -> Vec<Operand> {
    v.iter()
        .zip(keep)
        .filter(|(_, k)| **k)
        .map(|(o, _)| *o)
        .collect()
}

fn filter_outs(i: &mut If, keep: &[bool]) {
    let pick = |v: &[Operand]| -> Vec<Operand> {
        v.iter()
            .zip(keep)
            .filter(|(_, k)| **k)
            .map(|(o, _)| *o)
            .collect()
    };
    i.then.yields = pick(&i.then.yields);
    i.els.yields = pick(&i.els.yields);
    i.outs = i
        .outs
        .iter()
        .zip(keep)
        .filter(|(_, k)| **k)
        .map(|(o, _)| *o)
        .collect();
}

pub(crate) fn count_block(b: &Block, counts: &mut HashMap<Var, usize>) {
    for s in &b.stmts {
        match s {
            Stmt::Let(n) => {
                for u in n.op.uses() {
                    *counts.entry(u).or_default() += 1;
                }
            }
            Stmt::If(i) => {
                *counts.entry(i.cond).or_default() += 1;
                count_block(&i.then, counts);
                count_block(&i.els, counts);
            }
            Stmt::Loop(l) => {
                for v in [l.start, l.end]
                    .into_iter()
                    .chain(l.carried.iter().map(|c| c.init))
                {
                    *counts.entry(v).or_default() += 1;
                }
                if let Some(c) = &l.cond {
                    count_block(c, counts);
                }
                count_block(&l.body, counts);
            }
        }
    }
    for y in &b.yields {
        if let Operand::Var(v) | Operand::ZeroLike(v) = y {
            *counts.entry(*v).or_default() += 1;
        }
    }
}

fn export_block(b: &mut Block, counts: &mut HashMap<Var, usize>) {
    for s in &mut b.stmts {
        if let Stmt::Loop(l) = s {
            export_block(&mut l.body, counts);
            continue;
        }
        let Stmt::If(i) = s else { continue };
        let mut inner_counts = HashMap::new();
        count_block(&i.then, &mut inner_counts);
        count_block(&i.els, &mut inner_counts);
        let mut then_defs = Vec::new();
        let mut els_defs = Vec::new();
        top_defs(&i.then.stmts, &mut then_defs);
        top_defs(&i.els.stmts, &mut els_defs);
        for (defs, in_then) in [(then_defs, true), (els_defs, false)] {
            for v in defs {
                let total = counts.get(&v).copied().unwrap_or(0);
                let inner = inner_counts.get(&v).copied().unwrap_or(0);
                if total > inner && !i.outs.contains(&v) {
                    i.outs.push(v);
                    let (mine, other) = if in_then {
                        (&mut i.then, &mut i.els)
                    } else {
                        (&mut i.els, &mut i.then)
                    };
                    mine.yields.push(Operand::Var(v));
                    other.yields.push(Operand::Zero);
                    *counts.entry(v).or_default() += 1;
                }
            }
        }
        // Values defined deeper are exported level by level.
        export_block(&mut i.then, counts);
        export_block(&mut i.els, counts);
    }
}

/// Vars bound directly in `stmts` and, through nested `if` outputs, deeper.
fn top_defs(stmts: &[Stmt], out: &mut Vec<Var>) {
    for s in stmts {
        match s {
            Stmt::Let(n) => out.push(n.var),
            Stmt::If(i) => {
                out.extend(i.outs.iter().copied());
                top_defs(&i.then.stmts, out);
                top_defs(&i.els.stmts, out);
            }
            // A loop's body values stay inside it; what it produces are its outs.
            Stmt::Loop(l) => {
                out.extend(l.carried.iter().map(|c| c.out));
                out.extend(l.trip);
            }
        }
    }
}
