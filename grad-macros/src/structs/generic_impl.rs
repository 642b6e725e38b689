//! `#[differentiable] impl<T: Real> Model<T> { .. }`: methods of a struct
//! generic over its float type.
//!
//! The flat fn of a method cannot declare `T` again inside the `impl` (it is
//! the impl's), so it is generic over a fresh `__GradT: Real` instead, and
//! `#[differentiable]` sees an ordinary generic fn; the method and the
//! wrappers keep the impl's `T` and call the flat fns, whose `__GradT` is
//! inferred as `T`.

use super::resolve::Flat;
use proc_macro2::Span;
use syn::visit_mut::VisitMut;
use syn::{GenericParam, Ident, ItemFn, ItemImpl, Type};

/// The impl's float type parameter: `T` of `impl<T: Real> Model<T>` (one
/// type parameter, bounded by `Real`, and nothing else generic).
pub(crate) fn float_param(imp: &ItemImpl) -> Option<Ident> {
    let params: Vec<&GenericParam> = imp.generics.params.iter().collect();
    let [GenericParam::Type(t)] = params.as_slice() else {
        return None;
    };
    let real = t.bounds.iter().any(|b| match b {
        syn::TypeParamBound::Trait(tb) => {
            tb.path.segments.last().is_some_and(|s| s.ident == "Real")
        }
        _ => false,
    });
    (real && imp.generics.where_clause.is_none()).then(|| t.ident.clone())
}

/// The fresh name the flat fns use for `T`.
pub(crate) fn fresh() -> Ident {
    Ident::new("__GradT", Span::call_site())
}

/// Renames every `from` to `to`.
struct Rename<'a> {
    from: &'a Ident,
    to: &'a Ident,
}

impl VisitMut for Rename<'_> {
    fn visit_ident_mut(&mut self, i: &mut Ident) {
        if i == self.from {
            *i = Ident::new(&self.to.to_string(), i.span());
        }
    }
}

/// `f` and the impl's self type with `t` renamed to [`fresh`], and `f`
/// generic over it: what is flattened.
pub(crate) fn for_flat(f: &ItemFn, self_ty: &Type, t: &Ident) -> (ItemFn, Type) {
    let new = fresh();
    let mut g = f.clone();
    let mut ty = self_ty.clone();
    let mut r = Rename { from: t, to: &new };
    r.visit_item_fn_mut(&mut g);
    r.visit_type_mut(&mut ty);
    g.sig
        .generics
        .params
        .insert(0, syn::parse_quote!(#new: ::grad::Real));
    (g, ty)
}

/// Back to the impl's `t` in what the user calls: the method keeps its own
/// signature, the wrappers name `t`, not [`fresh`], and declare no generics
/// of their own.
pub(crate) fn restore(flat: &mut Flat, f: &ItemFn, t: &Ident) {
    let new = fresh();
    let mut r = Rename { from: &new, to: t };
    flat.original.sig = f.sig.clone();
    for w in &mut flat.wrappers {
        r.visit_item_fn_mut(w);
        w.sig.generics.params = w
            .sig
            .generics
            .params
            .iter()
            .filter(|p| !matches!(p, GenericParam::Type(tp) if tp.ident == *t))
            .cloned()
            .collect();
    }
}
