//! `sigmoid` forward and backward.

use super::math;
use super::simd::V;

super::elementwise::elementwise_pair! {
    /// Logistic sigmoid `out[i] = 1/(1 + e^−x[i])`, stable for every input (no overflow; NaN propagates).
    ///
    /// Worst error against an f64 reference: ≤ 4 ulp, absolute ≤ 1e−7 where the
    /// value is below 1e−30 (budgets and measured errors: [`crate::testing`]).
    /// On `Avx2`/`Avx512`, `f32` and `f64` run hand-written FMA code whose bits
    /// may differ from the portable path's by [`crate::testing::cross_path_ulps`]
    /// (`f32`) or [`crate::testing::cross_path_ulps_f64`].
    ///
    /// # Panics
    ///
    /// If `x` and `out` differ in length: "sigmoid: x has length 3 but out has length 4".
    ///
    /// ```
    /// let x = [-1000.0, 0.0, 1000.0];
    /// let mut out = [0.0_f32; 3];
    /// grad_core::kernels::sigmoid(&x, &mut out);
    /// assert_eq!(out, [0.0, 0.5, 1.0]);
    /// ```
    fn sigmoid(x) fast Sigmoid = |v| math::sigmoid(v);

    /// Backward of [`sigmoid`]: `dx = dy·y·(1 − y)`, from `y` and the output gradient
    /// `dy`; overwrites `dx`.
    ///
    /// # Panics
    ///
    /// If the lengths differ: "sigmoid_backward: y has length 3 but dy has length 4"
    /// (likewise for `dx`).
    ///
    /// ```
    /// let y = [0.5, 0.0, 1.0];
    /// let dy = [1.0_f32; 3];
    /// let mut dx = [0.0_f32; 3];
    /// grad_core::kernels::sigmoid_backward(&y, &dy, &mut dx);
    /// assert_eq!(dx, [0.25, 0.0, 0.0]);
    /// ```
    fn sigmoid_backward(y) via map2_streamed = |y, g| g * (y * (V::splat(T::ONE) - y));
}
