//! Hand-written AVX2+FMA kernels: `f32` and `f64` for the transcendental
//! elementwise ops, `dot` and `matvec`; `f32` for the row kernels, and `f64`
//! for batches of short rows (and the rows' exponentials, `map64`).
//!
//! The generic kernels (`super::math` over 32-lane chunks) avoid fused
//! multiply–add so that every path returns the same bits; without FMA their
//! `exp` costs about 0.5 ns an element on AVX2. The ops whose speed is
//! bounded by `exp`/`ln`/division run here instead when the active
//! [`Path`](crate::dispatch::Path) is `Avx2` or `Avx512` (an AVX-512 CPU has
//! AVX2 and FMA; these kernels are the ones tested on this machine):
//!
//! - [`vmath`]: the one-vector approximations (`exp`, `ln`, `tanh`,
//!   `sigmoid`, `softplus`) with FMA Horner steps, the same reductions and
//!   constants as `super::math` except `tanh` (a rational of its own);
//! - [`vmath64`] and [`map64`]: the same for `f64` (4 lanes a vector): the
//!   portable path's formulas and polynomials, with FMA and Estrin's scheme
//!   for the long polynomials (the portable `f64` code, FMA-free so that
//!   every path returns its bits, is latency-bound: `exp` 2.3 ns an
//!   element, `ln` 4.1, `tanh` 5.0, `softplus` 9.0);
//! - [`map`]: the slice loop with its zero-padded remainder, and a two-pass
//!   form for `softplus`, whose chain is too long for one pass;
//! - [`rows`]: the softmax family and cross-entropy, row by row;
//!   [`short_rows`]: their batches of rows shorter than 32, one row per
//!   lane (`W` rows turned into columns by `W×W` transposes), in `f32` and
//!   `f64` from one body over the operations of [`lanes`];
//! - [`dot`]: `dot` and `matvec` in `f32` and `f64`, and [`matvec`]:
//!   `matvec_backward` in both, with the generic kernels' operations in
//!   their order (same bits), without padding each row to a chunk;
//! - [`stream`]: the slice loop with streaming stores, for outputs larger
//!   than the caches (see `kernels::stream`), and [`softmax_backward`],
//!   which writes a long row's `dx` with it (32-byte stores straight from
//!   registers; the generic kernel's are 16-byte).
//!
//! Their results can differ from the portable path's in the last bits (FMA
//! rounds once where the portable path rounds twice); both are held to the
//! same error budgets against an f64 reference (`crate::testing::BUDGETS`),
//! and [`crate::testing::CROSS_PATH_ULPS`] and
//! [`crate::testing::CROSS_PATH_ULPS_F64`] bound the difference between
//! paths.

pub(crate) mod dot;
pub(crate) mod lanes;
pub(crate) mod map;
pub(crate) mod map64;
pub(crate) mod matvec;
pub(crate) mod rows;
pub(crate) mod short_rows;
pub(crate) mod softmax_backward;
pub(crate) mod stream;
pub(crate) mod vmath;
pub(crate) mod vmath64;
