//! Emission of loops: carried values as `let mut` bindings updated at the
//! end of each iteration, and the tapes the reverse sweep reads back (one
//! `Vec` per stored carried value, pushed at the start of every iteration;
//! read by index, so nothing is popped or checked at run time).

use super::{Emitter, ident_of};
use crate::ir::{Block, Loop, Op, Stmt, Ty, Var};
use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};
use std::collections::HashSet;

/// The name of tape `k`.
pub(super) fn tape_name(k: usize) -> Ident {
    format_ident!("tape{}", k, span = Span::mixed_site())
}

/// The tapes some statement of `b` reads.
/// (`ahead`: those read one iteration ahead.)
pub(super) fn tapes_read(b: &Block, out: &mut HashSet<usize>, ahead: &mut HashSet<usize>) {
    for s in &b.stmts {
        match s {
            Stmt::Let(n) => {
                if let Op::TapeRead(k, _, _, next) = n.op {
                    out.insert(k);
                    if next {
                        ahead.insert(k);
                    }
                }
            }
            Stmt::If(i) => {
                tapes_read(&i.then, out, ahead);
                tapes_read(&i.els, out, ahead);
            }
            Stmt::Loop(l) => {
                if let Some(c) = &l.cond {
                    tapes_read(c, out, ahead);
                }
                tapes_read(&l.body, out, ahead);
            }
        }
    }
}

