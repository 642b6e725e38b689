//! `differentiable_struct!`: receives one struct definition from the macro a
//! derive left, asks for the next one still missing, or expands the fn (or
//! `impl`) once every struct it uses is known.

use super::leaves::{Defs, Node, node};
use super::rewrite::{Rewriter, flat_name};
use super::wrap::{Orig, flat_args, wrappers};
use crate::args::Args;
use proc_macro2::TokenStream;
use quote::{ToTokens, quote};
use std::collections::HashMap;
use syn::parse::{Parse, ParseStream};
use syn::visit_mut::VisitMut;
use syn::{FnArg, ItemFn, ItemStruct, Pat};

/// `[struct ..] [[struct ..] ..] [args] item`.
struct Continuation {
    new: ItemStruct,
    known: Vec<ItemStruct>,
    args: TokenStream,
    item: TokenStream,
}

impl Parse for Continuation {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let new;
        syn::bracketed!(new in input);
        let new: ItemStruct = new.parse()?;
        let known_tokens;
        syn::bracketed!(known_tokens in input);
        let mut known = Vec::new();
        while !known_tokens.is_empty() {
            let one;
            syn::bracketed!(one in known_tokens);
            known.push(one.parse()?);
        }
        let args;
        syn::bracketed!(args in input);
        Ok(Continuation {
            new,
            known,
            args: args.parse()?,
            item: input.parse()?,
        })
    }
}

