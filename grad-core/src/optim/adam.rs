//! [`Adam`]: PyTorch's `torch.optim.Adam`.

use crate::{Differentiable, Real};

/// Adam (Kingma & Ba, 2015) as PyTorch's `torch.optim.Adam` computes it,
/// with its defaults: betas (0.9, 0.999), eps 1e-8, weight decay 0
/// (`amsgrad`, `maximize` and the decoupled decay of AdamW are not offered).
///
/// One [`step`](Adam::step) with gradient `g` does, float by float (`m` and
/// `v` are the moment estimates, starting at 0; `t` counts steps from 1):
///
/// ```text
/// g ← g + weight_decay · p                  if weight_decay ≠ 0
/// m ← m + (1 − β₁) · (g − m)                (torch.lerp)
/// v ← β₂ · v + (1 − β₂) · g · g
/// p ← p − lr / (1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + eps)
/// ```
///
/// The moment estimates are allocated on the first step and reused after:
/// later steps allocate nothing.
///
/// ```
/// use grad_core::optim::Adam;
///
/// let mut p = vec![1.0_f64, -1.0];
/// let mut opt = Adam::new(0.01);
/// opt.step(&mut p, &vec![0.5, -3.0]);
/// // the first step moves every float by lr (up to eps) against its gradient's sign
/// assert!((p[0] - 0.99).abs() < 1e-9 && (p[1] + 0.99).abs() < 1e-9);
/// ```
#[derive(Clone, Debug)]
pub struct Adam<P> {
    /// The learning rate.
    pub lr: f64,
    /// The decay rates of the first and second moment estimates (default
    /// (0.9, 0.999)).
    pub betas: (f64, f64),
    /// Added to the denominator for stability (default 1e-8).
    pub eps: f64,
    /// The L2 penalty: `weight_decay · p` is added to the gradient (default 0).
    pub weight_decay: f64,
    /// Steps taken so far.
    steps: u64,
    /// The first and second moment estimates, after the first step.
    moments: Option<(P, P)>,
}

impl<P> Adam<P> {
    /// Adam with learning rate `lr` and PyTorch's defaults for the rest.
    ///
    /// # Panics
    ///
    /// If `lr` is negative or NaN.
    ///
    /// ```
    /// let opt = grad_core::optim::Adam::<Vec<f32>>::new(1e-3);
    /// assert_eq!((opt.betas, opt.eps, opt.weight_decay), ((0.9, 0.999), 1e-8, 0.0));
    /// ```
    #[track_caller]
    pub fn new(lr: f64) -> Self {
        assert!(
            lr >= 0.0,
            "Adam: the learning rate must be ≥ 0, but it is {lr}"
        );
        Adam {
            lr,
            betas: (0.9, 0.999),
            eps: 1e-8,
            weight_decay: 0.0,
            steps: 0,
            moments: None,
        }
    }

    /// Sets the decay rates of the moment estimates.
    ///
    /// # Panics
    ///
    /// If either is outside `[0, 1)`.
    ///
    /// ```
    /// let opt = grad_core::optim::Adam::<f64>::new(1e-3).betas((0.8, 0.99));
    /// assert_eq!(opt.betas, (0.8, 0.99));
    /// ```
    #[track_caller]
    pub fn betas(mut self, betas: (f64, f64)) -> Self {
        let (b1, b2) = betas;
        assert!(
            (0.0..1.0).contains(&b1) && (0.0..1.0).contains(&b2),
            "Adam: the betas must be in [0, 1), but they are ({b1}, {b2})"
        );
        self.betas = betas;
        self
    }

    /// Sets the term added to the denominator.
    ///
    /// # Panics
    ///
    /// If `eps` is negative or NaN.
    ///
    /// ```
    /// let opt = grad_core::optim::Adam::<f64>::new(1e-3).eps(1e-6);
    /// assert_eq!(opt.eps, 1e-6);
    /// ```
    #[track_caller]
    pub fn eps(mut self, eps: f64) -> Self {
        assert!(eps >= 0.0, "Adam: eps must be ≥ 0, but it is {eps}");
        self.eps = eps;
        self
    }

    /// Sets the weight decay (L2 penalty, added to the gradient).
    ///
    /// # Panics
    ///
    /// If `weight_decay` is negative or NaN.
    ///
    /// ```
    /// let opt = grad_core::optim::Adam::<f64>::new(1e-3).weight_decay(0.01);
    /// assert_eq!(opt.weight_decay, 0.01);
    /// ```
    #[track_caller]
    pub fn weight_decay(mut self, weight_decay: f64) -> Self {
        assert!(
            weight_decay >= 0.0,
            "Adam: the weight decay must be ≥ 0, but it is {weight_decay}"
        );
        self.weight_decay = weight_decay;
        self
    }

    /// The number of steps taken.
    ///
    /// ```
    /// let mut opt = grad_core::optim::Adam::new(0.1);
    /// opt.step(&mut 1.0_f64, &1.0);
    /// assert_eq!(opt.steps(), 1);
    /// ```
    pub fn steps(&self) -> u64 {
        self.steps
    }
}

impl<P: Differentiable> Adam<P> {
    /// Updates `params` by one step along `grads` (see [`Adam`] for the
    /// rule).
    ///
    /// # Panics
    ///
    /// If `grads` does not have the shape of `params` (or of the parameters
    /// of earlier steps).
    ///
    /// ```
    /// use grad_core::Matrix;
    /// use grad_core::optim::Adam;
    ///
    /// let mut w = Matrix::from_vec(1, 2, vec![0.0_f32, 0.0]);
    /// let mut opt = Adam::new(0.1);
    /// opt.step(&mut w, &Matrix::from_vec(1, 2, vec![1.0, -1.0]));
    /// assert!((w[(0, 0)] + 0.1).abs() < 1e-6 && (w[(0, 1)] - 0.1).abs() < 1e-6);
    /// ```
    #[track_caller]
    pub fn step(&mut self, params: &mut P, grads: &P) {
        self.steps += 1;
        let (b1, b2) = self.betas;
        // Computed in f64 and rounded once, as PyTorch does with Python floats.
        let t = self.steps as f64;
        let bias_correction1 = 1.0 - b1.powf(t);
        let bias_correction2 = 1.0 - b2.powf(t);
        let step_size = P::Float::from_f64(self.lr / bias_correction1);
        let bias_correction2_sqrt = P::Float::from_f64(bias_correction2.sqrt());
        let w1 = P::Float::from_f64(1.0 - b1);
        let lerp_low = w1 < P::Float::from_f64(0.5);
        let w1_rest = P::Float::ONE - w1;
        let b2 = P::Float::from_f64(b2);
        let w2 = P::Float::from_f64(1.0 - self.betas.1);
        let eps = P::Float::from_f64(self.eps);
        let wd = P::Float::from_f64(self.weight_decay);
        let decay = self.weight_decay != 0.0;
        let (m, v) = self
            .moments
            .get_or_insert_with(|| (params.zeros_like(), params.zeros_like()));
        super::zip3(params, m, v, grads, |p, m, v, g| {
            for (((p, m), v), &g) in p.iter_mut().zip(m).zip(v).zip(g) {
                let g = if decay { g + wd * *p } else { g };
                // torch.lerp(m, g, w1), with its two forms
                *m = if lerp_low {
                    *m + w1 * (g - *m)
                } else {
                    g - (g - *m) * w1_rest
                };
                *v = *v * b2 + w2 * g * g;
                let denom = v.sqrt() / bias_correction2_sqrt + eps;
                *p -= step_size * (*m / denom);
            }
        });
    }
}
