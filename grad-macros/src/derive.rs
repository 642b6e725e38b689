//! `#[derive(Differentiable)]`: implements `grad::Differentiable` for a
//! struct (named fields or a tuple struct) field by field.
//!
//! Each field is one of:
//! - **differentiable**: a float, a `Vec`, array or `Matrix` of floats, a
//!   tuple of such, another `Differentiable` type, or a generic parameter
//!   bounded by `Real` or `Differentiable`. Its floats are visited in
//!   declaration order; `zeros_like` zeroes them.
//! - **constant**: an integer, `bool`, `char`, `&'static str`, `()` or
//!   `PhantomData<..>`, or any field marked `#[differentiable(skip)]`.
//!   `zeros_like` clones it; the arithmetic leaves it alone.
//!
//! Any other field type (`String`, `Option<..>`, a reference, an unbounded
//! generic `U`, a `Vec<usize>`) is a spanned error on the field's type that
//! says to mark it `#[differentiable(skip)]`. Whether a field of some other
//! named type is `Differentiable` is checked by rustc (the trait's
//! `on_unimplemented` message).
//!
//! The generated impl names the trait as `::grad::Differentiable`. Its
//! float type is the first `f32`, `f64` or `Real`-bounded type parameter
//! named in a differentiable field's type (else the first differentiable
//! field's `Float`); every differentiable field is bounded by
//! `Differentiable<Float = ..>` in the impl's where-clause, at the field's
//! type, so a field of another float type or of a type that is not
//! `Differentiable` is reported there.

use proc_macro2::{Span, TokenStream, TokenTree};
use quote::{ToTokens, format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Fields, GenericParam, Generics, Ident, Member, Type, TypeParamBound};

/// Expands `#[derive(Differentiable)]`: the impl, or the errors as
/// `compile_error!`s.
pub(crate) fn derive(input: TokenStream) -> TokenStream {
    match syn::parse2::<DeriveInput>(input).and_then(|input| expand(&input)) {
        Ok(tokens) => tokens,
        Err(e) => e.to_compile_error(),
    }
}

/// What a field is to the derive.
enum Kind {
    /// Copied unchanged (cloned) by `zeros_like`; not visited.
    Constant,
    /// Visited, and bounded in the impl's where-clause.
    Differentiable,
}

/// One field: how to name it, its type and what it is.
struct FieldInfo<'a> {
    member: Member,
    ty: &'a Type,
    kind: Kind,
}

