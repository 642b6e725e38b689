//! The user-facing generated fns of a fn with struct parameters: each calls
//! the flat fn's counterpart with the structs' fields and gathers the
//! fields' partials back into values of the structs' types.

use super::leaves::{Node, Struct};
use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, format_ident, quote};
use syn::{FnArg, Ident, ItemFn, Type};

/// One parameter of the user's fn.
pub(crate) struct Orig {
    pub(crate) ident: Ident,
    /// `None` for a receiver.
    pub(crate) ty: Option<Type>,
    /// Its fields, for a struct.
    pub(crate) node: Option<Node>,
    pub(crate) diff: bool,
}

impl Orig {
    /// The type of its partial when it is a struct: the struct itself.
    fn struct_ty(&self) -> TokenStream {
        match &self.ty {
            None => quote!(Self),
            Some(Type::Reference(r)) => r.elem.to_token_stream(),
            Some(t) => t.to_token_stream(),
        }
    }
}

/// The generated fns a wrapper is made for, and what their outputs hold.
#[derive(Clone, Copy, PartialEq)]
enum Out {
    /// The partials.
    Grads,
    /// `(value, partials)`.
    ValueGrads,
    /// Passed through (`_jvp`'s `(value, derivative)`, `_hessian`'s matrix).
    Same,
}

const SUFFIXES: &[(&str, Out)] = &[
    ("grad", Out::Grads),
    ("value_and_grad", Out::ValueGrads),
    ("vjp", Out::Grads),
    ("jvp", Out::Same),
    ("hvp", Out::Grads),
    ("hessian", Out::Same),
];

