//! The flat fn's body: field reads of struct parameters become the flat
//! parameters (`p.w1` → `p__w1`), and a struct passed to a call (`g(p, x)`,
//! `self.g(x)`, `Self::g(self, x)`) becomes its fields passed to the callee's
//! flat fn (`__grad_flat_g(p__w1, .., x)`).

use super::leaves::{Node, member_name};
use proc_macro2::TokenStream;
use quote::{ToTokens, format_ident};
use std::collections::HashMap;
use syn::punctuated::Punctuated;
use syn::visit_mut::{self, VisitMut};
use syn::{Expr, Ident, Member, Token};

/// The name of the flat fn of `name`.
pub(crate) fn flat_name(name: &Ident) -> Ident {
    format_ident!("__grad_flat_{}", name, span = name.span())
}

/// `p` in `p.a.b`: the base ident of a field chain.
pub(crate) fn base_ident(e: &Expr) -> Option<&Ident> {
    match e {
        Expr::Path(p) if p.qself.is_none() => p.path.get_ident().or_else(|| {
            // `self` parses as a one-segment path too.
            (p.path.segments.len() == 1).then(|| &p.path.segments[0].ident)
        }),
        Expr::Field(f) => base_ident(&f.base),
        Expr::Paren(p) => base_ident(&p.expr),
        _ => None,
    }
}

/// `p` or `&p`: a bare name.
pub(crate) fn bare_ident(e: &Expr) -> Option<&Ident> {
    match e {
        Expr::Path(p) if p.qself.is_none() && p.path.segments.len() == 1 => {
            Some(&p.path.segments[0].ident)
        }
        Expr::Reference(r) if r.mutability.is_none() => bare_ident(&r.expr),
        Expr::Paren(p) => bare_ident(&p.expr),
        _ => None,
    }
}

/// Rewrites a body; errors are collected, spanned at the user's code.
pub(crate) struct Rewriter<'a> {
    /// Struct parameters by name.
    pub(crate) structs: &'a HashMap<String, Node>,
    pub(crate) errors: Option<syn::Error>,
}

