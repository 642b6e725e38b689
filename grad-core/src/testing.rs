//! Accuracy as data: the error budget of every kernel, and the helpers the
//! accuracy tests measure against them.
//!
//! The tests (`grad-core/tests/kernels_accuracy.rs`) evaluate every kernel on
//! every dispatch path the machine has, over random bit patterns, random
//! values in the interesting range, special values (±0, ±∞, NaN,
//! subnormals, each approximation's cutoffs) and every length
//! `0..=3·ACCUMULATORS+1`, against a reference computed in `f64` (for `f32`
//! kernels) or against the platform's `f64` libm (for `f64` kernels, whose
//! own error is below 1 ulp), and assert the budgets below. The worst error
//! seen per op and path is printed by
//!
//! ```text
//! cargo test -p grad-core --release --test kernels_accuracy accuracy_report -- --ignored --nocapture
//! ```
//!
//! Worst errors measured by that command (400 000 random inputs per
//! distribution and op, on the portable and AVX2 paths; this CPU has no
//! AVX-512). The f32 columns differ where the AVX2 path runs hand-written
//! FMA code (see [`CROSS_PATH_ULPS`] and [`PATH_DEPENDENT`]). The f64
//! worst errors are the same on both paths but for
//! `log_softmax_rows_backward` (6.17e−17 portable, 7.92e−17 AVX2: its short
//! rows run one row per lane there), though the AVX2 path's bits differ for
//! the elementwise transcendental kernels (hand-written FMA code there:
//! [`CROSS_PATH_ULPS_F64`]). "Over every `f32`" is the worst
//! over all 2^32 inputs, from the ignored test
//! `every_f32_input_of_the_elementwise_kernels` (every elementwise forward
//! kernel but `relu`, which is exact):
//!
//! | kernel | metric | f32 budget | f32 worst, portable | f32 worst, AVX2 | f64 budget | f64 worst |
//! |---|---|---|---|---|---|---|
//! | `exp` | Ulp | 4 | 1.28 (1.40 over every `f32`) | 1.40 (1.42 over every `f32`) | 4 | 1 |
//! | `ln` | Ulp | 4 | 0.804 (0.858 over every `f32`) | 1.17 (1.26 over every `f32`) | 4 | 1 |
//! | `sigmoid` | Ulp | 4 | 2.38 (2.51 over every `f32`) | 2.50 (2.78 over every `f32`) | 4 | 2 |
//! | `tanh` | Ulp | 4 | 1.35 (1.36 over every `f32`) | 3.05 (3.12 over every `f32`) | 4 | 2 |
//! | `softplus` | Ulp | 4 | 2.71 (3.08 over every `f32`) | 2.55 (2.89 over every `f32`) | 4 | 3 |
//! | `relu` | Exact | 0 | 0 | 0 | 0 | 0 |
//! | `exp_backward` | Ulp | 1 | 0.5 | 0.5 | 1 | 0 |
//! | `ln_backward` | Ulp | 1 | 0.5 | 0.5 | 1 | 0 |
//! | `sigmoid_backward` | Ulp | 3 | 1.91 | 1.91 | 3 | 2 |
//! | `tanh_backward` | Ulp | 3 | 1.98 | 1.98 | 3 | 0 |
//! | `softplus_backward` | Ulp | 5 | 3.39 | 2.93 | 5 | 3 |
//! | `relu_backward` | Exact | 0 | 0 | 0 | 0 | 0 |
//! | `softmax` | Relative | 1e-06 | 3.01e-07 | 5.38e-07 | 1e-13 | 1.43e-14 |
//! | `log_softmax` | Relative | 1e-06 | 2.01e-07 | 1.81e-07 | 1e-13 | 6.74e-16 |
//! | `softmax_rows` | Relative | 1e-06 | 2.55e-07 | 3.04e-07 | 1e-13 | 8.27e-15 |
//! | `softmax_backward` | Normwise | 1e-06 | 9.36e-08 | 9.36e-08 | 1e-14 | 2.82e-16 |
//! | `log_softmax_backward` | Normwise | 1e-06 | 1.02e-07 | 7.2e-08 | 1e-14 | 2.59e-16 |
//! | `softmax_rows_backward` | Normwise | 1e-06 | 4.45e-08 | 4.45e-08 | 1e-14 | 1.28e-16 |
//! | `log_softmax_rows` | Relative | 1e-06 | 1.87e-07 | 2.07e-07 | 1e-13 | 8.39e-16 |
//! | `log_softmax_rows_backward` | Normwise | 1e-06 | 4.53e-08 | 5.86e-08 | 1e-14 | 7.92e-17 |
//! | `cross_entropy` | Relative | 1e-06 | 1.88e-07 | 1.88e-07 | 1e-14 | 2.15e-16 |
//! | `cross_entropy_backward` | Normwise | 1e-06 | 1.28e-07 | 1.28e-07 | 1e-14 | 3.14e-16 |
//! | `mse` | Relative | 1e-06 | 1.03e-07 | 1.03e-07 | 1e-14 | 5.31e-15 |
//! | `mse_backward` | Ulp | 3 | 2.21 | 2.21 | 3 | 0 |
//! | `sum` | ScaledRelative | 1e-06 | 2.97e-08 | 2.97e-08 | 1e-14 | 1.66e-16 |
//! | `mean` | ScaledRelative | 1e-06 | 4.1e-08 | 4.1e-08 | 1e-14 | 1.69e-16 |
//! | `dot` | ScaledRelative | 1e-06 | 4.38e-08 | 4.38e-08 | 1e-14 | 2.06e-16 |
//! | `max` | Exact | 0 | 0 | 0 | 0 | 0 |
//! | `matvec` | ScaledRelative | 1e-06 | 4.08e-08 | 4.08e-08 | 1e-14 | 1.25e-16 |
//! | `matvec_backward` | Normwise | 1e-06 | 6.74e-08 | 6.74e-08 | 1e-14 | 0 |
//!
//! Where the exact value is below [`TINY_F32`] / [`TINY_F64`] the worst
//! absolute error measured is 2.1e−37 (f32, budget 1e−7) / 1e−307 (f64): `exp`
//! flushes results below ≈ 1.8e−38 (portable; 2.4e−38 on AVX2) / 3.3e−308
//! to zero. f64 kernels are
//! measured against libm in f64 (itself within 1 ulp); the f64 backward
//! formulas against the same formula evaluated in f64.
//!
//! ```
//! use grad_core::testing::{Metric, budget};
//!
//! let b = budget("sigmoid");
//! assert_eq!(b.metric, Metric::Ulp);
//! assert!(b.f32 <= 4.0);
//! ```

