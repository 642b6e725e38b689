//! The signature: which parameters are differentiated, the float type, the return kind.

use crate::args::Args;
use crate::diag::Diag;
use crate::ir::Shape;
use proc_macro2::TokenStream;
use quote::{ToTokens, quote};
use syn::spanned::Spanned;
use syn::{FnArg, Ident, Pat, ReturnType, Type};

/// The function's float type.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum FloatTy {
    F32,
    F64,
    /// A type parameter bounded by `grad::Real` (see [`crate::generic`]).
    Generic(&'static str),
}

impl FloatTy {
    pub(crate) fn name(self) -> &'static str {
        match self {
            FloatTy::F32 => "f32",
            FloatTy::F64 => "f64",
            FloatTy::Generic(t) => t,
        }
    }
}

impl ToTokens for FloatTy {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        match self {
            FloatTy::F32 => quote!(f32).to_tokens(tokens),
            FloatTy::F64 => quote!(f64).to_tokens(tokens),
            FloatTy::Generic(t) => Ident::new(t, proc_macro2::Span::call_site()).to_tokens(tokens),
        }
    }
}

/// How a vector parameter is passed.
#[derive(Clone, Debug)]
pub(crate) enum Container {
    /// `&[T]`
    Slice,
    /// `Vec<T>` (`by_ref`: `&Vec<T>`)
    Vec { by_ref: bool },
    /// `[T; N]` (`by_ref`: `&[T; N]`)
    Array { by_ref: bool, len: TokenStream },
}

/// What kind of value a parameter is.
#[derive(Clone, Debug)]
pub(crate) enum Kind {
    /// `f32` / `f64`.
    Scalar,
    /// A vector of floats.
    Vector(Container),
    /// `Matrix<T>` or `&Matrix<T>`.
    Matrix,
    /// Anything else: a constant.
    Const,
}

/// One parameter.
#[derive(Clone, Debug)]
pub(crate) struct Param {
    pub(crate) ident: Ident,
    pub(crate) ty: Type,
    pub(crate) kind: Kind,
    /// Whether `_grad` returns a partial for it.
    pub(crate) diff: bool,
}

impl Container {
    /// The vector shape of a value of this container.
    pub(crate) fn shape(&self) -> Shape {
        match self {
            Container::Array { len, .. } => Shape::Array(crate::ir::ArrLen {
                tokens: len.clone(),
            }),
            _ => Shape::Dynamic,
        }
    }
}

/// What the function returns.
#[derive(Clone, Debug)]
pub(crate) enum Ret {
    Scalar,
    Vector(Container),
    /// An owned `Matrix<T>`.
    Matrix,
}

/// The analyzed signature.
#[derive(Clone, Debug)]
pub(crate) struct Sig {
    pub(crate) float: FloatTy,
    pub(crate) params: Vec<Param>,
    pub(crate) ret: Ret,
    pub(crate) ret_ty: Type,
    /// A parameter was rejected (then the body is not emitted on fallback:
    /// it was written for the rejected type and would only add rustc errors).
    pub(crate) bad_params: bool,
}

impl Sig {
    /// The differentiated parameters, in order.
    pub(crate) fn diff_params(&self) -> impl Iterator<Item = &Param> {
        self.params.iter().filter(|p| p.diff)
    }
}

fn float_of(ty: &Type) -> Option<FloatTy> {
    match ty {
        Type::Path(p) if p.qself.is_none() => {
            let id = p.path.get_ident()?;
            if id == "f64" {
                Some(FloatTy::F64)
            } else if id == "f32" {
                Some(FloatTy::F32)
            } else {
                crate::generic::current()
                    .filter(|t| id == t)
                    .map(FloatTy::Generic)
            }
        }
        Type::Paren(p) => float_of(&p.elem),
        Type::Group(g) => float_of(&g.elem),
        _ => None,
    }
}

/// `Vec<elem>` → `elem`.
fn vec_elem(ty: &Type) -> Option<&Type> {
    generic_elem(ty, "Vec")
}