impl Rewriter<'_> {
    fn error(&mut self, at: &impl ToTokens, msg: String) {
        let e = syn::Error::new_spanned(at, msg);
        match &mut self.errors {
            Some(all) => all.combine(e),
            None => self.errors = Some(e),
        }
    }

    /// The node a field chain (or a bare name) reaches (`None`: no such
    /// field), with its text.
    fn resolve(&self, e: &Expr) -> Option<(Option<&Node>, String)> {
        let mut members = Vec::new();
        let mut cur = e;
        loop {
            match cur {
                Expr::Field(f) => {
                    members.push(&f.member);
                    cur = &f.base;
                }
                Expr::Paren(p) => cur = &p.expr,
                Expr::Reference(r) if members.is_empty() && r.mutability.is_none() => cur = &r.expr,
                _ => break,
            }
        }
        let base = bare_ident(cur)?;
        let mut node = self.structs.get(&base.to_string())?;
        let mut text = base.to_string();
        for m in members.iter().rev() {
            text.push('.');
            text.push_str(&member_name(m));
            let Node::Struct(s) = node else {
                return Some((Some(node), text));
            };
            node = match s.fields.iter().find(|(fm, _)| same_member(fm, m)) {
                Some((_, n)) => n,
                None => return Some((None, text)),
            };
        }
        Some((Some(node), text))
    }

    /// The flat arguments of a struct value: its leaves and constants.
    fn spread(node: &Node) -> Vec<Expr> {
        let mut params = Vec::new();
        node.flat_params(&mut params);
        params
            .into_iter()
            .map(|(id, ty, leaf)| match ty {
                syn::Type::Reference(_) if leaf => syn::parse_quote!(&#id),
                _ => syn::parse_quote!(#id),
            })
            .collect()
    }

    /// Rewrites the arguments of a call; whether one was a struct.
    fn args(&mut self, args: &mut Punctuated<Expr, Token![,]>) -> bool {
        let mut out: Punctuated<Expr, Token![,]> = Punctuated::new();
        let mut spread = false;
        for mut a in std::mem::take(args) {
            if let Some((Some(node @ Node::Struct(_)), _)) = self.resolve(&a) {
                out.extend(Self::spread(node));
                spread = true;
            } else {
                self.visit_expr_mut(&mut a);
                out.push(a);
            }
        }
        *args = out;
        spread
    }
}

fn same_member(a: &Member, b: &Member) -> bool {
    member_name(a) == member_name(b)
}

impl Rewriter<'_> {
    /// `p.g(x)` / `self.g(x)` where the receiver is a struct: a call of the
    /// flat fn of the method, `Mlp::__grad_flat_g(p__w, .., x)` (`Self::` for `self`).
    fn method_call(&mut self, e: &mut Expr) {
        let Expr::MethodCall(m) = e else { return };
        let node = match self.resolve(&m.receiver) {
            Some((Some(node @ Node::Struct(_)), _)) => node.clone(),
            _ => return visit_mut::visit_expr_mut(self, e),
        };
        let Node::Struct(s) = &node else { return };
        let owner: TokenStream = if bare_ident(&m.receiver).is_some_and(|i| i == "self") {
            quote::quote!(Self)
        } else {
            s.path.to_token_stream()
        };
        let name = flat_name(&m.method);
        let mut args = m.args.clone();
        self.args(&mut args);
        let mut all: Punctuated<Expr, Token![,]> = Self::spread(&node).into_iter().collect();
        all.extend(args);
        *e = syn::parse_quote!(#owner::#name(#all));
    }
}

impl VisitMut for Rewriter<'_> {
    fn visit_expr_mut(&mut self, e: &mut Expr) {
        match e {
            Expr::Field(_) | Expr::Path(_) => {
                let Some((node, text)) = self.resolve(e) else {
                    return visit_mut::visit_expr_mut(self, e);
                };
                let Some(node) = node else {
                    let msg = format!("no field `{text}`: the struct has no such field");
                    return self.error(e, msg);
                };
                match node {
                    Node::Leaf { ident, .. } | Node::Const { ident, .. } => {
                        let ident = ident.clone();
                        *e = syn::parse_quote!(#ident);
                    }
                    Node::Struct(s) => {
                        let ty = s.ty.to_token_stream();
                        self.error(e, format!("`{text}` is a struct (`{ty}`); read its fields (`{text}.field`) or pass it to a #[differentiable] fn"));
                    }
                    Node::Opaque { ty } => {
                        let ty = ty.to_token_stream();
                        self.error(e, format!("field `{text}` of type `{ty}` cannot be read in a #[differentiable] body; only float, vector, matrix and struct fields can (its partial is zero)"));
                    }
                }
            }
            Expr::Call(c) => {
                let spread = self.args(&mut c.args);
                if spread
                    && let Expr::Path(p) = &mut *c.func
                    && let Some(last) = p.path.segments.last_mut()
                {
                    last.ident = flat_name(&last.ident);
                } else {
                    self.visit_expr_mut(&mut c.func);
                }
            }
            Expr::MethodCall(_) => self.method_call(e),
            Expr::Macro(m) if m.mac.path.is_ident("vec") => {
                let parsed = m.mac.parse_body_with(|input: syn::parse::ParseStream<'_>| {
                    let first: Expr = input.parse()?;
                    if input.peek(Token![;]) {
                        let semi: Token![;] = input.parse()?;
                        let n: Expr = input.parse()?;
                        Ok((vec![first, n], Some(semi)))
                    } else {
                        let mut all = vec![first];
                        while input.parse::<Option<Token![,]>>()?.is_some() && !input.is_empty() {
                            all.push(input.parse()?);
                        }
                        Ok((all, None))
                    }
                });
                if let Ok((mut parts, semi)) = parsed {
                    for p in &mut parts {
                        self.visit_expr_mut(p);
                    }
                    m.mac.tokens = match (semi, &parts[..]) {
                        (Some(s), [v, n]) => quote::quote!(#v #s #n),
                        _ => quote::quote!(#(#parts),*),
                    };
                }
            }
            _ => visit_mut::visit_expr_mut(self, e),
        }
    }
}
