//! On error: the original fn unchanged, the `compile_error!`s, and (when the
//! signature could be analyzed) stubs of the generated fns with the right
//! signatures, so callers see only the real error.

use crate::diag::Diag;
use crate::expand::{copied_attrs, generated_params, grads_type};
use crate::sig::{Kind, Ret, Sig};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::ItemFn;

/// The item did not even parse as a fn.
pub(crate) fn unparsed(item: TokenStream, e: syn::Error) -> TokenStream {
    let e = syn::Error::new(
        e.span(),
        format!("#[differentiable] applies to a fn item: {e}"),
    );
    let err = e.to_compile_error();
    quote!(#item #err)
}

/// The original fn, every error, and stubs when `sig` is known. With
/// `stub_body` (a type error in the body) the original fn keeps only its
/// signature, so rustc does not report the same mistake again.
pub(crate) fn fallback(f: &ItemFn, sig: Option<&Sig>, diag: Diag, stub_body: bool) -> TokenStream {
    let errors = match diag.finish() {
        Ok(()) => TokenStream::new(),
        Err(e) => e.to_compile_error(),
    };
    let stubs = sig.map(|s| stubs(f, s)).unwrap_or_default();
    // A vector body (`w * x + b` on slices) or a generic one (`x * 0.5` with
    // `x: T`) is not Rust by itself: keep the signature but stub the body, so
    // the only errors are the macro's.
    let vector = crate::generic::current().is_some()
        || sig.is_some_and(|s| {
            s.bad_params
                || matches!(s.ret, Ret::Vector(_) | Ret::Matrix)
                || s.params
                    .iter()
                    .any(|p| matches!(p.kind, Kind::Vector(_) | Kind::Matrix))
        });
    let original = if vector || stub_body {
        let mut g = f.clone();
        *g.block = syn::parse_quote!({ ::core::unreachable!() });
        g.attrs.push(syn::parse_quote!(#[allow(unused_variables)]));
        quote!(#g)
    } else {
        quote!(#f)
    };
    quote! {
        #original
        #errors
        #stubs
    }
}

fn stubs(f: &ItemFn, sig: &Sig) -> TokenStream {
    let params = generated_params(sig);
    let grad_ty = grads_type(sig);
    let ret_ty = &sig.ret_ty;
    let vis = &f.vis;
    let generics = &f.sig.generics;
    let wh = &f.sig.generics.where_clause;
    let attrs = copied_attrs(f);
    let name = &f.sig.ident;
    let float = sig.float;
    if let Ret::Matrix = sig.ret {
        let vjp_name = format_ident!("{}_vjp", name);
        return quote! {
            #(#attrs)*
            #[allow(unused_variables, dead_code, clippy::ptr_arg, clippy::too_many_arguments, clippy::type_complexity)]
            #[doc(hidden)]
            #vis fn #vjp_name #generics(#(#params,)* cotangent: &::grad::Matrix<#float>) -> #grad_ty #wh {
                ::core::unreachable!()
            }
        };
    }
    if let Ret::Vector(_) = sig.ret {
        let vjp_name = format_ident!("{}_vjp", name);
        let jac_name = format_ident!("{}_jacobian", name);
        return quote! {
            #(#attrs)*
            #[allow(unused_variables, dead_code, clippy::ptr_arg, clippy::too_many_arguments, clippy::type_complexity)]
            #[doc(hidden)]
            #vis fn #vjp_name #generics(#(#params,)* cotangent: &[#float]) -> #grad_ty #wh {
                ::core::unreachable!()
            }
            #(#attrs)*
            #[allow(unused_variables, dead_code, clippy::ptr_arg, clippy::too_many_arguments, clippy::type_complexity)]
            #[doc(hidden)]
            #vis fn #jac_name #generics(#(#params),*) -> ::std::vec::Vec<::std::vec::Vec<#float>> #wh {
                ::core::unreachable!()
            }
        };
    }
    let grad_name = format_ident!("{}_grad", name);
    let vg_name = format_ident!("{}_value_and_grad", name);
    quote! {
        #(#attrs)*
        #[allow(unused_variables, dead_code, clippy::ptr_arg, clippy::too_many_arguments, clippy::type_complexity)]
        #[doc(hidden)]
        #vis fn #grad_name #generics(#(#params),*) -> #grad_ty #wh {
            ::core::unreachable!()
        }
        #(#attrs)*
        #[allow(unused_variables, dead_code, clippy::ptr_arg, clippy::too_many_arguments, clippy::type_complexity)]
        #[doc(hidden)]
        #vis fn #vg_name #generics(#(#params),*) -> (#ret_ty, #grad_ty) #wh {
            ::core::unreachable!()
        }
    }
}
