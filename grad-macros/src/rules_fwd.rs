//! The tangent rule of each IR op: one exhaustive `match` over [`Op`] and
//! one over [`VOp`], forward ops and backward pieces alike (the backward
//! pieces are differentiated when forward mode runs over a gradient, for
//! second derivatives).
//!
//! For `y = op(a, b, ..)` and the tangents `ȧ, ḃ, ..` (absent where zero),
//! each arm builds `ẏ = ∂y/∂a·ȧ + ∂y/∂b·ḃ + ..`. The elementwise primitives
//! multiply tangents by their local partials from the op table
//! ([`crate::ops`]), the same partials the reverse sweep multiplies
//! adjoints by; on vectors and matrices an activation's diagonal Jacobian
//! runs its backward kernel.

use crate::build::Builder;
use crate::ir::{Arg, Bin, Op, Ty, VOp, Var};
use crate::ops::{self, Reads};
use proc_macro2::Span;
use std::collections::HashMap;

mod bce;
mod vector;

use vector::vector;

type Tangents = HashMap<Var, Var>;

/// The tangent of `y = op`, `None` when it is zero; an error names an op
/// that forward mode cannot go through.
pub(crate) fn tangent(
    b: &mut Builder,
    op: &Op,
    y: Var,
    tan: &Tangents,
    span: Span,
) -> Result<Option<Var>, (Span, String)> {
    let t = |v: &Var| tan.get(v).copied();
    let mut sum = Sum::default();
    match op {
        Op::Lit(_) | Op::Opaque(..) => {}
        // A carried value read back from a tape: its tangent, from the tangent's tape.
        Op::TapeRead(k, i, st, ahead) => {
            if let Some(tp) = tan.get(&Var(*k)) {
                let ty = b.ty(y);
                let d = b.push(Op::TapeRead(tp.0, *i, *st, *ahead), ty, span);
                sum.add(b, d, span);
            }
        }
        Op::Un(u, a) => {
            if let Some(da) = t(a) {
                if b.ty(*a).is_tensor()
                    && let Some((o, reads)) = u.info().vector_backward
                {
                    // A diagonal Jacobian: the backward kernel applied to the tangent.
                    let src = match reads {
                        Reads::Input => *a,
                        Reads::Output => y,
                    };
                    let ty = b.ty(*a);
                    let d_ = b.push(Op::V(o, vec![src, da]), ty, span);
                    sum.add(b, d_, span);
                } else if let Some(l) = ops::un_local(b, *u, *a, y, span) {
                    let d_ = l.apply(b, da, span);
                    sum.add(b, d_, span);
                }
            }
        }
        Op::Bin(o, x, z) => {
            for (second, v) in [(false, *x), (true, *z)] {
                if let Some(dv) = t(&v)
                    && let Some(l) = ops::bin_local(b, *o, [*x, *z], y, second, span)
                {
                    let d_ = l.apply(b, dv, span);
                    sum.add(b, d_, span);
                }
            }
        }
        Op::Powi(x, n) => {
            if let Some(dx) = t(x)
                && let Some(l) = ops::powi_local(b, *x, n, span)
            {
                let d_ = l.apply(b, dx, span);
                sum.add(b, d_, span);
            }
        }
        // v with [i] = e: the tangent of v with [i] = ė.
        Op::SetAt(v, i, e) => {
            if t(v).is_some() || t(e).is_some() {
                let ty = b.ty(y);
                let dv = match t(v) {
                    Some(dv) => dv,
                    None => {
                        let zero = b.lit(0.0, span);
                        b.push(Op::V(VOp::Fill, vec![zero, *v]), ty.clone(), span)
                    }
                };
                let de = t(e).unwrap_or_else(|| b.lit(0.0, span));
                let d = b.push(Op::SetAt(dv, *i, de), ty, span);
                sum.add(b, d, span);
            }
        }
        Op::AccumulateAt(acc, i, d) => {
            if let Some(da) = t(acc) {
                sum.add(b, da, span);
            }
            if let Some(dd) = t(d) {
                let z = {
                    let zero = b.lit(0.0, span);
                    let ty = b.ty(y);
                    b.push(Op::V(VOp::Fill, vec![zero, *acc]), ty, span)
                };
                let ty = b.ty(y);
                let at = b.push(Op::AccumulateAt(z, *i, dd), ty, span);
                sum.add(b, at, span);
            }
        }
        // acc + g·xᵀ: the tangent of acc plus the bilinear terms ġ·xᵀ + g·ẋᵀ.
        Op::AccumulateOuter(acc, g, x) => {
            if let Some(da) = t(acc) {
                sum.add(b, da, span);
            }
            let ty = b.ty(y);
            if let Some(dg) = t(g) {
                let d = b.push(Op::V(VOp::MatvecBackwardW, vec![dg, *x]), ty.clone(), span);
                sum.add(b, d, span);
            }
            if let Some(dx) = t(x) {
                let d = b.push(Op::V(VOp::MatvecBackwardW, vec![*g, dx]), ty, span);
                sum.add(b, d, span);
            }
        }
        Op::Accumulate(acc, d) => {
            for v in [acc, d] {
                if let Some(dv) = t(v) {
                    sum.add(b, dv, span);
                }
            }
        }
        Op::V(o, args) => vector(b, *o, args, y, tan, span, &mut sum),
        // g(a₁, .., a_k): `g_jvp(a₁, .., a_k, ȧ₁, .., ȧ_k).1`, one tangent per
        // float argument (zero where none flows in), matched by position.
        Op::Call(path, args) => {
            let tangents = float_tangents(args, &t);
            if tangents.iter().any(Option::is_some) {
                let ty = b.ty(y);
                let d = b.push(Op::CallJvp(path.clone(), args.clone(), tangents), ty, span);
                sum.add(b, d, span);
            }
        }
        // The slots ḡ·∂g/∂aᵢ of a scalar-valued callee: their tangent is
        // `g_vjp_jvp(a.., ȧ.., ḡ, ḡ̇)` (ḡ̇·∂g/∂aᵢ + ḡ·Σⱼ ∂²g/∂aᵢ∂aⱼ·ȧⱼ).
        Op::CallVjp(path, args, g) => {
            let tangents = float_tangents(args, &t);
            if tangents.iter().any(Option::is_some) || t(g).is_some() {
                if b.ty(*g) != Ty::Scalar {
                    let name = quote::quote!(#path).to_string().replace(' ', "");
                    return Err((
                        span,
                        format!(
                            "second derivatives do not go through calls of vector- or matrix-valued fns yet (`{name}`)"
                        ),
                    ));
                }
                let ty = b.ty(y);
                let op = Op::CallVjpJvp(path.clone(), args.clone(), tangents, *g, t(g));
                let d = b.push(op, ty, span);
                sum.add(b, d, span);
            }
        }
        Op::Partial(slots, path, k, i) => {
            if let Some(ds) = t(slots) {
                let ty = b.ty(y);
                let d = b.push(Op::Partial(ds, path.clone(), *k, *i), ty, span);
                sum.add(b, d, span);
            }
        }
        // Only in forward programs, which forward mode never runs over.
        Op::CallJvp(..) | Op::CallVjpJvp(..) => {}
    }
    Ok(sum.0)
}

/// A sum of contributions, built as they come.
#[derive(Default)]
struct Sum(Option<Var>);

impl Sum {
    fn add(&mut self, b: &mut Builder, d: Var, span: Span) {
        self.0 = Some(match self.0 {
            None => d,
            Some(acc) => b.bin(Bin::Add, acc, d, span),
        });
    }
}

/// `Σ a⊙c` over every element: the inner product of two vectors or matrices.
fn inner(b: &mut Builder, a: Var, c: Var, span: Span) -> Var {
    let p = b.bin(Bin::Mul, a, c, span);
    b.push(Op::V(VOp::Sum, vec![p]), Ty::Scalar, span)
}

/// The tangent of each float argument of a call (`None`: none flows in),
/// in order; constant arguments have none.
fn float_tangents(args: &[Arg], t: &dyn Fn(&Var) -> Option<Var>) -> Vec<Option<Var>> {
    args.iter()
        .filter_map(|a| match a {
            Arg::Float(v, _) => Some(t(v)),
            Arg::Other(_) => None,
        })
        .collect()
}