/// How an error is measured.
///
/// ```
/// use grad_core::testing::Metric;
/// assert_ne!(Metric::Ulp, Metric::Exact);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Metric {
    /// Bit-exact.
    Exact,
    /// Units in the last place of the exact value (in the kernel's type);
    /// where `|exact| < tiny`, absolute error `≤ tiny_abs` instead.
    Ulp,
    /// `|got − exact| / max(|exact|, tiny)` per element; where
    /// `|exact| < tiny`, absolute error `≤ tiny_abs` instead.
    Relative,
    /// `|got − exact| / Σ|terms|` (reductions whose exact value may cancel).
    ScaledRelative,
    /// `max_i |got_i − exact_i| / max_i s_i` over the whole output, where
    /// `s_i` is the sum of the magnitudes of the terms that make up
    /// `exact_i` (e.g. `y_i·(|dy_i| + Σ_j y_j·|dy_j|)` for softmax backward):
    /// the scale of the rounding errors any evaluation order makes, since
    /// these outputs may cancel to far below their terms.
    Normwise,
}

/// One row of the budget table.
///
/// ```
/// let b = grad_core::testing::budget("softmax");
/// assert_eq!(b.f32, 1e-6);
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Budget {
    /// Kernel name in `grad_core::kernels`.
    pub op: &'static str,
    /// How the error is measured.
    pub metric: Metric,
    /// Largest allowed error for `f32`.
    pub f32: f64,
    /// Largest allowed error for `f64`.
    pub f64: f64,
}

/// Values below this magnitude are judged by absolute error (f32).
///
/// ```
/// assert!(grad_core::testing::TINY_F32 > 0.0);
/// ```
pub const TINY_F32: f64 = 1e-30;
/// Absolute error allowed below [`TINY_F32`].
///
/// ```
/// assert_eq!(grad_core::testing::TINY_ABS_F32, 1e-7);
/// ```
pub const TINY_ABS_F32: f64 = 1e-7;
/// Values below this magnitude are judged by absolute error (f64).
///
/// ```
/// assert!(grad_core::testing::TINY_F64 > 0.0);
/// ```
pub const TINY_F64: f64 = 1e-300;
/// Absolute error allowed below [`TINY_F64`].
///
/// ```
/// assert_eq!(grad_core::testing::TINY_ABS_F64, 1e-300);
/// ```
pub const TINY_ABS_F64: f64 = 1e-300;

