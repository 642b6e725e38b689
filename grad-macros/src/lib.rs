//! The `#[differentiable]` attribute of [`grad`](https://docs.rs/grad).
//!
//! Use it through the `grad` crate: `use grad::prelude::*;`.
//!
//! The expansion is a pipeline of small stages, each in its own module:
//! `args` → `fence` → `lower` → `reverse` (with `rules`) and `forward`
//! (with `rules_fwd`) → `simplify` (with `ascend`) → `emit` (with `doc`);
//! `fallback` handles errors, `generic` a float type that is a type
//! parameter. A fn taking structs (or a method) first goes through
//! `structs`: it asks `#[derive(Differentiable)]`'s macro (`derive_info`)
//! for the structs' fields, flattens the fn to one parameter per field, runs
//! the pipeline on that, and wraps the result.

use proc_macro::TokenStream;

mod args;
mod ascend;
mod build;
mod derive;
mod derive_info;
mod diag;
mod doc;
mod emit;
mod expand;
mod fallback;
mod fence;
mod forward;
mod forward_fns;
mod forward_slots;
mod fuse;
mod generic;
mod ir;
mod loops;
mod lower;
mod ops;
mod reverse;
mod reverse_loop;
mod rules;
mod rules_fwd;
mod rules_vec;
mod sig;
mod simplify;
mod structs;

#[cfg(test)]
mod golden;
#[cfg(test)]
mod robust;

/// Generates the exact gradient of a function at compile time.
///
/// See the `grad` crate's documentation for the supported subset.
#[proc_macro_attribute]
pub fn differentiable(args: TokenStream, item: TokenStream) -> TokenStream {
    expand::expand(args.into(), item.into()).into()
}

/// The second step of `#[differentiable]` on a fn with struct parameters or
/// on an `impl` block: called by the macro `#[derive(Differentiable)]`
/// leaves under a struct's name, with the struct's definition. Not a public
/// API.
#[doc(hidden)]
#[proc_macro]
pub fn differentiable_struct(input: TokenStream) -> TokenStream {
    structs::differentiable_struct(input.into()).into()
}

/// Implements `grad::Differentiable` for a struct of parameters: the floats
/// of its fields (floats, vectors, arrays, matrices, other `Differentiable`
/// types) in declaration order; integer, `bool`, `char` fields and fields
/// marked `#[differentiable(skip)]` are constants, copied unchanged.
///
/// See the `grad` crate's documentation of `Differentiable`.
#[proc_macro_derive(Differentiable, attributes(differentiable))]
pub fn derive_differentiable(item: TokenStream) -> TokenStream {
    derive::derive(item.into()).into()
}
