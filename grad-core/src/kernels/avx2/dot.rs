//! `Σ a·b` in AVX2 `f32` and `f64` with exactly the generic reduction's
//! association (`driver::sum_zip`), so the bits of every other path.
//!
//! The generic reduction keeps `L = 32` lane partials; here they are four
//! vectors of 8 `f32` (vector `q` holds lanes `8q … 8q + 7`) or eight of 4
//! `f64`. Each product is
//! rounded and then added (no fused multiply–add, as the generic code).
//! Chunks of 32 elements add into a block partial, 32 chunks make a block,
//! whose partial adds into a super-block partial, which adds into the total
//! every 64 blocks; the zero-padded remainder adds into the super-block
//! partial; the 32 lanes then fold as a fixed tree (`t[j] += t[j + w]` for
//! `w = 16, 8, 4, 2, 1`). Written by hand because the generic form, run
//! per row of a small matrix, copied each row's padded remainder through
//! the stack and folded the tree lane by lane: `matvec` on 10×100 took
//! 467 ns (criterion) against 807 for the naive loop.

use super::map::{W, load, load_part};
use core::arch::x86_64::*;

/// Vectors per generic chunk (`LANES / W`).
const Q: usize = crate::kernels::LANES / W;

/// Floats per generic chunk.
const CHUNK: usize = Q * W;

/// Chunks per block, blocks per super-block (`driver::BLOCK`, `SUPER`).
const CHUNKS_PER_BLOCK: usize = 32;
const BLOCKS_PER_SUPER: usize = 64;

/// The 32 lane partials.
type Lanes = [__m256; Q];

#[inline]
#[target_feature(enable = "avx2,fma")]
fn add(a: Lanes, b: Lanes) -> Lanes {
    core::array::from_fn(|q| _mm256_add_ps(a[q], b[q]))
}

/// The rounded products of one chunk of `a` and `b`.
#[inline]
#[target_feature(enable = "avx2,fma")]
fn products(a: &[f32; CHUNK], b: &[f32; CHUNK]) -> Lanes {
    let (aq, _) = a.as_chunks::<W>();
    let (bq, _) = b.as_chunks::<W>();
    core::array::from_fn(|q| _mm256_mul_ps(load(&aq[q]), load(&bq[q])))
}

/// `Σ a_i·b_i` (lengths equal), the bits of the generic `dot`.
#[inline]
#[target_feature(enable = "avx2,fma")]
pub(crate) fn dot(a: &[f32], b: &[f32]) -> f32 {
    let zero = [_mm256_setzero_ps(); Q];
    let (ac, at) = a.as_chunks::<CHUNK>();
    let (bc, bt) = b.as_chunks::<CHUNK>();
    let (mut total, mut sup) = (zero, zero);
    for (k, (ab, bb)) in ac
        .chunks(CHUNKS_PER_BLOCK)
        .zip(bc.chunks(CHUNKS_PER_BLOCK))
        .enumerate()
    {
        let mut blk = zero;
        for (x, y) in ab.iter().zip(bb) {
            blk = add(blk, products(x, y));
        }
        sup = add(sup, blk);
        if (k + 1) % BLOCKS_PER_SUPER == 0 {
            total = add(total, sup);
            sup = zero;
        }
    }
    if !at.is_empty() {
        // Lanes past the end multiply zero by zero: +0, as the generic
        // code's select of +0 there.
        let tail: Lanes = core::array::from_fn(|q| {
            let lo = (q * W).min(at.len());
            let hi = (lo + W).min(at.len());
            _mm256_mul_ps(load_part(&at[lo..hi], 0.0), load_part(&bt[lo..hi], 0.0))
        });
        sup = add(sup, tail);
    }
    let t = add(total, sup);
    // w = 16: lanes j and j + 16; w = 8: j and j + 8; then within a vector.
    let t = _mm256_add_ps(_mm256_add_ps(t[0], t[2]), _mm256_add_ps(t[1], t[3]));
    let h = _mm_add_ps(_mm256_castps256_ps128(t), _mm256_extractf128_ps::<1>(t));
    let h = _mm_add_ps(h, _mm_movehl_ps(h, h));
    _mm_cvtss_f32(_mm_add_ps(h, _mm_movehdup_ps(h)))
}

/// `out_r = dot(w_r, x)` for each row `w_r` of `w` (`w.len() = out.len() ×
/// x.len()`, `x` not empty).
#[target_feature(enable = "avx2,fma")]
pub(crate) fn matvec(w: &[f32], x: &[f32], out: &mut [f32]) {
    for (o, row) in out.iter_mut().zip(w.chunks_exact(x.len())) {
        *o = dot(row, x);
    }
}

