//! Matrix operations for generated code: forward ops on [`Matrix`](crate::Matrix) and
//! their backward pieces. Matrix inputs are `&Matrix<T>`; vector inputs
//! are slices, and vector outputs of type `O` ([`Out`]: `Vec<T>` or
//! `[T; N]`) are chosen by the caller, as in [`super::v`].
//!
//! Each forward op gives the bits of the public op a user calls:
//! `matmul transpose softmax log_softmax sum mean mse cross_entropy
//! binary_cross_entropy bce_with_logits` and the elementwise `exp ln sqrt
//! sin cos abs sigmoid tanh relu softplus` *are* the ops of [`crate::values`]
//! and [`crate::matrix`] on a `&Matrix`; `matvec` runs the kernel
//! [`crate::matvec`] runs; `+ - * /` compute the one IEEE operation per
//! element that `Matrix`'s operators compute. The backward pieces run the
//! kernels' backwards (`*_rows_backward`, `cross_entropy_backward`, the
//! activations', `mse_backward`) and the GEMM entry points
//! ([`crate::matrix::matmul_nt`] for `g·bᵀ`, [`crate::matrix::matmul_tn`]
//! for `aᵀ·g`: the transposed operand is read through strides, not copied).
//!
//! Names: `mm_add` is matrix + matrix, `ms_` matrix and scalar, `sm_` scalar
//! and matrix, `mv_`/`vm_` a matrix and a row vector of length `cols`
//! applied to every row (broadcasting `(m, n) ⊙ (n,)`), whose backward for
//! the vector is [`col_sum`].
//!
//! Shapes that do not fit panic at the caller's line (`#[track_caller]`),
//! naming the op and both shapes: "matrix + matrix: a is 2×3 but b is 3×2",
//! or the public op's message ("matmul: a is 2×3 but b is 4×5").
//!
//! ```
//! use grad_core::Matrix;
//! use grad_core::ad::m;
//!
//! // a dense layer and its backward: z = x·wᵀ + b, L = mean(z)
//! let x = Matrix::from_vec(2, 3, vec![1.0_f64, 2.0, 3.0, 4.0, 5.0, 6.0]);
//! let w = Matrix::from_fn(4, 3, |i, j| (i + j) as f64 / 10.0);
//! let b = [0.5; 4];
//! let z = m::mv_add(&m::matmul(&x, &m::transpose(&w)), &b);
//! assert_eq!(m::mean(&z), grad_core::mean(&(grad_core::matmul(&x, grad_core::transpose(&w)) + &b)));
//! let dz = m::mean_backward(1.0, &z);
//! let db: [f64; 4] = m::col_sum(&dz);
//! let dwt = m::matmul_backward_b(&x, &dz); // ∂L/∂wᵀ, 3×4
//! assert_eq!((db, dwt.shape()), ([0.25; 4], (3, 4)));
//! ```

mod arith;
mod loss;
mod product;
mod reduce;
mod second;
mod shape;
mod softmax;
mod unary;

pub use super::v::Out;
pub use arith::{
    mm_add, mm_div, mm_mul, mm_sub, ms_add, ms_div, ms_mul, ms_sub, mv_add, mv_sub, sm_add, sm_div,
    sm_mul, sm_sub, vm_add, vm_sub,
};
pub use loss::{
    bce_backward_p, bce_backward_y, bce_logits_backward_y, bce_logits_backward_z, bce_with_logits,
    binary_cross_entropy, cross_entropy, cross_entropy_backward, mse, mse_backward,
};
pub use product::{
    matmul, matmul_backward_a, matmul_backward_b, matvec, matvec_backward_w, matvec_backward_x,
    transpose,
};
pub use reduce::{col_sum, fill, mean, mean_backward, sum};
pub use second::{
    cross_entropy_backward_jvp_z, log_softmax_backward_jvp_y, log_softmax_jvp,
    softmax_backward_jvp_y,
};
pub use shape::{FromMatrix, arg, cotangent, flat, index, index_backward, zeros};
pub use softmax::{log_softmax, log_softmax_backward, softmax, softmax_backward};
pub use unary::{
    abs, abs_deriv, cos, exp, ln, neg, relu, relu_backward, relu_deriv, sigmoid, sigmoid_backward,
    sigmoid_deriv_from_output, sin, softplus, softplus_backward, sqrt, tanh, tanh_backward,
    tanh_deriv_from_output,
};