/// `Matrix<elem>` (`grad::Matrix<elem>`, ...) → `elem`.
fn matrix_elem(ty: &Type) -> Option<&Type> {
    generic_elem(ty, "Matrix")
}

/// `Name<elem>` → `elem`, for a path whose last segment is `name`.
fn generic_elem<'a>(ty: &'a Type, name: &str) -> Option<&'a Type> {
    let Type::Path(p) = ty else { return None };
    let last = p.path.segments.last()?;
    if last.ident != name {
        return None;
    }
    let syn::PathArguments::AngleBracketed(a) = &last.arguments else {
        return None;
    };
    match a.args.first()? {
        syn::GenericArgument::Type(t) if a.args.len() == 1 => Some(t),
        _ => None,
    }
}

/// Classifies a type: `(float type of its elements, kind)`.
pub(crate) fn classify(ty: &Type) -> (Option<FloatTy>, Kind) {
    if let Some(f) = float_of(ty) {
        return (Some(f), Kind::Scalar);
    }
    match ty {
        Type::Reference(r) if r.mutability.is_none() => match &*r.elem {
            Type::Slice(s) => match float_of(&s.elem) {
                Some(f) => (Some(f), Kind::Vector(Container::Slice)),
                None => (None, Kind::Const),
            },
            Type::Array(a) => match float_of(&a.elem) {
                Some(f) => (
                    Some(f),
                    Kind::Vector(Container::Array {
                        by_ref: true,
                        len: a.len.to_token_stream(),
                    }),
                ),
                None => (None, Kind::Const),
            },
            inner => match (
                vec_elem(inner).and_then(float_of),
                matrix_elem(inner).and_then(float_of),
            ) {
                (Some(f), _) => (Some(f), Kind::Vector(Container::Vec { by_ref: true })),
                (_, Some(f)) => (Some(f), Kind::Matrix),
                _ => (None, Kind::Const),
            },
        },
        Type::Array(a) => match float_of(&a.elem) {
            Some(f) => (
                Some(f),
                Kind::Vector(Container::Array {
                    by_ref: false,
                    len: a.len.to_token_stream(),
                }),
            ),
            None => (None, Kind::Const),
        },
        other => match (
            vec_elem(other).and_then(float_of),
            matrix_elem(other).and_then(float_of),
        ) {
            (Some(f), _) => (Some(f), Kind::Vector(Container::Vec { by_ref: false })),
            (_, Some(f)) => (Some(f), Kind::Matrix),
            _ => (None, Kind::Const),
        },
    }
}

