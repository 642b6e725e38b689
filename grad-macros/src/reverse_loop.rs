//! The reverse sweep of a loop: a loop running the iterations backwards.
//!
//! Each backward iteration reads the carried values the iteration started
//! from back from a tape (only those its backward step needs: the emitter
//! pushes to a tape only if some statement reads it), recomputes the
//! iteration's body from them and runs the body's reverse sweep. The
//! backward loop carries the adjoints of the carried values (from the
//! iteration's end to its start) and the adjoints of the values from
//! outside the loop that the body reads (accumulated over the iterations).
//!
//! Values that do not change during the loop (parameters, values computed
//! before it) are read directly, never stored; a carried value the backward
//! steps do not need is never stored either (`acc += w[i]·x[i]` stores
//! nothing).

use crate::build::Builder;
use crate::ir::{Block, Carried, If, Loop, Node, Op, Operand, Stmt, Ty, VOp, Var};
use crate::reverse::{accumulate, defined_in, mark_active, sweep};
use std::collections::{BTreeSet, HashMap, HashSet};

/// Marks the active values of a loop: a carried value is active if its
/// initial value is, or if an iteration makes it depend on an active value.
pub(crate) fn mark_loop(l: &Loop, active: &mut HashSet<Var>) {
    for c in &l.carried {
        if active.contains(&c.init) {
            active.insert(c.param);
        }
    }
    loop {
        mark_active(&l.body.stmts, active);
        let mut grew = false;
        for (c, y) in l.carried.iter().zip(&l.body.yields) {
            if let Operand::Var(y) = y
                && active.contains(y)
                && active.insert(c.param)
            {
                grew = true;
            }
        }
        if !grew {
            break;
        }
    }
    for c in &l.carried {
        if active.contains(&c.param) {
            active.insert(c.out);
        }
    }
}