const fn b(op: &'static str, metric: Metric, f32: f64, f64: f64) -> Budget {
    Budget {
        op,
        metric,
        f32,
        f64,
    }
}

/// The error budget of every kernel (f32 against an f64 reference; f64
/// against libm in f64).
///
/// ```
/// assert!(grad_core::testing::BUDGETS.iter().any(|b| b.op == "cross_entropy"));
/// ```
pub const BUDGETS: &[Budget] = &[
    b("exp", Metric::Ulp, 4.0, 4.0),
    b("ln", Metric::Ulp, 4.0, 4.0),
    b("sigmoid", Metric::Ulp, 4.0, 4.0),
    b("tanh", Metric::Ulp, 4.0, 4.0),
    b("softplus", Metric::Ulp, 4.0, 4.0),
    b("relu", Metric::Exact, 0.0, 0.0),
    b("exp_backward", Metric::Ulp, 1.0, 1.0),
    b("ln_backward", Metric::Ulp, 1.0, 1.0),
    b("sigmoid_backward", Metric::Ulp, 3.0, 3.0),
    b("tanh_backward", Metric::Ulp, 3.0, 3.0),
    b("softplus_backward", Metric::Ulp, 5.0, 5.0),
    b("relu_backward", Metric::Exact, 0.0, 0.0),
    b("softmax", Metric::Relative, 1e-6, 1e-13),
    b("log_softmax", Metric::Relative, 1e-6, 1e-13),
    b("softmax_rows", Metric::Relative, 1e-6, 1e-13),
    b("softmax_backward", Metric::Normwise, 1e-6, 1e-14),
    b("log_softmax_backward", Metric::Normwise, 1e-6, 1e-14),
    b("softmax_rows_backward", Metric::Normwise, 1e-6, 1e-14),
    b("log_softmax_rows", Metric::Relative, 1e-6, 1e-13),
    b("log_softmax_rows_backward", Metric::Normwise, 1e-6, 1e-14),
    b("cross_entropy", Metric::Relative, 1e-6, 1e-14),
    b("cross_entropy_backward", Metric::Normwise, 1e-6, 1e-14),
    b("mse", Metric::Relative, 1e-6, 1e-14),
    b("mse_backward", Metric::Ulp, 3.0, 3.0),
    b("sum", Metric::ScaledRelative, 1e-6, 1e-14),
    b("mean", Metric::ScaledRelative, 1e-6, 1e-14),
    b("dot", Metric::ScaledRelative, 1e-6, 1e-14),
    b("max", Metric::Exact, 0.0, 0.0),
    b("matvec", Metric::ScaledRelative, 1e-6, 1e-14),
    b("matvec_backward", Metric::Normwise, 1e-6, 1e-14),
];

/// How far, in `f32` ulps, the `f32` results of two dispatch paths may lie
/// apart, per kernel (also [`cross_path_ulps`]).
///
/// On `Avx2` and `Avx512` the transcendental `f32` kernels run hand-written
/// AVX2+FMA code (a fused multiply–add rounds once where the portable
/// path's multiply and add round twice), so their bits can differ from the
/// portable path's; each path is separately held to [`BUDGETS`] against the
/// f64 reference. The row kernels of [`PATH_DEPENDENT`] are held to their
/// budgets only; every other kernel returns identical bits on every path
/// (0 here; for `f64` see [`CROSS_PATH_ULPS_F64`]). Each value is the worst distance
/// seen by `tests/kernels_accuracy.rs` (exp 2, ln 1, sigmoid 4, tanh 3,
/// softplus 4, softplus_backward 5) plus one ulp. Results below
/// [`TINY_F32`] are compared by the absolute-error rule instead.
///
/// ```
/// assert!(grad_core::testing::CROSS_PATH_ULPS.iter().any(|&(op, _)| op == "tanh"));
/// ```
pub const CROSS_PATH_ULPS: &[(&str, u64)] = &[
    ("exp", 3),
    ("ln", 2),
    ("sigmoid", 5),
    ("tanh", 4),
    ("softplus", 5),
    ("softplus_backward", 6),
];

