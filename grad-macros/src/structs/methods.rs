//! `#[differentiable] impl Model { #[differentiable] fn loss(&self, ..) }`:
//! the methods marked `#[differentiable]` are flattened like free fns with
//! `self` as a struct parameter; the flat fns and their generated fns become
//! associated fns of the `impl` (calls between them go through `Self::`).

use super::leaves::Defs;
use super::resolve::{ask, flatten, origs};
use crate::args::Args;
use proc_macro2::TokenStream;
use quote::{ToTokens, quote};
use syn::visit_mut::{self, VisitMut};
use syn::{ImplItem, ItemFn, ItemImpl, Type};

/// Whether `attr` is `#[differentiable]` / `#[grad::differentiable(..)]`.
fn is_differentiable(attr: &syn::Attribute) -> bool {
    attr.path()
        .segments
        .last()
        .is_some_and(|s| s.ident == "differentiable")
}

/// The marked methods' arguments, the attribute removed.
fn take_marks(imp: &mut ItemImpl) -> Vec<(usize, syn::Result<TokenStream>)> {
    let mut marked = Vec::new();
    for (i, item) in imp.items.iter_mut().enumerate() {
        let ImplItem::Fn(m) = item else { continue };
        let Some(pos) = m.attrs.iter().position(is_differentiable) else {
            continue;
        };
        let attr = m.attrs.remove(pos);
        let args = match &attr.meta {
            syn::Meta::Path(_) => Ok(TokenStream::new()),
            syn::Meta::List(l) => Ok(l.tokens.clone()),
            syn::Meta::NameValue(nv) => Err(syn::Error::new_spanned(
                nv,
                "write `#[differentiable]` or `#[differentiable(wrt(..))]`",
            )),
        };
        marked.push((i, args));
    }
    marked
}

