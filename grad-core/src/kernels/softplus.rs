//! `softplus` forward and backward.

use super::math;

super::elementwise::elementwise_pair! {
    /// Softplus `out[i] = ln(1 + e^x[i])`, stable for every input (NaN propagates).
    ///
    /// Worst error against an f64 reference: ≤ 4 ulp, absolute ≤ 1e−7 where the
    /// value is below 1e−30 (budgets and measured errors: [`crate::testing`]).
    /// On `Avx2`/`Avx512`, `f32` and `f64` run hand-written FMA code whose bits
    /// may differ from the portable path's by [`crate::testing::cross_path_ulps`]
    /// (`f32`) or [`crate::testing::cross_path_ulps_f64`].
    ///
    /// # Panics
    ///
    /// If `x` and `out` differ in length: "softplus: x has length 3 but out has length 4".
    ///
    /// ```
    /// let x = [-1000.0, 0.0, 1000.0];
    /// let mut out = [0.0_f32; 3];
    /// grad_core::kernels::softplus(&x, &mut out);
    /// assert_eq!(out[0], 0.0);
    /// assert!((out[1] - 2.0_f32.ln()).abs() < 1e-7);
    /// assert_eq!(out[2], 1000.0);
    /// ```
    fn softplus(x) fast Softplus = |v| math::softplus(v);

    /// Backward of [`softplus`]: `dx = dy·σ(x)`, from `x` and the output gradient
    /// `dy`; overwrites `dx`. On `Avx2`/`Avx512` it runs hand-written FMA code,
    /// as [`softplus`] does.
    ///
    /// # Panics
    ///
    /// If the lengths differ: "softplus_backward: x has length 3 but dy has length 4"
    /// (likewise for `dx`).
    ///
    /// ```
    /// let x = [-1000.0, 0.0, 1000.0];
    /// let dy = [1.0_f32; 3];
    /// let mut dx = [0.0_f32; 3];
    /// grad_core::kernels::softplus_backward(&x, &dy, &mut dx);
    /// assert_eq!(dx, [0.0, 0.5, 1.0]);
    /// ```
    fn softplus_backward(x) fast SoftplusBackward via map2 = |x, g| g * math::sigmoid(x);
}
