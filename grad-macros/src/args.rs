//! The attribute's arguments.
//!
//! Grammar:
//!
//! ```text
//! args := ε | arg ("," arg)* ","?
//! arg  := "wrt" "(" ident ("," ident)* ","? ")" | "jvp" | "hessian"
//! ```
//!
//! `#[differentiable]` differentiates every float parameter;
//! `#[differentiable(wrt(w, b))]` only `w` and `b`. `jvp` also generates
//! the forward-mode `f_jvp`, `hessian` also `f_jvp`, `f_hvp` and
//! `f_hessian` (on request, so that fns that only need a gradient compile
//! as fast as before).

use syn::ext::IdentExt;
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::{Ident, Token};

/// Parsed `#[differentiable(..)]` arguments.
#[derive(Debug, Default)]
pub(crate) struct Args {
    /// The parameters named in `wrt(..)`, if given.
    pub(crate) wrt: Option<Vec<Ident>>,
    /// `jvp`: generate `f_jvp`.
    pub(crate) jvp: bool,
    /// `hessian`: generate `f_hvp` and `f_hessian`.
    pub(crate) hessian: bool,
}

const KNOWN: &str = "the arguments are `wrt(param, ...)`, `jvp` and `hessian`";

impl Parse for Args {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let mut args = Args::default();
        while !input.is_empty() {
            let kw: Ident = input.parse()?;
            let seen = match kw.to_string().as_str() {
                "wrt" => {
                    let content;
                    syn::parenthesized!(content in input);
                    let names: Punctuated<Ident, Token![,]> =
                        Punctuated::parse_terminated_with(&content, Ident::parse_any)?;
                    if names.is_empty() {
                        return Err(syn::Error::new(
                            kw.span(),
                            "`wrt()` is empty; name at least one float parameter, or drop `wrt` to differentiate all of them",
                        ));
                    }
                    args.wrt.replace(names.into_iter().collect()).is_some()
                }
                "jvp" => std::mem::replace(&mut args.jvp, true),
                "hessian" => std::mem::replace(&mut args.hessian, true),
                _ => {
                    return Err(syn::Error::new(
                        kw.span(),
                        format!("unknown argument `{kw}` to #[differentiable]; {KNOWN}"),
                    ));
                }
            };
            if seen {
                return Err(syn::Error::new(
                    kw.span(),
                    format!("`{kw}` is given twice to #[differentiable]; give it once"),
                ));
            }
            if input.is_empty() {
                break;
            }
            if !input.peek(Token![,]) {
                return Err(input.error(format!(
                    "unexpected tokens after `{kw}`; separate the arguments with commas, e.g. `#[differentiable(wrt(a, b), hessian)]`"
                )));
            }
            input.parse::<Token![,]>()?;
        }
        Ok(args)
    }
}
