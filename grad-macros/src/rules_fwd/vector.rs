//! The tangent rules of the vector ops: one exhaustive `match` over
//! [`VOp`], forward ops and backward pieces alike.

use super::bce::bce_pieces;
use super::{Sum, Tangents, inner};
use crate::build::Builder;
use crate::ir::{Bin, Op, Ty, Un, VOp, Var};
use crate::ops;
use proc_macro2::Span;

/// The tangents of the vector ops.
#[allow(clippy::too_many_arguments)] // reason: mirrors `tangent` plus the op's parts
pub(super) fn vector(
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
        // A constant.
        VOp::Zeros => {}
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
