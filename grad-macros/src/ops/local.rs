//! The local partials of the elementwise primitives, as IR: `∂y/∂a` of
//! each op of the table, built from ops that are themselves in the table.

use crate::build::Builder;
use crate::ir::{Bin, Expo, Op, Ty, Un, Var};
use proc_macro2::Span;
use quote::quote;

/// A local partial `∂y/∂a = ±times/over` (a missing factor is 1). An adjoint
/// or a tangent `g` becomes `±(g/over)·times`, in that order.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Local {
    pub(crate) times: Option<Var>,
    pub(crate) over: Option<Var>,
    pub(crate) negate: bool,
}

impl Local {
    fn times(v: Var) -> Local {
        Local {
            times: Some(v),
            ..Local::default()
        }
    }

    /// `g` multiplied by this partial.
    pub(crate) fn apply(self, b: &mut Builder, g: Var, span: Span) -> Var {
        let mut d = g;
        if let Some(o) = self.over {
            d = b.bin(Bin::Div, d, o, span);
        }
        if let Some(t) = self.times {
            d = b.mul(d, t, span);
        }
        if self.negate {
            d = b.un(Un::Neg, d, span);
        }
        d
    }
}

/// `∂y/∂a` of `y = u(a)`, reusing `y` where that is cheaper (σ′ = y(1 − y),
/// tanh′ = 1 − y², exp′ = y); `None` where it is 0 (a step function).
pub(crate) fn un_local(b: &mut Builder, u: Un, a: Var, y: Var, span: Span) -> Option<Local> {
    Some(match u {
        // −a: −1
        Un::Neg => Local {
            negate: true,
            ..Local::default()
        },
        // eᵃ: eᵃ = y
        Un::Exp => Local::times(y),
        // ln a: 1/a
        Un::Ln => Local {
            over: Some(a),
            ..Local::default()
        },
        // √a: 1/(2√a) = 1/(2y)   (inf at a = 0, like PyTorch)
        Un::Sqrt => {
            let two = b.lit(2.0, span);
            Local {
                over: Some(b.mul(two, y, span)),
                ..Local::default()
            }
        }
        // sin a: cos a
        Un::Sin => Local::times(b.un(Un::Cos, a, span)),
        // cos a: −sin a
        Un::Cos => Local {
            times: Some(b.un(Un::Sin, a, span)),
            negate: true,
            ..Local::default()
        },
        // |a|: sign(a), 0 at a = 0
        Un::Abs => Local::times(b.un(Un::AbsDeriv, a, span)),
        // σ(a): σ(a)(1 − σ(a)) = y(1 − y)   (for a scalar σ in the same block,
        // `emit` takes 1 − y from the forward `exp`: accurate where y → 1)
        Un::Sigmoid => Local::times(b.un(Un::SigmoidDerivFromOutput, y, span)),
        // tanh a: 1 − tanh²a = 1 − y²
        Un::Tanh => Local::times(b.un(Un::TanhDerivFromOutput, y, span)),
        // relu a: 1 for a > 0, else 0 (0 at a = 0)
        Un::Relu => Local::times(b.un(Un::ReluDeriv, a, span)),
        // softplus a = ln(1 + eᵃ): σ(a)
        Un::Softplus => Local::times(b.un(Un::Sigmoid, a, span)),
        // y₀(1 − y₀): 1 − 2y₀
        Un::SigmoidDerivFromOutput => {
            let one = b.lit(1.0, span);
            let two = b.lit(2.0, span);
            let t = b.mul(two, a, span);
            Local::times(b.bin(Bin::Sub, one, t, span))
        }
        // 1 − y₀²: −2y₀
        Un::TanhDerivFromOutput => {
            let m2 = b.lit(-2.0, span);
            Local::times(b.mul(m2, a, span))
        }
        // Steps: 0 away from the step (and taken as 0 at it).
        Un::ReluDeriv | Un::AbsDeriv => return None,
    })
}

