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

/// Elements per generic chunk (`LANES`).
const CHUNK: usize = crate::kernels::LANES;

/// Chunks per block, blocks per super-block (`driver::BLOCK`, `SUPER`).
const CHUNKS_PER_BLOCK: usize = 32;
const BLOCKS_PER_SUPER: usize = 64;

/// `f64`s in one `__m256d`.
const W64: usize = 4;

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
fn load64_part(t: &[f64], _fill: f64) -> __m256d {
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

/// The generic tree over the 32 lanes of four `f32` vectors (lanes `8q …
/// 8q + 7` in vector `q`): `w = 16` and `8` between vectors, `4, 2, 1`
/// within the last.
#[inline]
#[target_feature(enable = "avx2,fma")]
fn tree32(t: [__m256; CHUNK / W]) -> f32 {
    let t = _mm256_add_ps(_mm256_add_ps(t[0], t[2]), _mm256_add_ps(t[1], t[3]));
    let h = _mm_add_ps(_mm256_castps256_ps128(t), _mm256_extractf128_ps::<1>(t));
    let h = _mm_add_ps(h, _mm_movehl_ps(h, h));
    _mm_cvtss_f32(_mm_add_ps(h, _mm_movehdup_ps(h)))
}

/// The generic tree over the 32 lanes of eight `f64` vectors: `w = 16, 8,
/// 4` between vectors, `2, 1` within the last.
#[inline]
#[target_feature(enable = "avx2,fma")]
fn tree64(t: [__m256d; CHUNK / W64]) -> f64 {
    let t: [__m256d; 4] = core::array::from_fn(|q| _mm256_add_pd(t[q], t[q + 4]));
    let t = _mm256_add_pd(_mm256_add_pd(t[0], t[2]), _mm256_add_pd(t[1], t[3]));
    let h = _mm_add_pd(_mm256_castpd256_pd128(t), _mm256_extractf128_pd::<1>(t));
    _mm_cvtsd_f64(_mm_add_sd(h, _mm_unpackhi_pd(h, h)))
}

/// `dot` and `matvec` for one float type: the reduction is the same for
/// both, only the vector type, its loads and the final tree differ.
macro_rules! reduction {
    ($dot:ident, $matvec:ident, $t:ty, $v:ty, $w:expr, $zero:ident, $add:ident, $mul:ident,
     $load:ident, $load_part:ident, $tree:ident) => {
        /// `Σ a_i·b_i` (lengths equal), the bits of the generic `dot`.
        #[inline]
        #[target_feature(enable = "avx2,fma")]
        pub(crate) fn $dot(a: &[$t], b: &[$t]) -> $t {
            type Lanes = [$v; CHUNK / $w];
            let add = |x: Lanes, y: Lanes| -> Lanes { core::array::from_fn(|q| $add(x[q], y[q])) };
            let zero: Lanes = [$zero(); CHUNK / $w];
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
                    let (xq, _) = x.as_chunks::<{ $w }>();
                    let (yq, _) = y.as_chunks::<{ $w }>();
                    blk = add(
                        blk,
                        core::array::from_fn(|q| $mul($load(&xq[q]), $load(&yq[q]))),
                    );
                }
                sup = add(sup, blk);
                if (k + 1) % BLOCKS_PER_SUPER == 0 {
                    total = add(total, sup);
                    sup = zero;
                }
            }
            if !at.is_empty() {
                // Lanes past the end multiply zero by zero: +0, as the
                // generic code's select of +0 there.
                let tail: Lanes = core::array::from_fn(|q| {
                    let lo = (q * $w).min(at.len());
                    let hi = (lo + $w).min(at.len());
                    $mul($load_part(&at[lo..hi], 0.0), $load_part(&bt[lo..hi], 0.0))
                });
                sup = add(sup, tail);
            }
            $tree(add(total, sup))
        }

        /// `out_r = dot(w_r, x)` for each row `w_r` of `w` (`w.len() =
        /// out.len() × x.len()`, `x` not empty).
        #[target_feature(enable = "avx2,fma")]
        pub(crate) fn $matvec(w: &[$t], x: &[$t], out: &mut [$t]) {
            for (o, row) in out.iter_mut().zip(w.chunks_exact(x.len())) {
                *o = $dot(row, x);
            }
        }
    };
}

reduction!(
    dot,
    matvec,
    f32,
    __m256,
    W,
    _mm256_setzero_ps,
    _mm256_add_ps,
    _mm256_mul_ps,
    load,
    load_part,
    tree32
);
reduction!(
    dot64,
    matvec64,
    f64,
    __m256d,
    W64,
    _mm256_setzero_pd,
    _mm256_add_pd,
    _mm256_mul_pd,
    load64,
    load64_part,
    tree64
);
