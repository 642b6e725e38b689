//! The slice loop of the AVX2 kernels.

use core::arch::x86_64::{
    __m256, __m256i, _mm_castps_si128, _mm_cvtss_f32, _mm_movehl_ps, _mm_storel_epi64,
    _mm_storeu_ps, _mm256_blendv_ps, _mm256_castps256_ps128, _mm256_castsi256_ps,
    _mm256_cmpgt_epi32, _mm256_extractf128_ps, _mm256_loadu_ps, _mm256_maskload_ps,
    _mm256_set1_epi32, _mm256_set1_ps, _mm256_setr_epi32, _mm256_storeu_ps,
};

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

/// All-ones in lanes `i < len` (`len ≤ 8`), zero in the others: an
/// integer compare, no memory.
#[inline]
#[target_feature(enable = "avx2,fma")]
pub(crate) fn lane_mask(len: usize) -> __m256i {
    debug_assert!(len <= W);
    // `len ≤ 8` fits an i32.
    _mm256_cmpgt_epi32(
        _mm256_set1_epi32(len as i32),
        _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7),
    )
}

/// `t` (at most 8 floats) in one vector, the lanes past its end `fill`.
/// A masked load: no copy through a stack buffer (a `memcpy` call), which
/// is most of the time of a short row.
#[inline]
#[target_feature(enable = "avx2,fma")]
pub(crate) fn load_part(t: &[f32], fill: f32) -> __m256 {
    assert!(t.len() <= W, "load_part: {} floats", t.len());
    let mask = lane_mask(t.len());
    // SAFETY: a masked load reads only the lanes whose mask is set, lanes
    // `i < t.len()`, which are inside `t`; the others are neither read nor
    // able to fault. (For an empty `t` the pointer is dangling or
    // one-past-the-end and nothing is read.)
    let v = unsafe { _mm256_maskload_ps(t.as_ptr(), mask) };
    _mm256_blendv_ps(_mm256_set1_ps(fill), v, _mm256_castsi256_ps(mask))
}

/// Writes the first `o.len()` (at most 8) lanes of `v` to `o`: 8 by one
/// store, fewer by at most three plain stores of 4, 2 and 1 lanes. Not a
/// masked store: on this AMD machine `vmaskmovps` to memory takes about 20
/// cycles a store (a masked *load* hid behind a 3-cycle add chain in the
/// same test), most of the time of a short row.
#[inline]
#[target_feature(enable = "avx2,fma")]
pub(crate) fn store_part(o: &mut [f32], v: __m256) {
    assert!(o.len() <= W, "store_part: {} floats", o.len());
    if let Ok(o) = <&mut [f32; W]>::try_from(&mut *o) {
        return store(o, v);
    }
    let (mut done, mut lanes) = (0, _mm256_castps256_ps128(v));
    if o.len() >= 4 {
        let four = &mut o[..4];
        // SAFETY: `four` is 4 contiguous f32s (16 bytes) we hold
        // exclusively; `storeu` has no alignment requirement.
        unsafe { _mm_storeu_ps(four.as_mut_ptr(), lanes) };
        (done, lanes) = (4, _mm256_extractf128_ps::<1>(v));
    }
    if o.len() - done >= 2 {
        let two = &mut o[done..done + 2];
        // SAFETY: `two` is 2 contiguous f32s (8 bytes) we hold exclusively;
        // `_mm_storel_epi64` writes exactly the low 8 bytes of its vector,
        // with no alignment requirement.
        unsafe { _mm_storel_epi64(two.as_mut_ptr().cast(), _mm_castps_si128(lanes)) };
        (done, lanes) = (done + 2, _mm_movehl_ps(lanes, lanes));
    }
    if let Some(one) = o.get_mut(done) {
        *one = _mm_cvtss_f32(lanes);
    }
}

/// Bytes per chunk of `map1_two_pass` (256 `f32`s, 128 `f64`s): its first
/// pass's results stay in L1 for the second.
pub(crate) const TWO_PASS_BYTES: usize = 1024;

/// The one-input slice loops of a vector type, for the module it expands
/// in (that module's `W`, `load`, `store`, `load_part` and `store_part`):
///
/// - `map1(x, out, f)`: `out[i] = f(x[i])`, `W` lanes at a time; the last
///   `len % W` elements go through `f` in a zero-padded vector, so they get
///   the same arithmetic.
/// - `map1_two_pass(x, out, first, second)`: `out[i] = second(x[i],
///   first(x[i]))`, in two passes over each chunk of [`TWO_PASS_BYTES`]:
///   `first` writes its results into `out`, then `second` reads them back
///   and overwrites them; the remainder as in `map1`. For a function whose
///   dependency chain is too long for the out-of-order window to overlap
///   enough vectors of it (`softplus`: an `exp`, a division and a
///   polynomial, 80-odd cycles of latency a vector), each pass alone keeps
///   the pipes busy. Measured on 1 000 `f32` `softplus` inputs (best of
///   300): 930 ns in one pass, 745 ns in two; a stack buffer instead of
///   `out` measured 860 ns.
///
/// Lengths must already be equal.
macro_rules! one_input_maps {
    ($elem:ty, $vector:ty) => {
        /// `out[i] = f(x[i])` (see `map::one_input_maps`).
        #[inline]
        #[target_feature(enable = "avx2,fma")]
        pub(crate) fn map1(x: &[$elem], out: &mut [$elem], f: impl Fn($vector) -> $vector) {
            let (xc, xt) = x.as_chunks::<W>();
            let (oc, ot) = out.as_chunks_mut::<W>();
            for (xi, oi) in xc.iter().zip(oc.iter_mut()) {
                store(oi, f(load(xi)));
            }
            if !xt.is_empty() {
                store_part(ot, f(load_part(xt, 0.0)));
            }
        }

        /// `out[i] = second(x[i], first(x[i]))` in two passes a chunk (see
        /// `map::one_input_maps`).
        #[inline]
        #[target_feature(enable = "avx2,fma")]
        pub(crate) fn map1_two_pass(
            x: &[$elem],
            out: &mut [$elem],
            first: impl Fn($vector) -> $vector,
            second: impl Fn($vector, $vector) -> $vector,
        ) {
            let (xc, xt) = x.as_chunks::<W>();
            let (oc, ot) = out.as_chunks_mut::<W>();
            let per_chunk =
                $crate::kernels::avx2::map::TWO_PASS_BYTES / core::mem::size_of::<$elem>() / W;
            for (xs, os) in xc.chunks(per_chunk).zip(oc.chunks_mut(per_chunk)) {
                for (xi, oi) in xs.iter().zip(os.iter_mut()) {
                    store(oi, first(load(xi)));
                }
                for (xi, oi) in xs.iter().zip(os.iter_mut()) {
                    let t = load(oi);
                    store(oi, second(load(xi), t));
                }
            }
            if !xt.is_empty() {
                let v = load_part(xt, 0.0);
                store_part(ot, second(v, first(v)));
            }
        }
    };
}
pub(crate) use one_input_maps;

one_input_maps!(f32, __m256);

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
    store_part(out, f(load_part(a, 0.0), load_part(b, 0.0)));
}
