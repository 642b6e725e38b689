//! The pullback of each IR op: one exhaustive `match`.
//!
//! For `y = op(a, b, ..)` and the adjoint `ḡ = ∂L/∂y`, each arm builds the
//! contributions `ḡ·∂y/∂a`, `ḡ·∂y/∂b`, ... (only for inputs that depend on
//! a differentiated parameter). The elementwise primitives multiply the
//! adjoint by their local partials from the op table ([`crate::ops`]), or on
//! vectors run the backward kernel the table names; calls use the callee's
//! `_vjp`; the vector ops have their own pullbacks ([`crate::rules_vec`]).

use crate::build::Builder;
use crate::ir::{Arg, Op, Ty, Var};
use crate::ops::{self, Reads};
use proc_macro2::Span;

/// The contributions `(input, ḡ·∂y/∂input)` of `y = op` for the inputs where `active` holds.
pub(crate) fn pullback(
    b: &mut Builder,
    op: &Op,
    y: Var,
    g: Var,
    span: Span,
    active: &dyn Fn(Var) -> bool,
) -> Vec<(Var, Var)> {
    let mut out = Vec::new();
    match op {
        // Leaves and constants: nothing flows further.
        Op::Lit(_) | Op::Opaque(..) | Op::TapeRead(..) => {}
        // Backward-only ops never get an adjoint (no second derivatives).
        Op::Partial(..) => {}
        Op::Un(u, a) => {
            let a = *a;
            if !active(a) {
                return out;
            }
            // On vectors and matrices, the activations' backwards are grad-core's kernels.
            if b.ty(a).is_tensor()
                && let Some((o, reads)) = u.info().vector_backward
            {
                let src = match reads {
                    Reads::Input => a,
                    Reads::Output => y,
                };
                let ty = b.ty(a);
                out.push((a, b.push(Op::V(o, vec![src, g]), ty, span)));
            } else if let Some(l) = ops::un_local(b, *u, a, y, span) {
                out.push((a, l.apply(b, g, span)));
            }
        }
        Op::Bin(o, x, z) => {
            for (second, v) in [(false, *x), (true, *z)] {
                if active(v)
                    && let Some(l) = ops::bin_local(b, *o, [*x, *z], y, second, span)
                {
                    out.push((v, l.apply(b, g, span)));
                }
            }
        }
        Op::Powi(x, n) => {
            if active(*x)
                && let Some(l) = ops::powi_local(b, *x, n, span)
            {
                out.push((*x, l.apply(b, g, span)));
            }
        }
        // g(a₁, .., a_k): the contributions are the slots of
        // `g_vjp(a₁, .., a_k, ḡ)`, one per float argument in order, each already
        // multiplied by ḡ; a slot is matched to its argument by position among the
        // call's float arguments, and checked at compile time to be a partial.
        Op::Call(path, args) => {
            let floats: Vec<Var> = args
                .iter()
                .filter_map(|a| match a {
                    Arg::Float(v, _) => Some(*v),
                    Arg::Other(_) => None,
                })
                .collect();
            if !floats.iter().any(|v| active(*v)) {
                return out;
            }
            let k = floats.len();
            let ty = if k == 1 {
                b.ty(floats[0])
            } else {
                Ty::Tuple(k)
            };
            let slots = b.push(Op::CallVjp(path.clone(), args.clone(), g), ty, span);
            for (i, v) in floats.into_iter().enumerate() {
                if !active(v) {
                    continue;
                }
                let ty = b.ty(v);
                let d = b.push(Op::Partial(slots, path.clone(), k, i), ty, span);
                out.push((v, d));
            }
        }
        Op::V(o, args) => crate::rules_vec::pullback(b, *o, args, y, g, span, active, &mut out),
        Op::CallVjp(..) | Op::CallJvp(..) | Op::CallVjpJvp(..) => {}
        // v with [i] = e: v receives ḡ with [i] = 0, e receives ḡ[i].
        Op::SetAt(v, i, e) => {
            if active(*v) {
                let zero = b.lit(0.0, span);
                let ty = b.ty(*v);
                out.push((*v, b.push(Op::SetAt(g, *i, zero), ty, span)));
            }
            if active(*e) {
                out.push((
                    *e,
                    b.push(Op::V(crate::ir::VOp::Index, vec![g, *i]), Ty::Scalar, span),
                ));
            }
        }
        // acc + d·onehot(i): linear; acc receives ḡ, d receives ḡ[i].
        Op::AccumulateAt(acc, i, d) => {
            if active(*acc) {
                out.push((*acc, g));
            }
            if active(*d) {
                out.push((
                    *d,
                    b.push(Op::V(crate::ir::VOp::Index, vec![g, *i]), Ty::Scalar, span),
                ));
            }
        }
        // acc + g·xᵀ: acc receives ḡ; g receives ḡ·x, x receives ḡᵀ·g.
        Op::AccumulateOuter(acc, gv, x) => {
            if active(*acc) {
                out.push((*acc, g));
            }
            if active(*gv) {
                let ty = b.ty(*gv);
                out.push((
                    *gv,
                    b.push(Op::V(crate::ir::VOp::Matvec, vec![g, *x]), ty, span),
                ));
            }
            if active(*x) {
                let ty = b.ty(*x);
                let wt = b.push(
                    Op::V(crate::ir::VOp::MatvecBackwardX, vec![g, *gv]),
                    ty,
                    span,
                );
                out.push((*x, wt));
            }
        }
        // acc + d: linear, both receive ḡ.
        Op::Accumulate(acc, d) => {
            for v in [*acc, *d] {
                if active(v) {
                    out.push((v, g));
                }
            }
        }
    }
    out
}