/// Appends the backward loop of `l` to `b` and updates `adj`; records on `l`
/// which carried values a backward step may read back (its tapes).
pub(crate) fn sweep_loop(
    b: &mut Builder,
    l: &mut Loop,
    adj: &mut HashMap<Var, Var>,
    active: &mut HashSet<Var>,
) {
    let seeded: Vec<usize> = (0..l.carried.len())
        .filter(|&k| adj.contains_key(&l.carried[k].out) && active.contains(&l.carried[k].param))
        .collect();
    if seeded.is_empty() {
        return;
    }
    let span = b.vars.get(l.index).span;
    // Every carried value can be read back; the emitter keeps the tapes some
    // backward step reads (identified by the carried param's var number).
    l.tapes = l.carried.iter().map(|c| (c.param.0, c.param)).collect();

    // The values from outside the loop whose adjoints the body adds to.
    let mut inside = HashSet::new();
    defined_in(&l.body.stmts, &mut inside);
    inside.insert(l.index);
    inside.extend(l.carried.iter().map(|c| c.param));
    let mut outer: BTreeSet<Var> = BTreeSet::new();
    uses_in(&l.body, &mut |u| {
        if !inside.contains(&u) && active.contains(&u) {
            outer.insert(u);
        }
    });
    let active_carried: Vec<usize> = (0..l.carried.len())
        .filter(|&k| active.contains(&l.carried[k].param))
        .collect();

    // The backward loop's carried adjoints: first of the carried values, then
    // of the outer values.
    let index = b
        .vars
        .fresh(&b.vars.get(l.index).name.clone(), Ty::Other, span, false);
    let mut carried = Vec::new();
    for &k in &active_carried {
        let c = l.carried[k];
        let init = match adj.get(&c.out) {
            Some(g) => *g,
            None => zero_like(b, c.out),
        };
        carried.push(adjoint_carried(b, c.param, init));
    }
    for &o in &outer {
        let init = match adj.get(&o) {
            Some(g) => *g,
            None => zero_like(b, o),
        };
        carried.push(adjoint_carried(b, o, init));
    }

    // The body: read back the carried values, recompute, sweep backwards.
    let outer_stmts = std::mem::take(&mut b.stmts);
    let mut map: HashMap<Var, Var> = HashMap::new();
    map.insert(l.index, index);
    for c in &l.carried {
        let ty = b.ty(c.param);
        let name = b.vars.get(c.param).name.clone();
        let v = b.push_named(
            Op::TapeRead(c.param.0, index, l.start, false),
            ty,
            span,
            &name,
        );
        if active.contains(&c.param) {
            active.insert(v);
        }
        map.insert(c.param, v);
    }
    let mut body = clone_block(b, &l.body, &mut map, active);
    b.stmts.append(&mut body.stmts);
    let mut sub: HashMap<Var, Var> = HashMap::new();
    let mut at = 0;
    for &k in &active_carried {
        if let Some(Operand::Var(y)) = body.yields.get(k)
            && active.contains(y)
        {
            accumulate(b, &mut sub, *y, carried[at].param);
        }
        at += 1;
    }
    for (j, &o) in outer.iter().enumerate() {
        sub.insert(o, carried[at + j].param);
    }
    let mut stmts = std::mem::take(&mut b.stmts);
    let recomputed = stmts.len();
    sweep(b, &mut stmts, &mut sub, active);
    stmts.append(&mut b.stmts);
    store_read_values(b, l, &mut stmts, recomputed, &map, index);
    let mut yields = Vec::new();
    for &k in &active_carried {
        let p = map[&l.carried[k].param];
        yields.push(match sub.get(&p) {
            Some(d) => Operand::Var(*d),
            None => Operand::ZeroLike(p),
        });
    }
    for &o in &outer {
        yields.push(Operand::Var(sub[&o]));
    }
    b.stmts = outer_stmts;
    b.stmts.push(Stmt::Loop(Loop {
        start: l.start,
        // A `while` loop's backward runs the iterations it counted.
        end: l.trip.unwrap_or(l.end),
        index,
        carried: carried.clone(),
        body: Block { stmts, yields },
        rev: true,
        tapes: Vec::new(),
        cond: None,
        trip: None,
    }));

    // After it: the adjoints of the outer values (which started from their
    // adjoints before the loop), then those of the initial values (one may
    // be an outer value too: `let mut y = x; for .. { y = y * 0.5 + x }`).
    for (j, &o) in outer.iter().enumerate() {
        adj.insert(o, carried[active_carried.len() + j].out);
    }
    for (j, &k) in active_carried.iter().enumerate() {
        let init = l.carried[k].init;
        if active.contains(&init) {
            accumulate(b, adj, init, carried[j].out);
        }
    }
}

/// The values of an iteration's body that its backward step reads are
/// stored once per iteration (pushed after the body) and read back, instead
/// of recomputed: in `stmts` (the backward body: the body's copy up to
/// `recomputed`, then the backward statements), each top-level copy the
/// backward statements read becomes a tape read, when it changes between
/// iterations and is [`costly`] to recompute.
fn store_read_values(
    b: &Builder,
    l: &mut Loop,
    stmts: &mut [Stmt],
    recomputed: usize,
    map: &HashMap<Var, Var>,
    index: Var,
) {
    let mut read = HashSet::new();
    let backward = Block {
        stmts: stmts[recomputed..].to_vec(),
        yields: Vec::new(),
    };
    uses_in(&backward, &mut |u| {
        read.insert(u);
    });
    let original: HashMap<Var, Var> = map.iter().map(|(o, c)| (*c, *o)).collect();
    // Only values that change between iterations: they depend on a carried
    // value or on the index (the others are the same in every iteration).
    let mut varying: HashSet<Var> = l.carried.iter().map(|c| c.param).collect();
    varying.insert(l.index);
    for s in &l.body.stmts {
        if let Stmt::Let(n) = s
            && n.op.uses().iter().any(|u| varying.contains(u))
        {
            varying.insert(n.var);
        }
    }
    let top: HashSet<Var> = l
        .body
        .stmts
        .iter()
        .filter_map(|s| match s {
            Stmt::Let(n) => Some(n.var),
            _ => None,
        })
        .collect();
    for s in &mut stmts[..recomputed] {
        let Stmt::Let(n) = s else { continue };
        let Some(&orig) = original.get(&n.var) else {
            continue;
        };
        if read.contains(&n.var)
            && top.contains(&orig)
            && varying.contains(&orig)
            && costly(&n.op, b.ty(n.var).is_tensor())
        {
            // The value an iteration yields to a carried value is that
            // value at the start of the next iteration: read it from the
            // carried value's tape, one ahead, instead of storing it twice.
            let yielded =
                l.carried.iter().zip(&l.body.yields).find(|(c, y)| {
                    **y == crate::ir::Operand::Var(orig) && b.ty(c.param) == b.ty(orig)
                });
            if let Some((c, _)) = yielded {
                n.op = Op::TapeRead(c.param.0, index, l.start, true);
                continue;
            }
            n.op = Op::TapeRead(orig.0, index, l.start, false);
            if !l.tapes.iter().any(|(k, _)| *k == orig.0) {
                l.tapes.push((orig.0, orig));
            }
        }
    }
}

