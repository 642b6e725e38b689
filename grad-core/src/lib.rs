//! The runtime of [`grad`](https://docs.rs/grad): the [`Real`] trait, scalar
//! math with derivatives, SIMD slice kernels and value-level ops.
//!
//! ```
//! use grad_core::{sigmoid, softmax};
//!
//! assert_eq!(sigmoid(0.0_f64), 0.5);
//! let p = softmax(&[1.0_f32, 1.0]);
//! assert_eq!(p, vec![0.5, 0.5]);
//! ```

#[doc(hidden)]
pub mod ad;
#[doc(hidden)]
pub mod compose;
pub mod differentiable;
pub mod dispatch;
pub mod kernels;
pub mod matrix;
pub mod optim;
pub mod print;
pub mod real;
pub mod scalar;
pub mod testing;
pub mod values;

pub use differentiable::Differentiable;
pub use matrix::{Matrix, matmul, transpose};
pub use real::Real;
pub use values::*;

/// The README's examples, compiled and run as doctests.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
