//! A statement builder with local constant folding: every node the lowering
//! and the reverse sweep create goes through here, so `x*1`, `x+0`, `0*x`,
//! `−(−x)` and literal arithmetic never reach the emitted code.

use crate::ir::{Bin, Node, Op, Shape, Stmt, Ty, Un, Var, Vars};
use crate::sig::FloatTy;
use proc_macro2::Span;

/// Builds statements into the current block.
pub(crate) struct Builder {
    pub(crate) vars: Vars,
    pub(crate) stmts: Vec<Stmt>,
    pub(crate) float: FloatTy,
    /// Whether products of constants may be regrouped (`a·(b·x)` → `(a·b)·x`):
    /// only in backward code, so forward values stay bit-identical to the fn.
    pub(crate) reassociate: bool,
}

impl Builder {
    pub(crate) fn new(vars: Vars, float: FloatTy) -> Self {
        Builder {
            vars,
            stmts: Vec::new(),
            float,
            reassociate: false,
        }
    }

    /// Appends `let v = op;` with a fresh temporary name.
    pub(crate) fn push(&mut self, op: Op, ty: Ty, span: Span) -> Var {
        self.push_named(op, ty, span, "")
    }

    /// Appends `let v = op;` naming `v` after `base` (a temporary if empty).
    pub(crate) fn push_named(&mut self, op: Op, ty: Ty, span: Span, base: &str) -> Var {
        let v = self.vars.fresh(base, ty, span, false);
        if let Op::Lit(x) = op {
            self.vars.get_mut(v).lit = Some(x);
        }
        self.stmts.push(Stmt::Let(Node { var: v, op }));
        v
    }

    /// The literal value of `v`, if it is one.
    pub(crate) fn lit_of(&self, v: Var) -> Option<f64> {
        self.vars.get(v).lit
    }

    /// A float literal.
    pub(crate) fn lit(&mut self, x: f64, span: Span) -> Var {
        self.push(Op::Lit(x), Ty::Scalar, span)
    }

    /// `p op q` folded to its value, computed as run time computes it: in
    /// `f64`, or in `f32` on the literals rounded to `f32` (as they are
    /// emitted); `None` when no fold matches run time in every instantiation
    /// of a generic float type.
    fn fold(&self, b: Bin, p: f64, q: f64) -> Option<f64> {
        let (r64, r32) = match b {
            Bin::Add => (p + q, p as f32 + q as f32),
            Bin::Sub => (p - q, p as f32 - q as f32),
            Bin::Mul => (p * q, p as f32 * q as f32),
            _ => return None,
        };
        match self.float {
            FloatTy::Generic(_) => crate::generic::fold(p, q, r64),
            FloatTy::F32 => Some(f64::from(r32)),
            FloatTy::F64 => Some(r64),
        }
    }

    /// The type of `v`.
    pub(crate) fn ty(&self, v: Var) -> Ty {
        self.vars.get(v).ty.clone()
    }

    /// The type of an elementwise op on `x` and `y`.
    fn elementwise_ty(&self, x: Var, y: Var) -> Ty {
        match (self.ty(x), self.ty(y)) {
            (Ty::Matrix, _) | (_, Ty::Matrix) => Ty::Matrix,
            (Ty::Vector(a), Ty::Vector(b)) => Ty::Vector(Shape::combine(&a, &b)),
            (Ty::Vector(a), _) | (_, Ty::Vector(a)) => Ty::Vector(a),
            _ => Ty::Scalar,
        }
    }

    /// A unary primitive, folded where the result is known.
    pub(crate) fn un(&mut self, u: Un, a: Var, span: Span) -> Var {
        if u == Un::Neg {
            if let Some(x) = self.lit_of(a) {
                return self.lit(-x, span);
            }
            if let Some(inner) = self.neg_of(a) {
                return inner;
            }
        }
        let ty = self.ty(a);
        self.push(Op::Un(u, a), ty, span)
    }

    /// `Some((c, x))` if `v = c·x` (or `x·c`) for a literal `c`, bound in this block.
    fn lit_times(&self, v: Var) -> Option<(f64, Var)> {
        self.stmts.iter().rev().find_map(|s| match s {
            Stmt::Let(Node {
                var,
                op: Op::Bin(Bin::Mul, p, q),
            }) if *var == v => match (self.lit_of(*p), self.lit_of(*q)) {
                (Some(c), None) => Some((c, *q)),
                (None, Some(c)) => Some((c, *p)),
                _ => None,
            },
            _ => None,
        })
    }

    /// `Some(x)` if `v = −x`.
    fn neg_of(&self, v: Var) -> Option<Var> {
        self.stmts.iter().rev().find_map(|s| match s {
            Stmt::Let(Node {
                var,
                op: Op::Un(Un::Neg, x),
            }) if *var == v => Some(*x),
            _ => None,
        })
    }

    /// A binary primitive, folded where the result is known.
    pub(crate) fn bin(&mut self, b: Bin, x: Var, y: Var, span: Span) -> Var {
        let (lx, ly) = (self.lit_of(x), self.lit_of(y));
        let folded = match (lx, ly) {
            (Some(p), Some(q)) => self.fold(b, p, q),
            _ => None,
        };
        if let Some(r) = folded {
            return self.lit(r, span);
        }
        match (b, lx, ly) {
            // Only folds that are exact for every input, −0, ±inf and NaN included:
            // x − (+0) = x and x + (−0) = x, but not x + 0 (−0 + 0 = +0) nor 0·x
            // (NaN for x = ±inf or NaN).
            (Bin::Sub, _, Some(z)) if z.to_bits() == 0 => return x,
            (Bin::Add, _, Some(z)) if z.to_bits() == (-0.0_f64).to_bits() => return x,
            (Bin::Add, Some(z), _) if z.to_bits() == (-0.0_f64).to_bits() => return y,
            (Bin::Mul, Some(1.0), _) => return y,
            (Bin::Mul | Bin::Div, _, Some(1.0)) => return x,
            (Bin::Mul, Some(-1.0), _) => return self.un(Un::Neg, y, span),
            (Bin::Mul | Bin::Div, _, Some(-1.0)) => return self.un(Un::Neg, x, span),
            _ => {}
        }
        // Backward only: a·(b·x) → (a·b)·x for literals a, b (one rounding fewer).
        if self.reassociate && b == Bin::Mul {
            let (lit, other) = match (lx, ly) {
                (Some(a), None) => (Some(a), y),
                (None, Some(a)) => (Some(a), x),
                _ => (None, x),
            };
            if let (Some(a), Some((c, z))) = (lit, self.lit_times(other))
                && let Some(k) = self.fold(Bin::Mul, a, c)
            {
                let k = self.lit(k, span);
                return self.bin(Bin::Mul, k, z, span);
            }
        }
        // x + (−y) → x − y,  x − (−y) → x + y,  (−x)·(−y) → x·y
        match (b, self.neg_of(x), self.neg_of(y)) {
            (Bin::Add, _, Some(ny)) => return self.bin(Bin::Sub, x, ny, span),
            (Bin::Sub, _, Some(ny)) => return self.bin(Bin::Add, x, ny, span),
            (Bin::Mul | Bin::Div, Some(nx), Some(ny)) => return self.bin(b, nx, ny, span),
            _ => {}
        }
        let ty = self.elementwise_ty(x, y);
        self.push(Op::Bin(b, x, y), ty, span)
    }

    /// `x · y` (folded).
    pub(crate) fn mul(&mut self, x: Var, y: Var, span: Span) -> Var {
        self.bin(Bin::Mul, x, y, span)
    }
}