/// Analyzes the signature, reporting every problem into `diag`.
/// Returns `None` when the signature cannot be analyzed at all.
pub(crate) fn analyze(f: &syn::ItemFn, args: &Args, diag: &mut Diag) -> Option<Sig> {
    let sig = &f.sig;
    if let Some(a) = &sig.asyncness {
        diag.error(
            a,
            "async fns are not supported by #[differentiable]; make it a plain `fn`",
        );
    }
    if let syn::Safety::Unsafe(u) = &sig.safety {
        diag.error(
            u,
            "unsafe fns are not supported by #[differentiable]; make it a safe `fn`",
        );
    }
    if let Some(c) = &sig.constness {
        diag.error(
            c,
            "const fns are not supported by #[differentiable]; remove `const`",
        );
    }
    if let Some(abi) = &sig.abi {
        diag.error(
            abi,
            "extern fns are not supported by #[differentiable]; remove the ABI",
        );
    }
    if let Some(v) = &sig.variadic {
        diag.error(v, "variadic fns are not supported by #[differentiable]");
    }
    // Lifetimes and consts are copied to the generated fns; a type
    // parameter must be the float type (`T: Real`).
    let generic = crate::generic::analyze(&sig.generics, diag);

    let mut float: Option<(FloatTy, proc_macro2::Span)> =
        generic.map(|(t, span)| (FloatTy::Generic(t), span));
    let mut note_float = |f: FloatTy, span: proc_macro2::Span, diag: &mut Diag| match float {
        None => float = Some((f, span)),
        Some((g, _)) if g != f => diag.error_at(
            span,
            format!(
                "mixed float types: this is `{}` but the fn already uses `{}`; {}",
                f.name(),
                g.name(),
                crate::generic::mixed_hint(g)
            ),
        ),
        Some(_) => {}
    };

    let mut params = Vec::new();
    let mut param_errors = false;
    for input in &sig.inputs {
        match input {
            FnArg::Receiver(r) => diag.error(
                r,
                "a macro on a method cannot see the type of `self`: name it (`fn loss(self: &Model, ..)`), or put `#[differentiable]` on the `impl` block too (`#[differentiable] impl Model { #[differentiable] fn loss(&self, ..) }`)",
            ),
            FnArg::Typed(pt) => {
                let ident = match &*pt.pat {
                    Pat::Ident(pi) if pi.subpat.is_none() && pi.by_ref.is_none() => {
                        pi.ident.clone()
                    }
                    other => {
                        param_errors = true;
                        diag.error(
                            other,
                            "patterns in parameters are not supported by #[differentiable]; bind each parameter to a plain name",
                        );
                        continue;
                    }
                };
                let (fl, kind) = classify(&pt.ty);
                if let Type::Reference(r) = &*pt.ty
                    && r.mutability.is_some()
                    && (mentions_float(&r.elem) || crate::structs::is_struct_type(&r.elem))
                {
                    param_errors = true;
                    let fl = if let Some((t, _)) = generic {
                        t
                    } else if pt.ty.to_token_stream().to_string().contains("f32") {
                        "f32"
                    } else {
                        "f64"
                    };
                    let instead = if crate::structs::is_struct_type(&r.elem) {
                        let ty = r.elem.to_token_stream().to_string().replace(' ', "");
                        format!("take `&{ty}`")
                    } else if vector_layers(&r.elem) == Some(0) {
                        format!("take the `{fl}` by value")
                    } else if matrix_elem(&r.elem).is_some() {
                        format!("take `&Matrix<{fl}>`")
                    } else {
                        format!("take `&[{fl}]`")
                    };
                    diag.error(
                        &pt.ty,
                        format!("`&mut` parameters are not supported by #[differentiable]; {instead} and return a new value"),
                    );
                } else if let Type::Reference(r) = &*pt.ty
                    && float_of(&r.elem).is_some()
                {
                    param_errors = true;
                    diag.error(
                        &pt.ty,
                        "float parameters taken by reference are not supported by #[differentiable]; take the float by value",
                    );
                } else if matches!(kind, Kind::Const)
                    && let Some(layers) = vector_layers(&pt.ty)
                {
                    param_errors = true;
                    let msg = if layers == 0 {
                        "float parameters taken by reference are not supported by #[differentiable]; take the float by value"
                    } else if layers > 1 {
                        "nested vectors are not supported by #[differentiable]; flatten to `&[f64]` (row-major) and use `matvec`"
                    } else {
                        "this parameter type is not supported by #[differentiable]"
                    };
                    let forms = if layers == 0 { "" } else { "; the supported vector forms are `&[T]`, `Vec<T>`, `&Vec<T>`, `[T; N]`, `&[T; N]` with `T` = `f32` or `f64`" };
                    diag.error(
                        &pt.ty,
                        format!("{msg}{forms}"),
                    );
                }
                if let Some(fl) = fl {
                    note_float(fl, pt.ty.span(), diag);
                }
                let diff = !matches!(kind, Kind::Const);
                params.push(Param {
                    ident,
                    ty: (*pt.ty).clone(),
                    kind,
                    diff,
                });
            }
        }
    }

    let (ret, ret_ty) = match &sig.output {
        ReturnType::Default => {
            diag.error(
                sig.ident.clone(),
                "a #[differentiable] fn must return `f32` or `f64` (or a vector of them); add a return type",
            );
            return None;
        }
        ReturnType::Type(_, ty) => {
            let (fl, kind) = classify(ty);
            match (fl, kind) {
                (Some(fl), Kind::Scalar) => {
                    note_float(fl, ty.span(), diag);
                    (Ret::Scalar, (**ty).clone())
                }
                (Some(fl), Kind::Vector(c)) if !matches!(c, Container::Slice) && !by_ref(&c) => {
                    note_float(fl, ty.span(), diag);
                    (Ret::Vector(c), (**ty).clone())
                }
                (Some(fl), Kind::Matrix) if !matches!(**ty, Type::Reference(_)) => {
                    note_float(fl, ty.span(), diag);
                    (Ret::Matrix, (**ty).clone())
                }
                _ => {
                    // (A type parameter without `Real`: reported at the parameter.)
                    if !crate::generic::is_rejected_param(ty, &sig.generics) {
                        diag.error(
                            ty,
                            "a #[differentiable] fn must return `f32` or `f64`, or a `Vec`/array/`Matrix` of them; this return type has no derivative",
                        );
                    }
                    return None;
                }
            }
        }
    };

    if let Some(wrt) = &args.wrt {
        for p in &mut params {
            p.diff = false;
        }
        for name in wrt {
            match params.iter_mut().find(|p| p.ident == *name) {
                None => diag.error(
                    name,
                    format!("`wrt` names `{name}`, which is not a parameter of this fn"),
                ),
                Some(p) if matches!(p.kind, Kind::Const) => diag.error(
                    name,
                    format!(
                        "`wrt` names `{name}`, which is not float-typed; only `f32`/`f64` parameters and vectors of them can be differentiated"
                    ),
                ),
                Some(p) if p.diff => diag.error(name, format!("`{name}` appears twice in `wrt`")),
                Some(p) => p.diff = true,
            }
        }
    }

    let (float, _) = float?;
    // (Not after a parameter error: that parameter was meant to be the float.)
    if !params.iter().any(|p| p.diff) && args.wrt.is_none() && !param_errors {
        diag.error(
            sig.ident.clone(),
            format!(
                "`{}` has no float parameter to differentiate; add {} `{}` parameter",
                sig.ident,
                if matches!(float, FloatTy::Generic(_)) {
                    "a"
                } else {
                    "an"
                },
                float.name()
            ),
        );
    }
    Some(Sig {
        float,
        params,
        ret,
        ret_ty,
        bad_params: param_errors,
    })
}

