//! Emission of calls to user fns and of their derivatives: `g(..)`,
//! `g_vjp(.., cotangent)` with its compile-time check that the callee
//! returns one slot per float argument, and each slot's check that it holds
//! a partial (see `grad_core::compose`).

use super::Emitter;
use crate::ir::{Arg, Block, Op, Program, Stmt, Ty, Var};
use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};

impl Emitter<'_> {
    /// `path(args)`.
    pub(super) fn call(&self, path: &syn::Path, args: &[Arg], span: Span) -> TokenStream {
        let args = self.call_args(args);
        quote_spanned!(span=> #path(#(#args),*))
    }

    /// `path_vjp(args, g)`, checked to hold one slot per float argument.
    pub(super) fn call_vjp(
        &self,
        path: &syn::Path,
        args: &[Arg],
        g: Var,
        span: Span,
    ) -> TokenStream {
        let pr = quote_spanned!(span=> ::grad::__private);
        let marker = self.marker(path);
        let k = float_count(args);
        let path = suffixed(path, "vjp");
        let args = self.call_args(args);
        let g = self.arg(g);
        quote_spanned!(span=> #pr::partials::<#marker, #k, _>(#path(#(#args,)* #g)))
    }

    /// `path_jvp(args, tangents).1`: one tangent per float argument, passed
    /// the way the argument is (zero of its shape where none flows in).
    pub(super) fn call_jvp(
        &self,
        path: &syn::Path,
        args: &[Arg],
        tangents: &[Option<Var>],
        span: Span,
    ) -> TokenStream {
        let path = suffixed(path, "jvp");
        let values = self.call_args(args);
        let ts = self.tangent_args(args, tangents);
        quote_spanned!(span=> #path(#(#values,)* #(#ts),*).1)
    }

    /// `path_vjp_jvp(args, tangents, g, ġ)`: the tangent of the slots of
    /// `path_vjp(args, g)`, checked to hold one slot per float argument.
    pub(super) fn call_vjp_jvp(
        &self,
        path: &syn::Path,
        args: &[Arg],
        tangents: &[Option<Var>],
        g: Var,
        g_dot: Option<Var>,
        span: Span,
    ) -> TokenStream {
        let pr = quote_spanned!(span=> ::grad::__private);
        let marker = self.marker(path);
        let k = float_count(args);
        let path = suffixed(path, "vjp_jvp");
        let values = self.call_args(args);
        let ts = self.tangent_args(args, tangents);
        let g_t = self.arg(g);
        let gd = match g_dot {
            Some(d) => self.arg(d),
            None => crate::emit::float_lit(0.0, self.float),
        };
        quote_spanned!(span=> #pr::partials::<#marker, #k, _>(#path(#(#values,)* #(#ts,)* #g_t, #gd)))
    }

    /// One tangent per float argument, passed the way the argument is (zero
    /// of its shape where none flows in).
    fn tangent_args(&self, args: &[Arg], tangents: &[Option<Var>]) -> Vec<TokenStream> {
        let floats = args.iter().filter_map(|a| match a {
            Arg::Float(v, by_ref) => Some((*v, *by_ref)),
            Arg::Other(_) => None,
        });
        floats
            .zip(tangents)
            .map(|((v, by_ref), t)| match t {
                Some(t) => self.call_args(&[Arg::Float(*t, by_ref)]).remove(0),
                None => {
                    let a = self.operand(v);
                    let z = quote!(::grad::__private::zeros_like(&#a));
                    match (self.ty(v), by_ref) {
                        (Ty::Vector(_), false) => quote!(::grad::__private::v::arg(&#z[..])),
                        (Ty::Matrix, false) => quote!(::grad::__private::m::arg(&#z)),
                        (Ty::Vector(_) | Ty::Matrix, true) => quote!(&#z),
                        _ => z,
                    }
                }
            })
            .collect()
    }

    /// Slot `i` (of `k`) of the slots `t` of a call to `path`, checked to hold a partial.
    pub(super) fn partial(
        &self,
        t: Var,
        path: &syn::Path,
        k: usize,
        i: usize,
        span: Span,
        result: &Ty,
    ) -> TokenStream {
        let pr = quote_spanned!(span=> ::grad::__private);
        let marker = self.marker(path);
        let t = self.operand(t);
        let arg = Literal::usize_unsuffixed(i + 1);
        let slot = if k == 1 {
            quote!(#t)
        } else {
            let i = syn::Index::from(i);
            quote!(#t.#i)
        };
        match (self.float, result) {
            // (A generic scalar slot: see `grad_core::compose::covered_real`.)
            (crate::sig::FloatTy::Generic(_), Ty::Scalar) => {
                let float = self.float;
                quote_spanned!(span=> #pr::covered_real::<#marker, #arg, #float, _>(#slot))
            }
            _ => quote_spanned!(span=> #pr::covered::<#marker, #arg, _>(#slot)),
        }
    }

    /// The path of the marker type of the callee `path`.
    fn marker(&self, path: &syn::Path) -> TokenStream {
        let module = self.callees;
        let marker = callee_marker(path);
        quote!(#module::#marker)
    }

    /// Arguments of a user call, passed the way the user wrote them.
    pub(super) fn call_args(&self, args: &[Arg]) -> Vec<TokenStream> {
        args.iter()
            .map(|a| match a {
                Arg::Float(v, by_ref) => {
                    let t = self.operand(*v);
                    match (self.ty(*v), by_ref) {
                        (Ty::Vector(_), true) => quote!(&#t),
                        // Without `&`, the callee's parameter type picks the form.
                        (Ty::Vector(_), false) => quote!(::grad::__private::v::arg(&#t[..])),
                        (Ty::Matrix, true) => quote!(&#t),
                        (Ty::Matrix, false) => quote!(::grad::__private::m::arg(&#t)),
                        _ => t,
                    }
                }
                Arg::Other(v) => self.operand(*v),
            })
            .collect()
    }
}

/// The module of the marker types that name the callees of `program` in
/// composition errors, one empty struct per callee named after its last path
/// segment (rustc prints it as `prod` where the name is unique); `None` when
/// nothing is called. Shared by every fn generated from one, so an error
/// reported in two of them reads the same and is shown once.
pub(crate) fn callee_module(module: &Ident, program: &Program) -> Option<TokenStream> {
    let mut names: Vec<Ident> = Vec::new();
    collect_callees(&program.body, &mut names);
    if names.is_empty() {
        return None;
    }
    Some(quote! {
        #[doc(hidden)]
        #[allow(non_snake_case, non_camel_case_types, dead_code)]
        mod #module {
            #(pub(super) struct #names {})*
        }
    })
}

fn collect_callees(b: &Block, names: &mut Vec<Ident>) {
    for s in &b.stmts {
        match s {
            Stmt::Let(n) => {
                if let Op::CallVjp(path, ..) | Op::CallVjpJvp(path, ..) = &n.op {
                    let m = callee_marker(path);
                    if !names.contains(&m) {
                        names.push(m);
                    }
                }
            }
            Stmt::If(i) => {
                collect_callees(&i.then, names);
                collect_callees(&i.els, names);
            }
            Stmt::Loop(l) => {
                if let Some(c) = &l.cond {
                    collect_callees(c, names);
                }
                collect_callees(&l.body, names);
            }
        }
    }
}

/// The marker type that names a callee in composition errors: its last
/// path segment, spanned at the call.
fn callee_marker(path: &syn::Path) -> Ident {
    let last = path.segments.last().map(|s| &s.ident);
    match last {
        Some(id) => id.clone(),
        None => Ident::new("callee", Span::call_site()),
    }
}

/// `path` with `_<suffix>` appended to its last segment.
fn suffixed(path: &syn::Path, suffix: &str) -> syn::Path {
    let mut path = path.clone();
    if let Some(last) = path.segments.last_mut() {
        last.ident = format_ident!("{}_{suffix}", last.ident, span = last.ident.span());
    }
    path
}

/// How many float arguments a call has (the slots its `_vjp` returns), as a literal.
fn float_count(args: &[Arg]) -> Literal {
    Literal::usize_unsuffixed(args.iter().filter(|a| matches!(a, Arg::Float(..))).count())
}
