//! Optimizers for any [`Differentiable`] parameters: [`Sgd`] and [`Adam`],
//! with the update rules and defaults of PyTorch's `torch.optim.SGD` and
//! `torch.optim.Adam`.
//!
//! A step takes the parameters and their gradient, a value of the same type
//! (what a `_grad` fn returns): `opt.step(&mut params, &grads)`. There is no
//! `zero_grad`: a gradient is a fresh value, not a buffer that accumulates.
//! An optimizer's state (momentum, moment estimates) is allocated on the
//! first step, with the parameters' shape, and reused by every later step,
//! which allocates nothing.
//!
//! The hyperparameters are `f64`, as in PyTorch, and are public fields: a
//! learning-rate schedule sets `opt.lr` between steps. Scalars derived from
//! them (bias corrections, step sizes) are computed in `f64` and rounded to
//! the parameters' float type once per step, as PyTorch does for a tensor of
//! that dtype.
//!
//! ```
//! use grad_core::optim::Adam;
//!
//! // minimize f(x) = (x₀ − 3)² + (x₁ + 1)², whose gradient is 2(x − (3, −1))
//! let mut x = vec![0.0_f64, 0.0];
//! let mut opt = Adam::new(0.1);
//! for _ in 0..500 {
//!     let g = vec![2.0 * (x[0] - 3.0), 2.0 * (x[1] + 1.0)];
//!     opt.step(&mut x, &g);
//! }
//! assert!((x[0] - 3.0).abs() < 1e-3 && (x[1] + 1.0).abs() < 1e-3);
//! ```
//!
//! [`Differentiable`]: crate::Differentiable

mod adam;
mod sgd;

pub use adam::Adam;
pub use sgd::Sgd;

use crate::Differentiable;
use crate::differentiable::{extra_leaf, same_len};

/// Calls `f` on the leaves of `p` with the leaves at the same places in
/// `a` (mutable state) and `g` (the gradient), checking that all three have
/// `p`'s shape.
#[track_caller]
fn zip2<P: Differentiable>(
    p: &mut P,
    a: &mut P,
    g: &P,
    mut f: impl FnMut(&mut [P::Float], &mut [P::Float], &[P::Float]),
) {
    let (mut a, mut g) = (a.leaves_mut(), g.leaves());
    for p in p.leaves_mut() {
        let a = a.next().unwrap_or_else(|| extra_leaf("self"));
        let g = g.next().unwrap_or_else(|| extra_leaf("self"));
        same_len(p.len(), g.len());
        same_len(p.len(), a.len());
        f(p, a, g);
    }
    if g.next().is_some() || a.next().is_some() {
        extra_leaf("other");
    }
}

/// [`zip2`] with two state values.
#[track_caller]
fn zip3<P: Differentiable>(
    p: &mut P,
    a: &mut P,
    b: &mut P,
    g: &P,
    mut f: impl FnMut(&mut [P::Float], &mut [P::Float], &mut [P::Float], &[P::Float]),
) {
    let (mut a, mut b, mut g) = (a.leaves_mut(), b.leaves_mut(), g.leaves());
    for p in p.leaves_mut() {
        let a = a.next().unwrap_or_else(|| extra_leaf("self"));
        let b = b.next().unwrap_or_else(|| extra_leaf("self"));
        let g = g.next().unwrap_or_else(|| extra_leaf("self"));
        same_len(p.len(), g.len());
        same_len(p.len(), a.len());
        same_len(p.len(), b.len());
        f(p, a, b, g);
    }
    if g.next().is_some() || a.next().is_some() || b.next().is_some() {
        extra_leaf("other");
    }
}
