//! The forward-mode fns, on request: `f_jvp` (forward mode over the fn;
//! `#[differentiable(jvp)]`), and for a scalar-valued fn `f_hvp` (forward
//! mode over its gradient) and `f_hessian` (one `f_hvp` per flattened
//! parameter, made symmetric; both `#[differentiable(hessian)]`). What
//! forward mode cannot go through is a spanned error.

use crate::build::Builder;
use crate::emit::Emitter;
use crate::expand::{copied_attrs, generated_params, grads_type, want_ty};
use crate::forward;
use crate::ir::{Program, Ty, Var, Vars};
use crate::lower::Lowered;
use crate::sig::{Param, Ret, Sig};
use crate::simplify;
use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};
use std::collections::HashMap;
use syn::ItemFn;

/// `f_jvp` (with the `jvp` argument), `f_hvp` and `f_hessian` (with
/// `hessian`, for a scalar-valued fn).
pub(crate) fn generate(
    f: &ItemFn,
    sig: &Sig,
    want: &crate::args::Args,
    lowered: &Lowered,
    gradient: &Program,
    callees: &Ident,
) -> TokenStream {
    if !want.jvp && !want.hessian {
        return TokenStream::new();
    }
    if want.hessian && !matches!(sig.ret, Ret::Scalar) {
        return syn::Error::new(
            f.sig.ident.span(),
            "`hessian` needs a fn returning `f32` or `f64`; for a vector- or matrix-valued fn, differentiate a scalar of it (a loss) instead",
        )
        .to_compile_error();
    }
    let mut out = TokenStream::new();
    // `hessian` implies `jvp`: a caller's Hessian goes through both.
    if want.jvp || want.hessian {
        match jvp(f, sig, lowered, callees) {
            Ok(t) => out.extend(t),
            Err(e) => return error(e, "jvp"),
        }
    }
    if want.hessian {
        match hvp(f, sig, lowered, gradient, callees) {
            Ok(t) => {
                out.extend(t);
                out.extend(hessian(f, sig));
            }
            Err(e) => return error(e, "hessian"),
        }
        match crate::forward_slots::vjp_jvp(f, sig, lowered, gradient, callees) {
            Ok(t) => out.extend(t),
            Err(e) => return error(e, "hessian"),
        }
    }
    out
}

/// A spanned error for an op forward mode cannot go through.
fn error((span, msg): (Span, String), asked: &str) -> TokenStream {
    syn::Error::new(
        span,
        format!("`{asked}`: {msg}; drop `{asked}` from #[differentiable]"),
    )
    .to_compile_error()
}

/// `program` and the tangents of its yields at `of`, seeded with one
/// tangent parameter per differentiated param (named `<param>_dot`),
/// simplified for the yields at `roots`; and those parameters' names.
pub(crate) fn tangent_program(
    sig: &Sig,
    params: &[Option<Var>],
    program: &Program,
    of: &[usize],
    roots: &[usize],
) -> Result<(Program, Vec<Ident>), (Span, String)> {
    let mut program = program.clone();
    let (seeds, names) = seed(sig, params, &mut program.vars);
    let mut b = Builder::new(Vars::default(), sig.float);
    let p = forward::tangents(program, &seeds, of, &mut b)?;
    Ok((simplify::simplify(&p, roots), names))
}

/// The differentiated params with their vars, and a tangent var for each,
/// named `<param>_dot` (a parameter of the generated fn).
pub(crate) fn seed(
    sig: &Sig,
    params: &[Option<Var>],
    vars: &mut Vars,
) -> (HashMap<Var, Var>, Vec<Ident>) {
    let mut seeds = HashMap::new();
    let mut names = Vec::new();
    for (p, v) in sig.params.iter().zip(params) {
        let (true, Some(v)) = (p.diff, v) else {
            continue;
        };
        let info = vars.get(*v);
        let (ty, span) = (info.ty.clone(), info.span);
        let t = vars.fresh(&format!("{}_dot", p.ident), ty, span, true);
        let ident = Ident::new(&vars.get(t).name, p.ident.span());
        vars.get_mut(t).param = Some(ident.clone());
        seeds.insert(*v, t);
        names.push(ident);
    }
    (seeds, names)
}

