//! `matvec_backward` for `f32` matrices: `dw` streamed when it is larger
//! than the caches.

use super::map::{W, load, map1, store};
use super::stream::{STREAM_MIN, fence, map2_streaming};
use core::arch::x86_64::{_mm256_add_ps, _mm256_mul_ps, _mm256_set1_ps};

/// `dw = dy ⊗ x` (streamed from [`STREAM_MIN`] elements on),
/// `dx = Σ_i dy_i · w_i` with exactly the generic kernel's operations and
/// order (`dx_j ← dx_j + dy_i·w_ij`, unfused), so the bits are those of
/// every other path. Small matrices gain too: the generic kernel pads the
/// tail of every row to a 32-lane chunk (10×100: 846 ns against 351 for the
/// naive loop). Lengths must already be checked (`w`, `dw`:
/// `dy.len() × x.len()`, `dx`: `x.len()`).
#[target_feature(enable = "avx2,fma")]
pub(crate) fn backward(w: &[f32], x: &[f32], dy: &[f32], dw: &mut [f32], dx: &mut [f32]) {
    let cols = x.len();
    let stream = dw.len() >= STREAM_MIN;
    dx.fill(0.0);
    for ((&g, wr), dwr) in dy
        .iter()
        .zip(w.chunks_exact(cols))
        .zip(dw.chunks_exact_mut(cols))
    {
        let gv = _mm256_set1_ps(g);
        if stream {
            map2_streaming(x, x, dwr, |v, _| _mm256_mul_ps(gv, v));
        } else {
            map1(x, dwr, |v| _mm256_mul_ps(gv, v));
        }
        let (dc, dt) = dx.as_chunks_mut::<W>();
        let (wc, wt) = wr.as_chunks::<W>();
        for (d, wi) in dc.iter_mut().zip(wc) {
            store(d, _mm256_add_ps(load(d), _mm256_mul_ps(gv, load(wi))));
        }
        for (d, &v) in dt.iter_mut().zip(wt) {
            *d += g * v;
        }
    }
    if stream {
        fence();
    }
}
