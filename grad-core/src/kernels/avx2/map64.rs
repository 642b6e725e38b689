//! The slice loop of the AVX2 `f64` kernels (4 lanes a vector).

use core::arch::x86_64::{__m256d, _mm256_loadu_pd, _mm256_storeu_pd};

/// Doubles in one `__m256d`.
const W: usize = 4;

/// Loads 4 doubles.
#[inline]
#[target_feature(enable = "avx2,fma")]
fn load(c: &[f64; W]) -> __m256d {
    // SAFETY: `c` is 4 contiguous, initialised f64s; `loadu` has no
    // alignment requirement.
    unsafe { _mm256_loadu_pd(c.as_ptr()) }
}

/// Stores 4 doubles.
#[inline]
#[target_feature(enable = "avx2,fma")]
pub(crate) fn store(c: &mut [f64; W], v: __m256d) {
    // SAFETY: `c` is 4 contiguous f64s we hold exclusively; `storeu` has
    // no alignment requirement.
    unsafe { _mm256_storeu_pd(c.as_mut_ptr(), v) }
}

/// `t` (fewer than 4 doubles) in one vector, the lanes past its end
/// `fill`.
#[inline]
#[target_feature(enable = "avx2,fma")]
fn load_part(t: &[f64], fill: f64) -> __m256d {
    let mut c = [fill; W];
    c[..t.len()].copy_from_slice(t);
    load(&c)
}

/// The first `o.len()` (fewer than 4) lanes of `v`, written to `o`.
#[inline]
#[target_feature(enable = "avx2,fma")]
fn store_part(o: &mut [f64], v: __m256d) {
    let mut c = [0.0; W];
    store(&mut c, v);
    o.copy_from_slice(&c[..o.len()]);
}

super::map::one_input_maps!(f64, __m256d);

/// `out[i] = f(a[i], b[i])`, 4 lanes at a time, the remainder zero-padded
/// as in [`map1`]. Lengths must already be equal.
#[inline]
#[target_feature(enable = "avx2,fma")]
pub(crate) fn map2(a: &[f64], b: &[f64], out: &mut [f64], f: impl Fn(__m256d, __m256d) -> __m256d) {
    let (ac, at) = a.as_chunks::<W>();
    let (bc, bt) = b.as_chunks::<W>();
    let (oc, ot) = out.as_chunks_mut::<W>();
    for ((ai, bi), oi) in ac.iter().zip(bc).zip(oc.iter_mut()) {
        store(oi, f(load(ai), load(bi)));
    }
    if !at.is_empty() {
        store_part(ot, f(load_part(at, 0.0), load_part(bt, 0.0)));
    }
}

/// `out[i] = e^{x[i] − m}` (`vmath64::exp_diff`), for the row kernels.
/// Lengths must already be equal.
#[target_feature(enable = "avx2,fma")]
pub(crate) fn exp_shift(x: &[f64], m: f64, out: &mut [f64]) {
    let mv = core::arch::x86_64::_mm256_set1_pd(m);
    map1(x, out, |v| super::vmath64::exp_diff(v, mv));
}

/// `(Σ_{x_i ≠ m} e^{x_i − m}, #{i : x_i = m})` of a row with maximum `m`,
/// in one pass with nothing written (`vmath64::exp_diff`): the two parts
/// of its `S` for `row::ln_sum`. A lane where `x_i = m` adds nothing to
/// the sum (its term, 1, or NaN for `∞ − ∞`, is skipped) and 1 to the
/// count. Two vectors of accumulators a step: the exponential's chain is
/// long. Where the generic code stores the terms and reads them back
/// twice (sum and count), with this pass `f64` `cross_entropy` of 256×1000
/// takes 560–598 µs against 674–728 (four interleaved pairs, measured).
#[target_feature(enable = "avx2,fma")]
pub(crate) fn exp_rest_count(x: &[f64], m: f64) -> (f64, f64) {
    use super::vmath64::exp_diff;
    use core::arch::x86_64::{
        _CMP_EQ_OQ, _mm256_add_pd, _mm256_and_pd, _mm256_andnot_pd, _mm256_castsi256_pd,
        _mm256_cmp_pd, _mm256_cmpgt_epi64, _mm256_set1_epi64x, _mm256_set1_pd, _mm256_setr_epi64x,
        _mm256_setzero_pd,
    };
    let (mv, one) = (_mm256_set1_pd(m), _mm256_set1_pd(1.0));
    let mut t = [_mm256_setzero_pd(); 2];
    let mut c = t;
    // Adds the lanes of `v` that `valid` keeps.
    let mut step = |j: usize, v: __m256d, valid: __m256d| {
        let top = _mm256_and_pd(valid, _mm256_cmp_pd::<_CMP_EQ_OQ>(v, mv));
        let rest = _mm256_andnot_pd(top, _mm256_and_pd(valid, exp_diff(v, mv)));
        t[j] = _mm256_add_pd(t[j], rest);
        c[j] = _mm256_add_pd(c[j], _mm256_and_pd(top, one));
    };
    let all = _mm256_castsi256_pd(_mm256_set1_epi64x(-1));
    let (xc, xt) = x.as_chunks::<{ 2 * W }>();
    for xi in xc {
        let (q, _) = xi.as_chunks::<W>();
        step(0, load(&q[0]), all);
        step(1, load(&q[1]), all);
    }
    for (j, part) in xt.chunks(W).enumerate() {
        // `part.len() ≤ 4`: fits an i64. Lanes past it are masked out.
        let valid = _mm256_cmpgt_epi64(
            _mm256_set1_epi64x(part.len() as i64),
            _mm256_setr_epi64x(0, 1, 2, 3),
        );
        step(j, load_part(part, 0.0), _mm256_castsi256_pd(valid));
    }
    let lanes = |a: [__m256d; 2]| {
        let mut l = [0.0; W];
        store(&mut l, _mm256_add_pd(a[0], a[1]));
        (l[0] + l[1]) + (l[2] + l[3])
    };
    (lanes(t), lanes(c))
}

