//! The field list a `#[derive(Differentiable)]` leaves for `#[differentiable]`.
//!
//! A proc macro cannot see other items, so `#[differentiable] fn f(p: &Mlp)`
//! cannot read `Mlp`'s fields. The derive therefore also defines a hidden
//! `macro_rules!` that hands the struct's definition (fields, types, which
//! fields are constants) to a callback, and imports it under the struct's own
//! name in the macro namespace: wherever the type `Mlp` is in scope (defined
//! there, or imported with `use model::Mlp`), so is the macro `Mlp!`.
//! `#[differentiable]` calls `Mlp! { .. }`, which calls
//! `::grad::__private::differentiable_struct! { [struct Mlp { .. }] .. }`.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};
use syn::{DeriveInput, Fields};

/// The hidden macro for `input`; `constant[i]` tells whether field `i` is a
/// constant (copied, not differentiated).
pub(crate) fn fields_macro(input: &DeriveInput, fields: &Fields, constant: &[bool]) -> TokenStream {
    let name = &input.ident;
    let generics = &input.generics;
    let where_clause = &generics.where_clause;
    let skip = |i: usize| constant.get(i).copied().unwrap_or(true);
    let def = match fields {
        Fields::Named(f) => {
            let fs = f.named.iter().enumerate().map(|(i, f)| {
                let (id, ty) = (&f.ident, &f.ty);
                let mark = skip(i).then(|| quote!(#[differentiable(skip)]));
                quote!(#mark #id: #ty)
            });
            quote!(struct #name #generics #where_clause { #(#fs),* })
        }
        Fields::Unnamed(f) => {
            let fs = f.unnamed.iter().enumerate().map(|(i, f)| {
                let ty = &f.ty;
                let mark = skip(i).then(|| quote!(#[differentiable(skip)]));
                quote!(#mark #ty)
            });
            quote!(struct #name #generics (#(#fs),*) #where_clause;)
        }
        Fields::Unit => quote!(struct #name;),
    };
    let hidden = format_ident!("__grad_fields_{}", name, span = Span::call_site());
    quote! {
        #[doc(hidden)]
        macro_rules! #hidden {
            ($($rest:tt)*) => {
                ::grad::__private::differentiable_struct! { [#def] $($rest)* }
            };
        }
        #[doc(hidden)]
        #[allow(unused_imports)]
        pub(crate) use #hidden as #name;
    }
}
