//! Emission of a fused loop (see [`crate::fuse`]).

use super::{Emitter, float_lit, ident_of, op_name, un_path};
use crate::fuse::Group;
use crate::ir::{Op, VOp, Var};
use crate::ops::Scalar;
use proc_macro2::{Ident, Punct, Spacing, Span, TokenStream};
use quote::{quote, quote_spanned};

impl Emitter<'_> {
    /// A fused loop: one pass over the inputs computing every member per element.
    pub(super) fn fused(&self, g: &Group<'_>) -> TokenStream {
        let f = self.float;
        let pr = quote!(::grad::__private);
        let mk = |s: &str| Ident::new(s, Span::mixed_site());
        let (n, nf, i) = (mk("__n"), mk("__nf"), mk("__i"));
        let mut out = TokenStream::new();
        for s in &g.before {
            out.extend(self.stmt(s));
        }
        let Some(first) = g.externals.first() else {
            return out;
        };
        let first_t = self.operand(*first);
        out.extend(quote!(let #n = #first_t.len();));
        // Vectors only used for their length (`fill(g, like)`) are not read elementwise.
        let mut read: Vec<Var> = Vec::new();
        for (_, m) in &g.members {
            // The last argument of these is only a length.
            let len_last = matches!(
                m.op,
                Op::V(VOp::Fill | VOp::MeanBackward | VOp::DotBackward, _)
            );
            let uses = m.op.uses();
            for (k, u) in uses.iter().copied().enumerate() {
                if len_last && k + 1 == uses.len() {
                    continue;
                }
                if g.externals.contains(&u) && !read.contains(&u) {
                    read.push(u);
                }
            }
        }
        for e in g.externals.iter().skip(1) {
            let t = self.operand(*e);
            let member = g.members.iter().find(|(_, m)| m.op.uses().contains(e));
            let op = member.map_or("vector op", |(_, m)| op_name(&m.op));
            // At the user's own span (see `Emitter::may_panic`): a mismatch
            // panics at the line of the op that reads `e`.
            let span = member.map_or_else(Span::call_site, |(_, m)| self.p.vars.get(m.var).span);
            let check = quote_spanned!(span=> ::grad::__private::v::check);
            out.extend(quote_spanned!(span=> #check(#op, #n, #t.len());));
        }
        out.extend(quote!(let #nf: #f = #pr::Real::from_usize(#n);));
        let zero = float_lit(0.0, f);
        let elem_name = |v: Var| mk(&format!("{}_i", self.p.vars.get(v).name));
        let slice_name = |v: Var| mk(&format!("{}_s", self.p.vars.get(v).name));
        let mut slices = TokenStream::new();
        for e in &read {
            let (s, t) = (slice_name(*e), self.operand(*e));
            slices.extend(quote!(let #s = &#t[..#n];));
        }
        let elem = |v: Var| -> TokenStream {
            if g.members.iter().any(|(_, m)| m.var == v) {
                let id = elem_name(v);
                quote!(#id)
            } else if read.contains(&v) {
                let s = slice_name(v);
                quote!(#s[#i])
            } else {
                self.operand(v)
            }
        };
        let mut body = TokenStream::new();
        for (_, m) in &g.members {
            let name = ident_of(&self.p.vars, m.var);
            let args: Vec<Var> = m.op.uses();
            let a = |k: usize| args.get(k).map(|v| elem(*v)).unwrap_or_default();
            let el = quote!(#pr::v::el);
            let e_id = elem_name(m.var);
            let value = match &m.op {
                Op::Un(u, _) => {
                    let x = a(0);
                    match un_path(*u) {
                        Some(p) => quote!(#p(#x)),
                        None => quote!(-#x),
                    }
                }
                Op::Accumulate(..) => {
                    let (x, y) = (a(0), a(1));
                    quote!(#x + #y)
                }
                Op::Bin(b, _, _) => match b.info().scalar {
                    Scalar::Operator(c) => {
                        let (x, y) = (a(0), a(1));
                        let c = Punct::new(c, Spacing::Alone);
                        quote!(#x #c #y)
                    }
                    // Not maps (see `fuse::is_map`): never in a fused loop.
                    Scalar::Real(_) | Scalar::Runtime(_) => continue,
                },
                Op::V(o, _) => {
                    let (x, y, gk) = (a(0), a(1), a(2));
                    match o {
                        VOp::Fill => x,
                        VOp::MeanBackward => quote!(#x / #nf),
                        VOp::DotBackward => quote!(#x * #y),
                        VOp::MseBackward => quote!(#el::mse_grad((#gk + #gk) / #nf, #x, #y)),
                        VOp::BceBackwardP => quote!(#el::bce_grad_p(#gk / #nf, #x, #y)),
                        VOp::BceBackwardY => quote!(#el::bce_grad_y(#gk / #nf, #x, #y)),
                        VOp::BceLogitsBackwardZ => {
                            quote!(#el::bce_logits_grad_z(#gk / #nf, #x, #y))
                        }
                        VOp::BceLogitsBackwardY => {
                            quote!(#el::bce_logits_grad_y(#gk / #nf, #x, #y))
                        }
                        // Not maps (see `fuse::is_map`): never in a fused loop.
                        VOp::Sum
                        | VOp::Mean
                        | VOp::Dot
                        | VOp::Matvec
                        | VOp::Matmul
                        | VOp::Repeat
                        | VOp::Zeros
                        | VOp::Transpose
                        | VOp::MatmulBackwardA
                        | VOp::MatmulBackwardB
                        | VOp::ColSum
                        | VOp::LogSoftmaxJvp
                        | VOp::SoftmaxBackwardJvpY
                        | VOp::LogSoftmaxBackwardJvpY
                        | VOp::CrossEntropyBackwardJvpZ
                        | VOp::Softmax
                        | VOp::LogSoftmax
                        | VOp::Mse
                        | VOp::CrossEntropy
                        | VOp::Bce
                        | VOp::BceLogits
                        | VOp::Index
                        | VOp::ArrayLit
                        | VOp::IndexBackward
                        | VOp::SoftmaxBackward
                        | VOp::LogSoftmaxBackward
                        | VOp::CrossEntropyBackward
                        | VOp::MatvecBackwardW
                        | VOp::MatvecBackwardX
                        | VOp::SigmoidBackward
                        | VOp::TanhBackward
                        | VOp::ReluBackward
                        | VOp::SoftplusBackward => continue,
                    }
                }
                Op::Lit(_)
                | Op::Opaque(..)
                | Op::TapeRead(..)
                | Op::AccumulateAt(..)
                | Op::SetAt(..)
                | Op::AccumulateOuter(..)
                | Op::Powi(..)
                | Op::Call(..)
                | Op::CallVjp(..)
                | Op::CallJvp(..)
                | Op::CallVjpJvp(..)
                | Op::Partial(..) => continue,
            };
            body.extend(quote!(let #e_id = #value;));
            if g.materialized.contains(&m.var) {
                out.extend(quote!(let mut #name: ::std::vec::Vec<#f> = ::std::vec![#zero; #n];));
                body.extend(quote!(#name[#i] = #e_id;));
            }
        }
        out.extend(quote! {
            #slices
            for #i in 0..#n {
                #body
            }
        });
        out
    }
}