/// The tangent parameters: one per differentiated param, of its type.
fn tangent_params(sig: &Sig, names: &[Ident]) -> Vec<TokenStream> {
    sig.diff_params()
        .zip(names)
        .map(|(p, n)| {
            let ty = &p.ty;
            quote!(#n: #ty)
        })
        .collect()
}

/// `f_jvp(params.., tangents..) -> (value, directional derivative)`.
fn jvp(
    f: &ItemFn,
    sig: &Sig,
    lowered: &Lowered,
    callees: &Ident,
) -> Result<TokenStream, (Span, String)> {
    let (p, names) = tangent_program(sig, &lowered.params, &lowered.program, &[0], &[0, 1])?;
    let e = Emitter::new(&p, sig.float, callees);
    let stmts = e.stmts(&p.body);
    let ys = &p.body.yields;
    let out = match &sig.ret {
        Ret::Scalar => Ty::Scalar,
        Ret::Vector(c) => want_ty(&crate::sig::Kind::Vector(c.clone())),
        Ret::Matrix => Ty::Matrix,
    };
    let v = e.convert(ys[0], &out, None, false);
    let value = Ident::new("value", Span::mixed_site());
    let result = match ys[1] {
        // No tangent reaches a vector or matrix result: zero of its shape.
        crate::ir::Operand::Zero if out.is_tensor() => {
            quote!({ let #value = #v; let d = ::grad::__private::zeros_like(&#value); (#value, d) })
        }
        o => {
            let d = e.convert(o, &out, None, false);
            quote!((#v, #d))
        }
    };
    let name = format_ident!("{}_jvp", f.sig.ident);
    let ret = &sig.ret_ty;
    let doc = format!(
        " Forward mode: [`{}`] and its directional derivative along the tangents {} (one per differentiated parameter, of its type), from one pass.",
        f.sig.ident,
        list(&names)
    );
    Ok(item(
        f,
        sig,
        &name,
        &doc,
        tangent_params(sig, &names),
        quote!((#ret, #ret)),
        quote!(#stmts #result),
    ))
}

/// `f_hvp(params.., directions..) -> grads`: the Hessian times the
/// directions, as the directional derivative of the gradient.
fn hvp(
    f: &ItemFn,
    sig: &Sig,
    lowered: &Lowered,
    gradient: &Program,
    callees: &Ident,
) -> Result<TokenStream, (Span, String)> {
    let n = sig.diff_params().count();
    let of: Vec<usize> = (1..=n).collect();
    let roots: Vec<usize> = (n + 1..=2 * n).collect();
    let (p, names) = tangent_program(sig, &lowered.params, gradient, &of, &roots)?;
    let e = Emitter::new(&p, sig.float, callees);
    let stmts = e.stmts(&p.body);
    let ys = &p.body.yields;
    let gs: Vec<TokenStream> = sig
        .diff_params()
        .enumerate()
        .map(|(i, prm)| {
            let id = &prm.ident;
            let dup = ys[i + 1..].contains(&ys[i]);
            e.convert(ys[i], &want_ty(&prm.kind), Some(quote!(#id)), dup)
        })
        .collect();
    let gs = if gs.len() == 1 {
        quote!(#(#gs)*)
    } else {
        quote!((#(#gs),*))
    };
    let name = format_ident!("{}_hvp", f.sig.ident);
    let doc = format!(
        " The Hessian of [`{}`] times the directions {} (one per differentiated parameter, of its type), without forming the Hessian: the directional derivative of the gradient (forward mode over the reverse sweep). The result has the gradient's type.",
        f.sig.ident,
        list(&names)
    );
    Ok(item(
        f,
        sig,
        &name,
        &doc,
        tangent_params(sig, &names),
        grads_type(sig),
        quote!(#stmts #gs),
    ))
}

/// `f_hessian(params..) -> Matrix<T>`: one `f_hvp` per flattened entry of
/// the differentiated parameters (grad-core's `hessian` walks the entries
/// and makes the result symmetric to the last bit).
fn hessian(f: &ItemFn, sig: &Sig) -> TokenStream {
    let float = sig.float;
    let pr = quote!(::grad::__private);
    let hvp = format_ident!("{}_hvp", f.sig.ident);
    let m = |s: &str| Ident::new(s, Span::mixed_site());
    let (p, k, row, g, at) = (m("p"), m("k"), m("row"), m("g"), m("at"));
    let diff: Vec<&Param> = sig.diff_params().collect();
    let args: Vec<TokenStream> = sig
        .params
        .iter()
        .map(|q| {
            let id = &q.ident;
            quote!(::core::clone::Clone::clone(&#id))
        })
        .collect();
    let sizes = diff.iter().map(|q| {
        let id = &q.ident;
        quote!(#pr::Flat::<#float>::flat_len(&#id))
    });
    let dirs = diff.iter().enumerate().map(|(j, q)| {
        let id = &q.ident;
        let d = quote!(#pr::Flat::<#float>::direction(&#id, (#p == #j).then_some(#k)));
        if matches!(q.ty, syn::Type::Reference(_)) {
            quote!(&#d)
        } else {
            d
        }
    });
    let parts = (0..diff.len()).map(|j| {
        if diff.len() == 1 {
            quote!(#g)
        } else {
            let j = syn::Index::from(j);
            quote!(#g.#j)
        }
    });
    let name = format_ident!("{}_hessian", f.sig.ident);
    let params = generated_params(sig);
    let doc = format!(
        " The Hessian of [`{}`] over its differentiated parameters flattened in order (a float is one entry, a vector its elements, a matrix its elements row by row): one [`{hvp}`] per entry, made symmetric to the last bit as `(H + Hᵀ)/2`.",
        f.sig.ident
    );
    let vis = &f.vis;
    let generics = &f.sig.generics;
    let wh = &f.sig.generics.where_clause;
    let attrs = copied_attrs(f);
    quote! {
        #[doc = #doc]
        #(#attrs)*
        #[allow(unused_variables, unused_assignments, dead_code, clippy::ptr_arg, clippy::too_many_arguments, clippy::type_complexity)]
        #vis fn #name #generics(#(#params),*) -> ::grad::Matrix<#float> #wh {
            #pr::hessian::<#float>(&[#(#sizes),*], |#p: usize, #k: usize, #row: &mut [#float]| {
                let #g = #hvp(#(#args,)* #(#dirs),*);
                let mut #at = 0;
                #( #at += #pr::Flat::<#float>::write_flat(&#parts, &mut #row[#at..]); )*
            })
        }
    }
}

/// A generated fn taking the user's params and `extra` ones.
pub(crate) fn item(
    f: &ItemFn,
    sig: &Sig,
    name: &Ident,
    doc: &str,
    extra: Vec<TokenStream>,
    ret: TokenStream,
    body: TokenStream,
) -> TokenStream {
    let params = generated_params(sig);
    let vis = &f.vis;
    let generics = &f.sig.generics;
    let wh = &f.sig.generics.where_clause;
    let attrs = copied_attrs(f);
    quote! {
        #[doc = #doc]
        #(#attrs)*
        #[allow(unused_variables, dead_code, clippy::ptr_arg, clippy::too_many_arguments, clippy::type_complexity)]
        #vis fn #name #generics(#(#params,)* #(#extra),*) -> #ret #wh {
            #body
        }
    }
}

/// `` `a`, `b` `` for the docs.
fn list(names: &[Ident]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
