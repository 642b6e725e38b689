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
use crate::ir::{Arg, Bin, Op, Ty, Un, VOp, Var};
use crate::ops::{self, Reads};
use proc_macro2::Span;
use std::collections::HashMap;

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
        Op::TapeRead(k, i, st) => {
            if let Some(tp) = tan.get(&Var(*k)) {
                let ty = b.ty(y);
                let d = b.push(Op::TapeRead(tp.0, *i, *st), ty, span);
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
            let tangents: Vec<Option<Var>> = args
                .iter()
                .filter_map(|a| match a {
                    Arg::Float(v, _) => Some(t(v)),
                    Arg::Other(_) => None,
                })
                .collect();
            if tangents.iter().any(Option::is_some) {
                let ty = b.ty(y);
                let d = b.push(Op::CallJvp(path.clone(), args.clone(), tangents), ty, span);
                sum.add(b, d, span);
            }
        }
        // The slots ḡ·∂g/∂aᵢ of a scalar-valued callee: their tangent is
        // `g_vjp_jvp(a.., ȧ.., ḡ, ḡ̇)` (ḡ̇·∂g/∂aᵢ + ḡ·Σⱼ ∂²g/∂aᵢ∂aⱼ·ȧⱼ).
        Op::CallVjp(path, args, g) => {
            let tangents: Vec<Option<Var>> = args
                .iter()
                .filter_map(|a| match a {
                    Arg::Float(v, _) => Some(t(v)),
                    Arg::Other(_) => None,
                })
                .collect();
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

/// The tangents of the vector ops.
#[allow(clippy::too_many_arguments)] // reason: mirrors `tangent` plus the op's parts
fn vector(
    b: &mut Builder,
    o: VOp,
    args: &[Var],
    y: Var,
    tan: &Tangents,
    span: Span,
    sum: &mut Sum,
) {
    let arg = |i: usize| args[i];
    let t = |i: usize| args.get(i).and_then(|v| tan.get(v).copied());
    let v = |b: &mut Builder, op: VOp, ins: Vec<Var>, like: Var| {
        let ty = b.ty(like);
        b.push(Op::V(op, ins), ty, span)
    };
    let one = |b: &mut Builder| b.lit(1.0, span);
    match o {
        // Linear in their argument(s): the op of the tangent.
        VOp::Sum | VOp::Mean | VOp::Transpose | VOp::ColSum => {
            if let Some(d) = t(0) {
                let ty = b.ty(y);
                let d_ = b.push(Op::V(o, vec![d]), ty, span);
                    sum.add(b, d_, span);
            }
        }
        VOp::Index => {
            if let Some(d) = t(0) {
                let d_ = b.push(Op::V(o, vec![d, arg(1)]), Ty::Scalar, span);
                    sum.add(b, d_, span);
            }
        }
        VOp::ArrayLit => {
            if args.iter().any(|a| tan.contains_key(a)) {
                let elems = (0..args.len())
                    .map(|i| t(i).unwrap_or_else(|| b.lit(0.0, span)))
                    .collect();
                let ty = b.ty(y);
                let d_ = b.push(Op::V(o, elems), ty, span);
                    sum.add(b, d_, span);
            }
        }
        // Linear in the first argument, the others give the shape.
        VOp::Fill | VOp::Repeat | VOp::MeanBackward | VOp::IndexBackward => {
            if let Some(d) = t(0) {
                let mut ins = args.to_vec();
                ins[0] = d;
                let d_ = v(b, o, ins, y);
                    sum.add(b, d_, span);
            }
        }
        VOp::ReluBackward => {
            if let Some(d) = t(1) {
                let d_ = v(b, o, vec![arg(0), d], y);
                    sum.add(b, d_, span);
            }
        }
        // Bilinear: one term per argument with a tangent.
        VOp::Dot
        | VOp::Matvec
        | VOp::Matmul
        | VOp::MatvecBackwardW
        | VOp::MatvecBackwardX
        | VOp::MatmulBackwardA
        | VOp::MatmulBackwardB
        // g·other (checking `this`'s length): bilinear in g and other.
        | VOp::DotBackward => {
            for i in 0..2 {
                if let Some(d) = t(i) {
                    let mut ins = args.to_vec();
                    ins[i] = d;
                    let d_ = v(b, o, ins, y);
                    sum.add(b, d_, span);
                }
            }
        }
        // Symmetric Jacobian y⊙(ẋ − ⟨y, ẋ⟩): the backward kernel on the tangent.
        VOp::Softmax => {
            if let Some(d) = t(0) {
                let d_ = v(b, VOp::SoftmaxBackward, vec![y, d], y);
                    sum.add(b, d_, span);
            }
        }
        // ẋ − ⟨softmax(x), ẋ⟩ per row.
        VOp::LogSoftmax => {
            if let Some(d) = t(0) {
                let d_ = v(b, VOp::LogSoftmaxJvp, vec![y, d], y);
                    sum.add(b, d_, span);
            }
        }
        // Scalar losses: ⟨∇, ȧ⟩ with the gradient their backward pieces give at g = 1.
        VOp::Mse => {
            let (p, q) = (t(0), t(1));
            let d = match (p, q) {
                (Some(p), Some(q)) => b.bin(Bin::Sub, p, q, span),
                (Some(p), None) => p,
                (None, Some(q)) => b.un(Un::Neg, q, span),
                (None, None) => return,
            };
            let g = one(b);
            let grad = v(b, VOp::MseBackward, vec![arg(0), arg(1), g], arg(0));
            let d_ = inner(b, grad, d, span);
                sum.add(b, d_, span);
        }
        VOp::CrossEntropy => {
            if let Some(d) = t(0) {
                let g = one(b);
                let grad = v(
                    b,
                    VOp::CrossEntropyBackward,
                    vec![arg(0), arg(1), g],
                    arg(0),
                );
                let d_ = inner(b, grad, d, span);
                    sum.add(b, d_, span);
            }
        }
        VOp::Bce | VOp::BceLogits => {
            let (dp, dy) = match o {
                VOp::Bce => (VOp::BceBackwardP, VOp::BceBackwardY),
                _ => (VOp::BceLogitsBackwardZ, VOp::BceLogitsBackwardY),
            };
            for (i, piece) in [(0, dp), (1, dy)] {
                if let Some(d) = t(i) {
                    let g = one(b);
                    let grad = v(b, piece, vec![arg(0), arg(1), g], arg(i));
                    let d_ = inner(b, grad, d, span);
                        sum.add(b, d_, span);
                }
            }
        }
        // Backward pieces of the activations: g·f′(x), differentiated in g and x.
        VOp::SigmoidBackward | VOp::TanhBackward | VOp::SoftplusBackward => {
            if let Some(dg) = t(1) {
                let d_ = v(b, o, vec![arg(0), dg], y);
                    sum.add(b, d_, span);
            }
            if let Some(dx) = t(0) {
                let (x, g) = (arg(0), arg(1));
                let gd = b.bin(Bin::Mul, g, dx, span);
                let term = match o {
                    // g·y(1 − y) → g·(1 − 2y)·ẏ;  g·(1 − y²) → −2g·y·ẏ: the
                    // local partial of the derivative helper, times g·ẏ.
                    VOp::SigmoidBackward | VOp::TanhBackward => {
                        let u = if o == VOp::SigmoidBackward {
                            Un::SigmoidDerivFromOutput
                        } else {
                            Un::TanhDerivFromOutput
                        };
                        let s = b.un(u, x, span);
                        ops::un_local(b, u, x, s, span).map(|l| l.apply(b, gd, span))
                    }
                    // g·σ(x) → g·σ(x)(1 − σ(x))·ẋ
                    _ => {
                        let s = b.un(Un::Sigmoid, x, span);
                        Some(v(b, VOp::SigmoidBackward, vec![s, gd], y))
                    }
                };
                if let Some(term) = term {
                    sum.add(b, term, span);
                }
            }
        }
        // y⊙(g − ⟨g, y⟩) per row, differentiated in g (linear) and y.
        VOp::SoftmaxBackward | VOp::LogSoftmaxBackward => {
            if let Some(dg) = t(1) {
                let d_ = v(b, o, vec![arg(0), dg], y);
                    sum.add(b, d_, span);
            }
            if let Some(dy) = t(0) {
                let piece = match o {
                    VOp::SoftmaxBackward => VOp::SoftmaxBackwardJvpY,
                    _ => VOp::LogSoftmaxBackwardJvpY,
                };
                let d_ = v(b, piece, vec![arg(0), arg(1), dy], y);
                    sum.add(b, d_, span);
            }
        }
        // 2g(p − t)/n: bilinear in g and (p − t).
        VOp::MseBackward => {
            let (p, q, g) = (arg(0), arg(1), arg(2));
            if let Some(dg) = t(2) {
                let d_ = v(b, o, vec![p, q, dg], y);
                    sum.add(b, d_, span);
            }
            let d = match (t(0), t(1)) {
                (Some(dp), Some(dq)) => Some(b.bin(Bin::Sub, dp, dq, span)),
                (Some(dp), None) => Some(dp),
                (None, Some(dq)) => Some(b.un(Un::Neg, dq, span)),
                (None, None) => None,
            };
            if let Some(d) = d {
                // mse_backward(ṗ − ṫ, 0, g) = 2g(ṗ − ṫ)/n
                let zero = b.lit(0.0, span);
                let z = v(b, VOp::Fill, vec![zero, d], d);
                let d_ = v(b, o, vec![d, z, g], y);
                    sum.add(b, d_, span);
            }
        }
        // g·(softmax(z) − onehot)/rows, differentiated in g and z.
        VOp::CrossEntropyBackward => {
            let (z, c, g) = (arg(0), arg(1), arg(2));
            if let Some(dg) = t(2) {
                let d_ = v(b, o, vec![z, c, dg], y);
                    sum.add(b, d_, span);
            }
            if let Some(dz) = t(0) {
                let d_ = v(b, VOp::CrossEntropyBackwardJvpZ, vec![z, g, dz], y);
                    sum.add(b, d_, span);
            }
        }
        // The binary cross-entropies' per-element pieces: second derivatives
        // spelled out with elementwise ops (k = g/n).
        VOp::BceBackwardP
        | VOp::BceBackwardY
        | VOp::BceLogitsBackwardZ
        | VOp::BceLogitsBackwardY => bce_pieces(b, o, args, y, tan, span, sum),
        // Forward-mode-only pieces never appear in a program forward mode runs over.
        VOp::LogSoftmaxJvp
        | VOp::SoftmaxBackwardJvpY
        | VOp::LogSoftmaxBackwardJvpY
        | VOp::CrossEntropyBackwardJvpZ => {}
    }
}

/// Tangents of the binary cross-entropies' backward pieces, with `k = g/n`:
///
/// - `k(p − y)/(p(1 − p))`: in p `k(p² − 2py + y)/(p(1 − p))²`, in y `−k/(p(1 − p))`;
/// - `k(ln(1 − p) − ln p)`: in p `−k/(p(1 − p))`;
/// - `k(σ(z) − y)`: in z `k·σ(z)(1 − σ(z))`, in y `−k`;
/// - `−k·z`: in z `−k`;
///
/// and each is linear in g.
#[allow(clippy::too_many_arguments)] // reason: mirrors `vector`
fn bce_pieces(
    b: &mut Builder,
    o: VOp,
    args: &[Var],
    y: Var,
    tan: &Tangents,
    span: Span,
    sum: &mut Sum,
) {
    let (p, q, g) = (args[0], args[1], args[2]);
    let t = |v: Var| tan.get(&v).copied();
    if let Some(dg) = t(g) {
        let ty = b.ty(y);
        let d_ = b.push(Op::V(o, vec![p, q, dg]), ty, span);
        sum.add(b, d_, span);
    }
    if t(p).is_none() && t(q).is_none() {
        return;
    }
    let ty = b.ty(p);
    let k = b.push(Op::V(VOp::MeanBackward, vec![g, p]), ty, span);
    let one = b.lit(1.0, span);
    // p(1 − p), for the plain BCE pieces.
    let var = |b: &mut Builder| {
        let c = b.bin(Bin::Sub, one, p, span);
        b.bin(Bin::Mul, p, c, span)
    };
    let mut term = |b: &mut Builder, factor: Var, d: Var, negate: bool| {
        let kd = b.bin(Bin::Mul, k, d, span);
        let mut r = b.bin(Bin::Mul, factor, kd, span);
        if negate {
            r = b.un(Un::Neg, r, span);
        }
        sum.add(b, r, span);
    };
    match o {
        VOp::BceBackwardP => {
            let pv = var(b);
            if let Some(dp) = t(p) {
                // (p² − 2py + y)/(p(1 − p))²
                let p2 = b.bin(Bin::Mul, p, p, span);
                let two = b.lit(2.0, span);
                let py = b.bin(Bin::Mul, p, q, span);
                let py2 = b.bin(Bin::Mul, two, py, span);
                let num = b.bin(Bin::Sub, p2, py2, span);
                let num = b.bin(Bin::Add, num, q, span);
                let den = b.bin(Bin::Mul, pv, pv, span);
                let f = b.bin(Bin::Div, num, den, span);
                term(b, f, dp, false);
            }
            if let Some(dq) = t(q) {
                let f = b.bin(Bin::Div, one, pv, span);
                term(b, f, dq, true);
            }
        }
        VOp::BceBackwardY => {
            if let Some(dp) = t(p) {
                let pv = var(b);
                let f = b.bin(Bin::Div, one, pv, span);
                term(b, f, dp, true);
            }
        }
        VOp::BceLogitsBackwardZ => {
            if let Some(dz) = t(p) {
                let s = b.un(Un::Sigmoid, p, span);
                let f = b.un(Un::SigmoidDerivFromOutput, s, span);
                term(b, f, dz, false);
            }
            if let Some(dq) = t(q) {
                term(b, one, dq, true);
            }
        }
        VOp::BceLogitsBackwardY => {
            if let Some(dz) = t(p) {
                term(b, one, dz, true);
            }
        }
        _ => {}
    }
}