/// Whether recomputing `op` costs more than reading it back: an op on
/// vectors or matrices, a reduction, a transcendental function, a call.
/// Float arithmetic and element reads are recomputed.
fn costly(op: &Op, tensor: bool) -> bool {
    use crate::ir::{Bin, Un};
    match op {
        Op::Lit(_) | Op::Opaque(..) | Op::TapeRead(..) | Op::V(VOp::Index, _) => false,
        _ if tensor => true,
        Op::Un(u, _) => !matches!(
            u,
            Un::Neg | Un::Abs | Un::Relu | Un::ReluDeriv | Un::AbsDeriv
        ),
        Op::Bin(b, ..) => matches!(b, Bin::Powf),
        Op::Accumulate(..) | Op::AccumulateAt(..) | Op::SetAt(..) => false,
        Op::Powi(..)
        | Op::V(..)
        | Op::Call(..)
        | Op::CallVjp(..)
        | Op::CallJvp(..)
        | Op::CallVjpJvp(..)
        | Op::Partial(..)
        | Op::AccumulateOuter(..) => true,
    }
}

/// A carried adjoint of `v` starting from `init`: its param and out are
/// fresh vars named `d<v>`.
fn adjoint_carried(b: &mut Builder, v: Var, init: Var) -> Carried {
    let info = b.vars.get(v);
    let (name, ty, span) = (format!("d{}", info.name), info.ty.clone(), info.span);
    let param = b.vars.fresh(&name, ty.clone(), span, false);
    let out = b.vars.fresh(&name, ty, span, false);
    Carried { init, param, out }
}

/// Zero of `v`'s shape, as a new statement.
fn zero_like(b: &mut Builder, v: Var) -> Var {
    let span = b.vars.get(v).span;
    let zero = b.lit(0.0, span);
    match b.ty(v) {
        Ty::Scalar => zero,
        ty => b.push(Op::V(VOp::Fill, vec![zero, v]), ty, span),
    }
}

/// Calls `f` on every var the statements of `blk` (nested blocks
/// included) and its yields read.
fn uses_in(blk: &Block, f: &mut dyn FnMut(Var)) {
    for s in &blk.stmts {
        match s {
            Stmt::Let(n) => n.op.uses().into_iter().for_each(&mut *f),
            Stmt::If(i) => {
                f(i.cond);
                uses_in(&i.then, f);
                uses_in(&i.els, f);
            }
            Stmt::Loop(l) => {
                f(l.start);
                f(l.end);
                l.carried.iter().for_each(|c| f(c.init));
                if let Some(c) = &l.cond {
                    uses_in(c, f);
                }
                uses_in(&l.body, f);
            }
        }
    }
    for y in &blk.yields {
        if let Operand::Var(v) | Operand::ZeroLike(v) = y {
            f(*v);
        }
    }
}

