//! Matrix-sized outputs written with non-temporal (streaming) stores.
//!
//! A kernel that writes an output much larger than the caches (e.g. the
//! 64 MB `dw` of `matvec_backward` on a 4096×4096 matrix) otherwise first
//! reads every destination line into the cache (read-for-ownership) only
//! to overwrite it: a third of its memory traffic. Streaming stores skip
//! that read, which is what `copy_from_slice` (`rep movsb`) does for large
//! copies too. The values written are the same; only the cache policy
//! differs.

use super::map::{W, load, store};
use core::arch::x86_64::{__m256, _mm_sfence, _mm256_mul_ps, _mm256_set1_ps, _mm256_stream_ps};

/// Outputs at least this long (in floats, 16 MB) are streamed.
pub(crate) const STREAM_MIN: usize = 1 << 22;

/// Writes `out[i] = g · x[i]` with streaming stores for the 32-byte aligned
/// middle of `out` (plain stores for the unaligned head and the tail).
/// Lengths must already be equal. Call [`fence`] after the last one.
#[inline]
#[target_feature(enable = "avx2,fma")]
pub(crate) fn scale_streaming(g: f32, x: &[f32], out: &mut [f32]) {
    let gv = _mm256_set1_ps(g);
    // Elements before the first 32-byte boundary of `out`.
    let head = out.as_ptr().align_offset(32).min(out.len());
    let (oh, om) = out.split_at_mut(head);
    let (xh, xm) = x.split_at(head);
    for (o, &v) in oh.iter_mut().zip(xh) {
        *o = g * v;
    }
    let (oc, ot) = om.as_chunks_mut::<W>();
    let (xc, xt) = xm.as_chunks::<W>();
    for (o, xi) in oc.iter_mut().zip(xc) {
        stream(o, _mm256_mul_ps(gv, load(xi)));
    }
    for (o, &v) in ot.iter_mut().zip(xt) {
        *o = g * v;
    }
}

/// One streaming store of 8 floats to a 32-byte aligned chunk.
#[inline]
#[target_feature(enable = "avx2,fma")]
fn stream(o: &mut [f32; W], v: __m256) {
    debug_assert_eq!(o.as_ptr().align_offset(32), 0);
    if o.as_ptr().align_offset(32) != 0 {
        // Unreachable: `scale_streaming` aligns the chunks first.
        return store(o, v);
    }
    // SAFETY: `o` is 8 contiguous f32s we hold exclusively, and its
    // address is 32-byte aligned (checked just above), as
    // `_mm256_stream_ps` requires.
    unsafe { _mm256_stream_ps(o.as_mut_ptr(), v) }
}

/// Orders the streaming stores before any later store (they are weakly
/// ordered); call once after the last [`scale_streaming`].
#[inline]
#[target_feature(enable = "avx2,fma")]
pub(crate) fn fence() {
    _mm_sfence();
}
