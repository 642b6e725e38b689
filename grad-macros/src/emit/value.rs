//! The Rust types of values in generated code: the type a vector or matrix
//! is bound with, zeros of an adjoint's shape, and conversion of a result or
//! gradient to the type a caller expects (moving owned buffers, cloning
//! borrowed ones).

use super::{Emitter, float_lit};
use crate::ir::{Operand, Shape, Ty, Var};
use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};

impl Emitter<'_> {
    /// The Rust type of a matrix of the fn's float type.
    pub(crate) fn matrix_ty(&self) -> TokenStream {
        let f = self.float;
        quote!(::grad::Matrix<#f>)
    }

    /// The Rust type of a vector shape.
    pub(crate) fn vec_ty(&self, s: &Shape) -> TokenStream {
        let f = self.float;
        match s {
            Shape::Array(n) => {
                let n = &n.tokens;
                quote!([#f; #n])
            }
            Shape::Dynamic => quote!(::std::vec::Vec<#f>),
        }
    }

    pub(super) fn zero(&self, ty: &Ty) -> TokenStream {
        match ty {
            Ty::Scalar => float_lit(0.0, self.float),
            Ty::Vector(Shape::Array(n)) => {
                let z = float_lit(0.0, self.float);
                let n = &n.tokens;
                quote!([#z; #n])
            }
            Ty::Vector(Shape::Dynamic) => quote!(::std::vec::Vec::new()),
            _ => quote!(::core::default::Default::default()),
        }
    }

    /// Zero of the slot's type: for a vector or a matrix, grad-core's
    /// `zeros_like` of `like`, so rustc picks the shape.
    pub(super) fn zero_like(&self, like: Var, ty: Option<&Ty>) -> TokenStream {
        match ty {
            Some(t) if t.is_tensor() => {
                let t = self.operand(like);
                quote!(::grad::__private::zeros_like(&#t))
            }
            Some(t) => self.zero(t),
            None => self.zero(&Ty::Scalar),
        }
    }

    /// Whether `v` holds an owned `Vec` or `Matrix` that moving would consume.
    pub(super) fn is_owned_vec(&self, v: Var) -> bool {
        let info = self.p.vars.get(v);
        matches!(info.ty, Ty::Vector(Shape::Dynamic) | Ty::Matrix)
            && info.param.is_none()
            && !self.foreign.contains(&v)
    }

    /// A list of yielded values; an owned `Vec` yielded twice is cloned for all but its last use.
    pub(super) fn yield_list(&self, ys: &[Operand], tys: &[Ty]) -> Vec<TokenStream> {
        ys.iter()
            .enumerate()
            .map(|(k, o)| match o {
                Operand::Var(v) => {
                    let later = ys[k + 1..].contains(o);
                    match tys.get(k) {
                        // A borrowed vector or matrix (a parameter) is copied to
                        // the slot's owned type, like the other branch's value.
                        Some(ty) if ty.is_tensor() => self.convert(*o, ty, None, later),
                        _ => self.operand(*v),
                    }
                }
                Operand::Zero => self.zero(tys.get(k).unwrap_or(&Ty::Scalar)),
                Operand::ZeroLike(like) => self.zero_like(*like, tys.get(k)),
            })
            .collect()
    }

    /// `v` converted to the Rust type a caller expects: a float, a `Vec` or an
    /// array of length `len`. `like` gives the length of a zero vector.
    pub(crate) fn convert(
        &self,
        o: Operand,
        want: &Ty,
        like: Option<TokenStream>,
        dup: bool,
    ) -> TokenStream {
        let f = self.float;
        let v = match o {
            Operand::Zero => {
                return match like {
                    Some(like) if want.is_tensor() => quote!(::grad::__private::zeros_like(&#like)),
                    _ => self.zero(want),
                };
            }
            Operand::ZeroLike(like) => return self.zero_like(like, Some(want)),
            Operand::Var(v) => v,
        };
        let t = self.operand(v);
        let have = self.ty(v);
        match (want, have) {
            (Ty::Matrix, Ty::Matrix) if self.is_owned_vec(v) && !dup => t,
            (Ty::Matrix, _) => {
                let m = self.matrix_ty();
                quote!(<#m as ::core::clone::Clone>::clone(&#t))
            }
            (Ty::Vector(Shape::Dynamic), Ty::Vector(Shape::Dynamic)) if self.is_owned_vec(v) => {
                if dup {
                    quote!(::core::clone::Clone::clone(&#t))
                } else {
                    t
                }
            }
            (Ty::Vector(Shape::Dynamic), _) => quote!(#t[..].to_vec()),
            (Ty::Vector(Shape::Array(n)), Ty::Vector(Shape::Array(m)))
                if n == m && self.p.vars.get(v).param.is_none() && !self.foreign.contains(&v) =>
            {
                t
            }
            (Ty::Vector(Shape::Array(n)), _) => {
                let n = &n.tokens;
                quote!(::grad::__private::v::to_array::<#f, #n>("result", &#t[..]))
            }
            _ => t,
        }
    }

    /// `acc + d` for an adjoint `acc` and one more contribution `d` of the
    /// same shape: plain arithmetic on floats, else grad-core's `Accumulate`,
    /// which updates an owned buffer read nowhere else in place and copies
    /// anything else first (a parameter, the cotangent, a forward value).
    pub(super) fn accumulate(&self, acc: Var, d: Var, span: Span) -> TokenStream {
        let pr = quote_spanned!(span=> ::grad::__private);
        let (a, dt) = (self.operand(acc), self.operand(d));
        let moved = self.is_owned_vec(acc) && self.counts.get(&acc).copied().unwrap_or(0) <= 1;
        match self.ty(acc) {
            Ty::Matrix => {
                let m = self.matrix_ty();
                if moved {
                    quote_spanned!(span=> <#m as #pr::Accumulate<&#m>>::accumulate(#a, &#dt))
                } else {
                    quote_spanned!(span=> <&#m as #pr::Accumulate<&#m>>::accumulate(&#a, &#dt))
                }
            }
            Ty::Vector(Shape::Dynamic) if !moved => {
                quote_spanned!(span=> #pr::accumulate(&#a[..], &#dt[..]))
            }
            Ty::Vector(_) => quote_spanned!(span=> #pr::accumulate(#a, &#dt[..])),
            Ty::Scalar | Ty::Tuple(_) | Ty::Other => quote_spanned!(span=> #a + #dt),
        }
    }

    /// `acc[i] += d` on a vector's adjoint (grad-core's `AccumulateAt`): in
    /// place for an owned buffer read nowhere else, on a copy otherwise.
    /// Also `v[i] = e` (`f` = `set_at`).
    pub(super) fn accumulate_at(
        &self,
        acc: Var,
        i: Var,
        d: Var,
        span: Span,
        f: &str,
    ) -> TokenStream {
        let pr = quote_spanned!(span=> ::grad::__private);
        let f = proc_macro2::Ident::new(f, span);
        let (a, i, d) = (self.operand(acc), self.operand(i), self.operand(d));
        let moved = self.is_owned_vec(acc) && self.counts.get(&acc).copied().unwrap_or(0) <= 1;
        match self.ty(acc) {
            Ty::Vector(Shape::Dynamic) if !moved => quote_spanned!(span=> #pr::#f(&#a[..], #i, #d)),
            Ty::Matrix if !moved => quote_spanned!(span=> #pr::#f(&#a, #i, #d)),
            _ => quote_spanned!(span=> #pr::#f(#a, #i, #d)),
        }
    }

    /// `acc += g·xᵀ` on a weight's adjoint (grad-core's `AccumulateOuter`):
    /// in place for an owned buffer read nowhere else, on a copy otherwise.
    pub(super) fn accumulate_outer(&self, acc: Var, g: Var, x: Var, span: Span) -> TokenStream {
        let pr = quote_spanned!(span=> ::grad::__private);
        let (a, g, x) = (self.operand(acc), self.arg(g), self.arg(x));
        let moved = self.is_owned_vec(acc) && self.counts.get(&acc).copied().unwrap_or(0) <= 1;
        match self.ty(acc) {
            Ty::Vector(_) if !moved => {
                quote_spanned!(span=> #pr::accumulate_outer(&#a[..], #g, #x))
            }
            Ty::Matrix if !moved => quote_spanned!(span=> #pr::accumulate_outer(&#a, #g, #x)),
            _ => quote_spanned!(span=> #pr::accumulate_outer(#a, #g, #x)),
        }
    }
}
