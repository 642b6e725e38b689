//! [`Sgd`]: stochastic gradient descent with momentum, PyTorch's
//! `torch.optim.SGD`.

use crate::{Differentiable, Real};

/// Stochastic gradient descent, optionally with momentum, Nesterov momentum
/// and weight decay: PyTorch's `torch.optim.SGD`, with its defaults
/// (momentum 0, dampening 0, weight decay 0, no Nesterov).
///
/// One [`step`](Sgd::step) with gradient `g` does, float by float
/// (`b` is the momentum buffer, `t` counts steps from 1):
///
/// ```text
/// g ← g + weight_decay · p                      if weight_decay ≠ 0
/// if momentum ≠ 0:
///     b ← g                                     if t = 1
///     b ← momentum · b + (1 − dampening) · g    if t > 1
///     g ← g + momentum · b                      if nesterov
///     g ← b                                     otherwise
/// p ← p − lr · g
/// ```
///
/// The momentum buffer is allocated on the first step (with momentum) and
/// reused after: later steps allocate nothing.
///
/// ```
/// use grad_core::optim::Sgd;
///
/// let mut p = vec![1.0_f64, -2.0];
/// let mut opt = Sgd::new(0.1, 0.9);
/// opt.step(&mut p, &vec![1.0, 1.0]);
/// assert_eq!(p, [0.9, -2.1]);
/// opt.step(&mut p, &vec![1.0, 1.0]); // b = 0.9·1 + 1 = 1.9
/// assert!((p[0] - 0.71).abs() < 1e-15);
/// ```
#[derive(Clone, Debug)]
pub struct Sgd<P> {
    /// The learning rate.
    pub lr: f64,
    /// The momentum factor; 0 (the default) is plain gradient descent.
    pub momentum: f64,
    /// The dampening of the momentum: the gradient enters the buffer times
    /// `1 − dampening` (default 0).
    pub dampening: f64,
    /// The L2 penalty: `weight_decay · p` is added to the gradient (default 0).
    pub weight_decay: f64,
    /// Nesterov momentum (default `false`); needs `momentum > 0` and zero
    /// dampening.
    pub nesterov: bool,
    /// The momentum buffer, of the parameters' shape, after the first step.
    buffer: Option<P>,
}

impl<P> Sgd<P> {
    /// SGD with learning rate `lr` and momentum factor `momentum` (0 is plain
    /// gradient descent), PyTorch's defaults for the rest (dampening 0, weight
    /// decay 0, no Nesterov).
    ///
    /// # Panics
    ///
    /// If `lr` or `momentum` is negative or NaN.
    ///
    /// ```
    /// let opt = grad_core::optim::Sgd::<Vec<f32>>::new(0.01, 0.9);
    /// assert_eq!((opt.lr, opt.momentum, opt.weight_decay, opt.nesterov), (0.01, 0.9, 0.0, false));
    /// ```
    #[track_caller]
    pub fn new(lr: f64, momentum: f64) -> Self {
        assert!(
            lr >= 0.0,
            "Sgd: the learning rate must be ≥ 0, but it is {lr}"
        );
        Sgd {
            lr,
            momentum: 0.0,
            dampening: 0.0,
            weight_decay: 0.0,
            nesterov: false,
            buffer: None,
        }
        .momentum(momentum)
    }

    /// Sets the momentum factor.
    ///
    /// # Panics
    ///
    /// If `momentum` is negative or NaN.
    ///
    /// ```
    /// let opt = grad_core::optim::Sgd::<f64>::new(0.1, 0.0).momentum(0.9);
    /// assert_eq!(opt.momentum, 0.9);
    /// ```
    #[track_caller]
    pub fn momentum(mut self, momentum: f64) -> Self {
        assert!(
            momentum >= 0.0,
            "Sgd: the momentum must be ≥ 0, but it is {momentum}"
        );
        self.momentum = momentum;
        self
    }

    /// Sets the dampening of the momentum.
    ///
    /// ```
    /// let opt = grad_core::optim::Sgd::<f64>::new(0.1, 0.9).dampening(0.1);
    /// assert_eq!(opt.dampening, 0.1);
    /// ```
    pub fn dampening(mut self, dampening: f64) -> Self {
        self.dampening = dampening;
        self
    }

    /// Sets the weight decay (L2 penalty).
    ///
    /// # Panics
    ///
    /// If `weight_decay` is negative or NaN.
    ///
    /// ```
    /// let opt = grad_core::optim::Sgd::<f64>::new(0.1, 0.0).weight_decay(1e-4);
    /// assert_eq!(opt.weight_decay, 1e-4);
    /// ```
    #[track_caller]
    pub fn weight_decay(mut self, weight_decay: f64) -> Self {
        assert!(
            weight_decay >= 0.0,
            "Sgd: the weight decay must be ≥ 0, but it is {weight_decay}"
        );
        self.weight_decay = weight_decay;
        self
    }

    /// Turns Nesterov momentum on or off.
    ///
    /// ```
    /// let opt = grad_core::optim::Sgd::<f64>::new(0.1, 0.9).nesterov(true);
    /// assert!(opt.nesterov);
    /// ```
    pub fn nesterov(mut self, nesterov: bool) -> Self {
        self.nesterov = nesterov;
        self
    }
}

impl<P: Differentiable> Sgd<P> {
    /// Updates `params` by one step along `grads` (see [`Sgd`] for the rule).
    ///
    /// # Panics
    ///
    /// If `grads` does not have the shape of `params` (or of the parameters
    /// of earlier steps), or if `nesterov` is on with a zero momentum or a
    /// nonzero dampening (PyTorch refuses them too).
    ///
    /// ```
    /// use grad_core::optim::Sgd;
    ///
    /// let mut w = [1.0_f32, 2.0];
    /// let mut opt = Sgd::new(0.5, 0.0);
    /// opt.step(&mut w, &[2.0, 2.0]);
    /// assert_eq!(w, [0.0, 1.0]);
    /// ```
    #[track_caller]
    pub fn step(&mut self, params: &mut P, grads: &P) {
        assert!(
            !self.nesterov || (self.momentum > 0.0 && self.dampening == 0.0),
            "Sgd: Nesterov momentum needs a momentum > 0 and zero dampening, \
             but the momentum is {} and the dampening {}",
            self.momentum,
            self.dampening
        );
        let lr = P::Float::from_f64(self.lr);
        let wd = P::Float::from_f64(self.weight_decay);
        let decay = self.weight_decay != 0.0;
        if self.momentum == 0.0 {
            params.zip_mut(grads, &mut |p, g| {
                let g = if decay { g + wd * *p } else { g };
                *p -= lr * g;
            });
            return;
        }
        let mu = P::Float::from_f64(self.momentum);
        let keep = P::Float::from_f64(1.0 - self.dampening);
        let nesterov = self.nesterov;
        let first = self.buffer.is_none();
        let buffer = self.buffer.get_or_insert_with(|| params.zeros_like());
        super::zip2(params, buffer, grads, |p, b, g| {
            for ((p, b), &g) in p.iter_mut().zip(b).zip(g) {
                let g = if decay { g + wd * *p } else { g };
                *b = if first { g } else { mu * *b + keep * g };
                let d = if nesterov { g + mu * *b } else { *b };
                *p -= lr * d;
            }
        });
    }
}
