//! Streaming stores for the AVX2 kernels' outputs larger than the caches
//! (why and from what size: the generic `kernels::stream`).

use super::map::{W, load, padded2};
use core::arch::x86_64::{__m256, _mm_sfence, _mm256_stream_ps};

/// Outputs at least this long (in floats: 16 MB) are streamed.
pub(crate) const STREAM_MIN: usize = crate::kernels::stream::STREAM_MIN_BYTES / 4;

/// Writes `out[i] = f(a[i], b[i])`, 8 lanes at a time, with streaming
/// stores for the 32-byte aligned middle of `out` and plain stores for the
/// unaligned head and the tail (those run through `f` in a zero-padded
/// vector, so every element gets the same arithmetic). A one-input map
/// passes its input twice (the second load hits the same cache line).
///
/// Front to back: walking back to front, to find the end of inputs a
/// preceding reduction just read still in the cache, measured about 10%
/// slower on `softmax_backward` here.
///
/// `a` and `b` must be as long as `out`. Call [`fence`] after the last
/// call.
#[inline]
#[target_feature(enable = "avx2,fma")]
pub(crate) fn map2_streaming(
    a: &[f32],
    b: &[f32],
    out: &mut [f32],
    f: impl Fn(__m256, __m256) -> __m256,
) {
    debug_assert!(a.len() == out.len() && b.len() == out.len());
    // Elements before the first 32-byte boundary of `out`: an `f32`
    // address is a multiple of 4, so exactly this many reach it.
    let head = ((32 - out.as_ptr().addr() % 32) % 32 / 4).min(out.len());
    let (oh, om) = out.split_at_mut(head);
    let ((ah, am), (bh, bm)) = (a.split_at(head), b.split_at(head));
    padded2(ah, bh, oh, &f);
    let (oc, ot) = om.as_chunks_mut::<W>();
    let ((ac, at), (bc, bt)) = (am.as_chunks::<W>(), bm.as_chunks::<W>());
    for ((o, x), y) in oc.iter_mut().zip(ac).zip(bc) {
        let v = f(load(x), load(y));
        debug_assert_eq!(o.as_ptr().addr() % 32, 0);
        // SAFETY: `o` is 8 contiguous f32s we hold exclusively. `om`
        // starts on a 32-byte boundary (or is empty: no chunks) by the
        // choice of `head`, and every chunk is 32 bytes long, so `o` is
        // 32-byte aligned, as `_mm256_stream_ps` requires.
        unsafe { _mm256_stream_ps(o.as_mut_ptr(), v) }
    }
    padded2(at, bt, ot, &f);
}

/// Orders the streaming stores before any later store (they are weakly
/// ordered); call once after the last [`map2_streaming`].
#[inline]
#[target_feature(enable = "avx2,fma")]
pub(crate) fn fence() {
    _mm_sfence();
}