impl Emitter<'_> {
    /// The Rust type of a carried value (its owned form).
    fn owned_ty(&self, ty: &Ty) -> TokenStream {
        match ty {
            Ty::Vector(s) => self.vec_ty(s),
            Ty::Matrix => self.matrix_ty(),
            // A constant carried by the loop (a `break`'s flag): its own type.
            Ty::Other | Ty::Tuple(_) => quote!(_),
            Ty::Scalar => {
                let f = self.float;
                quote!(#f)
            }
        }
    }

    /// A `for` loop, with its tapes declared before it.
    pub(super) fn for_loop(&self, l: &Loop) -> TokenStream {
        let (start, end) = (self.operand(l.start), self.operand(l.end));
        let index = ident_of(&self.p.vars, l.index);
        let mut pre = TokenStream::new();
        let mut push = TokenStream::new();
        // A carried value is stored as the iteration starts, a value of the
        // body once the body has computed it.
        let mut push_after = TokenStream::new();
        // A carried value the body replaces (and does not update in place)
        // moves onto its tape when its next value takes its place: no copy.
        let moved_to_tape = |v: Var| {
            let k = l
                .body
                .yields
                .iter()
                .zip(&l.carried)
                .position(|(_, c)| c.param == v);
            k.is_some_and(|k| l.body.yields[k] != crate::ir::Operand::Var(v))
                && !updated_in_place(&l.body, v)
        };
        let mut tape_of: Vec<(Var, Ident)> = Vec::new();
        for (k, v) in &l.tapes {
            if !self.tapes.contains(k) {
                continue;
            }
            let tape = tape_name(*k);
            let ty = self.owned_ty(self.ty(*v));
            // A `while` loop's trip count is unknown: the tape grows by doubling.
            pre.extend(if l.cond.is_some() {
                quote!(let mut #tape: ::std::vec::Vec<#ty> = ::std::vec::Vec::new();)
            } else {
                // One more entry for the final value when read ahead.
                let extra = usize::from(self.tapes_ahead.contains(k));
                quote! {
                    let mut #tape: ::std::vec::Vec<#ty> =
                        ::std::vec::Vec::with_capacity(::core::primitive::usize::saturating_sub(#end, #start) + #extra);
                }
            });
            let p = ident_of(&self.p.vars, *v);
            let stmt = quote!(#tape.push(::core::clone::Clone::clone(&#p)););
            if moved_to_tape(*v) {
                tape_of.push((*v, tape));
            } else if l.carried.iter().any(|c| c.param == *v) {
                push.extend(stmt);
            } else {
                push_after.extend(stmt);
            }
        }
        let mut init = TokenStream::new();
        let mut next = TokenStream::new();
        let mut outs = TokenStream::new();
        let tys: Vec<Ty> = l.carried.iter().map(|c| self.ty(c.param).clone()).collect();
        let ys = self.yield_list(&l.body.yields, &tys);
        for (k, ((c, ty), y)) in l.carried.iter().zip(&tys).zip(ys).enumerate() {
            let p = ident_of(&self.p.vars, c.param);
            let o = ident_of(&self.p.vars, c.out);
            let rust_ty = self.owned_ty(ty);
            let dup = self.counts.get(&c.init).copied().unwrap_or(0) > 1;
            let v = self.convert(crate::ir::Operand::Var(c.init), ty, None, dup);
            init.extend(quote!(let mut #p: #rust_ty = #v;));
            if let Some((_, tape)) = tape_of.iter().find(|(v, _)| *v == c.param) {
                let new = Ident::new("__grad_next", Span::mixed_site());
                next.extend(quote! {
                    let #new = #y;
                    #tape.push(::core::mem::replace(&mut #p, #new));
                });
            } else if l.body.yields.get(k) != Some(&crate::ir::Operand::Var(c.param)) {
                next.extend(quote!(#p = #y;));
            }
            outs.extend(quote!(let #o = #p;));
            if self.tapes_ahead.contains(&c.param.0) && self.tapes.contains(&c.param.0) {
                let tape = tape_name(c.param.0);
                outs.extend(quote!(#tape.push(::core::clone::Clone::clone(&#o));));
            }
        }
        let body = self.stmts(&l.body);
        if let (Some(cond), Some(trip)) = (&l.cond, l.trip) {
            // `while`: the condition from the carried values, then the body; the
            // iterations are counted for the reverse sweep.
            let stmts = self.stmts(cond);
            let c = match cond.yields.first() {
                Some(crate::ir::Operand::Var(v)) => self.operand(*v),
                _ => quote!(false),
            };
            let trip = ident_of(&self.p.vars, trip);
            return quote! {
                #pre
                #init
                let mut #index: usize = #start;
                #[allow(clippy::self_assignment, unused_assignments)]
                loop {
                    #stmts
                    if !(#c) {
                        break;
                    }
                    #push
                    #body
                    #push_after
                    #next
                    #index += 1;
                }
                let #trip = #index;
                #outs
            };
        }
        let range = if l.rev {
            quote!((#start..#end).rev())
        } else {
            quote!(#start..#end)
        };
        quote! {
            #pre
            #init
            #[allow(clippy::self_assignment, unused_assignments)]
            for #index in #range {
                #push
                #body
                #push_after
                #next
            }
            #outs
        }
    }

    /// A carried value (of type `ty`) at the start of iteration `index`, from tape `k`.
    pub(super) fn tape_read(
        &self,
        k: usize,
        ty: &Ty,
        index: Var,
        start: Var,
        ahead: bool,
    ) -> TokenStream {
        let tape = tape_name(k);
        let (i, s) = (self.operand(index), self.operand(start));
        let at = if ahead {
            quote!(#i - #s + 1)
        } else {
            quote!(#i - #s)
        };
        match ty {
            Ty::Vector(_) => quote!(&#tape[#at][..]),
            Ty::Matrix => quote!(&#tape[#at]),
            _ => quote!(#tape[#at]),
        }
    }
}

/// Whether some statement of `b` updates `v`'s buffer in place (takes it
/// by value: `accumulate`, `accumulate_at`, `set_at`, `accumulate_outer`).
fn updated_in_place(b: &Block, v: Var) -> bool {
    b.stmts.iter().any(|s| match s {
        Stmt::Let(n) => matches!(
            n.op,
            Op::Accumulate(a, _) | Op::AccumulateAt(a, ..) | Op::SetAt(a, ..) | Op::AccumulateOuter(a, ..)
                if a == v
        ),
        Stmt::If(i) => updated_in_place(&i.then, v) || updated_in_place(&i.els, v),
        Stmt::Loop(l) => {
            l.carried.iter().any(|c| c.init == v)
                || updated_in_place(&l.body, v)
                || l.cond.as_ref().is_some_and(|c| updated_in_place(c, v))
        }
    })
}
