//! The loop skeletons every kernel is built from.
//!
//! Elementwise kernels walk the data in chunks of [`LANES`] elements; the
//! body of a chunk is a fixed-length loop without branches, which LLVM turns
//! into whole-register SIMD for the target features of the calling path. The
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

use crate::Real;

/// Elements per chunk of the elementwise kernels.
///
/// ```
/// assert_eq!(grad_core::kernels::LANES, 16);
/// ```
pub const LANES: usize = 16;

/// Independent accumulators of the reductions (and their chunk length).
///
/// ```
/// assert_eq!(grad_core::kernels::ACCUMULATORS, 32);
/// ```
pub const ACCUMULATORS: usize = 32;

const ACC: usize = ACCUMULATORS;
const BLOCK: usize = 32 * ACC;
const SUPER: usize = 64 * BLOCK;

/// `out[i] = f(x[i])`. Lengths must already be equal.
#[inline(always)]
pub(crate) fn map1<T: Real>(x: &[T], out: &mut [T], f: impl Fn(T) -> T) {
    let (xc, xt) = x.as_chunks::<LANES>();
    let (oc, ot) = out.as_chunks_mut::<LANES>();
    for (xi, oi) in xc.iter().zip(oc.iter_mut()) {
        for j in 0..LANES {
            oi[j] = f(xi[j]);
        }
    }
    if !xt.is_empty() {
        let mut xb = [T::ZERO; LANES];
        xb[..xt.len()].copy_from_slice(xt);
        let mut ob = [T::ZERO; LANES];
        for j in 0..LANES {
            ob[j] = f(xb[j]);
        }
        ot.copy_from_slice(&ob[..xt.len()]);
    }
}

/// `out[i] = f(a[i], b[i])`. Lengths must already be equal.
#[inline(always)]
pub(crate) fn map2<T: Real>(a: &[T], b: &[T], out: &mut [T], f: impl Fn(T, T) -> T) {
    let (ac, at) = a.as_chunks::<LANES>();
    let (bc, bt) = b.as_chunks::<LANES>();
    let (oc, ot) = out.as_chunks_mut::<LANES>();
    for ((ai, bi), oi) in ac.iter().zip(bc).zip(oc.iter_mut()) {
        for j in 0..LANES {
            oi[j] = f(ai[j], bi[j]);
        }
    }
    if !at.is_empty() {
        let mut ab = [T::ZERO; LANES];
        let mut bb = [T::ZERO; LANES];
        ab[..at.len()].copy_from_slice(at);
        bb[..bt.len()].copy_from_slice(bt);
        let mut ob = [T::ZERO; LANES];
        for j in 0..LANES {
            ob[j] = f(ab[j], bb[j]);
        }
        ot.copy_from_slice(&ob[..at.len()]);
    }
}

/// `acc[i] = f(acc[i], b[i])` in place. Lengths must already be equal.
#[inline(always)]
pub(crate) fn update<T: Real>(acc: &mut [T], b: &[T], f: impl Fn(T, T) -> T) {
    let (bc, bt) = b.as_chunks::<LANES>();
    let (oc, ot) = acc.as_chunks_mut::<LANES>();
    for (bi, oi) in bc.iter().zip(oc.iter_mut()) {
        for j in 0..LANES {
            oi[j] = f(oi[j], bi[j]);
        }
    }
    if !bt.is_empty() {
        let mut ab = [T::ZERO; LANES];
        let mut bb = [T::ZERO; LANES];
        ab[..ot.len()].copy_from_slice(ot);
        bb[..bt.len()].copy_from_slice(bt);
        for j in 0..LANES {
            ab[j] = f(ab[j], bb[j]);
        }
        let n = ot.len();
        ot.copy_from_slice(&ab[..n]);
    }
}

/// `x[i] = f(x[i])` in place.
#[inline(always)]
pub(crate) fn map_in_place<T: Real>(x: &mut [T], f: impl Fn(T) -> T) {
    let (xc, xt) = x.as_chunks_mut::<LANES>();
    for xi in xc.iter_mut() {
        for v in xi.iter_mut() {
            *v = f(*v);
        }
    }
    if !xt.is_empty() {
        let mut b = [T::ZERO; LANES];
        let n = xt.len();
        b[..n].copy_from_slice(xt);
        for v in b.iter_mut() {
            *v = f(*v);
        }
        xt.copy_from_slice(&b[..n]);
    }
}

/// The reduction chunk of `x` starting at `start`, zero-padded past the end.
#[inline(always)]
pub(crate) fn load<T: Real>(x: &[T], start: usize) -> [T; ACC] {
    let rest = &x[start..];
    if let Some(c) = rest.first_chunk::<ACC>() {
        *c
    } else {
        let mut b = [T::ZERO; ACC];
        b[..rest.len()].copy_from_slice(rest);
        b
    }
}

/// Stores the first `min(ACC, out.len() − start)` lanes of `v` at `start`.
#[inline(always)]
pub(crate) fn store<T: Real>(out: &mut [T], start: usize, v: &[T; ACC]) {
    let rest = &mut out[start..];
    if let Some(c) = rest.first_chunk_mut::<ACC>() {
        *c = *v;
    } else {
        let n = rest.len();
        rest.copy_from_slice(&v[..n]);
    }
}

/// Folds `n` values with `combine` (identity `id`), [`ACCUMULATORS`] lanes
/// at a time. `eval(start)` returns the values of elements
/// `start..start+ACC` (lanes past `n` are ignored).
#[inline(always)]
pub(crate) fn fold<T: Real>(
    n: usize,
    id: T,
    combine: impl Fn(T, T) -> T,
    mut eval: impl FnMut(usize) -> [T; ACC],
) -> T {
    let mut total = [id; ACC];
    let mut start = 0;
    while start < n {
        let sup_end = n.min(start + SUPER);
        let mut sup = [id; ACC];
        while start < sup_end {
            let blk_end = sup_end.min(start + BLOCK);
            let mut blk = [id; ACC];
            while start + ACC <= blk_end {
                let v = eval(start);
                for j in 0..ACC {
                    blk[j] = combine(blk[j], v[j]);
                }
                start += ACC;
            }
            if start < blk_end {
                let len = blk_end - start;
                let v = eval(start);
                for j in 0..ACC {
                    let c = combine(blk[j], v[j]);
                    blk[j] = if j < len { c } else { blk[j] };
                }
                start = blk_end;
            }
            for j in 0..ACC {
                sup[j] = combine(sup[j], blk[j]);
            }
        }
        for j in 0..ACC {
            total[j] = combine(total[j], sup[j]);
        }
    }
    let mut w = ACC / 2;
    while w > 0 {
        for j in 0..w {
            total[j] = combine(total[j], total[j + w]);
        }
        w /= 2;
    }
    total[0]
}

/// Applies `f` lane by lane to a reduction chunk.
#[inline(always)]
pub(crate) fn lanes<T: Real>(v: [T; ACC], f: impl Fn(T) -> T) -> [T; ACC] {
    let mut o = v;
    for j in 0..ACC {
        o[j] = f(v[j]);
    }
    o
}

/// Applies `f` lane by lane to two reduction chunks.
#[inline(always)]
pub(crate) fn lanes2<T: Real>(a: [T; ACC], b: [T; ACC], f: impl Fn(T, T) -> T) -> [T; ACC] {
    let mut o = a;
    for j in 0..ACC {
        o[j] = f(a[j], b[j]);
    }
    o
}