/// `dx[i] = dy[i] − e^{y[i]}·s` (`vmath64::exp`, then a multiply and a
/// subtraction, each rounded, as the generic code does): the backward of
/// a `log_softmax` row, `s = Σ dy`. Lengths must already be equal.
#[target_feature(enable = "avx2,fma")]
pub(crate) fn minus_exp_scaled(y: &[f64], dy: &[f64], s: f64, dx: &mut [f64]) {
    use core::arch::x86_64::{_mm256_mul_pd, _mm256_set1_pd, _mm256_sub_pd};
    let sv = _mm256_set1_pd(s);
    map2(y, dy, dx, |y, g| {
        _mm256_sub_pd(g, _mm256_mul_pd(super::vmath64::exp(y), sv))
    });
}

/// `acc[i] = f(acc[i], x[i])`, 4 lanes at a time, the remainder
/// zero-padded. Lengths must already be equal.
#[inline]
#[target_feature(enable = "avx2,fma")]
fn update(acc: &mut [f64], x: &[f64], f: impl Fn(__m256d, __m256d) -> __m256d) {
    let (ac, at) = acc.as_chunks_mut::<W>();
    let (xc, xt) = x.as_chunks::<W>();
    for (ai, xi) in ac.iter_mut().zip(xc) {
        let v = f(load(ai), load(xi));
        store(ai, v);
    }
    if !at.is_empty() {
        let v = f(load_part(at, 0.0), load_part(xt, 0.0));
        store_part(at, v);
    }
}

/// The batches of short rows (`row::*_short`): `acc[i]` holds the maximum
/// `m` of `x[i]`'s row and becomes `e^{x[i] − m}`, or 0 where `x[i] = m`
/// if `skip_max`. Lengths must already be equal.
#[target_feature(enable = "avx2,fma")]
pub(crate) fn exp_shift_by_row(acc: &mut [f64], x: &[f64], skip_max: bool) {
    use super::vmath64::exp_diff;
    use core::arch::x86_64::{_CMP_EQ_OQ, _mm256_andnot_pd, _mm256_cmp_pd};
    if skip_max {
        update(acc, x, |m, v| {
            _mm256_andnot_pd(_mm256_cmp_pd::<_CMP_EQ_OQ>(v, m), exp_diff(v, m))
        });
    } else {
        update(acc, x, |m, v| exp_diff(v, m));
    }
}

/// The batches of short rows: `acc[i]` holds its row's `Σ dy` and becomes
/// `e^{y[i]}·Σ dy` (the `log_softmax` backward). Lengths must already be
/// equal.
#[target_feature(enable = "avx2,fma")]
pub(crate) fn exp_times_by_row(acc: &mut [f64], y: &[f64]) {
    use core::arch::x86_64::_mm256_mul_pd;
    update(acc, y, |s, y| _mm256_mul_pd(super::vmath64::exp(y), s));
}

/// `lse[r] = ln c[r] + log1p(t[r]/c[r])`: `ln S` of short rows from the
/// sum `t` of their non-maximal terms and the count `c` of maximal ones
/// (`row::ln_sum`). Lengths must already be equal.
#[target_feature(enable = "avx2,fma")]
pub(crate) fn ln_sums(t: &[f64], c: &[f64], lse: &mut [f64]) {
    use super::vmath64::{ln, log1p};
    use core::arch::x86_64::{_mm256_add_pd, _mm256_div_pd};
    map2(t, c, lse, |t, c| {
        _mm256_add_pd(ln(c), log1p(_mm256_div_pd(t, c)))
    });
}
