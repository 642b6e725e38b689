//! The pipeline, top to bottom: parse → fence → lower → differentiate →
//! simplify → emit. Any error short-circuits to the fallback.

use crate::args::Args;
use crate::diag::Diag;
use crate::emit::Emitter;
use crate::ir::Program;
use crate::ir::{Shape, Ty};
use crate::sig::{Kind, Ret, Sig};
use crate::{doc, fallback, fence, forward_fns, lower, reverse, sig, simplify};
use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};
use syn::ItemFn;

/// Expands `#[differentiable(args)] item`.
pub(crate) fn expand(args: TokenStream, item: TokenStream) -> TokenStream {
    let f: ItemFn = match syn::parse2(item.clone()) {
        Ok(f) => f,
        Err(e) => {
            return match syn::parse2::<syn::ItemImpl>(item.clone()) {
                Ok(imp) => crate::structs::expand_impl(args, imp),
                Err(_) => fallback::unparsed(item, e),
            };
        }
    };
    let parsed: syn::Result<Args> = syn::parse2(args.clone());
    let receiver = crate::structs::typed_receiver(&f);
    if let Ok(a) = &parsed
        && let Some(path) = match &receiver {
            Some(syn::Type::Path(p)) => Some(p.path.clone()),
            _ => crate::structs::struct_params(&f, a)
                .first()
                .map(|(_, p)| p.path.clone()),
        }
    {
        // Struct parameters: ask for their definitions first.
        let known = crate::structs::Defs::default();
        return crate::structs::ask(&path, &known, &args, &item);
    }
    let mut diag = Diag::default();
    let args: Args = parsed.unwrap_or_else(|e| {
        diag.push(e);
        Args::default()
    });
    let sig = sig::analyze(&f, &args, &mut diag);
    let returns = !matches!(f.sig.output, syn::ReturnType::Default);
    fence::check_body(&f.block, returns, &mut diag);
    let Some(sig) = sig else {
        return fallback::fallback(&f, None, diag, false);
    };
    if diag.has_errors() {
        return fallback::fallback(&f, Some(&sig), diag, false);
    }
    let Some(lowered) = lower::lower(&f, &sig, &mut diag) else {
        if !diag.has_errors() {
            // Every failing path reports; this is a safety net, never a silent fallback.
            diag.error(
                &f.sig.ident,
                "#[differentiable] could not differentiate this fn (an unsupported form it did not name); please simplify the body",
            );
        }
        // A type error in the body: the body would not type-check either.
        return fallback::fallback(&f, Some(&sig), diag, true);
    };
    let diff: Vec<bool> = sig.params.iter().map(|p| p.diff).collect();
    let cotangent = cotangent_name(&sig);
    // A scalar result is seeded with 1 (the simplifier folds `1·x` and literal
    // products, which rustc may not do with floats), a vector result with the
    // cotangent.
    let forward = lowered.clone();
    let program = reverse::differentiate(lowered, &diff, sig.float, &cotangent);
    let mut out = generate(&f, &sig, &program, &cotangent);
    let callees = format_ident!("__grad_{}_callees", f.sig.ident);
    out.extend(forward_fns::generate(
        &f, &sig, &args, &forward, &program, &callees,
    ));
    out
}

/// The differentiated IR (forward then backward, before simplification) as
/// text, for the expansion snapshots; `None` when the fn has errors.
#[cfg(test)]
pub(crate) fn ir_listing(args: TokenStream, item: TokenStream) -> Option<String> {
    let f: ItemFn = syn::parse2(item).ok()?;
    let args: Args = syn::parse2(args).ok()?;
    let mut diag = Diag::default();
    let sig = sig::analyze(&f, &args, &mut diag)?;
    fence::check_body(&f.block, true, &mut diag);
    if diag.has_errors() {
        return None;
    }
    let lowered = lower::lower(&f, &sig, &mut diag)?;
    let diff: Vec<bool> = sig.params.iter().map(|p| p.diff).collect();
    let cotangent = cotangent_name(&sig);
    Some(reverse::differentiate(lowered, &diff, sig.float, &cotangent).to_string())
}

/// `cotangent`, or `cotangent_` if a parameter already has that name.
fn cotangent_name(sig: &Sig) -> Ident {
    let mut name = "cotangent".to_string();
    while sig.params.iter().any(|p| p.ident == name) {
        name.push('_');
    }
    Ident::new(&name, Span::call_site())
}

