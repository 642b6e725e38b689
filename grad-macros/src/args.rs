//! The attribute's arguments.
//!
//! Grammar:
//!
//! ```text
//! args := ε | "wrt" "(" ident ("," ident)* ","? ")"
//! ```
//!
//! `#[differentiable]` differentiates every float parameter;
//! `#[differentiable(wrt(w, b))]` only `w` and `b`.

use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::{Ident, Token};

/// Parsed `#[differentiable(..)]` arguments.
#[derive(Debug, Default)]
pub(crate) struct Args {
    /// The parameters named in `wrt(..)`, if given.
    pub(crate) wrt: Option<Vec<Ident>>,
}

impl Parse for Args {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        if input.is_empty() {
            return Ok(Args::default());
        }
        let kw: Ident = input.parse()?;
        if kw != "wrt" {
            return Err(syn::Error::new(
                kw.span(),
                format!(
                    "unknown argument `{kw}` to #[differentiable]; the only argument is `wrt(param, ...)`"
                ),
            ));
        }
        let content;
        syn::parenthesized!(content in input);
        let names: Punctuated<Ident, Token![,]> = Punctuated::parse_terminated(&content)?;
        if names.is_empty() {
            return Err(syn::Error::new(
                kw.span(),
                "`wrt()` is empty; name at least one float parameter, or drop `wrt` to differentiate all of them",
            ));
        }
        if !input.is_empty() {
            return Err(input
                .error("unexpected tokens after `wrt(..)`; write `#[differentiable(wrt(a, b))]`"));
        }
        Ok(Args {
            wrt: Some(names.into_iter().collect()),
        })
    }
}