/// `#[differentiable]` on an `impl` block: asks for `Self`'s definition.
pub(crate) fn expand_impl(args: TokenStream, mut imp: ItemImpl) -> TokenStream {
    let error = if !args.is_empty() {
        Some(syn::Error::new_spanned(
            &args,
            "#[differentiable] on an `impl` block takes no arguments; put `wrt(..)`, `jvp`, `hessian` on the methods",
        ))
    } else {
        self_path(&imp).is_none().then(|| syn::Error::new_spanned(&imp.self_ty, "#[differentiable] works on inherent `impl` blocks of a struct with `#[derive(Differentiable)]` (`impl Model { .. }`, or `impl<T: Real> Model<T> { .. }` for a model generic over its float type)"))
    };
    if let Some(e) = error {
        // The methods stay as written, without their marks (which would
        // only repeat the error).
        take_marks(&mut imp);
        let e = e.to_compile_error();
        return quote!(#e #imp);
    }
    let Some(path) = self_path(&imp) else {
        let e = syn::Error::new_spanned(&imp.self_ty, "#[differentiable] works on inherent `impl` blocks of a struct with `#[derive(Differentiable)]` (`impl Model { .. }`, or `impl<T: Real> Model<T> { .. }` for a model generic over its float type)").to_compile_error();
        return quote!(#e #imp);
    };
    ask(
        &path,
        &Defs::default(),
        &TokenStream::new(),
        &imp.to_token_stream(),
    )
}

fn self_path(imp: &ItemImpl) -> Option<syn::Path> {
    let generic_ok =
        imp.generics.params.is_empty() || super::generic_impl::float_param(imp).is_some();
    if imp.trait_.is_some() || !generic_ok {
        return None;
    }
    match &*imp.self_ty {
        Type::Path(p) if p.qself.is_none() => Some(p.path.clone()),
        _ => None,
    }
}

/// The `impl` once `defs` holds `Self` (and asks for any other struct a
/// marked method takes).
pub(crate) fn expand_resolved(defs: &Defs, args: &TokenStream, mut imp: ItemImpl) -> TokenStream {
    let original = imp.clone();
    let self_ty = (*imp.self_ty).clone();
    let float_param = super::generic_impl::float_param(&imp);
    let marks = take_marks(&mut imp);
    let mut missing = Vec::new();
    let mut errors: Option<syn::Error> = None;
    let push = |e: syn::Error, errors: &mut Option<syn::Error>| match errors {
        Some(all) => all.combine(e),
        None => *errors = Some(e),
    };
    let mut new_items: Vec<ImplItem> = Vec::new();
    let mut replaced: Vec<(usize, ImplItem)> = Vec::new();
    for (i, margs) in marks {
        let ImplItem::Fn(m) = &imp.items[i] else {
            continue;
        };
        let f = ItemFn {
            attrs: m.attrs.clone(),
            vis: m.vis.clone(),
            modifiers: Default::default(),
            sig: m.sig.clone(),
            block: Box::new(m.block.clone()),
        };
        let parsed: syn::Result<Args> = margs.and_then(syn::parse2);
        let a = match parsed {
            Ok(a) => a,
            Err(e) => {
                push(e, &mut errors);
                continue;
            }
        };
        // In `impl<T: Real> Model<T>`, the flat fns are generic over their own `T`.
        let (flat_f, flat_self) = match &float_param {
            Some(t) => super::generic_impl::for_flat(&f, &self_ty, t),
            None => (f.clone(), self_ty.clone()),
        };
        let structs: Vec<String> = super::struct_params(&flat_f, &a)
            .iter()
            .map(|(id, _)| id.to_string())
            .collect();
        let params = origs(&flat_f, &a, defs, &structs, Some(&flat_self), &mut missing);
        if !missing.is_empty() {
            continue;
        }
        match flatten(&flat_f, &a, &params, &quote!(Self::)) {
            Ok(mut flat) => {
                if let Some(t) = &float_param {
                    super::generic_impl::restore(&mut flat, &f, t);
                }
                let (original, generated) = method_items(flat);
                replaced.push((i, original));
                new_items.extend(generated);
            }
            Err(e) => push(e, &mut errors),
        }
    }
    if let Some(m) = missing.first() {
        return ask(m, defs, args, &original.to_token_stream());
    }
    if let Some(e) = errors {
        let e = e.to_compile_error();
        return quote!(#e #imp);
    }
    for (i, item) in replaced {
        imp.items[i] = item;
    }
    imp.items.extend(new_items);
    imp.to_token_stream()
}

/// A flattened method as associated items: the method itself (calling its
/// flat fn), then the flat fn, its generated fns and the wrappers.
pub(crate) fn method_items(flat: super::resolve::Flat) -> (ImplItem, Vec<ImplItem>) {
    let names: Vec<String> = flat
        .items
        .iter()
        .filter_map(|i| match i {
            syn::Item::Fn(g) => Some(g.sig.ident.to_string()),
            _ => None,
        })
        .collect();
    let mods: Vec<syn::Item> = flat
        .items
        .iter()
        .filter(|i| !matches!(i, syn::Item::Fn(_)))
        .cloned()
        .collect();
    let mut generated = Vec::new();
    for item in flat.items {
        if let syn::Item::Fn(g) = item {
            generated.push(as_method(g, &names, &mods));
        }
    }
    generated.extend(flat.wrappers.into_iter().map(|w| as_method(w, &names, &[])));
    (as_method(flat.original, &[], &[]), generated)
}

/// A generated fn as an associated fn: calls of its siblings `names` go
/// through `Self::`, and the items `mods` (the callee markers) move into its body.
fn as_method(mut f: ItemFn, names: &[String], mods: &[syn::Item]) -> ImplItem {
    SelfCalls(names).visit_block_mut(&mut f.block);
    for m in mods.iter().rev() {
        f.block.stmts.insert(0, syn::Stmt::Item(m.clone()));
    }
    ImplItem::Fn(syn::ImplItemFn {
        attrs: f.attrs,
        vis: f.vis,
        modifiers: f.modifiers,
        sig: f.sig,
        block: *f.block,
    })
}

/// Prefixes calls of the generated fns with `Self::`.
struct SelfCalls<'a>(&'a [String]);

impl VisitMut for SelfCalls<'_> {
    fn visit_expr_call_mut(&mut self, c: &mut syn::ExprCall) {
        if let syn::Expr::Path(p) = &mut *c.func
            && let Some(id) = p.path.get_ident()
            && self.0.contains(&id.to_string())
        {
            let id = id.clone();
            p.path = syn::parse_quote!(Self::#id);
        }
        visit_mut::visit_expr_call_mut(self, c);
    }
}
