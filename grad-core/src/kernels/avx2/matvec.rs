//! `matvec_backward` for large `f32` matrices: `dw` streamed.

use super::map::{W, load, store};
use super::stream::{fence, map2_streaming};
use core::arch::x86_64::{_mm256_add_ps, _mm256_mul_ps, _mm256_set1_ps};

/// `dw = dy ⊗ x` (streamed), `dx = Σ_i dy_i · w_i` with exactly the
/// generic kernel's operations and order (`dx_j ← dx_j + dy_i·w_ij`,
/// unfused), so the bits are those of every other path. Lengths must
/// already be checked (`w`, `dw`: `dy.len() × x.len()`, `dx`: `x.len()`).
#[target_feature(enable = "avx2,fma")]
pub(crate) fn backward(w: &[f32], x: &[f32], dy: &[f32], dw: &mut [f32], dx: &mut [f32]) {
    let cols = x.len();
    dx.fill(0.0);
    for ((&g, wr), dwr) in dy
        .iter()
        .zip(w.chunks_exact(cols))
        .zip(dw.chunks_exact_mut(cols))
    {
        let gv = _mm256_set1_ps(g);
        map2_streaming(x, x, dwr, |v, _| _mm256_mul_ps(gv, v));
        let (dc, dt) = dx.as_chunks_mut::<W>();
        let (wc, wt) = wr.as_chunks::<W>();
        for (d, wi) in dc.iter_mut().zip(wc) {
            store(d, _mm256_add_ps(load(d), _mm256_mul_ps(gv, load(wi))));
        }
        for (d, &v) in dt.iter_mut().zip(wt) {
            *d += g * v;
        }
    }
    fence();
}