/// Whether the body works with vectors (then the original fn's body is
/// re-emitted through `::grad::__private`, since `&[T] + &[T]` is not Rust).
fn uses_vectors(sig: &Sig, p: &Program) -> bool {
    matches!(sig.ret, Ret::Vector(_) | Ret::Matrix)
        || sig
            .params
            .iter()
            .any(|p| matches!(p.kind, Kind::Vector(_) | Kind::Matrix))
        || p.vars
            .info
            .iter()
            .any(|i| matches!(i.ty, Ty::Vector(_) | Ty::Matrix))
}

/// The type a caller expects for a param's gradient or for the return value.
pub(crate) fn want_ty(kind: &Kind) -> Ty {
    match kind {
        Kind::Vector(c) => match c.shape() {
            Shape::Array(n) => Ty::Vector(Shape::Array(n)),
            Shape::Dynamic => Ty::Vector(Shape::Dynamic),
        },
        Kind::Matrix => Ty::Matrix,
        Kind::Scalar | Kind::Const => Ty::Scalar,
    }
}

/// The body of a generated fn: statements, then the value (if `value`) and the gradients.
fn body(sig: &Sig, p: &Program, callees: &Ident, value: bool, grads: bool) -> TokenStream {
    let e = Emitter::new(p, sig.float, callees);
    let stmts = e.stmts(&p.body);
    let ys = &p.body.yields;
    let mut k = 0;
    let mut parts = Vec::new();
    if value {
        let want = match &sig.ret {
            Ret::Scalar => Ty::Scalar,
            Ret::Vector(c) => want_ty(&Kind::Vector(c.clone())),
            Ret::Matrix => Ty::Matrix,
        };
        parts.push(e.convert(ys[0], &want, None, ys[1..].contains(&ys[0])));
        k = 1;
    }
    let mut gs = Vec::new();
    if grads {
        for (i, prm) in sig.diff_params().enumerate() {
            let o = ys[k + i];
            let id = &prm.ident;
            let dup = ys[k + i + 1..].contains(&o);
            gs.push(e.convert(o, &want_ty(&prm.kind), Some(quote!(#id)), dup));
        }
    }
    let gs = if gs.len() == 1 {
        quote!(#(#gs)*)
    } else {
        quote!((#(#gs),*))
    };
    match (value, grads) {
        (true, true) => {
            let v = &parts[0];
            quote!(#stmts (#v, #gs))
        }
        (true, false) => {
            let v = &parts[0];
            quote!(#stmts #v)
        }
        _ => quote!(#stmts #gs),
    }
}

/// The original fn (re-emitted if it uses vectors) plus the generated fns.
///
/// For a scalar result, `_value_and_grad` holds the sweep; `_grad` wraps it
/// in a scalar fn, and has its own sweep without the statements only the
/// value needs in a fn with vectors (a loss's forward kernel is a call the
/// optimizer keeps); `_vjp` scales `_grad` by the cotangent. For a vector result, the hidden `<f>_value_and_vjp(params,
/// cotangent) -> (value, partials)` holds it, and `_vjp` and `_jacobian`
/// wrap it. The marker types of composition errors live in one module
/// beside them (see [`crate::emit::callee_module`]).
fn generate(f: &ItemFn, sig: &Sig, program: &Program, cotangent: &Ident) -> TokenStream {
    let n_grads = sig.diff_params().count();
    let all: Vec<usize> = (0..=n_grads).collect();
    let grads_only: Vec<usize> = (1..=n_grads).collect();
    let float = sig.float;
    let grad_ty = grads_type(sig);
    let slots_ty = slots_type(sig);
    let ret_ty = &sig.ret_ty;
    let docs = doc::Docs::new(&f.sig.ident, sig, &simplify::simplify(program, &grads_only));
    let params = generated_params(sig);
    let args: Vec<&Ident> = sig.params.iter().map(|p| &p.ident).collect();
    let vis = &f.vis;
    let generics = &f.sig.generics;
    let wh = &f.sig.generics.where_clause;
    let attrs = copied_attrs(f);
    let name = &f.sig.ident;
    let vectors = uses_vectors(sig, program);
    let callees = format_ident!("__grad_{}_callees", name);
    let callee_module = crate::emit::callee_module(&callees, program);

    // A generic fn's literals are converted to `T` only in code the macro
    // emits: its body is re-emitted from the IR like a vector body.
    let original = if vectors || matches!(sig.float, sig::FloatTy::Generic(_)) {
        let value_prog = simplify::simplify(program, &[0]);
        let b = body(sig, &value_prog, &callees, true, false);
        let mut g = f.clone();
        *g.block = syn::parse_quote!({ #b });
        quote!(#g)
    } else {
        quote!(#f)
    };

    let sweep = body(
        sig,
        &simplify::simplify(program, &all),
        &callees,
        true,
        true,
    );
    let vector_out = matches!(sig.ret, Ret::Vector(_) | Ret::Matrix);
    let cot_ty = match sig.ret {
        Ret::Scalar => quote!(#float),
        Ret::Vector(_) => quote!(&[#float]),
        Ret::Matrix => quote!(&::grad::Matrix<#float>),
    };
    // Scalar derivatives are a few lines of arithmetic: let other crates inline them.
    let inline = if vectors || attrs.iter().any(|a| a.path().is_ident("inline")) {
        quote!()
    } else {
        quote!(#[inline])
    };
    let allow = quote!(#[allow(unused_variables, dead_code, clippy::ptr_arg, clippy::too_many_arguments, clippy::type_complexity)]);
    let vjp_name = format_ident!("{}_vjp", name);
    let vjp_doc = docs.vjp_doc(&cotangent.to_string(), &sig.ret);

    if vector_out {
        let core_name = format_ident!("{}_value_and_vjp", name);
        let slots = slots_expr(sig, &quote!(#core_name(#(#args,)* #cotangent).1), None);
        let jac = match sig.ret {
            Ret::Vector(_) => jacobian(f, sig, &core_name),
            Ret::Scalar | Ret::Matrix => TokenStream::new(),
        };
        return quote! {
            #original
            #callee_module

            #[doc(hidden)]
            #(#attrs)*
            #allow
            #vis fn #core_name #generics(#(#params,)* #cotangent: #cot_ty) -> (#ret_ty, #grad_ty) #wh {
                #sweep
            }

            #(#vjp_doc)*
            #[inline]
            #(#attrs)*
            #allow
            #vis fn #vjp_name #generics(#(#params,)* #cotangent: #cot_ty) -> #slots_ty #wh {
                #slots
            }

            #jac
        };
    }

    let grad_name = format_ident!("{}_grad", name);
    let vg_name = format_ident!("{}_value_and_grad", name);
    let grad_doc = docs.grad_doc();
    let vg_doc = docs.value_and_grad_doc();
    let slots = slots_expr(sig, &quote!(#grad_name(#(#args),*)), Some(cotangent));
    // With vectors, `_grad` gets its own sweep, without the statements only
    // the value needs (a loss's forward kernel is a call the optimizer keeps);
    // scalar arithmetic the optimizer drops itself, so `_grad` wraps
    // `_value_and_grad` and rustc compiles one sweep.
    let grad_body = if vectors {
        body(
            sig,
            &simplify::simplify(program, &grads_only),
            &callees,
            false,
            true,
        )
    } else {
        quote!(#vg_name(#(#args),*).1)
    };
    quote! {
        #original
        #callee_module

        #(#grad_doc)*
        #inline
        #(#attrs)*
        #allow
        #vis fn #grad_name #generics(#(#params),*) -> #grad_ty #wh {
            #grad_body
        }

        #(#vg_doc)*
        #inline
        #(#attrs)*
        #allow
        #vis fn #vg_name #generics(#(#params),*) -> (#ret_ty, #grad_ty) #wh {
            #sweep
        }

        #(#vjp_doc)*
        #[inline]
        #(#attrs)*
        #allow
        #vis fn #vjp_name #generics(#(#params,)* #cotangent: #cot_ty) -> #slots_ty #wh {
            #slots
        }
    }
}

/// `f_jacobian`: one vector-Jacobian product per output element (only with
/// one differentiated param; a scalar param gives a column).
fn jacobian(f: &ItemFn, sig: &Sig, core_name: &Ident) -> TokenStream {
    let mut diff = sig.diff_params();
    let (Some(p), None) = (diff.next(), diff.next()) else {
        return TokenStream::new();
    };
    let float = sig.float;
    let name = &f.sig.ident;
    let jac_name = format_ident!("{}_jacobian", name);
    let vjp_name = format_ident!("{}_vjp", name);
    let params = generated_params(sig);
    let vis = &f.vis;
    let generics = &f.sig.generics;
    let wh = &f.sig.generics.where_clause;
    let attrs = copied_attrs(f);
    let args: Vec<TokenStream> = sig
        .params
        .iter()
        .map(|p| {
            let id = &p.ident;
            quote!(::core::clone::Clone::clone(&#id))
        })
        .collect();
    let zero = crate::emit::float_lit(0.0, float);
    let one = crate::emit::float_lit(1.0, float);
    let (y, n, i, e) = (
        Ident::new("y", Span::mixed_site()),
        Ident::new("n", Span::mixed_site()),
        Ident::new("i", Span::mixed_site()),
        Ident::new("e", Span::mixed_site()),
    );
    let doc = format!(
        " The Jacobian of [`{name}`] with respect to `{}`: row `i` is the gradient of output `i` (one [`{vjp_name}`] per row).",
        p.ident
    );
    quote! {
        #[doc = #doc]
        #(#attrs)*
        #[allow(unused_variables, dead_code, clippy::ptr_arg, clippy::too_many_arguments, clippy::type_complexity)]
        #vis fn #jac_name #generics(#(#params),*) -> ::std::vec::Vec<::std::vec::Vec<#float>> #wh {
            let #y = #name(#(#args),*);
            let #n = #y.len();
            (0..#n)
                .map(|#i| {
                    let mut #e = ::std::vec![#zero; #n];
                    #e[#i] = #one;
                    ::grad::__private::jacobian_row(#core_name(#(#args,)* &#e).1)
                })
                .collect()
        }
    }
}

/// The `_vjp` result type: one slot per float parameter, in order, holding
/// the gradient's type for a differentiated one and `NotDifferentiated` for
/// the others; bare when there is one float parameter.
pub(crate) fn slots_type(sig: &Sig) -> TokenStream {
    let float = sig.float;
    let tys: Vec<TokenStream> = sig
        .params
        .iter()
        .filter(|p| !matches!(p.kind, Kind::Const))
        .map(|p| match p.diff {
            false => quote!(::grad::NotDifferentiated),
            true => grad_type(&p.kind, float),
        })
        .collect();
    if tys.len() == 1 {
        quote!(#(#tys)*)
    } else {
        quote!((#(#tys),*))
    }
}

/// The slots built from `grads`, an expression of the gradient type (bare
/// for one differentiated parameter, else a tuple), each partial multiplied
/// by `scale` when given.
fn slots_expr(sig: &Sig, grads: &TokenStream, scale: Option<&Ident>) -> TokenStream {
    let n_diff = sig.diff_params().count();
    let g = Ident::new("grads", Span::mixed_site());
    let mut k = 0;
    let slots: Vec<TokenStream> = sig
        .params
        .iter()
        .filter(|p| !matches!(p.kind, Kind::Const))
        .map(|p| {
            if !p.diff {
                return quote!(::grad::NotDifferentiated);
            }
            let s = if n_diff == 1 {
                quote!(#g)
            } else {
                let i = syn::Index::from(k);
                quote!(#g.#i)
            };
            k += 1;
            match scale {
                Some(c) if matches!(p.kind, Kind::Scalar) => quote!(#s * #c),
                Some(c) => quote!(::grad::__private::scaled(#s, #c)),
                None => s,
            }
        })
        .collect();
    let tuple = if slots.len() == 1 {
        quote!(#(#slots)*)
    } else {
        quote!((#(#slots),*))
    };
    quote!({
        let #g = #grads;
        #tuple
    })
}

/// The gradient type: one entry per differentiated param, bare when there is one.
pub(crate) fn grads_type(sig: &Sig) -> TokenStream {
    let float = sig.float;
    let tys: Vec<TokenStream> = sig
        .diff_params()
        .map(|p| grad_type(&p.kind, float))
        .collect();
    if tys.len() == 1 {
        quote!(#(#tys)*)
    } else {
        quote!((#(#tys),*))
    }
}

/// The Rust type of the gradient of a parameter of this kind.
fn grad_type(kind: &Kind, float: crate::sig::FloatTy) -> TokenStream {
    match kind {
        Kind::Scalar | Kind::Const => quote!(#float),
        Kind::Vector(crate::sig::Container::Array { len, .. }) => quote!([#float; #len]),
        Kind::Vector(_) => quote!(::std::vec::Vec<#float>),
        Kind::Matrix => quote!(::grad::Matrix<#float>),
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