/// `∂y/∂x` (`second` false) or `∂y/∂z` (`second` true) of `y = o(x, z)`;
/// `None` where it is 0.
pub(crate) fn bin_local(
    b: &mut Builder,
    o: Bin,
    [x, z]: [Var; 2],
    y: Var,
    second: bool,
    span: Span,
) -> Option<Local> {
    let one = Local::default();
    Some(match (o, second) {
        // x + z: 1, 1;  x − z: 1, −1
        (Bin::Add, _) | (Bin::Sub, false) => one,
        (Bin::Sub, true) => Local {
            negate: true,
            ..one
        },
        // x·z: z, x
        (Bin::Mul, false) => Local::times(z),
        (Bin::Mul, true) => Local::times(x),
        // x/z: 1/z, −x/z² = −y/z
        (Bin::Div, false) => Local {
            over: Some(z),
            ..one
        },
        (Bin::Div, true) => Local {
            times: Some(y),
            over: Some(z),
            negate: true,
        },
        // max(x, z): [x ≥ z], [x < z] (a tie to the first argument); min alike
        (Bin::Max, false) => Local::times(b.bin(Bin::MaxDerivFirst, x, z, span)),
        (Bin::Max, true) => Local::times(b.bin(Bin::MaxDerivSecond, x, z, span)),
        (Bin::Min, false) => Local::times(b.bin(Bin::MinDerivFirst, x, z, span)),
        (Bin::Min, true) => Local::times(b.bin(Bin::MinDerivSecond, x, z, span)),
        // x^z: z·x^(z−1), y·ln x
        (Bin::Powf, false) => {
            let one = b.lit(1.0, span);
            let zm1 = b.bin(Bin::Sub, z, one, span);
            let p = b.push(Op::Bin(Bin::Powf, x, zm1), Ty::Scalar, span);
            Local::times(b.mul(z, p, span))
        }
        (Bin::Powf, true) => {
            let l = b.un(Un::Ln, x, span);
            Local::times(b.mul(y, l, span))
        }
        // leaky_relu(x, s): 1 for x > 0 else s (s at 0); min(x, 0)
        (Bin::LeakyRelu, false) => {
            Local::times(b.push(Op::Bin(Bin::LeakyReluDeriv, x, z), Ty::Scalar, span))
        }
        (Bin::LeakyRelu, true) => {
            let zero = b.lit(0.0, span);
            Local::times(b.push(Op::Bin(Bin::Min, x, zero), Ty::Scalar, span))
        }
        // [x > 0] + s·[x ≤ 0]: 0 (a step), 1 − [x > 0]
        (Bin::LeakyReluDeriv, false) => return None,
        (Bin::LeakyReluDeriv, true) => {
            let one = b.lit(1.0, span);
            let step = b.un(Un::ReluDeriv, x, span);
            Local::times(b.bin(Bin::Sub, one, step, span))
        }
        // Steps in both arguments: 0 away from the tie (and taken as 0 at it).
        (
            Bin::MaxDerivFirst | Bin::MaxDerivSecond | Bin::MinDerivFirst | Bin::MinDerivSecond,
            _,
        ) => return None,
    })
}

/// `∂y/∂x` of `y = xⁿ`: `n·xⁿ⁻¹`; `None` for `n = 0`.
pub(crate) fn powi_local(b: &mut Builder, x: Var, n: &Expo, span: Span) -> Option<Local> {
    Some(match n {
        Expo::Lit(0) => return None,
        Expo::Lit(1) => Local::default(),
        Expo::Lit(2) => {
            let two = b.lit(2.0, span);
            Local::times(b.mul(two, x, span))
        }
        Expo::Lit(k) => {
            let kf = b.lit(f64::from(*k), span);
            let p = b.push(Op::Powi(x, Expo::Lit(k - 1)), Ty::Scalar, span);
            Local::times(b.mul(kf, p, span))
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
            Local::times(b.mul(nf, p, span))
        }
    })
}
