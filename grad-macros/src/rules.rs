//! The derivative table: one exhaustive `match` over the IR's ops.
//!
//! For `y = op(a, b, ..)` and the adjoint `ḡ = ∂L/∂y`, each arm builds the
//! contributions `ḡ·∂y/∂a`, `ḡ·∂y/∂b`, ... (only for inputs that depend on
//! a differentiated parameter). Where the forward output is cheaper to reuse
//! than the input, the rule reads `y` (σ′ = y(1−y), tanh′ = 1−y², exp′ = y).
//!
//! Conventions at non-smooth points (like PyTorch and JAX):
//! - `relu′(0) = 0`, `leaky_relu′(0) = slope`, `abs′(0) = 0`;
//! - `max(a, b)` and `min(a, b)` on a tie send the whole gradient to the
//!   first argument `a`; with one NaN argument the gradient follows the
//!   value returned (IEEE `maxNum`: `max(a, NaN) = a`).

use crate::build::Builder;
use crate::ir::{Arg, Bin, Expo, Op, Ty, Un, VOp, Var};
use proc_macro2::Span;
use quote::quote;

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
        Op::Lit(_) | Op::Opaque(..) => {}
        // Backward-only ops never get an adjoint (no second derivatives).
        Op::Partial(..) => {}
        Op::Un(u, a) => {
            let a = *a;
            if !active(a) {
                return out;
            }
            let vector = matches!(b.ty(a), Ty::Vector(_));
            let d = match u {
                // −a: ∂/∂a = −1
                Un::Neg => b.un(Un::Neg, g, span),
                // eᵃ: ∂/∂a = eᵃ = y
                Un::Exp => b.mul(g, y, span),
                // ln a: ∂/∂a = 1/a
                Un::Ln => b.bin(Bin::Div, g, a, span),
                // √a: ∂/∂a = 1/(2√a) = 1/(2y)   (inf at a = 0, like PyTorch)
                Un::Sqrt => {
                    let two = b.lit(2.0, span);
                    let two_y = b.mul(two, y, span);
                    b.bin(Bin::Div, g, two_y, span)
                }
                // sin a: ∂/∂a = cos a
                Un::Sin => {
                    let c = b.un(Un::Cos, a, span);
                    b.mul(g, c, span)
                }
                // cos a: ∂/∂a = −sin a
                Un::Cos => {
                    let s = b.un(Un::Sin, a, span);
                    let gs = b.mul(g, s, span);
                    b.un(Un::Neg, gs, span)
                }
                // |a|: ∂/∂a = sign(a), 0 at a = 0
                Un::Abs => {
                    let s = b.un(Un::AbsDeriv, a, span);
                    b.mul(g, s, span)
                }
                // On vectors the activations' backwards are grad-core's kernels
                // (the same formulas below, vectorized).
                Un::Sigmoid if vector => {
                    b.push(Op::V(VOp::SigmoidBackward, vec![y, g]), b.ty(a), span)
                }
                Un::Tanh if vector => b.push(Op::V(VOp::TanhBackward, vec![y, g]), b.ty(a), span),
                Un::Relu if vector => b.push(Op::V(VOp::ReluBackward, vec![a, g]), b.ty(a), span),
                Un::Softplus if vector => {
                    b.push(Op::V(VOp::SoftplusBackward, vec![a, g]), b.ty(a), span)
                }
                // σ(a): ∂/∂a = σ(a)(1 − σ(a)) = y(1 − y)   (for a scalar σ in the same
                // block, `emit` takes 1 − y from the forward `exp`: accurate where y → 1)
                Un::Sigmoid => {
                    let s = b.un(Un::SigmoidDerivFromOutput, y, span);
                    b.mul(g, s, span)
                }
                // tanh a: ∂/∂a = 1 − tanh²a = 1 − y²
                Un::Tanh => {
                    let s = b.un(Un::TanhDerivFromOutput, y, span);
                    b.mul(g, s, span)
                }
                // relu a: ∂/∂a = 1 for a > 0, else 0 (0 at a = 0)
                Un::Relu => {
                    let s = b.un(Un::ReluDeriv, a, span);
                    b.mul(g, s, span)
                }
                // softplus a = ln(1 + eᵃ): ∂/∂a = σ(a)
                Un::Softplus => {
                    let s = b.un(Un::Sigmoid, a, span);
                    b.mul(g, s, span)
                }
                // The derivative helpers have derivatives too, so that backward code
                // can itself be differentiated (second derivatives):
                // y₀(1 − y₀): ∂/∂y₀ = 1 − 2y₀
                Un::SigmoidDerivFromOutput => {
                    let one = b.lit(1.0, span);
                    let two = b.lit(2.0, span);
                    let t = b.mul(two, a, span);
                    let s = b.bin(Bin::Sub, one, t, span);
                    b.mul(g, s, span)
                }
                // 1 − y₀²: ∂/∂y₀ = −2y₀
                Un::TanhDerivFromOutput => {
                    let m2 = b.lit(-2.0, span);
                    let s = b.mul(m2, a, span);
                    b.mul(g, s, span)
                }
                // Step functions: 0 away from the step (and taken as 0 at it).
                Un::ReluDeriv | Un::AbsDeriv => return out,
            };
            out.push((a, d));
        }
        Op::Bin(o, x, z) => {
            let (x, z) = (*x, *z);
            let (ax, az) = (active(x), active(z));
            match o {
                // x + z: ∂/∂x = 1, ∂/∂z = 1
                Bin::Add => {
                    if ax {
                        out.push((x, g));
                    }
                    if az {
                        out.push((z, g));
                    }
                }
                // x − z: ∂/∂x = 1, ∂/∂z = −1
                Bin::Sub => {
                    if ax {
                        out.push((x, g));
                    }
                    if az {
                        let d = b.un(Un::Neg, g, span);
                        out.push((z, d));
                    }
                }
                // x·z: ∂/∂x = z, ∂/∂z = x
                Bin::Mul => {
                    if ax {
                        let d = b.mul(g, z, span);
                        out.push((x, d));
                    }
                    if az {
                        let d = b.mul(g, x, span);
                        out.push((z, d));
                    }
                }
                // x/z: ∂/∂x = 1/z, ∂/∂z = −x/z² = −y/z
                Bin::Div => {
                    let gz = b.bin(Bin::Div, g, z, span);
                    if ax {
                        out.push((x, gz));
                    }
                    if az {
                        let d = b.mul(gz, y, span);
                        let d = b.un(Un::Neg, d, span);
                        out.push((z, d));
                    }
                }
                // max(x, z): 1 to x if x ≥ z (ties to the first argument), else 1 to z
                Bin::Max | Bin::Min => {
                    let (first, second) = if *o == Bin::Max {
                        (Bin::MaxDerivFirst, Bin::MaxDerivSecond)
                    } else {
                        (Bin::MinDerivFirst, Bin::MinDerivSecond)
                    };
                    if ax {
                        let s = b.bin(first, x, z, span);
                        out.push((x, b.mul(g, s, span)));
                    }
                    if az {
                        let s = b.bin(second, x, z, span);
                        out.push((z, b.mul(g, s, span)));
                    }
                }
                // x^z: ∂/∂x = z·x^(z−1), ∂/∂z = y·ln x
                Bin::Powf => {
                    if ax {
                        let one = b.lit(1.0, span);
                        let zm1 = b.bin(Bin::Sub, z, one, span);
                        let p = b.push(Op::Bin(Bin::Powf, x, zm1), Ty::Scalar, span);
                        let d = b.mul(z, p, span);
                        out.push((x, b.mul(g, d, span)));
                    }
                    if az {
                        let l = b.un(Un::Ln, x, span);
                        let d = b.mul(y, l, span);
                        out.push((z, b.mul(g, d, span)));
                    }
                }
                // leaky_relu(x, s): ∂/∂x = 1 for x > 0 else s (s at 0); ∂/∂s = min(x, 0)
                Bin::LeakyRelu => {
                    if ax {
                        let s = b.push(Op::Bin(Bin::LeakyReluDeriv, x, z), Ty::Scalar, span);
                        out.push((x, b.mul(g, s, span)));
                    }
                    if az {
                        let zero = b.lit(0.0, span);
                        let m = b.push(Op::Bin(Bin::Min, x, zero), Ty::Scalar, span);
                        out.push((z, b.mul(g, m, span)));
                    }
                }
                // [x > 0] + s·[x ≤ 0]: ∂/∂x = 0 (a step), ∂/∂s = 1 − [x > 0]
                Bin::LeakyReluDeriv => {
                    if az {
                        let one = b.lit(1.0, span);
                        let step = b.un(Un::ReluDeriv, x, span);
                        let s = b.bin(Bin::Sub, one, step, span);
                        out.push((z, b.mul(g, s, span)));
                    }
                }
                // Steps in both arguments: 0 away from the tie (and taken as 0 at it).
                Bin::MaxDerivFirst
                | Bin::MaxDerivSecond
                | Bin::MinDerivFirst
                | Bin::MinDerivSecond => {}
            }
        }
        // xⁿ: ∂/∂x = n·xⁿ⁻¹
        Op::Powi(x, n) => {
            let x = *x;
            if !active(x) {
                return out;
            }
            let d = match n {
                Expo::Lit(0) => return out,
                Expo::Lit(1) => g,
                Expo::Lit(2) => {
                    let two = b.lit(2.0, span);
                    let d = b.mul(two, x, span);
                    b.mul(g, d, span)
                }
                Expo::Lit(k) => {
                    let kf = b.lit(f64::from(*k), span);
                    let p = b.push(Op::Powi(x, Expo::Lit(k - 1)), Ty::Scalar, span);
                    let d = b.mul(kf, p, span);
                    b.mul(g, d, span)
                }
                Expo::Expr(ts, uses) => {
                    let fl = b.float;
                    let nf = b.push(
                        Op::Opaque(quote!((#ts) as #fl), uses.clone()),
                        Ty::Scalar,
                        span,
                    );
                    let p = b.push(
                        Op::Powi(x, Expo::Expr(quote!((#ts) - 1), uses.clone())),
                        Ty::Scalar,
                        span,
                    );
                    let d = b.mul(nf, p, span);
                    b.mul(g, d, span)
                }
            };
            out.push((x, d));
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
        Op::CallVjp(..) => {}
    }
    out
}
