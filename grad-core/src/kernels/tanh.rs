//! `tanh` forward and backward.

use super::math;
use super::simd::V;

super::elementwise::elementwise_pair! {
    /// Hyperbolic tangent `out[i] = tanh x[i]`, saturating to ±1 (NaN propagates).
    ///
    /// Worst error against an f64 reference: ≤ 4 ulp (budgets and measured
    /// errors: [`crate::testing`]).
    /// On `Avx2`/`Avx512`, `f32` and `f64` run hand-written FMA code whose bits
    /// may differ from the portable path's by [`crate::testing::cross_path_ulps`]
    /// (`f32`) or [`crate::testing::cross_path_ulps_f64`].
    ///
    /// # Panics
    ///
    /// If `x` and `out` differ in length: "tanh: x has length 3 but out has length 4".
    ///
    /// ```
    /// let x = [-1000.0, 0.0, 1000.0];
    /// let mut out = [0.0_f32; 3];
    /// grad_core::kernels::tanh(&x, &mut out);
    /// assert_eq!(out, [-1.0, 0.0, 1.0]);
    /// ```
    fn tanh(x) fast Tanh = |v| math::tanh(v);

    /// Backward of [`tanh`]: `dx = dy·(1 − y)·(1 + y)`, from `y` and the output gradient
    /// `dy`; overwrites `dx`.
    ///
    /// # Panics
    ///
    /// If the lengths differ: "tanh_backward: y has length 3 but dy has length 4"
    /// (likewise for `dx`).
    ///
    /// ```
    /// let y = [-1.0, 0.0, 1.0];
    /// let dy = [1.0_f32; 3];
    /// let mut dx = [0.0_f32; 3];
    /// grad_core::kernels::tanh_backward(&y, &dy, &mut dx);
    /// assert_eq!(dx, [0.0, 1.0, 0.0]);
    /// ```
    fn tanh_backward(y) via map2_streamed = |y, g| {
            let one = V::splat(T::ONE);
            g * ((one - y) * (one + y))
        };
}