fn by_ref(c: &Container) -> bool {
    matches!(
        c,
        Container::Vec { by_ref: true } | Container::Array { by_ref: true, .. }
    )
}

/// Whether `f32`/`f64` appears anywhere in `ty`.
fn mentions_float(ty: &Type) -> bool {
    fn walk(ts: TokenStream) -> bool {
        ts.into_iter().any(|t| match t {
            proc_macro2::TokenTree::Ident(i) => {
                i == "f64" || i == "f32" || crate::generic::current().is_some_and(|t| i == t)
            }
            proc_macro2::TokenTree::Group(g) => walk(g.stream()),
            _ => false,
        })
    }
    walk(ty.to_token_stream())
}

/// For a type built only of `&`, slices, arrays and `Vec` around a float
/// (`&[Vec<f64>]`, `Vec<[f64; 3]>`, `&&[f64]`): how many vector layers it has.
fn vector_layers(ty: &Type) -> Option<usize> {
    if float_of(ty).is_some() {
        return Some(0);
    }
    match ty {
        Type::Reference(r) => vector_layers(&r.elem),
        Type::Paren(p) => vector_layers(&p.elem),
        Type::Group(g) => vector_layers(&g.elem),
        Type::Slice(s) => vector_layers(&s.elem).map(|n| n + 1),
        Type::Array(a) => vector_layers(&a.elem).map(|n| n + 1),
        other => vector_layers(vec_elem(other)?).map(|n| n + 1),
    }
}
