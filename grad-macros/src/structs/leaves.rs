//! A struct parameter's fields, flattened: one parameter per float, vector,
//! matrix or constant field, nested structs walked in declaration order.

use crate::sig::{Kind, classify};
use proc_macro2::Span;
use quote::quote;
use std::collections::HashMap;
use syn::visit_mut::{self, VisitMut};
use syn::{Expr, Fields, Ident, ItemStruct, Member, Type};

/// The struct definitions known so far (from `#[derive(Differentiable)]`).
#[derive(Default)]
pub(crate) struct Defs(pub(crate) Vec<ItemStruct>);

impl Defs {
    fn get(&self, name: &Ident) -> Option<&ItemStruct> {
        self.0.iter().find(|d| d.ident == *name)
    }

    /// Adds `def` unless a struct of that name is known.
    pub(crate) fn add(&mut self, def: ItemStruct) {
        if self.get(&def.ident).is_none() {
            self.0.push(def);
        }
    }
}

/// One field of a struct parameter, as the flat fn sees it.
#[derive(Clone)]
pub(crate) enum Node {
    /// A float, vector or matrix field: one parameter of the flat fn,
    /// differentiated when the struct is.
    Leaf {
        ident: Ident,
        /// The flat parameter's type (`f32`, `&Vec<f32>`, `&Matrix<f32>`, `&[f32; 3]`).
        ty: Type,
        /// Passed by reference (everything but a float).
        by_ref: bool,
    },
    /// A constant field (marked `skip` or not differentiable): a parameter of
    /// the flat fn passed by value (cloned), copied into the gradient.
    Const { ident: Ident, ty: Type },
    /// A differentiable field the macro does not flatten (a tuple, a `Vec`
    /// of structs, ...): the body may not read it; its partial is zero.
    Opaque { ty: Type },
    /// A struct: its fields in declaration order.
    Struct(Struct),
}

/// A struct (a parameter or a nested field).
#[derive(Clone)]
pub(crate) struct Struct {
    /// Its type as the fn names it (for struct literals: generics dropped).
    pub(crate) path: syn::Path,
    /// Its type, generics substituted (for messages).
    pub(crate) ty: Type,
    pub(crate) fields: Vec<(Member, Node)>,
}

impl Node {
    /// The flat parameters, in order: `(ident, type)` for leaves and constants.
    pub(crate) fn flat_params(&self, out: &mut Vec<(Ident, Type, bool)>) {
        match self {
            Node::Leaf { ident, ty, .. } => out.push((ident.clone(), ty.clone(), true)),
            Node::Const { ident, ty } => out.push((ident.clone(), ty.clone(), false)),
            Node::Opaque { .. } => {}
            Node::Struct(s) => s.fields.iter().for_each(|(_, n)| n.flat_params(out)),
        }
    }

    /// Whether some field is opaque (then a Hessian over the struct would
    /// miss its floats).
    pub(crate) fn has_opaque(&self) -> bool {
        match self {
            Node::Opaque { .. } => true,
            Node::Struct(s) => s.fields.iter().any(|(_, n)| n.has_opaque()),
            _ => false,
        }
    }
}

