//! Slice kernels: no allocation, SIMD chosen at run time, one generic body
//! per op (see [`crate::dispatch`]).
//!
//! The generic bodies run on 32-lane chunks that LLVM compiles for each
//! path's instruction set, without fused multiply–add, so every path gives
//! the same bits. Where `exp`, `ln` or a division bounds the speed of an
//! `f32` kernel, the `Avx2` and `Avx512` paths run hand-written AVX2+FMA
//! code instead (about twice as fast): the elementwise `exp`, `ln`,
//! `sigmoid`, `tanh`, `softplus`, the backward of `ln` and `softplus`, and
//! the row kernels of the softmax family and cross-entropy. In `f64` they
//! do so for the same elementwise kernels but `ln`'s backward, for the
//! `e^{x−m}` of the row kernels, for batches of rows shorter than
//! [`LANES`] (one row per SIMD lane, as in `f32`) and for the sums of
//! `cross_entropy`'s longer rows.
//! Outputs of 16 MB and more of the kernels bound by memory there (the
//! hand-written `f32` code, `relu`, the backward kernels but `softplus`'s,
//! `mse_backward`, `softmax_backward`, a `matvec_backward` `dw`) are
//! written with streaming stores, past the caches (see `stream`).
//!
//! `x`/`y`/`dy`/`dx`/`out` are slices of equal length; `_backward` kernels
//! overwrite `dx` (they do not accumulate into it). Every kernel documents
//! its worst-case error against an f64 reference; the budgets and the
//! measured worst errors live in [`crate::testing`].
//!
//! ```
//! use grad_core::kernels;
//!
//! let x = [-2.0_f32, 0.0, 2.0];
//! let mut y = [0.0_f32; 3];
//! kernels::sigmoid(&x, &mut y);
//! let mut dx = [0.0_f32; 3];
//! kernels::sigmoid_backward(&y, &[1.0; 3], &mut dx);
//! assert_eq!(y[1], 0.5);
//! assert_eq!(dx[1], 0.25);
//! ```

#[cfg(target_arch = "x86_64")]
mod avx2;
mod check;
pub(crate) mod consts;
mod driver;
mod elementwise;
mod fast;
mod math;
pub(crate) mod par;
mod simd;
mod stream;

mod row;

mod cross_entropy;
mod dot;
mod exp;
mod ln;
mod log_softmax;
mod log_softmax_rows;
mod matvec;
mod max;
mod mean;
mod mse;
mod relu;
mod sigmoid;
mod softmax;
mod softmax_rows;
mod softplus;
mod sum;
mod tanh;

pub use cross_entropy::{cross_entropy, cross_entropy_backward};
pub use dot::dot;
pub use driver::{ACCUMULATORS, LANES};
pub use exp::{exp, exp_backward};
pub use ln::{ln, ln_backward};
pub use log_softmax::{log_softmax, log_softmax_backward};
pub use log_softmax_rows::{log_softmax_rows, log_softmax_rows_backward};
pub use matvec::{matvec, matvec_backward};
pub use max::max;
pub use mean::mean;
pub use mse::{mse, mse_backward};
pub use relu::{relu, relu_backward};
pub use sigmoid::{sigmoid, sigmoid_backward};
pub use softmax::{softmax, softmax_backward};
pub use softmax_rows::{softmax_rows, softmax_rows_backward};
pub use softplus::{softplus, softplus_backward};
pub use sum::sum;
pub use tanh::{tanh, tanh_backward};
