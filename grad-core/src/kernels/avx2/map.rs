//! The slice loop of the AVX2 kernels.

use core::arch::x86_64::{__m256, _mm256_loadu_ps, _mm256_storeu_ps};

/// Floats in one `__m256`.
pub(crate) const W: usize = 8;

/// Loads 8 floats.
#[inline]
#[target_feature(enable = "avx2,fma")]
pub(crate) fn load(c: &[f32; W]) -> __m256 {
    // SAFETY: `c` is 8 contiguous, initialised f32s; `loadu` has no
    // alignment requirement.
    unsafe { _mm256_loadu_ps(c.as_ptr()) }
}

/// Stores 8 floats.
#[inline]
#[target_feature(enable = "avx2,fma")]
pub(crate) fn store(c: &mut [f32; W], v: __m256) {
    // SAFETY: `c` is 8 contiguous f32s we hold exclusively; `storeu` has
    // no alignment requirement.
    unsafe { _mm256_storeu_ps(c.as_mut_ptr(), v) }
}

/// `out[i] = f(x[i])`, 8 lanes at a time; the last `len % 8` elements go
/// through `f` in a zero-padded vector, so they get the same arithmetic.
/// Lengths must already be equal.
#[inline]
#[target_feature(enable = "avx2,fma")]
pub(crate) fn map1(x: &[f32], out: &mut [f32], f: impl Fn(__m256) -> __m256) {
    let (xc, xt) = x.as_chunks::<W>();
    let (oc, ot) = out.as_chunks_mut::<W>();
    for (xi, oi) in xc.iter().zip(oc.iter_mut()) {
        store(oi, f(load(xi)));
    }
    if !xt.is_empty() {
        let mut buf = [0.0_f32; W];
        buf[..xt.len()].copy_from_slice(xt);
        let v = f(load(&buf));
        store(&mut buf, v);
        ot.copy_from_slice(&buf[..ot.len()]);
    }
}

/// `out[i] = f(a[i], b[i])`, 8 lanes at a time, the remainder zero-padded
/// as in [`map1`]. Lengths must already be equal.
#[inline]
#[target_feature(enable = "avx2,fma")]
pub(crate) fn map2(a: &[f32], b: &[f32], out: &mut [f32], f: impl Fn(__m256, __m256) -> __m256) {
    let (ac, at) = a.as_chunks::<W>();
    let (bc, bt) = b.as_chunks::<W>();
    let (oc, ot) = out.as_chunks_mut::<W>();
    for ((ai, bi), oi) in ac.iter().zip(bc).zip(oc.iter_mut()) {
        store(oi, f(load(ai), load(bi)));
    }
    padded2(at, bt, ot, &f);
}

/// `out[i] = f(a[i], b[i])` on fewer than 8 elements (none: no-op), run
/// through `f` in zero-padded vectors. Lengths must already be equal.
#[inline]
#[target_feature(enable = "avx2,fma")]
pub(crate) fn padded2(
    a: &[f32],
    b: &[f32],
    out: &mut [f32],
    f: &impl Fn(__m256, __m256) -> __m256,
) {
    if out.is_empty() {
        return;
    }
    let (mut pa, mut pb) = ([0.0_f32; W], [0.0_f32; W]);
    pa[..a.len()].copy_from_slice(a);
    pb[..b.len()].copy_from_slice(b);
    let v = f(load(&pa), load(&pb));
    store(&mut pa, v);
    out.copy_from_slice(&pa[..out.len()]);
}
