//! `exp` forward and backward.

use super::math;

super::elementwise::elementwise_pair! {
    /// `out[i] = e^x[i]`: overflow gives +∞, underflow +0, NaN propagates.
    ///
    /// Worst error against an f64 reference: ≤ 4 ulp, absolute ≤ 1e−7 where the
    /// value is below 1e−30 (budgets and measured errors: [`crate::testing`]).
    /// On `Avx2`/`Avx512`, `f32` and `f64` run hand-written FMA code whose bits
    /// may differ from the portable path's by [`crate::testing::cross_path_ulps`]
    /// (`f32`) or [`crate::testing::cross_path_ulps_f64`].
    ///
    /// # Panics
    ///
    /// If `x` and `out` differ in length: "exp: x has length 3 but out has length 4".
    ///
    /// ```
    /// let x = [0.0, 1.0, -1000.0];
    /// let mut out = [0.0_f32; 3];
    /// grad_core::kernels::exp(&x, &mut out);
    /// assert_eq!(out[0], 1.0);
    /// assert!((out[1] - std::f32::consts::E).abs() < 1e-6);
    /// assert_eq!(out[2], 0.0);
    /// ```
    fn exp(x) fast Exp = |v| math::exp(v);

    /// Backward of [`exp`]: `dx = dy·y`, from `y` and the output gradient
    /// `dy`; overwrites `dx`.
    ///
    /// # Panics
    ///
    /// If the lengths differ: "exp_backward: y has length 3 but dy has length 4"
    /// (likewise for `dx`).
    ///
    /// ```
    /// let y = [0.0, 1.0, -1000.0];
    /// let dy = [1.0_f32; 3];
    /// let mut dx = [0.0_f32; 3];
    /// grad_core::kernels::exp_backward(&y, &dy, &mut dx);
    /// assert_eq!(dx, [0.0, 1.0, -1000.0]);
    /// ```
    fn exp_backward(y) via map2_streamed = |y, g| g * y;
}
