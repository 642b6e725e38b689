//! Outputs larger than the caches written with non-temporal (streaming)
//! stores, on every path.
//!
//! A kernel that writes an output much larger than the caches (a 64 MB
//! `dx` of 16M `f32`s) otherwise first reads every destination line into
//! the cache (read-for-ownership) only to overwrite it: a third of its
//! memory traffic, and the lines it evicts are the inputs it still has to
//! read. Streaming stores skip that read. The values written are the same;
//! only the cache policy differs. On this machine a streamed copy of 8 MB
//! runs 1.7× faster than `copy_from_slice`, of 32 MB 1.4× (and below 8 MB
//! slower: the output would have stayed in the 32 MB L3), hence
//! [`STREAM_MIN_BYTES`].
//!
//! The stores are SSE2's `movntdq`, part of every x86-64 CPU, so the
//! generic code uses them on every dispatch path without a target feature
//! (`driver::map1_streamed`, `driver::map2_streamed`: for kernels whose
//! body is cheap, as a kernel bound by arithmetic ran slower with them).
//! Elsewhere the chunks are stored plainly.

use super::simd::L;
use crate::Real;

/// Outputs of at least this many bytes (16 MB) are streamed.
pub(crate) const STREAM_MIN_BYTES: usize = 16 << 20;

/// Whether an output of `len` elements of `T` is streamed.
#[inline(always)]
pub(crate) fn streams<T>(len: usize) -> bool {
    cfg!(target_arch = "x86_64") && len * size_of::<T>() >= STREAM_MIN_BYTES
}

/// The number of elements of `out` before its first 16-byte boundary (the
/// alignment [`store_chunk`] needs), at most `out.len()`.
#[inline(always)]
pub(crate) fn head_len<T>(out: &[T]) -> usize {
    // Every element address is a multiple of `size_of::<T>()` (4 or 8), so
    // exactly this many elements reach the boundary.
    ((16 - out.as_ptr().addr() % 16) % 16 / size_of::<T>()).min(out.len())
}

/// Writes the chunk `v` to `dst`, which must be 16-byte aligned (a slice
/// past [`head_len`] elements, in whole chunks: the callers'
/// responsibility, checked in debug builds), bypassing the caches.
/// Call [`fence`] after the last one.
#[inline(always)]
pub(crate) fn store_chunk<T: Real>(dst: &mut [T; L], v: &[T; L]) {
    #[cfg(target_arch = "x86_64")]
    {
        use core::arch::x86_64::{__m128i, _mm_loadu_si128, _mm_stream_si128};
        const { assert!(size_of::<[T; L]>().is_multiple_of(16)) };
        debug_assert_eq!(dst.as_ptr().addr() % 16, 0, "store_chunk: unaligned");
        let (d, s) = (
            dst.as_mut_ptr().cast::<__m128i>(),
            v.as_ptr().cast::<__m128i>(),
        );
        for i in 0..size_of::<[T; L]>() / 16 {
            // SAFETY: `dst` and `v` are `size_of::<[T; L]>()` bytes (a
            // multiple of 16: 32 lanes of 4 or 8 bytes), so the 16 bytes at
            // `16·i` are inside both; `dst` is ours exclusively and 16-byte
            // aligned (the callers start it `head_len` elements into the
            // output and step by whole chunks), as `movntdq` requires; `loadu` has
            // no alignment requirement. SSE2 is part of every x86-64 CPU.
            unsafe { _mm_stream_si128(d.add(i), _mm_loadu_si128(s.add(i))) };
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        *dst = *v;
    }
}

/// Orders the streaming stores before any later store (they are weakly
/// ordered); call once after the last [`store_chunk`].
#[inline(always)]
pub(crate) fn fence() {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: `sfence` only orders stores; SSE is part of every x86-64 CPU.
    unsafe {
        core::arch::x86_64::_mm_sfence()
    };
}