/// Builds the node of a struct-typed value named `prefix` whose type is
/// `tp`; struct types not yet defined are pushed to `missing`.
pub(crate) fn node(
    defs: &Defs,
    ty: &Type,
    prefix: &str,
    span: Span,
    missing: &mut Vec<syn::Path>,
) -> Node {
    if let Some(tp) = super::struct_path(ty)
        && let Type::Path(_) = strip_ref(ty)
        && let Some(last) = tp.path.segments.last()
    {
        let Some(def) = defs.get(&last.ident) else {
            if !missing.iter().any(|m| m == &tp.path) {
                missing.push(tp.path.clone());
            }
            return Node::Opaque { ty: ty.clone() };
        };
        let subst = substitution(def, tp);
        let mut path = tp.path.clone();
        if let Some(last) = path.segments.last_mut() {
            last.arguments = syn::PathArguments::None;
        }
        let fields = match &def.fields {
            Fields::Named(f) => f
                .named
                .iter()
                .filter_map(|f| Some((Member::Named(f.ident.clone()?), f)))
                .collect(),
            Fields::Unnamed(f) => f
                .unnamed
                .iter()
                .enumerate()
                .map(|(i, f)| {
                    (
                        Member::Unnamed(syn::Index {
                            index: i as u32,
                            span: Span::call_site(),
                        }),
                        f,
                    )
                })
                .collect::<Vec<_>>(),
            Fields::Unit => Vec::new(),
        };
        let fields = fields
            .into_iter()
            .map(|(m, f)| {
                let mut fty = f.ty.clone();
                Subst(&subst).visit_type_mut(&mut fty);
                let name = format!("{prefix}__{}", member_name(&m));
                let skip = f.attrs.iter().any(|a| a.path().is_ident("differentiable"));
                let n = if skip {
                    Node::Const {
                        ident: Ident::new(&name, span),
                        ty: fty,
                    }
                } else {
                    field_node(defs, fty, &name, span, missing)
                };
                (m, n)
            })
            .collect();
        return Node::Struct(Struct {
            path,
            ty: strip_ref(ty).clone(),
            fields,
        });
    }
    Node::Opaque { ty: ty.clone() }
}

fn field_node(defs: &Defs, ty: Type, name: &str, span: Span, missing: &mut Vec<syn::Path>) -> Node {
    let ident = Ident::new(name, span);
    match classify(&ty).1 {
        Kind::Scalar => Node::Leaf {
            ident,
            ty,
            by_ref: false,
        },
        Kind::Vector(_) | Kind::Matrix => Node::Leaf {
            ident,
            ty: syn::parse_quote!(&#ty),
            by_ref: true,
        },
        Kind::Const => match &ty {
            Type::Path(_) if super::struct_path(&ty).is_some() => {
                node(defs, &ty, name, span, missing)
            }
            _ => Node::Opaque { ty },
        },
    }
}

/// `a`, `0`: a member as text.
pub(crate) fn member_name(m: &Member) -> String {
    match m {
        Member::Named(id) => id.to_string(),
        Member::Unnamed(i) => i.index.to_string(),
    }
}

fn strip_ref(ty: &Type) -> &Type {
    match ty {
        Type::Reference(r) => &r.elem,
        other => other,
    }
}

/// The struct's type and const parameters mapped to the arguments `tp` gives.
fn substitution(def: &ItemStruct, tp: &syn::TypePath) -> HashMap<String, proc_macro2::TokenStream> {
    let mut map = HashMap::new();
    let args: Vec<proc_macro2::TokenStream> = match &tp.path.segments.last().map(|s| &s.arguments) {
        Some(syn::PathArguments::AngleBracketed(a)) => a
            .args
            .iter()
            .filter(|a| !matches!(a, syn::GenericArgument::Lifetime(_)))
            .map(|a| quote!(#a))
            .collect(),
        _ => Vec::new(),
    };
    let params = def.generics.params.iter().filter_map(|p| match p {
        syn::GenericParam::Type(t) => Some(t.ident.to_string()),
        syn::GenericParam::Const(c) => Some(c.ident.to_string()),
        syn::GenericParam::Lifetime(_) => None,
    });
    for (p, a) in params.zip(args) {
        map.insert(p, a);
    }
    map
}

/// Replaces a struct's generic parameters by their arguments.
struct Subst<'a>(&'a HashMap<String, proc_macro2::TokenStream>);

impl VisitMut for Subst<'_> {
    fn visit_type_mut(&mut self, t: &mut Type) {
        if let Type::Path(p) = t
            && p.qself.is_none()
            && let Some(id) = p.path.get_ident()
            && let Some(a) = self.0.get(&id.to_string())
            && let Ok(new) = syn::parse2::<Type>(a.clone())
        {
            *t = new;
            return;
        }
        visit_mut::visit_type_mut(self, t);
    }

    fn visit_expr_mut(&mut self, e: &mut Expr) {
        if let Expr::Path(p) = e
            && let Some(id) = p.path.get_ident()
            && let Some(a) = self.0.get(&id.to_string())
            && let Ok(new) = syn::parse2::<Expr>(a.clone())
        {
            *e = new;
            return;
        }
        visit_mut::visit_expr_mut(self, e);
    }
}
