//! The tangent rules of the binary cross-entropies' backward pieces
//! (second derivatives of `binary_cross_entropy` and `bce_with_logits`).

use super::{Sum, Tangents};
use crate::build::Builder;
use crate::ir::{Bin, Op, Un, VOp, Var};
use proc_macro2::Span;

/// Tangents of the binary cross-entropies' backward pieces, with `k = g/n`:
///
/// - `k(p − y)/(p(1 − p))`: in p `k(p² − 2py + y)/(p(1 − p))²`, in y `−k/(p(1 − p))`;
/// - `k(ln(1 − p) − ln p)`: in p `−k/(p(1 − p))`;
/// - `k(σ(z) − y)`: in z `k·σ(z)(1 − σ(z))`, in y `−k`;
/// - `−k·z`: in z `−k`;
///
/// and each is linear in g.
#[allow(clippy::too_many_arguments)] // reason: mirrors `vector`
pub(super) fn bce_pieces(
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
