//! The pipeline, top to bottom: parse → fence → lower → differentiate →
//! simplify → emit. Any error short-circuits to the fallback.

use crate::args::Args;
use crate::diag::Diag;
use crate::emit::Emitter;
use crate::ir::Program;
use crate::sig::{Kind, Sig};
use crate::{doc, fallback, fence, lower, reverse, sig, simplify};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::ItemFn;

/// Expands `#[differentiable(args)] item`.
pub(crate) fn expand(args: TokenStream, item: TokenStream) -> TokenStream {
    let f: ItemFn = match syn::parse2(item.clone()) {
        Ok(f) => f,
        Err(e) => return fallback::unparsed(item, e),
    };
    let mut diag = Diag::default();
    let args: Args = syn::parse2(args).unwrap_or_else(|e| {
        diag.push(e);
        Args::default()
    });
    let sig = sig::analyze(&f, &args, &mut diag);
    fence::check_body(&f.block, &mut diag);
    let Some(sig) = sig else {
        return fallback::fallback(&f, None, diag);
    };
    if diag.has_errors() {
        return fallback::fallback(&f, Some(&sig), diag);
    }
    let Some(lowered) = lower::lower(&f, &sig, &mut diag) else {
        return fallback::fallback(&f, Some(&sig), diag);
    };
    let diff: Vec<bool> = sig.params.iter().map(|p| p.diff).collect();
    let program = reverse::differentiate(lowered, &diff, sig.float);
    generate(&f, &sig, &program)
}

/// The original fn plus `f_grad` and `f_value_and_grad`.
fn generate(f: &ItemFn, sig: &Sig, program: &Program) -> TokenStream {
    let n_grads = sig.diff_params().count();
    let grads_only: Vec<usize> = (1..=n_grads).collect();
    let all: Vec<usize> = (0..=n_grads).collect();
    let grad_prog = simplify::simplify(program, &grads_only);
    let vg_prog = simplify::simplify(program, &all);

    let float = sig.float;
    let grad_ty = grads_type(sig);
    let ret_ty = &sig.ret_ty;
    let docs = doc::Docs::new(&f.sig.ident, sig, &grad_prog);

    let body = |p: &Program, value: bool| {
        let e = Emitter { p, float };
        let stmts = e.stmts(&p.body);
        let mut ys = e.yields(&p.body.yields);
        let grads = if value {
            ys.split_off(1)
        } else {
            ys.split_off(0)
        };
        let grads = if grads.len() == 1 {
            quote!(#(#grads)*)
        } else {
            quote!((#(#grads),*))
        };
        if value {
            let v = &ys[0];
            quote!(#stmts (#v, #grads))
        } else {
            quote!(#stmts #grads)
        }
    };
    let grad_body = body(&grad_prog, false);
    let vg_body = body(&vg_prog, true);

    let params = generated_params(sig);
    let vis = &f.vis;
    let attrs = copied_attrs(f);
    let name = &f.sig.ident;
    let grad_name = format_ident!("{}_grad", name);
    let vg_name = format_ident!("{}_value_and_grad", name);
    let grad_doc = docs.grad_doc();
    let vg_doc = docs.value_and_grad_doc();
    quote! {
        #f

        #(#grad_doc)*
        #(#attrs)*
        #[allow(unused_variables, dead_code)]
        #vis fn #grad_name(#(#params),*) -> #grad_ty {
            #grad_body
        }

        #(#vg_doc)*
        #(#attrs)*
        #[allow(unused_variables, dead_code)]
        #vis fn #vg_name(#(#params),*) -> (#ret_ty, #grad_ty) {
            #vg_body
        }
    }
}

/// The gradient type: one entry per differentiated param, bare when there is one.
pub(crate) fn grads_type(sig: &Sig) -> TokenStream {
    let float = sig.float;
    let tys: Vec<TokenStream> = sig
        .diff_params()
        .map(|p| match &p.kind {
            Kind::Scalar | Kind::Const => quote!(#float),
            Kind::Vector(crate::sig::Container::Array { len, .. }) => quote!([#float; #len]),
            Kind::Vector(_) => quote!(::std::vec::Vec<#float>),
        })
        .collect();
    if tys.len() == 1 {
        quote!(#(#tys)*)
    } else {
        quote!((#(#tys),*))
    }
}

/// The user's parameters, with `mut` dropped.
pub(crate) fn generated_params(sig: &Sig) -> Vec<TokenStream> {
    sig.params
        .iter()
        .map(|p| {
            let id = &p.ident;
            let ty = &p.ty;
            quote!(#id: #ty)
        })
        .collect()
}

/// Attributes of the original fn that also apply to the generated fns.
pub(crate) fn copied_attrs(f: &ItemFn) -> Vec<&syn::Attribute> {
    f.attrs
        .iter()
        .filter(|a| {
            let p = a.path();
            [
                "cfg", "cfg_attr", "inline", "allow", "expect", "warn", "deny",
            ]
            .iter()
            .any(|n| p.is_ident(n))
        })
        .collect()
}
