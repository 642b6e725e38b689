//! `ln` forward and backward.

use super::math;

super::elementwise::elementwise_pair! {
    /// Natural logarithm `out[i] = ln x[i]`: `ln 0 = −∞`, `ln` of a negative number is NaN, NaN propagates.
    ///
    /// Worst error against an f64 reference: ≤ 4 ulp (budgets and measured
    /// errors: [`crate::testing`]).
    /// On `Avx2`/`Avx512`, `f32` and `f64` run hand-written FMA code whose bits
    /// may differ from the portable path's by [`crate::testing::cross_path_ulps`]
    /// (`f32`) or [`crate::testing::cross_path_ulps_f64`].
    ///
    /// # Panics
    ///
    /// If `x` and `out` differ in length: "ln: x has length 3 but out has length 4".
    ///
    /// ```
    /// let x = [1.0, 4.0, 0.5];
    /// let mut out = [0.0_f32; 3];
    /// grad_core::kernels::ln(&x, &mut out);
    /// assert_eq!(out[0], 0.0);
    /// assert!((out[1] - 4.0_f32.ln()).abs() < 1e-6);
    /// ```
    fn ln(x) fast Ln = |v| math::ln(v);

    /// Backward of [`ln`]: `dx = dy/x`, from `x` and the output gradient
    /// `dy`; overwrites `dx`.
    ///
    /// # Panics
    ///
    /// If the lengths differ: "ln_backward: x has length 3 but dy has length 4"
    /// (likewise for `dx`).
    ///
    /// ```
    /// let x = [1.0, 4.0, 0.5];
    /// let dy = [1.0_f32; 3];
    /// let mut dx = [0.0_f32; 3];
    /// grad_core::kernels::ln_backward(&x, &dy, &mut dx);
    /// assert_eq!(dx, [1.0, 0.25, 2.0]);
    /// ```
    fn ln_backward(x) fast LnBackward via map2_streamed = |x, g| g / x;
}