/// How far, in `f64` ulps, the `f64` results of two dispatch paths may lie
/// apart, per kernel (also [`cross_path_ulps_f64`]).
///
/// On `Avx2` and `Avx512`, `f64` `exp`, `ln`, `sigmoid`, `tanh`,
/// `softplus` and `softplus_backward` (`dy·σ(x)`) run hand-written
/// AVX2+FMA code: the portable path's formulas and polynomials, but with
/// fused multiply–adds and the long polynomials evaluated by Estrin's
/// scheme, so their last bits can differ. Each path is separately held to
/// [`BUDGETS`]. The row kernels of [`PATH_DEPENDENT`] take their
/// exponentials from the same code and are held to their budgets only;
/// every other `f64` kernel returns identical bits on every path (0 here).
/// Each value is the worst distance seen by `tests/kernels_accuracy.rs`
/// (exp 1, ln 1, sigmoid 2, tanh 2, softplus 3, softplus_backward 3) plus
/// one ulp. Results below [`TINY_F64`] are compared by the absolute-error
/// rule instead.
///
/// ```
/// assert!(grad_core::testing::CROSS_PATH_ULPS_F64.iter().any(|&(op, _)| op == "exp"));
/// ```
pub const CROSS_PATH_ULPS_F64: &[(&str, u64)] = &[
    ("exp", 2),
    ("ln", 2),
    ("sigmoid", 3),
    ("tanh", 3),
    ("softplus", 4),
    ("softplus_backward", 4),
];

/// The `f64` ulps two dispatch paths' results of kernel `op` may differ by:
/// its entry in [`CROSS_PATH_ULPS_F64`], `u64::MAX` (any) for the ops in
/// [`PATH_DEPENDENT`] (in `f64` the row kernels take their exponentials from
/// the hand-written AVX2+FMA `exp` on `Avx2`/`Avx512`), else 0 (identical
/// bits).
///
/// ```
/// use grad_core::testing::cross_path_ulps_f64;
/// assert_eq!(cross_path_ulps_f64("relu"), 0);
/// assert_eq!(cross_path_ulps_f64("softmax_backward"), 0);
/// assert_eq!(cross_path_ulps_f64("softmax"), u64::MAX);
/// assert!(cross_path_ulps_f64("exp") > 0);
/// ```
pub fn cross_path_ulps_f64(op: &str) -> u64 {
    allowed_distance(CROSS_PATH_ULPS_F64, op)
}

/// `u64::MAX` for the ops in [`PATH_DEPENDENT`], else `op`'s entry in
/// `table`, else 0: the rule of [`cross_path_ulps`] and
/// [`cross_path_ulps_f64`].
fn allowed_distance(table: &[(&str, u64)], op: &str) -> u64 {
    if PATH_DEPENDENT.contains(&op) {
        return u64::MAX;
    }
    table.iter().find(|&&(o, _)| o == op).map_or(0, |&(_, u)| u)
}

/// The kernels of the softmax family and cross-entropy (forward, and the
/// backward of `log_softmax` and `cross_entropy`) whose `Avx2`/`Avx512`
/// results come from hand-written AVX2+FMA code: in `f32` the row code (a
/// table-driven `exp`, other summation order), in `f64` the exponentials
/// (and the `ln S` of each row shorter than 32). Their metric is relative
/// or normwise error, and under cancellation (`g − Σ y·g` in a backward) two correct
/// results can lie any number of ulps apart, so each path is held to the
/// op's budget against the reference instead of to a distance from the
/// portable path.
///
/// ```
/// assert!(grad_core::testing::PATH_DEPENDENT.contains(&"softmax"));
/// ```
pub const PATH_DEPENDENT: &[&str] = &[
    "softmax",
    "log_softmax",
    "softmax_rows",
    "cross_entropy",
    "log_softmax_backward",
    "cross_entropy_backward",
    "log_softmax_rows",
    "log_softmax_rows_backward",
];

/// The `f32` ulps two dispatch paths' results of kernel `op` may differ by:
/// its entry in [`CROSS_PATH_ULPS`], `u64::MAX` (any) for the ops in
/// [`PATH_DEPENDENT`], else 0 (identical bits).
///
/// ```
/// use grad_core::testing::cross_path_ulps;
/// assert_eq!(cross_path_ulps("relu"), 0);
/// assert!(cross_path_ulps("exp") > 0);
/// assert_eq!(cross_path_ulps("softmax"), u64::MAX);
/// ```
pub fn cross_path_ulps(op: &str) -> u64 {
    allowed_distance(CROSS_PATH_ULPS, op)
}

/// The budget of kernel `op`.
///
/// # Panics
///
/// If `op` has no budget: "testing: no budget for kernel nope".
///
/// ```
/// assert_eq!(grad_core::testing::budget("relu").f64, 0.0);
/// ```
pub fn budget(op: &str) -> &'static Budget {
    BUDGETS
        .iter()
        .find(|b| b.op == op)
        .unwrap_or_else(|| panic!("testing: no budget for kernel {op}"))
}

