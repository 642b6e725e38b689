//! Struct parameters (`p: &Mlp`) and `&self` methods.
//!
//! A proc macro cannot see a struct's fields, so a fn with struct parameters
//! is expanded in two steps:
//! 1. `#[differentiable]` asks for each struct's definition by calling the
//!    macro `#[derive(Differentiable)]` left under the struct's name
//!    ([`request`]); it answers with a call of `differentiable_struct!`
//!    carrying the definition ([`resolve`]), which asks for the next one
//!    (nested structs too) until all are known.
//! 2. The fn is then *flattened* ([`leaves`], [`rewrite`]): each struct
//!    parameter becomes one parameter per field (`p.w1` → `p__w1`), which
//!    gives an ordinary `#[differentiable]` fn, hidden, whose generated fns
//!    the user-facing ones wrap ([`wrap`]), gathering the fields' partials
//!    into a value of the struct's type. Methods go the same way inside
//!    their `impl` ([`methods`]).

mod generic_impl;
mod leaves;
mod methods;
mod resolve;
mod rewrite;
mod wrap;

pub(crate) use leaves::Defs;
pub(crate) use methods::expand_impl;
pub(crate) use resolve::{ask, differentiable_struct};

use crate::args::Args;
use proc_macro2::TokenStream;
use quote::quote;
use syn::visit::{self, Visit};
use syn::{Expr, FnArg, Ident, ItemFn, Pat, Type};

/// Type names that are never structs of parameters.
const NOT_STRUCTS: &[&str] = &[
    "Vec",
    "Matrix",
    "String",
    "Option",
    "Box",
    "Rc",
    "Arc",
    "PhantomData",
    "HashMap",
    "BTreeMap",
    "Cow",
    "Self",
];

/// `&Name<..>` / `Name<..>` → the path `Name<..>` when it may name a struct of
/// parameters (a path type starting with an upper-case letter that is not a
/// standard container).
pub(crate) fn struct_path(ty: &Type) -> Option<&syn::TypePath> {
    let ty = match ty {
        Type::Reference(r) if r.mutability.is_none() => &*r.elem,
        other => other,
    };
    let Type::Path(p) = ty else { return None };
    if p.qself.is_some() {
        return None;
    }
    let last = p.path.segments.last()?.ident.to_string();
    let upper = last.chars().next().is_some_and(char::is_uppercase);
    (upper && !NOT_STRUCTS.contains(&last.as_str())).then_some(p)
}

/// Whether `ty` (not a reference) may name a struct of parameters.
pub(crate) fn is_struct_type(ty: &Type) -> bool {
    matches!(ty, Type::Path(_)) && struct_path(ty).is_some()
}

/// The type of a receiver that names it (`self: &Model`, `self: Model`),
/// when it may be a struct of parameters.
pub(crate) fn typed_receiver(f: &ItemFn) -> Option<Type> {
    f.sig.inputs.iter().find_map(|input| match input {
        FnArg::Receiver(syn::Receiver {
            kind: syn::ReceiverKind::Typed(_, ty),
            ..
        }) => struct_path(ty).map(|p| Type::Path(p.clone())),
        _ => None,
    })
}

/// The parameters of `f` to treat as structs: struct-typed (see
/// [`struct_path`]) and named in `wrt(..)`, or whose fields the body reads.
/// (A struct only passed along to calls, never read and not in `wrt`, stays
/// a constant, as any other non-float parameter.)
pub(crate) fn struct_params<'a>(f: &'a ItemFn, args: &Args) -> Vec<(&'a Ident, &'a syn::TypePath)> {
    let mut used = Uses::default();
    used.visit_block(&f.block);
    f.sig
        .inputs
        .iter()
        .filter_map(|input| {
            let FnArg::Typed(pt) = input else { return None };
            let Pat::Ident(pi) = &*pt.pat else {
                return None;
            };
            let path = struct_path(&pt.ty)?;
            // The fn's own type parameters (a generic float `T`) are not structs.
            let generic = f
                .sig
                .generics
                .type_params()
                .any(|t| path.path.is_ident(&t.ident));
            if generic {
                return None;
            }
            let id = &pi.ident;
            let named = args.wrt.as_ref().is_some_and(|w| w.iter().any(|n| n == id));
            (named || used.0.iter().any(|u| u == id)).then_some((id, path))
        })
        .collect()
}

/// The names whose fields a body reads (`p.w`).
#[derive(Default)]
struct Uses(Vec<Ident>);

impl<'ast> Visit<'ast> for Uses {
    fn visit_expr(&mut self, e: &'ast Expr) {
        if let Expr::Field(f) = e
            && let Some(id) = rewrite::base_ident(&f.base)
        {
            self.0.push(id.clone());
        }
        visit::visit_expr(self, e);
    }
}

/// Asks for the definition of the struct at `path`: a call of the macro
/// `#[derive(Differentiable)]` defines under the struct's name, which
/// forwards `rest` (the definitions known so far, the arguments, the item)
/// to `differentiable_struct!`.
///
/// When the struct does not derive `Differentiable`, the macro is missing;
/// beside rustc's "cannot find macro", a check that the type is
/// `Differentiable` then says what to do (the trait's `on_unimplemented`
/// note: derive it). Generic structs skip the check (it cannot name the
/// fn's type parameters).
/// (`check`: where a `const _` item may go, i.e. not inside an `impl`.)
pub(crate) fn request(path: &syn::Path, rest: TokenStream, check: bool) -> TokenStream {
    let generic = path
        .segments
        .iter()
        .any(|s| !matches!(s.arguments, syn::PathArguments::None));
    let check = (check && !generic).then(|| {
        quote! {
            const _: () = {
                fn __grad_derives_differentiable<T: ::grad::Differentiable>() {}
                let _ = __grad_derives_differentiable::<#path>;
            };
        }
    });
    let mut path = path.clone();
    if let Some(last) = path.segments.last_mut() {
        last.arguments = syn::PathArguments::None;
    }
    quote!(#check #path! { #rest })
}
