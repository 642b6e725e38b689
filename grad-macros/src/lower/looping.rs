//! Lowering of mutation and loops to SSA: an assignment rebinds the name
//! where it was declared; an `if` statement or a `for` loop that assigns
//! names declared outside it gets those names' new values as outputs (an
//! `If`'s outs, a `Loop`'s carried values).

use super::Lowerer;
use crate::ir::{Bin, Block, Carried, If, Loop, Op, Operand, Stmt, Ty, VOp, Var};
use crate::loops::{self, Source};
use quote::quote;
use std::collections::HashMap;
use syn::spanned::Spanned;
use syn::{BinOp, Expr};

impl Lowerer<'_> {
    /// An expression in statement position: an assignment, an `if` or a `for`
    /// loop (the fence let nothing else through).
    pub(super) fn statement(&mut self, e: &Expr) -> Option<()> {
        match e {
            Expr::Assign(a) => {
                if let Expr::Index(ix) = &*a.left {
                    return self.assign_element(ix, &a.right, None);
                }
                let v = self.expr(&a.right)?;
                self.assign(&a.left, v)
            }
            Expr::Binary(b) => {
                let op = match b.op {
                    BinOp::AddAssign(_) => Bin::Add,
                    BinOp::SubAssign(_) => Bin::Sub,
                    BinOp::MulAssign(_) => Bin::Mul,
                    BinOp::DivAssign(_) => Bin::Div,
                    _ => return None,
                };
                if let Expr::Index(ix) = &*b.left {
                    return self.assign_element(ix, &b.right, Some(op));
                }
                let old = self.expr(&b.left)?;
                let rhs = self.expr(&b.right)?;
                let rhs = self.as_scalar(rhs, b.right.span());
                let v = self.b.bin(op, old, rhs, e.span());
                self.assign(&b.left, v)
            }
            Expr::If(i) => self.if_stmt(i),
            Expr::ForLoop(l) => self.for_loop(l),
            Expr::While(w) => self.while_loop(w),
            _ => None,
        }
    }

    /// `v[i] = e` (`op` `None`) or `v[i] op= e`: a new version of `v`.
    fn assign_element(&mut self, ix: &syn::ExprIndex, rhs: &Expr, op: Option<Bin>) -> Option<()> {
        let v = self.expr(&ix.expr)?;
        let ty = self.ty(v);
        let i = match ty {
            Ty::Matrix => self.matrix_element(v, ix)?,
            Ty::Vector(_) => {
                self.check_index(&ix.index)?;
                self.opaque(&ix.index, Ty::Other)
            }
            _ => {
                self.diag.error(
                    &ix.expr,
                    format!(
                        "assigning to an element needs a vector or a matrix, but this is {}",
                        ty.describe()
                    ),
                );
                return None;
            }
        };
        let e = self.expr(rhs)?;
        let e = self.as_scalar(e, rhs.span());
        let span = ix.span();
        let new = match op {
            None => self.b.push(Op::SetAt(v, i, e), ty, span),
            Some(Bin::Add) => self.b.push(Op::AccumulateAt(v, i, e), ty, span),
            Some(Bin::Sub) => {
                let n = self.b.un(crate::ir::Un::Neg, e, span);
                self.b.push(Op::AccumulateAt(v, i, n), ty, span)
            }
            Some(o) => {
                let old = self.b.push(Op::V(VOp::Index, vec![v, i]), Ty::Scalar, span);
                let e = self.b.bin(o, old, e, span);
                self.b.push(Op::SetAt(v, i, e), ty, span)
            }
        };
        self.assign(&ix.expr, new)
    }

    /// Rebinds the name `target` to `v` in the scope that declared it.
    fn assign(&mut self, target: &Expr, v: Var) -> Option<()> {
        let Expr::Path(p) = target else { return None };
        let id = p.path.get_ident()?;
        let name = id.to_string();
        let Some(scope) = self.scopes.iter_mut().rev().find(|s| s.contains_key(&name)) else {
            self.diag.error(
                id,
                format!("`{name}` is not declared; declare it first: `let mut {name} = ..;`"),
            );
            return None;
        };
        scope.insert(name.clone(), v);
        let info = self.b.vars.get(v);
        if !info.user_named && info.param.is_none() && info.lit.is_none() {
            self.b.vars.rename(v, &name);
        }
        Some(())
    }

    /// The current binding of each of `names` (`None` where not declared).
    fn bindings(&self, names: &[String]) -> Vec<Option<Var>> {
        names.iter().map(|n| self.lookup(n)).collect()
    }

    /// Rebinds each of `names` to `vars` where it was declared.
    fn rebind(&mut self, names: &[String], vars: &[Var]) {
        for (n, v) in names.iter().zip(vars) {
            if let Some(scope) = self.scopes.iter_mut().rev().find(|s| s.contains_key(n)) {
                scope.insert(n.clone(), *v);
            }
        }
    }

    /// `if c { .. } else { .. }` run for its assignments: an `If` whose
    /// outputs are the new values of the outer names either branch assigns.
    fn if_stmt(&mut self, i: &syn::ExprIf) -> Option<()> {
        self.check_condition(&i.cond)?;
        let cond = self.opaque(&i.cond, Ty::Other);
        let mut stmts: Vec<syn::Stmt> = i.then_branch.stmts.clone();
        if let Some((_, els)) = &i.else_branch {
            stmts.push(syn::Stmt::Expr((**els).clone(), None));
        }
        let names: Vec<String> = loops::assigned(&stmts)
            .into_iter()
            .filter(|n| self.lookup(n).is_some())
            .collect();
        let before = self.bindings(&names);
        let saved = self.scopes.clone();
        let outer = std::mem::take(&mut self.b.stmts);
        self.statements(&i.then_branch.stmts);
        let then_vals = self.bindings(&names);
        let then_stmts = std::mem::take(&mut self.b.stmts);
        self.scopes = saved.clone();
        match i.else_branch.as_ref().map(|(_, e)| &**e) {
            Some(Expr::Block(b)) => self.statements(&b.block.stmts),
            Some(e) => {
                self.statement(e);
            }
            None => {}
        }
        let els_vals = self.bindings(&names);
        let els_stmts = std::mem::replace(&mut self.b.stmts, outer);
        self.scopes = saved;
        let mut then = Block {
            stmts: then_stmts,
            yields: vec![],
        };
        let mut els = Block {
            stmts: els_stmts,
            yields: vec![],
        };
        let mut outs = Vec::new();
        for (k, name) in names.iter().enumerate() {
            let (Some(b0), Some(t), Some(e)) = (before[k], then_vals[k], els_vals[k]) else {
                continue;
            };
            let ty = self.ty(b0);
            if self.ty(t) != ty || self.ty(e) != ty {
                self.diag.error(
                    i,
                    format!("`{name}` changes kind in this `if` (it is {} before it); keep one kind per name", ty.describe()),
                );
                return None;
            }
            then.yields.push(Operand::Var(t));
            els.yields.push(Operand::Var(e));
            outs.push(self.b.vars.fresh(name, ty, i.span(), true));
        }
        let kept: Vec<String> = names
            .iter()
            .enumerate()
            .filter(|(k, _)| before[*k].is_some())
            .map(|(_, n)| n.clone())
            .collect();
        self.b.stmts.push(Stmt::If(If {
            cond,
            then,
            els,
            outs: outs.clone(),
        }));
        self.rebind(&kept, &outs);
        Some(())
    }

    /// Statements run for their effects (an `if` statement's branch, a loop
    /// body), in a new scope.
    pub(super) fn statements(&mut self, stmts: &[syn::Stmt]) {
        self.scopes.push(HashMap::new());
        for s in stmts {
            match s {
                syn::Stmt::Local(_) => self.local(s),
                syn::Stmt::Expr(e, _) => {
                    self.statement(e);
                }
                _ => {}
            }
        }
        self.scopes.pop();
    }

    /// A `for` loop: its carried values are the outer names its body assigns.
    fn for_loop(&mut self, l: &syn::ExprForLoop) -> Option<()> {
        let form = match loops::parse(l) {
            Ok(f) => f,
            Err((at, msg)) => {
                self.diag.error(at, msg);
                return None;
            }
        };
        let span = l.for_token.span;
        let (start, end, vectors) = match &form.source {
            Source::Range {
                start,
                end,
                inclusive,
            } => {
                self.check_bound(start)?;
                self.check_bound(end)?;
                let start = self.opaque(start, Ty::Other);
                let (ts, uses) = self.rewrite(end);
                let ts = if *inclusive {
                    quote!((#ts) + 1)
                } else {
                    quote!(#ts)
                };
                let end = self.b.push(Op::Opaque(ts, uses), Ty::Other, end.span());
                (start, end, vec![])
            }
            Source::Elems(vs) => {
                let mut vectors = Vec::new();
                for v in vs {
                    let x = self.expr(v)?;
                    if !matches!(self.ty(x), Ty::Vector(_)) && !self.require_vector(x) {
                        self.diag
                            .error(v, "a `for` loop over elements needs a vector here");
                        return None;
                    }
                    vectors.push(x);
                }
                let lens: Vec<proc_macro2::TokenStream> = vectors
                    .iter()
                    .map(|v| {
                        let id = crate::emit::ident_of(&self.b.vars, *v);
                        quote!(#id.len())
                    })
                    .collect();
                let first = &lens[0];
                let rest = &lens[1..];
                let ts = quote!(#first #(.min(#rest))*);
                let start = self
                    .b
                    .push(Op::Opaque(quote!(0usize), vec![]), Ty::Other, span);
                let end = self
                    .b
                    .push(Op::Opaque(ts, vectors.clone()), Ty::Other, span);
                (start, end, vectors)
            }
        };
        let (body, _) = self.exits(&l.body.stmts)?;
        let names: Vec<String> = loops::assigned(&body)
            .into_iter()
            .filter(|n| self.lookup(n).is_some())
            .collect();
        let inits: Vec<Var> = self.bindings(&names).into_iter().flatten().collect();
        let index_name = form
            .index
            .as_ref()
            .map_or("i".to_string(), |i| i.to_string());
        let index = self.b.vars.fresh(&index_name, Ty::Other, span, true);
        let saved = self.scopes.clone();
        let outer = std::mem::take(&mut self.b.stmts);
        let (mut scope, params) = self.loop_params(&names, &inits, span);
        if let Some(i) = &form.index {
            scope.insert(i.to_string(), index);
        }
        self.scopes.push(scope);
        for (name, v) in form.elems.iter().zip(&vectors) {
            if let Some(name) = name {
                let x = self
                    .b
                    .push(Op::V(VOp::Index, vec![*v, index]), Ty::Scalar, span);
                self.b.vars.rename(x, &name.to_string());
                if let Some(s) = self.scopes.last_mut() {
                    s.insert(name.to_string(), x);
                }
            }
        }
        self.statements(&body);
        let nexts: Vec<Var> = self.bindings(&names).into_iter().flatten().collect();
        let body_stmts = std::mem::replace(&mut self.b.stmts, outer);
        self.scopes = saved;
        let carried = self.carried(&names, &inits, &params, &nexts, span, l)?;
        let outs: Vec<Var> = carried.iter().map(|c| c.out).collect();
        self.b.stmts.push(Stmt::Loop(Loop {
            start,
            end,
            index,
            carried,
            body: Block {
                stmts: body_stmts,
                yields: nexts.into_iter().map(Operand::Var).collect(),
            },
            rev: false,
            tapes: Vec::new(),
            cond: None,
            trip: None,
        }));
        self.rebind(&names, &outs);
        Some(())
    }

    /// `while cond { body }`: like a `for` loop over the carried names the
    /// body assigns, with the condition computed from them at the start of
    /// each iteration (it needs no derivative), counting the iterations.
    fn while_loop(&mut self, w: &syn::ExprWhile) -> Option<()> {
        self.check_condition(&w.cond)?;
        let (body, stop) = self.exits(&w.body.stmts)?;
        let span = w.while_token.span;
        let names: Vec<String> = loops::assigned(&body)
            .into_iter()
            .filter(|n| self.lookup(n).is_some())
            .collect();
        let inits: Vec<Var> = self.bindings(&names).into_iter().flatten().collect();
        let start = self
            .b
            .push(Op::Opaque(quote!(0usize), vec![]), Ty::Other, span);
        let index = self.b.vars.fresh("iteration", Ty::Other, span, false);
        let trip = self.b.vars.fresh("trips", Ty::Other, span, false);
        let saved = self.scopes.clone();
        let outer = std::mem::take(&mut self.b.stmts);
        let (scope, params) = self.loop_params(&names, &inits, span);
        self.scopes.push(scope);
        // After a `break`, the condition is false.
        let cond = match &stop {
            Some(flag) => {
                let c = &w.cond;
                self.opaque(&syn::parse_quote!((#c) && !#flag), Ty::Other)
            }
            None => self.opaque(&w.cond, Ty::Other),
        };
        let cond_stmts = std::mem::take(&mut self.b.stmts);
        self.statements(&body);
        let nexts: Vec<Var> = self.bindings(&names).into_iter().flatten().collect();
        let body_stmts = std::mem::replace(&mut self.b.stmts, outer);
        self.scopes = saved;
        let carried = self.carried(&names, &inits, &params, &nexts, span, w)?;
        let outs: Vec<Var> = carried.iter().map(|c| c.out).collect();
        self.b.stmts.push(Stmt::Loop(Loop {
            start,
            end: start,
            index,
            carried,
            body: Block {
                stmts: body_stmts,
                yields: nexts.into_iter().map(Operand::Var).collect(),
            },
            rev: false,
            tapes: Vec::new(),
            cond: Some(Block {
                stmts: cond_stmts,
                yields: vec![Operand::Var(cond)],
            }),
            trip: Some(trip),
        }));
        self.rebind(&names, &outs);
        Some(())
    }

    /// A param (the value at an iteration's start) per carried name, and
    /// the scope binding the names to them.
    fn loop_params(
        &mut self,
        names: &[String],
        inits: &[Var],
        span: proc_macro2::Span,
    ) -> (HashMap<String, Var>, Vec<Var>) {
        let mut scope = HashMap::new();
        let mut params = Vec::new();
        for (n, init) in names.iter().zip(inits) {
            let p = self.b.vars.fresh(n, self.ty(*init), span, true);
            scope.insert(n.clone(), p);
            params.push(p);
        }
        (scope, params)
    }

    /// The carried values of a loop whose body turns each param into its
    /// next value (a name that changes kind across an iteration is an
    /// error, reported at `at`).
    fn carried(
        &mut self,
        names: &[String],
        inits: &[Var],
        params: &[Var],
        nexts: &[Var],
        span: proc_macro2::Span,
        at: &dyn quote::ToTokens,
    ) -> Option<Vec<Carried>> {
        let mut carried = Vec::new();
        for (((n, p), next), init) in names.iter().zip(params).zip(nexts).zip(inits) {
            let ty = self.ty(*p);
            let same = match (&ty, &self.ty(*next)) {
                (Ty::Vector(_), Ty::Vector(_)) => true,
                (a, b) => a == b,
            };
            if !same {
                self.diag.error(
                    at,
                    format!("`{n}` changes kind in this loop (it is {} before it); keep one kind per name", ty.describe()),
                );
                return None;
            }
            let out = self.b.vars.fresh(n, ty, span, true);
            carried.push(Carried {
                init: *init,
                param: *p,
                out,
            });
        }
        Some(carried)
    }

    /// The loop body `stmts` with its `break`/`continue` exits made
    /// structured (see [`loops::desugar`]); with a `break`, the name of a
    /// flag declared before the loop (false) that stops it once set, and the
    /// body guarded by it (a `for` loop's remaining iterations do nothing).
    fn exits(&mut self, stmts: &[syn::Stmt]) -> Option<(Vec<syn::Stmt>, Option<syn::Ident>)> {
        let flag = quote::format_ident!("stop_{}", self.b.vars.info.len());
        let (body, stops) = match loops::desugar(stmts, &flag) {
            Ok(r) => r,
            Err((at, msg)) => {
                self.diag.error(at, msg);
                return None;
            }
        };
        if !stops {
            return Some((body, None));
        }
        self.local(&syn::parse_quote!(let mut #flag = false;));
        let guarded: syn::Stmt = syn::parse_quote!(if !#flag { #(#body)* });
        Some((vec![guarded], Some(flag)))
    }

    /// The flat (row-major) index of `m[(i, j)]`, checked against `m`'s
    /// shape at run time (an element out of range panics at the user's line,
    /// naming the shape).
    pub(super) fn matrix_element(&mut self, m: Var, ix: &syn::ExprIndex) -> Option<Var> {
        let pair = match &*ix.index {
            Expr::Tuple(t) if t.elems.len() == 2 => Some((&t.elems[0], &t.elems[1])),
            _ => None,
        };
        let Some((i, j)) = pair else {
            self.diag.error(
                &ix.index,
                "a matrix element is indexed by a pair: `m[(i, j)]`",
            );
            return None;
        };
        self.check_index(i)?;
        self.check_index(j)?;
        let (ti, mut uses) = self.rewrite(i);
        let (tj, uj) = self.rewrite(j);
        uses.extend(uj);
        uses.push(m);
        uses.sort();
        uses.dedup();
        let name = crate::emit::ident_of(&self.b.vars, m);
        let ts = quote!(::grad::__private::m::flat(&#name, #ti, #tj));
        Some(self.b.push(Op::Opaque(ts, uses), Ty::Other, ix.span()))
    }
}