/// The continuation that asks for `missing` and then comes back with `defs`.
pub(crate) fn ask(
    missing: &syn::Path,
    defs: &Defs,
    args: &TokenStream,
    item: &TokenStream,
) -> TokenStream {
    let known = defs.0.iter().map(|d| quote!([#d]));
    // A method is expanded inside its `impl`, where no `const _` may go.
    let in_impl = syn::parse2::<ItemFn>(item.clone()).is_ok_and(|f| f.sig.receiver().is_some());
    super::request(missing, quote!([#(#known)*] [#args] #item), !in_impl)
}

/// Expands `differentiable_struct! { .. }`.
pub(crate) fn differentiable_struct(input: TokenStream) -> TokenStream {
    let c: Continuation = match syn::parse2(input) {
        Ok(c) => c,
        Err(e) => return e.to_compile_error(),
    };
    let mut defs = Defs::default();
    defs.add(c.new);
    for k in c.known {
        defs.add(k);
    }
    if let Ok(imp) = syn::parse2::<syn::ItemImpl>(c.item.clone()) {
        return super::methods::expand_resolved(&defs, &c.args, imp);
    }
    match syn::parse2::<ItemFn>(c.item.clone()) {
        Ok(f) => expand_fn(&defs, &c.args, f),
        Err(e) => e.to_compile_error(),
    }
}

/// A free fn with struct parameters, once `defs` may hold its structs.
pub(crate) fn expand_fn(defs: &Defs, args_tokens: &TokenStream, f: ItemFn) -> TokenStream {
    let args: Args = match syn::parse2(args_tokens.clone()) {
        Ok(a) => a,
        Err(e) => return e.to_compile_error(),
    };
    let structs: Vec<String> = super::struct_params(&f, &args)
        .iter()
        .map(|(id, _)| id.to_string())
        .collect();
    let mut missing = Vec::new();
    // A method whose receiver names its type (`self: &Model`).
    let self_ty = super::typed_receiver(&f);
    let params = origs(&f, &args, defs, &structs, self_ty.as_ref(), &mut missing);
    if let Some(m) = missing.first() {
        return ask(m, defs, args_tokens, &f.to_token_stream());
    }
    let prefix = if self_ty.is_some() {
        quote!(Self::)
    } else {
        quote!()
    };
    match flatten(&f, &args, &params, &prefix) {
        Ok(flat) if self_ty.is_some() => {
            let (original, generated) = super::methods::method_items(flat);
            quote!(#original #(#generated)*)
        }
        Ok(Flat {
            original,
            items,
            wrappers,
        }) => quote!(#original #(#items)* #(#wrappers)*),
        Err(e) => {
            let e = e.to_compile_error();
            quote!(#e #f)
        }
    }
}

/// The user's parameters: structs (`structs`, and the receiver when
/// `self_ty` is given) with their fields.
pub(crate) fn origs(
    f: &ItemFn,
    args: &Args,
    defs: &Defs,
    structs: &[String],
    self_ty: Option<&syn::Type>,
    missing: &mut Vec<syn::Path>,
) -> Vec<Orig> {
    // A generic float type `T` of the fn: fields of type `T`, `Vec<T>`, ..
    // are floats (errors in the generics are reported when the flat fn is).
    crate::generic::analyze(&f.sig.generics, &mut crate::diag::Diag::default());
    let in_wrt = |id: &syn::Ident| args.wrt.as_ref().is_none_or(|w| w.iter().any(|n| n == id));
    f.sig
        .inputs
        .iter()
        .filter_map(|input| match input {
            FnArg::Receiver(r) => {
                let ident = syn::Ident::new("self", r.self_token.span);
                let node = self_ty.map(|t| node(defs, t, "self", r.self_token.span, missing));
                Some(Orig {
                    diff: in_wrt(&ident),
                    ident,
                    ty: None,
                    node,
                })
            }
            FnArg::Typed(pt) => {
                let Pat::Ident(pi) = &*pt.pat else {
                    return None;
                };
                let ident = pi.ident.clone();
                let is_struct = structs.contains(&ident.to_string());
                let node = is_struct
                    .then(|| node(defs, &pt.ty, &ident.to_string(), ident.span(), missing));
                let float = !matches!(crate::sig::classify(&pt.ty).1, crate::sig::Kind::Const);
                let diff = match &args.wrt {
                    Some(w) => w.contains(&ident),
                    None => is_struct || float,
                };
                Some(Orig {
                    ident,
                    ty: Some((*pt.ty).clone()),
                    node,
                    diff,
                })
            }
        })
        .collect()
}

/// The pieces of a flattened fn.
pub(crate) struct Flat {
    /// The user's fn, calling the flat fn.
    pub(crate) original: ItemFn,
    /// The flat fn and what `#[differentiable]` generated from it (hidden).
    pub(crate) items: Vec<syn::Item>,
    /// The user-facing generated fns.
    pub(crate) wrappers: Vec<ItemFn>,
}

/// Flattens `f`: its struct parameters become their fields.
/// `prefix` (`Self::` in an `impl`) is put before calls of the flat fns.
pub(crate) fn flatten(
    f: &ItemFn,
    args: &Args,
    params: &[Orig],
    prefix: &TokenStream,
) -> syn::Result<Flat> {
    if let Some(w) = &args.wrt {
        for n in w {
            if !params.iter().any(|p| p.ident == *n) {
                return Err(syn::Error::new(
                    n.span(),
                    format!("`wrt` names `{n}`, which is not a parameter of this fn"),
                ));
            }
        }
    }
    let structs: HashMap<String, Node> = params
        .iter()
        .filter_map(|p| p.node.clone().map(|n| (p.ident.to_string(), n)))
        .collect();
    let mut rw = Rewriter {
        structs: &structs,
        errors: None,
    };
    let mut block = (*f.block).clone();
    rw.visit_block_mut(&mut block);
    if let Some(e) = rw.errors {
        return Err(e);
    }
    let flat = flat_name(&f.sig.ident);
    let mut inputs: Vec<TokenStream> = Vec::new();
    let mut wrt: Vec<syn::Ident> = Vec::new();
    for p in params {
        match (
            &p.node,
            f.sig
                .inputs
                .iter()
                .find(|i| arg_ident(i).is_some_and(|id| *id == p.ident)),
        ) {
            (Some(node), _) => {
                let mut fp = Vec::new();
                node.flat_params(&mut fp);
                for (id, ty, leaf) in fp {
                    inputs.push(quote!(#id: #ty));
                    if leaf && p.diff {
                        wrt.push(id);
                    }
                }
            }
            (None, Some(FnArg::Typed(pt))) => {
                inputs.push(pt.to_token_stream());
                if p.diff {
                    wrt.push(p.ident.clone());
                }
            }
            (None, _) => {
                return Err(syn::Error::new(
                    p.ident.span(),
                    "`self` here needs `#[differentiable]` on the `impl` block, so that the macro knows the type of `self`",
                ));
            }
        }
    }
    if wrt.is_empty() {
        return Err(syn::Error::new(
            f.sig.ident.span(),
            "nothing to differentiate: the structs named in `wrt` have no float, vector or matrix fields",
        ));
    }
    let mut flags = vec![quote!(wrt(#(#wrt),*))];
    if args.jvp {
        flags.push(quote!(jvp));
    }
    if args.hessian {
        flags.push(quote!(hessian));
    }
    let vis = &f.vis;
    let generics = &f.sig.generics;
    let where_clause = &generics.where_clause;
    let output = &f.sig.output;
    let flat_item = quote! {
        #[allow(clippy::too_many_arguments, clippy::ptr_arg, unused_variables)]
        #vis fn #flat #generics(#(#inputs),*) #output #where_clause #block
    };
    let expanded = crate::expand::expand(quote!(#(#flags),*), flat_item);
    let file: syn::File = syn::parse2(expanded.clone())?;
    let failed = expanded.to_string().contains("compile_error");
    let mut items = file.items;
    for item in &mut items {
        if let syn::Item::Fn(g) = item {
            g.attrs.push(syn::parse_quote!(#[doc(hidden)]));
            // The fields' parameters are `p__w`.
            g.attrs.push(syn::parse_quote!(#[allow(non_snake_case)]));
        }
    }
    let generated: Vec<ItemFn> = items
        .iter()
        .filter_map(|i| match i {
            syn::Item::Fn(g) => Some(g.clone()),
            _ => None,
        })
        .collect();
    let wrappers = if failed {
        Vec::new()
    } else {
        wrappers(f, params, &generated, &flat, prefix)?
    };
    let call_args = flat_args(params);
    let mut original = f.clone();
    original.block = syn::parse_quote!({ #prefix #flat(#(#call_args),*) });
    original.attrs.push(syn::parse_quote!(#[inline]));
    Ok(Flat {
        original,
        items,
        wrappers,
    })
}

fn arg_ident(a: &FnArg) -> Option<&syn::Ident> {
    match a {
        FnArg::Typed(pt) => match &*pt.pat {
            Pat::Ident(pi) => Some(&pi.ident),
            _ => None,
        },
        FnArg::Receiver(_) => None,
    }
}
