//! Generic float types: `fn f<T: Real>(x: T, v: &[T]) -> T`.
//!
//! The fn's generics are checked here: lifetimes and const parameters (array
//! lengths) are copied to every generated fn as they are; at most one type
//! parameter, bounded by `grad::Real` (in the generics or the where-clause),
//! is the fn's float type. While one fn is expanded, its name is the
//! *current* generic float, which [`crate::sig::classify`] recognizes like
//! `f32`/`f64` (`T`, `&[T]`, `Vec<T>`, `Matrix<T>`, ...).
//!
//! Literals the lowering types as floats are emitted as
//! `<T as ::grad::Real>::from_f64(lit)` (see [`crate::emit::float_lit`]);
//! the original fn is re-emitted from the IR (see `expand.rs`), so its
//! literals are converted the same way and its value is bit for bit the one
//! `f_value_and_grad` returns.

use crate::diag::Diag;
use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, quote};
use std::cell::Cell;
use syn::visit_mut::{self, VisitMut};
use syn::{Expr, GenericParam, Generics, Lit, TypeParamBound, WherePredicate};

thread_local! {
    /// The generic float type of the fn being expanded (`None`: `f32`/`f64`).
    static CURRENT: Cell<Option<&'static str>> = const { Cell::new(None) };
}

/// The generic float type of the fn being expanded, if any.
pub(crate) fn current() -> Option<&'static str> {
    CURRENT.with(Cell::get)
}

/// A name that lives for the whole expansion (interned: a fn's type
/// parameter name is leaked once per distinct name, a few bytes).
fn intern(name: &str) -> &'static str {
    thread_local! {
        static NAMES: std::cell::RefCell<Vec<&'static str>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    NAMES.with(|n| {
        let mut n = n.borrow_mut();
        if let Some(s) = n.iter().find(|s| **s == name) {
            return *s;
        }
        let s: &'static str = Box::leak(name.to_string().into_boxed_str());
        n.push(s);
        s
    })
}

/// Whether `b` names `grad::Real`: `Real`, `grad::Real`, `::grad::Real`,
/// `grad::prelude::Real`, `grad_core::Real`.
fn is_real(b: &TypeParamBound) -> bool {
    let TypeParamBound::Trait(t) = b else {
        return false;
    };
    let segs: Vec<String> = t
        .path
        .segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect();
    let segs: Vec<&str> = segs.iter().map(String::as_str).collect();
    matches!(
        segs.as_slice(),
        ["Real"]
            | ["grad", "Real"]
            | ["grad", "prelude", "Real"]
            | ["grad_core", "Real"]
            | ["grad_core", "real", "Real"]
    )
}

/// The trait bounds (by last segment name) on type parameter `name`, from
/// the generics and the where-clause.
fn bounds_of<'a>(g: &'a Generics, name: &syn::Ident) -> Vec<&'a TypeParamBound> {
    let mut out: Vec<&TypeParamBound> = Vec::new();
    for p in &g.params {
        if let GenericParam::Type(t) = p
            && t.ident == *name
        {
            out.extend(t.bounds.iter());
        }
    }
    if let Some(w) = &g.where_clause {
        for pred in &w.predicates {
            if let WherePredicate::Type(pt) = pred
                && let syn::Type::Path(tp) = &pt.bounded_ty
                && tp.qself.is_none()
                && tp.path.is_ident(name)
            {
                out.extend(pt.bounds.iter());
            }
        }
    }
    out
}

