//! `matvec_backward` for `f32` matrices (`dw` streamed when it is larger
//! than the caches) and `f64` ones.

use super::map::{W, load, store};
use super::stream::{STREAM_MIN, fence, map2_streaming};
use core::arch::x86_64::{
    __m256d, _mm256_add_pd, _mm256_add_ps, _mm256_loadu_pd, _mm256_mul_pd, _mm256_mul_ps,
    _mm256_set1_pd, _mm256_set1_ps, _mm256_storeu_pd,
};

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
            add_scaled(dx, wr, g);
        } else {
            // One pass: `dw` and `dx` of a chunk together (each lane's
            // operations are those of the two generic passes).
            let (oc, ot) = dwr.as_chunks_mut::<W>();
            let (xc, xt) = x.as_chunks::<W>();
            let (dc, dt) = dx.as_chunks_mut::<W>();
            let (wc, wt) = wr.as_chunks::<W>();
            for (((o, xi), d), wi) in oc.iter_mut().zip(xc).zip(dc.iter_mut()).zip(wc) {
                store(o, _mm256_mul_ps(gv, load(xi)));
                store(d, _mm256_add_ps(load(d), _mm256_mul_ps(gv, load(wi))));
            }
            for (((o, &xv), d), &wv) in ot.iter_mut().zip(xt).zip(dt.iter_mut()).zip(wt) {
                *o = g * xv;
                *d += g * wv;
            }
        }
    }
    if stream {
        fence();
    }
}

/// `dx += g·w` (unfused), 8 lanes at a time, the tail in scalar code.
#[inline]
#[target_feature(enable = "avx2,fma")]
fn add_scaled(dx: &mut [f32], w: &[f32], g: f32) {
    let gv = _mm256_set1_ps(g);
    let (dc, dt) = dx.as_chunks_mut::<W>();
    let (wc, wt) = w.as_chunks::<W>();
    for (d, wi) in dc.iter_mut().zip(wc) {
        store(d, _mm256_add_ps(load(d), _mm256_mul_ps(gv, load(wi))));
    }
    for (d, &v) in dt.iter_mut().zip(wt) {
        *d += g * v;
    }
}

/// 4 `f64`s from `c`.
#[inline]
#[target_feature(enable = "avx2,fma")]
fn load64(c: &[f64; 4]) -> __m256d {
    // SAFETY: `c` is 4 contiguous, initialised f64s; `loadu` has no
    // alignment requirement.
    unsafe { _mm256_loadu_pd(c.as_ptr()) }
}

/// Stores 4 `f64`s to `c`.
#[inline]
#[target_feature(enable = "avx2,fma")]
fn store64(c: &mut [f64; 4], v: __m256d) {
    // SAFETY: `c` is 4 contiguous f64s we hold exclusively; `storeu` has
    // no alignment requirement.
    unsafe { _mm256_storeu_pd(c.as_mut_ptr(), v) }
}

/// [`backward`] in `f64` (no streaming stores): `dw = dy ⊗ x`,
/// `dx = Σ_i dy_i · w_i`, the generic kernel's operations in its order
/// (unfused; the last `cols % 4` elements of a row in scalar code, which
/// rounds alike), so the bits of every other path.
#[target_feature(enable = "avx2,fma")]
pub(crate) fn backward64(w: &[f64], x: &[f64], dy: &[f64], dw: &mut [f64], dx: &mut [f64]) {
    let cols = x.len();
    dx.fill(0.0);
    let (xc, xt) = x.as_chunks::<4>();
    for ((&g, wr), dwr) in dy
        .iter()
        .zip(w.chunks_exact(cols))
        .zip(dw.chunks_exact_mut(cols))
    {
        let gv = _mm256_set1_pd(g);
        // One pass: `dw` and `dx` of a chunk together (each lane's
        // operations are those of the two generic passes).
        let (oc, ot) = dwr.as_chunks_mut::<4>();
        let (dc, dt) = dx.as_chunks_mut::<4>();
        let (wc, wt) = wr.as_chunks::<4>();
        for (((o, xi), d), wi) in oc.iter_mut().zip(xc).zip(dc.iter_mut()).zip(wc) {
            store64(o, _mm256_mul_pd(gv, load64(xi)));
            store64(d, _mm256_add_pd(load64(d), _mm256_mul_pd(gv, load64(wi))));
        }
        for (((o, &xv), d), &wv) in ot.iter_mut().zip(xt).zip(dt.iter_mut()).zip(wt) {
            *o = g * xv;
            *d += g * wv;
        }
    }
}
