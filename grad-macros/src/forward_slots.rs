//! `f_vjp_jvp`, generated beside `f_hvp` for a scalar-valued fn: the
//! tangent of `f_vjp`'s slots, which a caller's Hessian goes through when
//! it calls `f` (the by-parameter convention of `f_vjp`, one level up).
//!
//! For `f_vjp(a.., c) = c·∇f` the tangent along `(ȧ.., ċ)` is
//! `ċ·∇f + c·∇²f·ȧ`: the gradient and the Hessian-vector product of one
//! forward-over-reverse pass, combined slot by slot.

use crate::emit::Emitter;
use crate::expand::{slots_type, want_ty};
use crate::forward_fns::{item, tangent_program};
use crate::ir::Program;
use crate::lower::Lowered;
use crate::sig::{Kind, Sig};
use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};
use syn::ItemFn;

/// `#[doc(hidden)] f_vjp_jvp(params.., tangents.., cotangent, cotangent_dot) -> slots`,
/// one tangent per float parameter (those of parameters `f` does not
/// differentiate are ignored: a caller that needs them has no partial for
/// them either, and `f_vjp` already fails its coverage check).
pub(crate) fn vjp_jvp(
    f: &ItemFn,
    sig: &Sig,
    lowered: &Lowered,
    gradient: &Program,
    callees: &Ident,
) -> Result<TokenStream, (Span, String)> {
    let n = sig.diff_params().count();
    let of: Vec<usize> = (1..=n).collect();
    let roots: Vec<usize> = (1..=2 * n).collect();
    let (p, names) = tangent_program(sig, &lowered.params, gradient, &of, &roots)?;
    let e = Emitter::new(&p, sig.float, callees);
    let stmts = e.stmts(&p.body);
    let ys = &p.body.yields;
    let m = |s: &str| Ident::new(s, Span::mixed_site());
    let (c, cd) = (m("cotangent"), m("cotangent_dot"));
    let pr = quote!(::grad::__private);
    let mut k = 0;
    let slots: Vec<TokenStream> = sig
        .params
        .iter()
        .filter(|q| !matches!(q.kind, Kind::Const))
        .map(|q| {
            if !q.diff {
                return quote!(::grad::NotDifferentiated);
            }
            let id = &q.ident;
            let want = want_ty(&q.kind);
            let g = e.convert(
                ys[k],
                &want,
                Some(quote!(#id)),
                ys[k + 1..].contains(&ys[k]),
            );
            let h = e.convert(
                ys[n + k],
                &want,
                Some(quote!(#id)),
                ys[n + k + 1..].contains(&ys[n + k]),
            );
            k += 1;
            if matches!(q.kind, Kind::Scalar) {
                quote!(#g * #cd + #h * #c)
            } else {
                quote!(#pr::accumulate(#pr::scaled(#g, #cd), &#pr::scaled(#h, #c)))
            }
        })
        .collect();
    let slots = if slots.len() == 1 {
        quote!(#(#slots)*)
    } else {
        quote!((#(#slots),*))
    };
    let float = sig.float;
    let mut names = names.into_iter();
    let mut extra: Vec<TokenStream> = sig
        .params
        .iter()
        .filter(|q| !matches!(q.kind, Kind::Const))
        .map(|q| {
            let ty = &q.ty;
            match q.diff.then(|| names.next()).flatten() {
                Some(name) => quote!(#name: #ty),
                None => {
                    let name = format_ident!("_{}_dot", q.ident);
                    quote!(#name: #ty)
                }
            }
        })
        .collect();
    extra.push(quote!(#c: #float));
    extra.push(quote!(#cd: #float));
    let name = format_ident!("{}_vjp_jvp", f.sig.ident);
    let doc = format!(
        " The tangent of [`{}_vjp`]'s slots along one tangent per float parameter and the cotangent's tangent: what a caller's second derivatives use.",
        f.sig.ident
    );
    let mut out = item(
        f,
        sig,
        &name,
        &doc,
        extra,
        slots_type(sig),
        quote!(#stmts #slots),
    );
    out = quote!(#[doc(hidden)] #out);
    Ok(out)
}
