//! A block of the row kernels: two vectors (16 floats, one cache line) and
//! what the passes do with one: load, store, pad a row's tail, mask it, add
//! to accumulators and sum lanes.

use super::super::map::{W, lane_mask, load, load_part, store, store_part};
use core::arch::x86_64::*;

/// Vectors per block.
pub(super) const U: usize = 2;
const _: () = assert!(B * 4 == 64, "one block per cache line (`prefetch`)");
const _: () = assert!(
    U == 2,
    "`pad`, `store_tail` and `tail_mask` split a block in two vectors"
);
/// Floats per block.
pub(super) const B: usize = U * W;

/// A block of vectors.
pub(super) type Block = [__m256; U];

/// Loads a block.
#[inline]
#[target_feature(enable = "avx2,fma")]
pub(super) fn load4(c: &[f32; B]) -> Block {
    let (q, _) = c.as_chunks::<W>();
    core::array::from_fn(|j| load(&q[j]))
}

/// Stores a block.
#[inline]
#[target_feature(enable = "avx2,fma")]
pub(super) fn store4(c: &mut [f32; B], v: Block) {
    let (q, _) = c.as_chunks_mut::<W>();
    for (qi, vi) in q.iter_mut().zip(v) {
        store(qi, vi);
    }
}

/// `op` folded over the 8 lanes of `v` as a tree (halves, then quarters,
/// then pairs).
#[inline]
#[target_feature(enable = "avx2,fma")]
pub(super) fn horizontal(v: __m256, op: impl Fn(__m128, __m128) -> __m128) -> f32 {
    let h = op(_mm256_castps256_ps128(v), _mm256_extractf128_ps::<1>(v));
    let h = op(h, _mm_movehl_ps(h, h));
    _mm_cvtss_f32(op(h, _mm_movehdup_ps(h)))
}

/// The sum of the 8 lanes of `v`.
#[inline]
#[target_feature(enable = "avx2,fma")]
fn hsum(v: __m256) -> f32 {
    horizontal(v, |a, b| _mm_add_ps(a, b))
}

/// The sum of the lanes of a block of accumulators.
#[inline]
#[target_feature(enable = "avx2,fma")]
pub(super) fn hsum4(a: Block) -> f32 {
    hsum(a[1..].iter().fold(a[0], |t, &v| _mm256_add_ps(t, v)))
}

/// The tail `t` (shorter than a block) as a block padded with `fill`.
#[inline]
#[target_feature(enable = "avx2,fma")]
pub(super) fn pad(t: &[f32], fill: f32) -> Block {
    let (a, b) = t.split_at(t.len().min(W));
    [load_part(a, fill), load_part(b, fill)]
}

/// Writes the first `o.len()` lanes (fewer than a block) of `v` to `o`.
#[inline]
#[target_feature(enable = "avx2,fma")]
pub(super) fn store_tail(o: &mut [f32], v: Block) {
    let (a, b) = o.split_at_mut(o.len().min(W));
    store_part(a, v[0]);
    store_part(b, v[1]);
}

/// All-ones lanes in the first `len` lanes of a block, zero after.
#[inline]
#[target_feature(enable = "avx2,fma")]
pub(super) fn tail_mask(len: usize) -> Block {
    let first = len.min(W);
    [lane_mask(first), lane_mask(len - first)].map(|k| _mm256_castsi256_ps(k))
}

/// Adds a block to the accumulators.
#[inline]
#[target_feature(enable = "avx2,fma")]
pub(super) fn accumulate(acc: &mut Block, e: Block) {
    for (a, ei) in acc.iter_mut().zip(e) {
        *a = _mm256_add_ps(*a, ei);
    }
}
