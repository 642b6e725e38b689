//! The loop skeletons every kernel is built from.
//!
//! Elementwise kernels walk the data in chunks of [`LANES`] elements and
//! apply a chunk function (`V<T> → V<T>`, see `simd`); LLVM turns each step
//! into full-width SIMD for the target features of the calling path. The
//! remainder is copied into a zero-padded chunk and run through the *same*
//! chunk code, so the last elements get exactly the same arithmetic.
//!
//! Reductions keep [`ACCUMULATORS`] independent partial results (lane `j`
//! takes elements `j, j+ACC, j+2·ACC, …`), fold them blockwise (1 024
//! elements into a block partial, 64 blocks into a super-block partial, then
//! into the total) and finish with a fixed pairwise tree. The association is
//! therefore the same on every path (bit-identical results) and each lane
//! adds at most 32 + 64 + n/65 536 terms in sequence, which keeps the
//! rounding error of long sums small.

use super::simd::{L, M, V};
use super::stream;
use crate::Real;

/// Elements per chunk of the elementwise kernels.
///
/// ```
/// assert_eq!(grad_core::kernels::LANES, 32);
/// ```
pub const LANES: usize = L;

/// Independent accumulators of the reductions (and their chunk length).
///
/// ```
/// assert_eq!(grad_core::kernels::ACCUMULATORS, 32);
/// ```
pub const ACCUMULATORS: usize = L;

const BLOCK: usize = 32 * L;
const SUPER: usize = 64 * BLOCK;

/// Ends the body of a chunk loop: keeps LLVM's loop vectorizer off the
/// loop over chunks, so each chunk's lane loops are vectorized within the
/// chunk (full-width SIMD) as intended.
///
/// Without it, LLVM vectorized some chunk loops (a division of `f64`
/// lanes, as in `ln_backward`) *across* chunks, two at a time: every lane
/// op became a 128-bit op on lane `j` of two chunks, fed by scalar loads
/// and shuffles, about 3× slower than one 256-bit division per 4 lanes.
/// A compiler fence emits no instruction; the loop vectorizer does not
/// vectorize loops that contain one.
#[inline(always)]
fn one_chunk_at_a_time() {
    core::sync::atomic::compiler_fence(core::sync::atomic::Ordering::SeqCst);
}

/// `out[i] = f(x[i])` chunk by chunk. Lengths must already be equal.
#[inline(always)]
pub(crate) fn map1<T: Real>(x: &[T], out: &mut [T], f: impl Fn(V<T>) -> V<T>) {
    let (xc, xt) = x.as_chunks::<L>();
    let (oc, ot) = out.as_chunks_mut::<L>();
    for (xi, oi) in xc.iter().zip(oc.iter_mut()) {
        *oi = f(V(*xi)).0;
        one_chunk_at_a_time();
    }
    if !xt.is_empty() {
        let r = f(V(pad(xt)));
        unpad(ot, &r.0);
    }
}

/// `out[i] = f(a[i], b[i])` chunk by chunk. Lengths must already be equal.
#[inline(always)]
pub(crate) fn map2<T: Real>(a: &[T], b: &[T], out: &mut [T], f: impl Fn(V<T>, V<T>) -> V<T>) {
    let (ac, at) = a.as_chunks::<L>();
    let (bc, bt) = b.as_chunks::<L>();
    let (oc, ot) = out.as_chunks_mut::<L>();
    for ((ai, bi), oi) in ac.iter().zip(bc).zip(oc.iter_mut()) {
        *oi = f(V(*ai), V(*bi)).0;
        one_chunk_at_a_time();
    }
    if !at.is_empty() {
        let r = f(V(pad(at)), V(pad(bt)));
        unpad(ot, &r.0);
    }
}

/// [`map1`], with streaming stores for an output of 16 MB or more; for
/// cheap bodies only, as [`map2_streamed`]. (Not `map2_streamed` with `x`
/// twice: that measured about 10% slower for `relu` at every size.)
#[inline(always)]
pub(crate) fn map1_streamed<T: Real>(x: &[T], out: &mut [T], f: impl Fn(V<T>) -> V<T>) {
    if !stream::streams::<T>(out.len()) {
        return map1(x, out, f);
    }
    // As in `map2_streamed`.
    let head = stream::head_len(out);
    let (oh, om) = out.split_at_mut(head);
    let (xh, xm) = x.split_at(head);
    map1(xh, oh, &f);
    let (xc, xt) = xm.as_chunks::<L>();
    let (oc, ot) = om.as_chunks_mut::<L>();
    for (xi, oi) in xc.iter().zip(oc.iter_mut()) {
        stream::store_chunk(oi, &f(V(*xi)).0);
        one_chunk_at_a_time();
    }
    map1(xt, ot, &f);
    stream::fence();
}

