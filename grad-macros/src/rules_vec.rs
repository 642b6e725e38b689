//! The derivative table of the vector ops (one exhaustive `match` over
//! [`VOp`]), called from [`crate::rules`]. Every backward piece is one
//! runtime helper; the loss backwards are fused (cross-entropy gives
//! `g·(softmax(z) − onehot(class))` directly, not a softmax Jacobian product).

use crate::build::Builder;
use crate::ir::{Op, Ty, Un, VOp, Var};
use proc_macro2::{Literal, Span};
use quote::quote;

/// Pushes `(input, ḡ·∂y/∂input)` for the active inputs of `y = op(args)`.
#[allow(clippy::too_many_arguments)] // reason: mirrors `rules::pullback` plus the output list
pub(crate) fn pullback(
    b: &mut Builder,
    op: VOp,
    args: &[Var],
    y: Var,
    g: Var,
    span: Span,
    active: &dyn Fn(Var) -> bool,
    out: &mut Vec<(Var, Var)>,
) {
    let arg = |i: usize| args.get(i).copied();
    let v = |b: &mut Builder, o: VOp, ins: Vec<Var>, like: Var| {
        let ty = b.ty(like);
        b.push(Op::V(o, ins), ty, span)
    };
    match op {
        // Σv: ∂/∂vᵢ = 1
        VOp::Sum => {
            if let Some(x) = arg(0).filter(|x| active(*x)) {
                out.push((x, v(b, VOp::Fill, vec![g, x], x)));
            }
        }
        // vec![s; n]: ∂L/∂s = Σḡ
        // A constant.
        VOp::Zeros => {}
        VOp::Repeat => {
            if let Some(s) = arg(0).filter(|s| active(*s)) {
                out.push((s, b.push(Op::V(VOp::Sum, vec![g]), Ty::Scalar, span)));
            }
        }
        // Σv/n: ∂/∂vᵢ = 1/n
        VOp::Mean => {
            if let Some(x) = arg(0).filter(|x| active(*x)) {
                out.push((x, v(b, VOp::MeanBackward, vec![g, x], x)));
            }
        }
        // a·c: ∂/∂a = c, ∂/∂c = a
        VOp::Dot => {
            let (Some(a), Some(c)) = (arg(0), arg(1)) else {
                return;
            };
            // `g·c`, with the length check the (possibly dropped) forward `dot` did.
            if active(a) {
                out.push((a, v(b, VOp::DotBackward, vec![g, c, a], a)));
            }
            if active(c) {
                out.push((c, v(b, VOp::DotBackward, vec![g, a, c], c)));
            }
        }
        // y = W·x: ∂L/∂W = ḡ·xᵀ, ∂L/∂x = Wᵀ·ḡ
        VOp::Matvec => {
            let (Some(w), Some(x)) = (arg(0), arg(1)) else {
                return;
            };
            if active(w) {
                out.push((w, v(b, VOp::MatvecBackwardW, vec![g, x], w)));
            }
            if active(x) {
                out.push((x, v(b, VOp::MatvecBackwardX, vec![w, g], x)));
            }
        }
        // y = a·b: ∂L/∂a = ḡ·bᵀ, ∂L/∂b = aᵀ·ḡ
        VOp::Matmul => {
            let (Some(a), Some(c)) = (arg(0), arg(1)) else {
                return;
            };
            if active(a) {
                out.push((a, v(b, VOp::MatmulBackwardA, vec![g, c], a)));
            }
            if active(c) {
                out.push((c, v(b, VOp::MatmulBackwardB, vec![a, g], c)));
            }
        }
        // y = aᵀ: ∂L/∂a = ḡᵀ
        VOp::Transpose => {
            if let Some(x) = arg(0).filter(|x| active(*x)) {
                out.push((x, v(b, VOp::Transpose, vec![g], x)));
            }
        }
        // y = softmax(v): ∂L/∂vᵢ = yᵢ(ḡᵢ − Σⱼ ḡⱼyⱼ)  (the Jacobian yᵢ(δᵢⱼ − yⱼ), never built)
        VOp::Softmax => {
            if let Some(x) = arg(0).filter(|x| active(*x)) {
                out.push((x, v(b, VOp::SoftmaxBackward, vec![y, g], x)));
            }
        }
        // y = log_softmax(v): ∂L/∂vᵢ = ḡᵢ − e^(yᵢ)·Σⱼ ḡⱼ
        VOp::LogSoftmax => {
            if let Some(x) = arg(0).filter(|x| active(*x)) {
                out.push((x, v(b, VOp::LogSoftmaxBackward, vec![y, g], x)));
            }
        }
        // Σ(p − t)²/n: ∂/∂p = 2(p − t)/n, ∂/∂t = −∂/∂p
        VOp::Mse => {
            let (Some(p), Some(t)) = (arg(0), arg(1)) else {
                return;
            };
            if !active(p) && !active(t) {
                return;
            }
            let dp = v(b, VOp::MseBackward, vec![p, t, g], p);
            if active(p) {
                out.push((p, dp));
            }
            if active(t) {
                out.push((t, b.un(Un::Neg, dp, span)));
            }
        }
        // −log_softmax(z)[c]: ∂/∂z = softmax(z) − onehot(c)  (fused)
        VOp::CrossEntropy => {
            let (Some(z), Some(c)) = (arg(0), arg(1)) else {
                return;
            };
            if active(z) {
                out.push((z, v(b, VOp::CrossEntropyBackward, vec![z, c, g], z)));
            }
        }
        // mean(−(y·ln p + (1−y)·ln(1−p))): ∂/∂p = (p − y)/(p(1 − p)n), ∂/∂y = (ln(1−p) − ln p)/n
        VOp::Bce => {
            let (Some(p), Some(t)) = (arg(0), arg(1)) else {
                return;
            };
            if active(p) {
                out.push((p, v(b, VOp::BceBackwardP, vec![p, t, g], p)));
            }
            if active(t) {
                out.push((t, v(b, VOp::BceBackwardY, vec![p, t, g], t)));
            }
        }
        // mean(max(z,0) − z·y + ln(1 + e^−|z|)): ∂/∂z = (σ(z) − y)/n, ∂/∂y = −z/n
        VOp::BceLogits => {
            let (Some(z), Some(t)) = (arg(0), arg(1)) else {
                return;
            };
            if active(z) {
                out.push((z, v(b, VOp::BceLogitsBackwardZ, vec![z, t, g], z)));
            }
            if active(t) {
                out.push((t, v(b, VOp::BceLogitsBackwardY, vec![z, t, g], t)));
            }
        }
        // v[i]: ∂/∂v = onehot(i)
        VOp::Index => {
            let (Some(x), Some(i)) = (arg(0), arg(1)) else {
                return;
            };
            if active(x) {
                out.push((x, v(b, VOp::IndexBackward, vec![g, i, x], x)));
            }
        }
        // [a₀, a₁, ..]: ∂L/∂aₖ = ḡ[k]
        VOp::ArrayLit => {
            for (k, a) in args.iter().enumerate() {
                if !active(*a) {
                    continue;
                }
                let lit = Literal::usize_unsuffixed(k);
                let idx = b.push(Op::Opaque(quote!(#lit), vec![]), Ty::Other, span);
                let d = b.push(Op::V(VOp::Index, vec![g, idx]), Ty::Scalar, span);
                out.push((*a, d));
            }
        }
        // Backward-only pieces are never differentiated.
        VOp::Fill
        | VOp::MeanBackward
        | VOp::DotBackward
        | VOp::IndexBackward
        | VOp::SoftmaxBackward
        | VOp::LogSoftmaxBackward
        | VOp::MseBackward
        | VOp::CrossEntropyBackward
        | VOp::BceBackwardP
        | VOp::BceBackwardY
        | VOp::BceLogitsBackwardZ
        | VOp::BceLogitsBackwardY
        | VOp::MatvecBackwardW
        | VOp::MatvecBackwardX
        | VOp::MatmulBackwardA
        | VOp::MatmulBackwardB
        | VOp::ColSum
        | VOp::LogSoftmaxJvp
        | VOp::SoftmaxBackwardJvpY
        | VOp::LogSoftmaxBackwardJvpY
        | VOp::CrossEntropyBackwardJvpZ
        | VOp::SigmoidBackward
        | VOp::TanhBackward
        | VOp::ReluBackward
        | VOp::SoftplusBackward => {}
    }
}