/// The derived impl of `input`, or every error found in its fields.
fn expand(input: &DeriveInput) -> syn::Result<TokenStream> {
    let name = &input.ident;
    let fields = match &input.data {
        Data::Struct(s) => &s.fields,
        Data::Enum(e) => {
            return Err(syn::Error::new(
                e.enum_token.span,
                format!(
                    "#[derive(Differentiable)] applies to structs, but `{name}` is an enum; \
                     put the parameters in a struct (named fields or a tuple struct)"
                ),
            ));
        }
        Data::Union(u) => {
            return Err(syn::Error::new(
                u.union_token.span,
                format!(
                    "#[derive(Differentiable)] applies to structs, but `{name}` is a union; \
                     put the parameters in a struct (named fields or a tuple struct)"
                ),
            ));
        }
    };
    let params = Params::of(&input.generics);

    let mut infos = Vec::new();
    let mut errors: Option<syn::Error> = None;
    let mut push_error = |e: syn::Error| match &mut errors {
        Some(all) => all.combine(e),
        None => errors = Some(e),
    };
    let list: Vec<&syn::Field> = match fields {
        Fields::Named(f) => f.named.iter().collect(),
        Fields::Unnamed(f) => f.unnamed.iter().collect(),
        Fields::Unit => Vec::new(),
    };
    for (i, field) in list.into_iter().enumerate() {
        let member = match &field.ident {
            Some(id) => Member::Named(id.clone()),
            None => Member::Unnamed(syn::Index {
                index: u32::try_from(i).unwrap_or(u32::MAX),
                span: field.ty.span(),
            }),
        };
        let kind = match skipped(field) {
            Err(e) => {
                push_error(e);
                continue;
            }
            Ok(true) => Kind::Constant,
            Ok(false) => match classify(&field.ty, &params) {
                Ok(k) => k,
                Err(e) => {
                    push_error(e);
                    continue;
                }
            },
        };
        infos.push(FieldInfo {
            member,
            ty: &field.ty,
            kind,
        });
    }
    if let Some(e) = errors {
        return Err(e);
    }

    let visited: Vec<&FieldInfo<'_>> = infos
        .iter()
        .filter(|f| matches!(f.kind, Kind::Differentiable))
        .collect();
    let Some(first) = visited.first() else {
        return Err(syn::Error::new(
            name.span(),
            format!(
                "#[derive(Differentiable)] needs at least one float field, but `{name}` has none; \
                 add the parameters (floats, vectors, matrices) as fields"
            ),
        ));
    };
    // The float type: `f32`/`f64` or a `T: Real` named in a field's type
    // when there is one (so that `type Float` names no field type, which
    // may be private), else the first differentiable field's.
    let named_float = visited
        .iter()
        .find_map(|f| params.float_in(f.ty.to_token_stream()));
    let float = match &named_float {
        Some(id) => quote!(#id),
        None => {
            let ty = first.ty;
            quote!(<#ty as ::grad::Differentiable>::Float)
        }
    };

    let mut generics = input.generics.clone();
    for f in &visited {
        let ty = f.ty;
        let bound = if named_float.is_none() && std::ptr::eq(f.ty, first.ty) {
            quote_spanned!(ty.span()=> #ty: ::grad::Differentiable)
        } else {
            quote_spanned!(ty.span()=> #ty: ::grad::Differentiable<Float = #float>)
        };
        generics
            .make_where_clause()
            .predicates
            .push(syn::parse2(bound)?);
    }
    let (impl_generics, ty_generics, where_clause) = generics.split_for_impl();

    let zeros = infos.iter().map(|f| {
        let (m, ty) = (&f.member, f.ty);
        match f.kind {
            Kind::Constant => {
                quote_spanned!(ty.span()=> #m: ::core::clone::Clone::clone(&self.#m))
            }
            Kind::Differentiable => {
                quote_spanned!(ty.span()=> #m: <#ty as ::grad::Differentiable>::zeros_like(&self.#m))
            }
        }
    });
    let leaves = visited.iter().map(|f| {
        let (m, ty) = (&f.member, f.ty);
        quote_spanned!(ty.span()=>
            let leaves = ::core::iter::Iterator::chain(leaves, __leaves::<Self::Float, #ty>(&self.#m));
        )
    });
    let leaves_mut = visited.iter().map(|f| {
        let (m, ty) = (&f.member, f.ty);
        quote_spanned!(ty.span()=>
            let leaves = ::core::iter::Iterator::chain(leaves, __leaves_mut::<Self::Float, #ty>(&mut self.#m));
        )
    });
    let counts = visited.iter().map(|f| {
        let (m, ty) = (&f.member, f.ty);
        quote_spanned!(ty.span()=> <#ty as ::grad::Differentiable>::n_floats(&self.#m))
    });

    let f_ty = format_ident!("__F", span = Span::mixed_site());
    let d_ty = format_ident!("__D", span = Span::mixed_site());
    let constant: Vec<bool> = infos
        .iter()
        .map(|f| matches!(f.kind, Kind::Constant))
        .collect();
    let info = crate::derive_info::fields_macro(input, fields, &constant);
    Ok(quote! {
        #info
        #[automatically_derived]
        impl #impl_generics ::grad::Differentiable for #name #ty_generics #where_clause {
            type Float = #float;

            #[inline]
            fn zeros_like(&self) -> Self {
                Self { #(#zeros,)* }
            }

            #[inline]
            fn leaves(&self) -> impl ::core::iter::Iterator<Item = &[Self::Float]> {
                #[inline(always)]
                fn __leaves<#f_ty: ::grad::Real, #d_ty: ::grad::Differentiable<Float = #f_ty>>(
                    d: &#d_ty,
                ) -> impl ::core::iter::Iterator<Item = &[#f_ty]> {
                    <#d_ty as ::grad::Differentiable>::leaves(d)
                }
                let leaves = ::core::iter::empty::<&[Self::Float]>();
                #(#leaves)*
                leaves
            }

            #[inline]
            fn leaves_mut(&mut self) -> impl ::core::iter::Iterator<Item = &mut [Self::Float]> {
                #[inline(always)]
                fn __leaves_mut<#f_ty: ::grad::Real, #d_ty: ::grad::Differentiable<Float = #f_ty>>(
                    d: &mut #d_ty,
                ) -> impl ::core::iter::Iterator<Item = &mut [#f_ty]> {
                    <#d_ty as ::grad::Differentiable>::leaves_mut(d)
                }
                let leaves = ::core::iter::empty::<&mut [Self::Float]>();
                #(#leaves_mut)*
                leaves
            }

            #[inline]
            fn n_floats(&self) -> usize {
                0 #(+ #counts)*
            }
        }
    })
}

/// Whether `field` is marked `#[differentiable(skip)]`; an error for any
/// other argument of that attribute.
fn skipped(field: &syn::Field) -> syn::Result<bool> {
    let mut skip = false;
    for attr in &field.attrs {
        if !attr.path().is_ident("differentiable") {
            continue;
        }
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("skip") {
                skip = true;
                Ok(())
            } else {
                let arg = meta.path.to_token_stream().to_string();
                Err(meta.error(format!(
                    "unknown argument `{arg}` in #[differentiable(..)] on a field; \
                     the only one is `skip`: #[differentiable(skip)]"
                )))
            }
        })?;
    }
    Ok(skip)
}

/// The struct's type parameters, with whether they are bounded by `Real`
/// or `Differentiable`.
struct Params {
    /// `(name, bounded)` for each type parameter.
    types: Vec<(Ident, bool)>,
    /// The type parameters bounded by `Real`: float types.
    reals: Vec<Ident>,
}

impl Params {
    fn of(generics: &Generics) -> Params {
        let is_float_bound = |b: &TypeParamBound| match b {
            TypeParamBound::Trait(t) => t
                .path
                .segments
                .last()
                .is_some_and(|s| s.ident == "Real" || s.ident == "Differentiable"),
            _ => false,
        };
        let is_real = |b: &TypeParamBound| match b {
            TypeParamBound::Trait(t) => t.path.segments.last().is_some_and(|s| s.ident == "Real"),
            _ => false,
        };
        let mut types = Vec::new();
        let mut reals = Vec::new();
        for p in &generics.params {
            if let GenericParam::Type(t) = p {
                let mut bounded = t.bounds.iter().any(is_float_bound);
                let mut real = t.bounds.iter().any(is_real);
                if let Some(w) = &generics.where_clause {
                    for pred in &w.predicates {
                        if let syn::WherePredicate::Type(pt) = pred
                            && is_ident(&pt.bounded_ty, &t.ident)
                        {
                            bounded |= pt.bounds.iter().any(is_float_bound);
                            real |= pt.bounds.iter().any(is_real);
                        }
                    }
                }
                if real {
                    reals.push(t.ident.clone());
                }
                types.push((t.ident.clone(), bounded));
            }
        }
        Params { types, reals }
    }

    /// The first `f32`, `f64` or `Real`-bounded type parameter named in
    /// `tokens`.
    fn float_in(&self, tokens: TokenStream) -> Option<Ident> {
        tokens.into_iter().find_map(|tt| match tt {
            TokenTree::Ident(id) if id == "f32" || id == "f64" || self.reals.contains(&id) => {
                Some(id)
            }
            TokenTree::Group(g) => self.float_in(g.stream()),
            _ => None,
        })
    }
}

/// Whether `ty` is the single identifier `id`.
fn is_ident(ty: &Type, id: &Ident) -> bool {
    matches!(ty, Type::Path(p) if p.qself.is_none() && p.path.is_ident(id))
}

/// Integer, `bool` and `char` types: constants.
const SCALAR_CONSTANTS: &[&str] = &[
    "u8", "u16", "u32", "u64", "u128", "usize", "i8", "i16", "i32", "i64", "i128", "isize", "bool",
    "char",
];

/// Standard types that hold no parameters and are not plain constants.
const NOT_DIFFERENTIABLE: &[&str] = &[
    "String",
    "str",
    "Option",
    "Result",
    "Box",
    "Rc",
    "Arc",
    "Cell",
    "RefCell",
    "Mutex",
    "RwLock",
    "HashMap",
    "HashSet",
    "BTreeMap",
    "BTreeSet",
    "VecDeque",
    "LinkedList",
    "BinaryHeap",
    "PathBuf",
    "Path",
    "OsString",
    "Range",
    "Duration",
    "Instant",
];

/// `ty` as the user wrote it, without most of the token printer's spaces:
/// `Vec<usize>`, not `Vec < usize >`.
fn show(ty: &impl ToTokens) -> String {
    let mut s = ty.to_token_stream().to_string();
    for (from, to) in [
        (" <", "<"),
        ("< ", "<"),
        (" >", ">"),
        (" ::", "::"),
        (":: ", "::"),
        ("& ", "&"),
        (" ,", ","),
        ("[ ", "["),
        (" ]", "]"),
        (" ;", ";"),
        ("( ", "("),
        (" )", ")"),
    ] {
        s = s.replace(from, to);
    }
    s
}

/// The error for a field type that is neither differentiable nor a known
/// constant.
fn not_differentiable(ty: &Type) -> syn::Error {
    syn::Error::new_spanned(
        ty,
        format!(
            "`{}` holds no floats to differentiate and is not a constant #[derive(Differentiable)] \
             copies; mark the field `#[differentiable(skip)]` to copy it unchanged into \
             `zeros_like` and gradients",
            show(ty)
        ),
    )
}

/// What a field of type `ty` is, or why it can be neither.
fn classify(ty: &Type, params: &Params) -> syn::Result<Kind> {
    match ty {
        Type::Paren(p) => classify(&p.elem, params),
        Type::Group(g) => classify(&g.elem, params),
        Type::Reference(r) => {
            let is_static = r.lifetime.as_ref().is_some_and(|l| l.ident == "static");
            let is_str = matches!(&*r.elem, Type::Path(p) if p.path.is_ident("str"));
            if is_static && is_str && r.mutability.is_none() {
                Ok(Kind::Constant)
            } else {
                Err(not_differentiable(ty))
            }
        }
        Type::Tuple(t) if t.elems.is_empty() => Ok(Kind::Constant),
        Type::Tuple(t) => {
            for elem in &t.elems {
                if let Kind::Constant = classify(elem, params)? {
                    return Err(not_differentiable(elem));
                }
            }
            Ok(Kind::Differentiable)
        }
        Type::Array(a) => element(&a.elem, ty, params),
        Type::Path(p) if p.qself.is_none() => {
            let Some(last) = p.path.segments.last() else {
                return Ok(Kind::Differentiable);
            };
            let name = last.ident.to_string();
            if p.path.segments.len() == 1 && last.arguments.is_empty() {
                if SCALAR_CONSTANTS.contains(&name.as_str()) {
                    return Ok(Kind::Constant);
                }
                if let Some((_, bounded)) = params.types.iter().find(|(t, _)| *t == last.ident) {
                    if *bounded {
                        return Ok(Kind::Differentiable);
                    }
                    return Err(syn::Error::new_spanned(
                        ty,
                        format!(
                            "the type `{name}` of this field is a generic parameter that may hold no \
                             floats; bound it `{name}: Real` (a float) or `{name}: Differentiable`, or \
                             mark the field `#[differentiable(skip)]` to copy it unchanged"
                        ),
                    ));
                }
            }
            if name == "PhantomData" {
                return Ok(Kind::Constant);
            }
            if NOT_DIFFERENTIABLE.contains(&name.as_str()) {
                return Err(not_differentiable(ty));
            }
            if (name == "Vec" || name == "Matrix")
                && let syn::PathArguments::AngleBracketed(args) = &last.arguments
                && let Some(syn::GenericArgument::Type(elem)) = args.args.first()
            {
                return element(elem, ty, params);
            }
            Ok(Kind::Differentiable)
        }
        Type::Path(_) | Type::Macro(_) => Ok(Kind::Differentiable),
        _ => Err(not_differentiable(ty)),
    }
}

/// A container `ty` of `elem`s: differentiable when the elements are.
fn element(elem: &Type, ty: &Type, params: &Params) -> syn::Result<Kind> {
    match classify(elem, params)? {
        Kind::Constant => Err(not_differentiable(ty)),
        Kind::Differentiable => Ok(Kind::Differentiable),
    }
}