/// `f64`s in one `__m256d`.
const W64: usize = 4;

/// Vectors of `f64` per generic chunk.
const Q64: usize = CHUNK / W64;

/// The 32 lane partials in `f64`.
type Lanes64 = [__m256d; Q64];

#[inline]
#[target_feature(enable = "avx2,fma")]
fn add64(a: Lanes64, b: Lanes64) -> Lanes64 {
    core::array::from_fn(|q| _mm256_add_pd(a[q], b[q]))
}

/// 4 `f64`s from `c`.
#[inline]
#[target_feature(enable = "avx2,fma")]
fn load64(c: &[f64; W64]) -> __m256d {
    // SAFETY: `c` is 4 contiguous, initialised f64s; `loadu` has no
    // alignment requirement.
    unsafe { _mm256_loadu_pd(c.as_ptr()) }
}

/// `t` (at most 4 `f64`s) in one vector, zeros past its end: a masked
/// load, which reads only the lanes inside `t`.
#[inline]
#[target_feature(enable = "avx2,fma")]
fn load64_part(t: &[f64]) -> __m256d {
    assert!(t.len() <= W64, "load64_part: {} floats", t.len());
    // `len ≤ 4` fits an i64.
    let mask = _mm256_cmpgt_epi64(
        _mm256_set1_epi64x(t.len() as i64),
        _mm256_setr_epi64x(0, 1, 2, 3),
    );
    // SAFETY: the masked load reads only lanes `i < t.len()`, inside `t`;
    // the others are neither read nor able to fault (for an empty `t`
    // nothing is read).
    unsafe { _mm256_maskload_pd(t.as_ptr(), mask) }
}

/// The rounded products of one chunk of `a` and `b`.
#[inline]
#[target_feature(enable = "avx2,fma")]
fn products64(a: &[f64; CHUNK], b: &[f64; CHUNK]) -> Lanes64 {
    let (aq, _) = a.as_chunks::<W64>();
    let (bq, _) = b.as_chunks::<W64>();
    core::array::from_fn(|q| _mm256_mul_pd(load64(&aq[q]), load64(&bq[q])))
}

/// `Σ a_i·b_i` in `f64` (lengths equal), the bits of the generic `dot`:
/// as [`dot`], with the tree's `w = 16, 8, 4` steps between vectors and
/// `w = 2, 1` within the last.
#[inline]
#[target_feature(enable = "avx2,fma")]
pub(crate) fn dot64(a: &[f64], b: &[f64]) -> f64 {
    let zero = [_mm256_setzero_pd(); Q64];
    let (ac, at) = a.as_chunks::<CHUNK>();
    let (bc, bt) = b.as_chunks::<CHUNK>();
    let (mut total, mut sup) = (zero, zero);
    for (k, (ab, bb)) in ac
        .chunks(CHUNKS_PER_BLOCK)
        .zip(bc.chunks(CHUNKS_PER_BLOCK))
        .enumerate()
    {
        let mut blk = zero;
        for (x, y) in ab.iter().zip(bb) {
            blk = add64(blk, products64(x, y));
        }
        sup = add64(sup, blk);
        if (k + 1) % BLOCKS_PER_SUPER == 0 {
            total = add64(total, sup);
            sup = zero;
        }
    }
    if !at.is_empty() {
        let tail: Lanes64 = core::array::from_fn(|q| {
            let lo = (q * W64).min(at.len());
            let hi = (lo + W64).min(at.len());
            _mm256_mul_pd(load64_part(&at[lo..hi]), load64_part(&bt[lo..hi]))
        });
        sup = add64(sup, tail);
    }
    let t = add64(total, sup);
    let t: [__m256d; 4] = core::array::from_fn(|q| _mm256_add_pd(t[q], t[q + 4]));
    let t = _mm256_add_pd(_mm256_add_pd(t[0], t[2]), _mm256_add_pd(t[1], t[3]));
    let h = _mm_add_pd(_mm256_castpd256_pd128(t), _mm256_extractf128_pd::<1>(t));
    _mm_cvtsd_f64(_mm_add_sd(h, _mm_unpackhi_pd(h, h)))
}

/// [`matvec`] in `f64`.
#[target_feature(enable = "avx2,fma")]
pub(crate) fn matvec64(w: &[f64], x: &[f64], out: &mut [f64]) {
    for (o, row) in out.iter_mut().zip(w.chunks_exact(x.len())) {
        *o = dot64(row, x);
    }
}