/// Calls `f(leaf)` for each leaf or constant of `node` with its access path
/// from `base` (`p.w1`), in the flat parameters' order.
fn walk(node: &Node, base: &TokenStream, f: &mut dyn FnMut(&Node, TokenStream)) {
    match node {
        Node::Struct(s) => {
            for (m, n) in &s.fields {
                walk(n, &quote!(#base.#m), f);
            }
        }
        Node::Opaque { .. } => {}
        leaf => f(leaf, base.clone()),
    }
}

/// The flat fn's arguments for `orig` (struct fields by reference, floats
/// by value, constants cloned), then `extras` per differentiated one.
pub(crate) fn flat_args(params: &[Orig]) -> Vec<TokenStream> {
    let mut out = Vec::new();
    for p in params {
        let id = &p.ident;
        match &p.node {
            None => out.push(quote!(#id)),
            Some(node) => walk(node, &quote!(#id), &mut |leaf, access| {
                out.push(match leaf {
                    Node::Leaf { by_ref: true, .. } => quote!(&#access),
                    Node::Leaf { .. } => quote!(#access),
                    _ => quote!(::core::clone::Clone::clone(&#access)),
                })
            }),
        }
    }
    out
}

/// The value of a struct's partial from the flat partials `gs` (consumed in order).
fn gather(s: &Struct, base: &TokenStream, gs: &mut dyn Iterator<Item = Ident>) -> TokenStream {
    let path = &s.path;
    let fields = s.fields.iter().map(|(m, n)| {
        let access = quote!(#base.#m);
        let v = match n {
            Node::Leaf { .. } => {
                let g = gs.next();
                quote!(#g)
            }
            Node::Const { .. } => quote!(::core::clone::Clone::clone(&#access)),
            Node::Opaque { .. } => quote!(::grad::Differentiable::zeros_like(&#access)),
            Node::Struct(inner) => gather(inner, &access, gs),
        };
        quote!(#m: #v)
    });
    quote!(#path { #(#fields),* })
}

/// The wrappers of the generated fns found in `generated` (the flat fn's
/// expansion), named after `f`; `receiver` keeps `f`'s receiver.
pub(crate) fn wrappers(
    f: &ItemFn,
    params: &[Orig],
    generated: &[ItemFn],
    flat: &Ident,
    call_prefix: &TokenStream,
) -> syn::Result<Vec<ItemFn>> {
    let n_flat = flat_args(params).len();
    let diff: Vec<&Orig> = params.iter().filter(|p| p.diff).collect();
    let mut out = Vec::new();
    for (suffix, kind) in SUFFIXES {
        let flat_name = format_ident!("{}_{}", flat, suffix);
        let Some(g) = generated.iter().find(|g| g.sig.ident == flat_name) else {
            continue;
        };
        if *suffix == "hessian"
            && let Some(p) = diff
                .iter()
                .find(|p| p.node.as_ref().is_some_and(Node::has_opaque))
        {
            return Err(syn::Error::new(
                p.ident.span(),
                format!(
                    "`{}` has a field of a type #[differentiable] does not flatten (a tuple, a vector of structs, a generic type), so a Hessian over it would miss its floats; drop `hessian` or make the field a float, vector, matrix or struct",
                    p.ident
                ),
            ));
        }
        let extras: Vec<&FnArg> = g.sig.inputs.iter().skip(n_flat).collect();
        let (inputs, extra_args) = wrapper_extras(params, &extras, suffix)?;
        let mut args = flat_args(params);
        args.extend(extra_args);
        let call = quote!(#call_prefix #flat_name(#(#args),*));
        let grads_ty = match (&g.sig.output, kind) {
            (syn::ReturnType::Type(_, t), Out::ValueGrads) => match &**t {
                Type::Tuple(tt) if tt.elems.len() == 2 => Some(tt.elems[1].clone()),
                _ => None,
            },
            (syn::ReturnType::Type(_, t), Out::Grads) => Some((**t).clone()),
            _ => None,
        };
        let (ret, body) = match (kind, grads_ty) {
            (Out::Same, _) | (_, None) => (g.sig.output.to_token_stream(), call),
            (_, Some(flat_ty)) => {
                let (gty, pattern, value) = gather_grads(params, &flat_ty);
                if *kind == Out::ValueGrads {
                    let vty = match &g.sig.output {
                        syn::ReturnType::Type(_, t) => match &**t {
                            Type::Tuple(tt) => tt.elems[0].to_token_stream(),
                            _ => quote!(_),
                        },
                        _ => quote!(_),
                    };
                    (
                        quote!(-> (#vty, #gty)),
                        quote!(let (value, #pattern) = #call; (value, #value)),
                    )
                } else {
                    (quote!(-> #gty), quote!(let #pattern = #call; #value))
                }
            }
        };
        let name = format_ident!("{}_{}", f.sig.ident, suffix);
        let docs = docs(g, flat, &f.sig.ident, params);
        let other_attrs = g.attrs.iter().filter(|a| !a.path().is_ident("doc"));
        let vis = &f.vis;
        let generics = &f.sig.generics;
        let where_clause = &generics.where_clause;
        let own: Vec<&FnArg> = f.sig.inputs.iter().collect();
        let item = quote! {
            #(#docs)*
            #(#other_attrs)*
            #vis fn #name #generics(#(#own,)* #(#inputs),*) #ret #where_clause { #body }
        };
        out.push(syn::parse2(item)?);
    }
    Ok(out)
}

/// The wrapper's extra parameters (a struct's tangent or direction is one
/// value of its type) and the flat extra arguments they give.
fn wrapper_extras(
    params: &[Orig],
    extras: &[&FnArg],
    suffix: &str,
) -> syn::Result<(Vec<TokenStream>, Vec<TokenStream>)> {
    if !matches!(suffix, "jvp" | "hvp") {
        let ins: Vec<TokenStream> = extras.iter().map(|a| a.to_token_stream()).collect();
        let args = extras
            .iter()
            .filter_map(|a| match a {
                FnArg::Typed(pt) => Some(pt.pat.to_token_stream()),
                FnArg::Receiver(_) => None,
            })
            .collect();
        return Ok((ins, args));
    }
    let mut ins = Vec::new();
    let mut args = Vec::new();
    let mut rest = extras.iter();
    for p in params.iter().filter(|p| p.diff) {
        match &p.node {
            None => {
                let a = rest
                    .next()
                    .ok_or_else(|| syn::Error::new(p.ident.span(), "#[differentiable] generated a forward-mode fn with fewer tangents than this fn differentiates; this is a bug in grad: please report it, and meanwhile drop `jvp`/`hessian` from this fn"))?;
                ins.push(a.to_token_stream());
                if let FnArg::Typed(pt) = a {
                    args.push(pt.pat.to_token_stream());
                }
            }
            Some(node) => {
                let name = format_ident!(
                    "{}_dot",
                    p.ident.to_string().trim_start_matches("r#"),
                    span = Span::call_site()
                );
                let ty = match &p.ty {
                    None => quote!(&Self),
                    Some(t) => t.to_token_stream(),
                };
                ins.push(quote!(#name: #ty));
                walk(node, &quote!(#name), &mut |leaf, access| {
                    if let Node::Leaf { by_ref, .. } = leaf {
                        let _ = rest.next();
                        args.push(if *by_ref { quote!(&#access) } else { access });
                    }
                });
            }
        }
    }
    Ok((ins, args))
}

/// The partials' type, the pattern that binds the flat partials and the
/// value built from them.
fn gather_grads(params: &[Orig], flat_ty: &Type) -> (TokenStream, TokenStream, TokenStream) {
    let flat_tys: Vec<Type> = match flat_ty {
        Type::Tuple(t) if t.elems.len() != 1 => t.elems.iter().cloned().collect(),
        other => vec![other.clone()],
    };
    let n = flat_tys.len();
    let names: Vec<Ident> = (0..n).map(|i| format_ident!("__g{}", i)).collect();
    let mut next = names.clone().into_iter();
    let mut next_ty = flat_tys.into_iter();
    let mut tys = Vec::new();
    let mut vals = Vec::new();
    for p in params.iter().filter(|p| p.diff) {
        match &p.node {
            Some(Node::Struct(s)) => {
                let id = &p.ident;
                let mut leaves = 0;
                walk(&Node::Struct(s.clone()), &quote!(x), &mut |leaf, _| {
                    leaves += usize::from(matches!(leaf, Node::Leaf { .. }));
                });
                for _ in 0..leaves {
                    next_ty.next();
                }
                tys.push(p.struct_ty());
                vals.push(gather(s, &quote!(#id), &mut next));
            }
            _ => {
                let t = next_ty.next();
                tys.push(quote!(#t));
                let g = next.next();
                vals.push(quote!(#g));
            }
        }
    }
    let pattern = if n == 1 {
        quote!(#(#names)*)
    } else {
        quote!((#(#names),*))
    };
    let (ty, val) = if tys.len() == 1 {
        (quote!(#(#tys)*), quote!(#(#vals)*))
    } else {
        (quote!((#(#tys),*)), quote!((#(#vals),*)))
    };
    (ty, pattern, val)
}

/// The flat fn's docs, naming the user's fn and fields (`p.w1`).
fn docs(g: &ItemFn, flat: &Ident, name: &Ident, params: &[Orig]) -> Vec<syn::Attribute> {
    let mut renames: Vec<(String, String)> = vec![(flat.to_string(), name.to_string())];
    for p in params {
        if let Some(node) = &p.node {
            let mut flat_params = Vec::new();
            node.flat_params(&mut flat_params);
            for (id, _, _) in flat_params {
                let s = id.to_string();
                renames.push((s.clone(), s.replace("__", ".")));
            }
        }
    }
    renames.sort_by_key(|(a, _)| std::cmp::Reverse(a.len()));
    let note = params.iter().filter(|p| p.diff && p.node.is_some()).map(|p| {
        let text = format!(
            " The partials of `{}`'s fields come back as a value of its type; its constant fields are copied, the fields the body does not read are zero.",
            p.ident
        );
        syn::parse_quote!(#[doc = #text])
    });
    let blank: syn::Attribute = syn::parse_quote!(#[doc = ""]);
    let mut out: Vec<syn::Attribute> = g
        .attrs
        .iter()
        .filter(|a| a.path().is_ident("doc") && matches!(a.meta, syn::Meta::NameValue(_)))
        .map(|a| {
            let mut a = a.clone();
            if let syn::Meta::NameValue(nv) = &mut a.meta
                && let syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s),
                    ..
                }) = &nv.value
            {
                let mut text = s.value();
                for (from, to) in &renames {
                    text = text.replace(from, to);
                }
                nv.value = syn::parse_quote!(#text);
            }
            a
        })
        .collect();
    let note: Vec<syn::Attribute> = note.collect();
    if !note.is_empty() {
        out.push(blank);
        out.extend(note);
    }
    out
}