/// Error of `got` in units in the last place of `exact` rounded to `f32`
/// (an exact value that rounds to ±∞ in `f32` is ±∞). Both NaN → 0; equal infinities → 0; one NaN or infinity but not the
/// other → `+∞`.
///
/// ```
/// use grad_core::testing::ulp_error_f32;
/// assert_eq!(ulp_error_f32(1.0, 1.0), 0.0);
/// assert_eq!(ulp_error_f32(1.0 + f32::EPSILON, 1.0), 1.0);
/// ```
pub fn ulp_error_f32(got: f32, exact: f64) -> f64 {
    // An exact value beyond the f32 range rounds to ±∞.
    let exact = if exact.is_finite() && (exact as f32).is_infinite() {
        f64::from(exact as f32)
    } else {
        exact
    };
    special(got as f64, exact).unwrap_or_else(|| {
        let e = (exact as f32).abs();
        // Spacing of f32 at |exact|: 2^(exponent − 23), at least 2^−149.
        let ulp = if e < f32::MIN_POSITIVE {
            f64::from(f32::from_bits(1))
        } else {
            let bits = e.to_bits() & 0x7f80_0000;
            f64::from(f32::from_bits(bits)) * f64::from(f32::EPSILON)
        };
        (got as f64 - exact).abs() / ulp
    })
}

/// Error of `got` in units in the last place of `exact` (`f64`).
///
/// ```
/// use grad_core::testing::ulp_error_f64;
/// assert_eq!(ulp_error_f64(1.0 + f64::EPSILON, 1.0), 1.0);
/// ```
pub fn ulp_error_f64(got: f64, exact: f64) -> f64 {
    special(got, exact).unwrap_or_else(|| {
        let e = exact.abs();
        let ulp = if e < f64::MIN_POSITIVE {
            f64::from_bits(1)
        } else {
            f64::from_bits(e.to_bits() & 0x7ff0_0000_0000_0000) * f64::EPSILON
        };
        (got - exact).abs() / ulp
    })
}

/// Shared NaN/infinity handling of the error measures.
fn special(got: f64, exact: f64) -> Option<f64> {
    if exact.is_nan() || got.is_nan() {
        return Some(if exact.is_nan() && got.is_nan() {
            0.0
        } else {
            f64::INFINITY
        });
    }
    if exact.is_infinite() || got.is_infinite() {
        return Some(if got == exact { 0.0 } else { f64::INFINITY });
    }
    if got == exact {
        return Some(0.0);
    }
    None
}

/// `|got − exact| / max(|exact|, floor)`, with the NaN/∞ rules of
/// [`ulp_error_f32`].
///
/// ```
/// assert_eq!(grad_core::testing::relative_error(2.0, 2.0, 1e-30), 0.0);
/// assert_eq!(grad_core::testing::relative_error(1.5, 2.0, 1e-30), 0.25);
/// ```
pub fn relative_error(got: f64, exact: f64, floor: f64) -> f64 {
    special(got, exact).unwrap_or_else(|| (got - exact).abs() / exact.abs().max(floor))
}

/// A small seeded xorshift64* generator, for reproducible test sweeps.
///
/// ```
/// let mut r = grad_core::testing::XorShift::new(1);
/// let a = r.next_u64();
/// assert_ne!(a, r.next_u64());
/// let u = r.uniform(-1.0, 1.0);
/// assert!((-1.0..1.0).contains(&u));
/// ```
#[derive(Clone, Debug)]
pub struct XorShift(u64);

impl XorShift {
    /// A generator from `seed` (0 is replaced by a fixed odd constant).
    ///
    /// ```
    /// let _ = grad_core::testing::XorShift::new(0).next_u64();
    /// ```
    pub fn new(seed: u64) -> Self {
        XorShift(if seed == 0 {
            0x9E37_79B9_7F4A_7C15
        } else {
            seed
        })
    }

    /// The next 64 random bits.
    ///
    /// ```
    /// let mut r = grad_core::testing::XorShift::new(7);
    /// let _bits: u64 = r.next_u64();
    /// ```
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in `[lo, hi)`.
    ///
    /// ```
    /// let mut r = grad_core::testing::XorShift::new(3);
    /// assert!(r.uniform(2.0, 3.0) >= 2.0);
    /// ```
    pub fn uniform(&mut self, lo: f64, hi: f64) -> f64 {
        let u = (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        lo + (hi - lo) * u
    }
}