/// A copy of `blk` whose vars are fresh (`map` gives the copy of each var
/// defined in it, and may already map some of the vars it reads); a copy
/// of an active var is active.
fn clone_block(
    b: &mut Builder,
    blk: &Block,
    map: &mut HashMap<Var, Var>,
    active: &mut HashSet<Var>,
) -> Block {
    let mut stmts = Vec::new();
    for s in &blk.stmts {
        match s {
            Stmt::Let(n) => {
                let mut op = n.op.clone();
                if let Op::Opaque(ts, uses) = &mut op {
                    *ts = rename_tokens(b, ts.clone(), uses, map);
                }
                crate::simplify::sub_op(&mut op, map);
                let var = fresh(b, n.var, map, active);
                stmts.push(Stmt::Let(Node { var, op }));
            }
            Stmt::If(i) => {
                let cond = *map.get(&i.cond).unwrap_or(&i.cond);
                let then = clone_block(b, &i.then, map, active);
                let els = clone_block(b, &i.els, map, active);
                let outs = i.outs.iter().map(|o| fresh(b, *o, map, active)).collect();
                stmts.push(Stmt::If(If {
                    cond,
                    then,
                    els,
                    outs,
                }));
            }
            Stmt::Loop(l) => {
                let get = |v: Var, map: &HashMap<Var, Var>| *map.get(&v).unwrap_or(&v);
                let (start, end) = (get(l.start, map), get(l.end, map));
                let index = fresh(b, l.index, map, active);
                let mut carried = Vec::new();
                for c in &l.carried {
                    let init = get(c.init, map);
                    let param = fresh(b, c.param, map, active);
                    carried.push(Carried {
                        init,
                        param,
                        out: c.out,
                    });
                }
                let cond = l.cond.as_ref().map(|c| clone_block(b, c, map, active));
                let body = clone_block(b, &l.body, map, active);
                for c in &mut carried {
                    c.out = fresh(b, c.out, map, active);
                }
                let trip = l.trip.map(|t| fresh(b, t, map, active));
                stmts.push(Stmt::Loop(Loop {
                    start,
                    end,
                    index,
                    carried,
                    body,
                    rev: l.rev,
                    tapes: Vec::new(),
                    cond,
                    trip,
                }));
            }
        }
    }
    let yields = blk
        .yields
        .iter()
        .map(|y| match y {
            Operand::Var(v) => Operand::Var(*map.get(v).unwrap_or(v)),
            Operand::ZeroLike(v) => Operand::ZeroLike(*map.get(v).unwrap_or(v)),
            Operand::Zero => Operand::Zero,
        })
        .collect();
    Block { stmts, yields }
}

/// A fresh copy of `v` (same name, type, span and literal), recorded in `map`.
fn fresh(b: &mut Builder, v: Var, map: &mut HashMap<Var, Var>, active: &mut HashSet<Var>) -> Var {
    let info = b.vars.get(v).clone();
    let n = b.vars.fresh(&info.name, info.ty.clone(), info.span, false);
    b.vars.get_mut(n).lit = info.lit;
    if active.contains(&v) {
        active.insert(n);
    }
    map.insert(v, n);
    n
}

/// `ts` (tokens reading the vars `uses` by their emitted names) reading the
/// copies of those vars instead.
fn rename_tokens(
    b: &Builder,
    ts: proc_macro2::TokenStream,
    uses: &[Var],
    map: &HashMap<Var, Var>,
) -> proc_macro2::TokenStream {
    use proc_macro2::{Group, TokenTree};
    let names: HashMap<String, proc_macro2::Ident> = uses
        .iter()
        .filter_map(|u| {
            let new = map.get(u)?;
            let old = b.vars.get(*u).name.clone();
            Some((old, crate::emit::ident_of(&b.vars, *new)))
        })
        .collect();
    fn walk(
        ts: proc_macro2::TokenStream,
        names: &HashMap<String, proc_macro2::Ident>,
    ) -> proc_macro2::TokenStream {
        ts.into_iter()
            .map(|t| match t {
                TokenTree::Ident(i) => match names.get(&i.to_string()) {
                    Some(n) => TokenTree::Ident(n.clone()),
                    None => TokenTree::Ident(i),
                },
                TokenTree::Group(g) => {
                    let mut ng = Group::new(g.delimiter(), walk(g.stream(), names));
                    ng.set_span(g.span());
                    TokenTree::Group(ng)
                }
                other => other,
            })
            .collect()
    }
    walk(ts, &names)
}
