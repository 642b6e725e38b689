//! Vector operations for generated code: forward ops and their backward
//! pieces. Inputs are slices; the output type `O` is chosen by the caller
//! (`[T; N]` when every input is an array, so nothing is allocated, else
//! `Vec<T>`).
//!
//! Each forward op gives the bits of the public op of the same name:
//! `sum mean dot mse cross_entropy binary_cross_entropy bce_with_logits`
//! *are* the functions of [`crate::values`]; `matvec softmax log_softmax`
//! and the elementwise `sigmoid tanh relu softplus exp ln` run the same
//! kernels of [`crate::kernels`] into an output of type `O`. The backward
//! pieces of `softmax`, `log_softmax`, `cross_entropy` and `mse` are the
//! kernels' backwards; `matvec`'s compute the bits of
//! [`kernels::matvec_backward`](crate::kernels::matvec_backward).
//!
//! Lengths that do not match panic at the caller's line, with the message
//! of the public op ("dot: a has length 2 but b has length 3").
//!
//! ```
//! use grad_core::ad::v;
//!
//! let s: [f64; 2] = v::vv_add(&[1.0, 2.0], &[3.0, 4.0]);
//! assert_eq!(s, [4.0, 6.0]);
//! let p: Vec<f64> = v::softmax(&[0.0, 0.0]);
//! assert_eq!(p, vec![0.5, 0.5]);
//! ```

pub mod el;
mod elementwise;
mod loss;
mod matvec;
mod reduce;
mod second;
mod shape;
mod softmax;

pub use elementwise::{
    abs, abs_deriv, cos, exp, ln, neg, relu, relu_backward, relu_deriv, sigmoid, sigmoid_backward,
    sigmoid_deriv_from_output, sin, softplus, softplus_backward, sqrt, sv_add, sv_div, sv_mul,
    sv_sub, tanh, tanh_backward, tanh_deriv_from_output, vs_add, vs_div, vs_mul, vs_sub, vv_add,
    vv_div, vv_mul, vv_sub,
};
pub use loss::{
    bce_backward_p, bce_backward_y, bce_logits_backward_y, bce_logits_backward_z, bce_with_logits,
    binary_cross_entropy, cross_entropy, cross_entropy_backward, mse, mse_backward,
};
pub use matvec::{matvec, matvec_backward, matvec_backward_w, matvec_backward_x};
pub use reduce::{dot, dot_backward, fill, mean, mean_backward, sum};
pub use second::{
    cross_entropy_backward_jvp_z, log_softmax_backward_jvp_y, log_softmax_jvp,
    softmax_backward_jvp_y,
};
pub use shape::{
    FromVector, Out, arg, check, cotangent, index, index_backward, len_f, to_array, zeros,
};
pub use softmax::{log_softmax, log_softmax_backward, softmax, softmax_backward};