/// Checks the fn's generics and sets the current generic float type:
/// returns it (with its span) when the fn is generic over one `T: Real`.
pub(crate) fn analyze(g: &Generics, diag: &mut Diag) -> Option<(&'static str, Span)> {
    let mut found: Option<(&'static str, Span)> = None;
    for p in &g.params {
        let GenericParam::Type(t) = p else {
            // Lifetimes and const parameters (array lengths) are copied as they are.
            continue;
        };
        let bounds = bounds_of(g, &t.ident);
        if bounds.iter().any(|b| is_real(b)) {
            match found {
                None => found = Some((intern(&t.ident.to_string()), t.ident.span())),
                Some((first, _)) => diag.error(
                    &t.ident,
                    format!(
                        "a #[differentiable] fn is generic over one float type, but `{first}` and `{}` are both bounded by `Real`; use `{first}` for every float",
                        t.ident
                    ),
                ),
            }
            continue;
        }
        let named: Vec<String> = bounds
            .iter()
            .filter_map(|b| match b {
                TypeParamBound::Trait(tb) => tb.path.segments.last().map(|s| s.ident.to_string()),
                _ => None,
            })
            .collect();
        let msg = if named.is_empty() {
            format!(
                "the type parameter `{0}` has no `Real` bound; a #[differentiable] fn can be generic over its float type only: write `{0}: grad::Real` and use `{0}` for the floats, or remove `{0}`",
                t.ident
            )
        } else {
            format!(
                "the type parameter `{0}` is bounded by `{1}`, not by `grad::Real`; a #[differentiable] fn can be generic over its float type only: write `{0}: grad::Real` (add other bounds with `+`)",
                t.ident,
                named.join(" + ")
            )
        };
        diag.error(&t.ident, msg);
    }
    CURRENT.with(|c| c.set(found.map(|(n, _)| n)));
    found
}

/// `<T as ::grad::Real>::from_f64(lit)`: the literal `x` in the generic
/// float type `t`.
pub(crate) fn lit(x: f64, t: &str) -> TokenStream {
    let ty = syn::Ident::new(t, Span::call_site());
    let real = quote!(<#ty as ::grad::__private::Real>);
    if let Some(special) = crate::emit::non_finite(x, &real) {
        return special;
    }
    let text = format!("{:?}_f64", x.abs());
    let l = text
        .parse::<proc_macro2::Literal>()
        .unwrap_or_else(|_| proc_macro2::Literal::f64_suffixed(x.abs()));
    if x.is_sign_negative() {
        quote!(#real::from_f64(-#l))
    } else {
        quote!(#real::from_f64(#l))
    }
}

/// Folds `p op q` (its f64 value `r`) for a generic float type only when
/// `p`, `q` and `r` are all exactly representable in `f32` (so in `f64`):
/// then `r` is what the op computes at run time in both `f32` (rounding the
/// exact result once to `f32` or going through `f64` agree) and `f64`, and
/// what the same fn written for `f32` or `f64` folds to. `None`: leave the op
/// to run time.
pub(crate) fn fold(p: f64, q: f64, r: f64) -> Option<f64> {
    let f32_exact = |x: f64| x.is_finite() && f64::from(x as f32).to_bits() == x.to_bits();
    (f32_exact(p) && f32_exact(q) && f32_exact(r)).then_some(r)
}

/// A literal inlined into an expression kept as written (a condition):
/// unsuffixed in a generic fn (converted by [`convert_tokens`] where it is
/// emitted, and shown as written in the docs), else of the float type.
pub(crate) fn opaque_lit(x: f64, float: crate::sig::FloatTy) -> TokenStream {
    match float {
        crate::sig::FloatTy::Generic(_) if x.is_finite() => {
            let l = proc_macro2::Literal::f64_unsuffixed(x.abs());
            if x.is_sign_negative() {
                quote!((-#l))
            } else {
                quote!(#l)
            }
        }
        _ => crate::emit::float_lit(x, float),
    }
}

/// An expression kept as written (a condition, an index), with its
/// unsuffixed float literals converted to `T` (see [`convert_literals`]).
pub(crate) fn convert_tokens(ts: &TokenStream, t: &str) -> TokenStream {
    match syn::parse2::<Expr>(ts.clone()) {
        Ok(mut e) => {
            convert_literals(&mut e, t);
            e.into_token_stream()
        }
        Err(_) => ts.clone(),
    }
}

/// In an expression kept as written (a condition, an index), the float
/// literals: unsuffixed ones become `T::from_f64(lit)`.
pub(crate) fn convert_literals(e: &mut Expr, t: &str) {
    struct Conv<'a>(&'a str);
    impl VisitMut for Conv<'_> {
        fn visit_expr_mut(&mut self, e: &mut Expr) {
            if let Expr::Call(c) = e
                && is_conversion(c)
            {
                // `T::from_f64(0.5)` converts its own literal.
                return;
            }
            if let Expr::Lit(l) = e
                && let Lit::Float(f) = &l.lit
                && f.suffix().is_empty()
                && let Ok(x) = f.base10_parse::<f64>()
            {
                let span = f.span();
                let ts = lit(x, self.0);
                let ts: TokenStream = ts
                    .into_iter()
                    .map(|mut tt| {
                        tt.set_span(Span::mixed_site().located_at(span));
                        tt
                    })
                    .collect();
                *e = syn::parse_quote!(#ts);
                return;
            }
            visit_mut::visit_expr_mut(self, e);
        }
    }
    Conv(t).visit_expr_mut(e);
}

/// For a cast `expr as ty` in a generic fn: the error when `ty` is the
/// generic float (`as T` is not Rust), `None` otherwise.
pub(crate) fn cast_error(ty: &syn::Type) -> Option<String> {
    let t = current()?;
    let s = ty.to_token_stream().to_string();
    (s == t).then(|| {
        format!(
            "`as {t}` does not compile for a generic float type; convert with `{t}::from_f64(x)` (or `{t}::from_usize(n)` for a count)"
        )
    })
}

/// Whether `path` is a conversion into the generic float, kept as a
/// constant: `T::from_f64(..)`, `T::from_usize(..)`,
/// `<T as Real>::from_f64(..)`, `Real::from_f64(..)`.
pub(crate) fn is_conversion(e: &syn::ExprCall) -> bool {
    let Some(t) = current() else { return false };
    let Expr::Path(p) = &*e.func else {
        return false;
    };
    let segs = &p.path.segments;
    let Some(last) = segs.last() else {
        return false;
    };
    if !matches!(last.ident.to_string().as_str(), "from_f64" | "from_usize") {
        return false;
    }
    match &p.qself {
        Some(q) => q.ty.to_token_stream().to_string() == t,
        None => {
            let first = segs.first().map(|s| s.ident.to_string());
            segs.len() == 2 && (first.as_deref() == Some(t) || first.as_deref() == Some("Real"))
        }
    }
}

/// What to write instead of a second float type in a fn over `float`.
pub(crate) fn mixed_hint(float: crate::sig::FloatTy) -> String {
    match float {
        crate::sig::FloatTy::Generic(t) => {
            format!("the fn is generic over `{t}: Real`: write `{t}` here too")
        }
        _ => "use one float type per #[differentiable] fn".to_string(),
    }
}

/// Whether `ty` is a type parameter of `g` that [`analyze`] rejected (one
/// not bounded by `Real`): its uses need no error of their own.
pub(crate) fn is_rejected_param(ty: &syn::Type, g: &Generics) -> bool {
    let syn::Type::Path(p) = ty else { return false };
    let Some(id) = p.path.get_ident() else {
        return false;
    };
    p.qself.is_none()
        && current().is_none_or(|t| id != t)
        && g.params
            .iter()
            .any(|q| matches!(q, GenericParam::Type(t) if t.ident == *id))
}

/// For a constant of a concrete float type in a generic fn (`f64::EPSILON`,
/// `core::f64::consts::PI`): the error saying to convert it.
pub(crate) fn concrete_constant(p: &syn::ExprPath) -> Option<String> {
    let t = current()?;
    let f = p
        .path
        .segments
        .iter()
        .find(|s| s.ident == "f32" || s.ident == "f64")?;
    let path = p.path.to_token_stream().to_string().replace(' ', "");
    Some(format!(
        "`{path}` is an `{}` constant, but this fn is generic over `{t}`; write `{t}::from_f64({path})`",
        f.ident
    ))
}
