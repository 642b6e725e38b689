//! `softmax_backward` for rows larger than the caches: `dx` streamed.

use super::stream::{fence, map2_streaming};
use core::arch::x86_64::{_mm256_mul_ps, _mm256_set1_ps, _mm256_sub_ps};

/// `dx = y·(dy − s)` with `s = Σ y·dy` already computed (by the generic
/// `dot`, so the same bits as every path), written with streaming stores.
/// Each lane is the generic kernel's unfused `y·(dy − s)`: a subtraction
/// and a multiplication, each rounded once, so the bits are those of every
/// other path. Lengths must already be checked.
#[target_feature(enable = "avx2,fma")]
pub(crate) fn backward(y: &[f32], dy: &[f32], s: f32, dx: &mut [f32]) {
    let sv = _mm256_set1_ps(s);
    map2_streaming(y, dy, dx, |y, g| _mm256_mul_ps(y, _mm256_sub_ps(g, sv)));
    fence();
}
