//! Value-level ops: the same function works on a scalar, an array (returns an
//! array), a slice or `Vec` (returns a `Vec`) and a [`Matrix`](crate::Matrix)
//! (returns a matrix); the vector ops take anything that is `AsRef<[T]>`
//! (`&v`, `v`, arrays, `Vec`s) or a matrix ([`Operand`]).
//!
//! | kind | ops |
//! |---|---|
//! | elementwise | [`sigmoid`] [`tanh`] [`relu`] [`softplus`] [`leaky_relu`] [`exp`] [`ln`] [`sqrt`] [`abs`] [`sin`] [`cos`] |
//! | reductions | [`sum`] [`mean`] [`dot`] [`matvec`] |
//! | along a vector | [`softmax`] [`log_softmax`] |
//! | losses (mean over elements) | [`mse`] [`cross_entropy`] [`binary_cross_entropy`] [`bce_with_logits`] |
//!
//! On a matrix, `softmax`/`log_softmax` run along each row, `cross_entropy`
//! takes one label per row and averages over rows, the other losses and
//! `sum`/`mean` run over every element, and `matvec(w, x)` needs
//! `x.len() == w.cols()`.
//!
//! Empty inputs: the sum of nothing is 0, the mean of nothing (and so every
//! loss but `cross_entropy`) is NaN as in PyTorch, an empty softmax is empty.
//! Lengths (shapes) that do not match panic with a message naming the op and
//! both lengths (shapes).
//!
//! ```
//! use grad_core::{cross_entropy, relu, sigmoid, softmax};
//!
//! assert_eq!(relu(-1.0_f64), 0.0);
//! assert_eq!(relu([-1.0_f32, 2.0]), [0.0, 2.0]);
//! assert_eq!(sigmoid(&[0.0_f64][..]), vec![0.5]);
//! let logits = vec![1000.0_f32, 0.0, -1000.0];
//! assert_eq!(softmax(&logits), vec![1.0, 0.0, 0.0]);
//! assert_eq!(cross_entropy(&logits, 1), 1000.0);
//! ```

mod check;
mod elementwise;
mod loss;
mod operand;
mod reduce;
mod softmax;
#[cfg(test)]
mod tests;

pub use elementwise::{
    Elementwise, abs, cos, exp, leaky_relu, ln, max, min, powf, powi, relu, sigmoid, sin, softplus,
    sqrt, tanh,
};
pub use loss::{bce_with_logits, binary_cross_entropy, cross_entropy, mse};
pub(crate) use loss::{check_row_labels, clamp_ln};
pub use operand::{Labels, Operand, Shape};
pub use reduce::{dot, matvec, mean, sum};
pub use softmax::{log_softmax, softmax};