/// [`map2`], with streaming stores for an output of 16 MB or more
/// (`stream`). Only for bodies cheap enough that such an output is
/// memory-bound (`relu`, the backward kernels): there it saves a third of
/// the traffic (`relu` on 16M `f32`s: 9–12 ms against 13–15 with plain
/// stores), but a body bound by arithmetic runs slower with it (`f64`
/// `sigmoid` on 16M: 80–83 ms against 51–58), so the transcendental forward
/// kernels use [`map1`].
#[inline(always)]
pub(crate) fn map2_streamed<T: Real>(
    a: &[T],
    b: &[T],
    out: &mut [T],
    f: impl Fn(V<T>, V<T>) -> V<T>,
) {
    if !stream::streams::<T>(out.len()) {
        return map2(a, b, out, f);
    }
    // The head before `out`'s first 16-byte boundary and the tail go
    // through `map2`'s padded chunk (fewer than `L` elements each); the
    // chunks between are streamed. The lanes are independent, so where the
    // chunks start does not change any element's arithmetic.
    let head = stream::head_len(out);
    let (oh, om) = out.split_at_mut(head);
    let ((ah, am), (bh, bm)) = (a.split_at(head), b.split_at(head));
    map2(ah, bh, oh, &f);
    let (ac, at) = am.as_chunks::<L>();
    let (bc, bt) = bm.as_chunks::<L>();
    let (oc, ot) = om.as_chunks_mut::<L>();
    for ((ai, bi), oi) in ac.iter().zip(bc).zip(oc.iter_mut()) {
        stream::store_chunk(oi, &f(V(*ai), V(*bi)).0);
        one_chunk_at_a_time();
    }
    map2(at, bt, ot, &f);
    stream::fence();
}

/// `acc[i] = f(acc[i], b[i])` in place. Lengths must already be equal.
#[inline(always)]
pub(crate) fn update<T: Real>(acc: &mut [T], b: &[T], f: impl Fn(V<T>, V<T>) -> V<T>) {
    let (bc, bt) = b.as_chunks::<L>();
    let (oc, ot) = acc.as_chunks_mut::<L>();
    for (bi, oi) in bc.iter().zip(oc.iter_mut()) {
        *oi = f(V(*oi), V(*bi)).0;
        one_chunk_at_a_time();
    }
    if !bt.is_empty() {
        let r = f(V(pad(ot)), V(pad(bt)));
        unpad(ot, &r.0);
    }
}

/// `x[i] = f(x[i])` in place.
#[inline(always)]
pub(crate) fn map_in_place<T: Real>(x: &mut [T], f: impl Fn(V<T>) -> V<T>) {
    let (xc, xt) = x.as_chunks_mut::<L>();
    for xi in xc.iter_mut() {
        *xi = f(V(*xi)).0;
        one_chunk_at_a_time();
    }
    if !xt.is_empty() {
        let r = f(V(pad(xt)));
        unpad(xt, &r.0);
    }
}

/// A short slice copied into a zero-padded chunk.
#[inline(always)]
fn pad<T: Real>(x: &[T]) -> [T; L] {
    let mut b = [T::ZERO; L];
    b[..x.len()].copy_from_slice(x);
    b
}

/// Writes the first `out.len()` (< L) lanes of `v` to `out`.
#[inline(always)]
fn unpad<T: Real>(out: &mut [T], v: &[T; L]) {
    out.copy_from_slice(&v[..out.len()]);
}

/// `Σ f(a_i, b_i)` over the lanes of `f`'s results. Lengths must already
/// be equal.
///
/// Lane `j` of a block partial takes elements `j, j+L, …` of one block of
/// [`BLOCK`] elements in order; block partials are added in order into a
/// super-block partial, which is added into the total every 64 blocks and
/// at the end (the zero-padded remainder counts as one more block); finally
/// the `L` lanes are combined by a fixed pairwise tree. Written straight
/// over `as_chunks` (no per-chunk bounds checks): inlined into large row
/// kernels, a closure-per-chunk form made LLVM split the partials into
/// scalars and rebuild them on every iteration.
#[inline(always)]
pub(crate) fn sum_zip<T: Real>(a: &[T], b: &[T], f: impl Fn(V<T>, V<T>) -> V<T>) -> T {
    let (ac, at) = a.as_chunks::<L>();
    let (bc, bt) = b.as_chunks::<L>();
    let zero = V::splat(T::ZERO);
    let (mut total, mut sup) = (zero, zero);
    let per_block = BLOCK / L;
    for (k, (ab, bb)) in ac.chunks(per_block).zip(bc.chunks(per_block)).enumerate() {
        let mut blk = zero;
        for (x, y) in ab.iter().zip(bb) {
            blk = blk + f(V(*x), V(*y));
        }
        sup = sup + blk;
        if (k + 1) % (SUPER / BLOCK) == 0 {
            total = total + sup;
            sup = zero;
        }
    }
    if !at.is_empty() {
        let v = f(V(pad(at)), V(pad(bt)));
        let mut live = [false; L];
        for (j, l) in live.iter_mut().enumerate() {
            *l = j < at.len();
        }
        sup = sup + V::select(M(live), v, zero);
    }
    let mut t = (total + sup).0;
    let mut w = L / 2;
    while w > 0 {
        for j in 0..w {
            t[j] += t[j + w];
        }
        w /= 2;
    }
    t[0]
}
