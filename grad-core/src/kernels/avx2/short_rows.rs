//! Batches of short rows (`cols < LANES`, e.g. the 10 classes of a
//! classifier) in AVX2+FMA `f32`, one row per lane.
//!
//! A short row fills a fraction of a vector, so the one-row kernels spend
//! their time on padding, horizontal sums and per-row calls. Here eight
//! consecutive rows are turned into columns: eight loads (one at each row's
//! start, plus `8k` for the `k`-th block of columns) and an 8×8 transpose
//! give vectors whose lane `r` holds element `c` of row `r`. The maxima,
//! exponentials, sums and the final `ln` are then plain vertical
//! operations, each serving eight rows, and outputs are transposed back and
//! stored row by row. (AVX2 gathers would do the same loads one element at
//! a time: 15 cycles a gather on this machine's Zen 3, measured.)
//!
//! A group is two such halves, sixteen rows, processed side by side: a
//! half's chain (maxima, exponentials, sum, `ln`, division) is long and
//! its work fills the reorder window, so two independent chains in the
//! same loops keep the pipeline busy (log_softmax of 4096×10: 14.7 → 9.4–
//! 11.6 ns a row, measured, against one half at a time).
//!
//! The loads and stores of a row's last block of columns run past the row
//! into the next one; the rows are stored in order, so the next row's own
//! stores overwrite what spilled into it. Groups whose overreach would pass
//! the end of the slices (the last one or two) run on zero-padded copies.
//!
//! Numerics are those of `super::rows` (read its module docs): `e^{x−m}`
//! from the same pieces, always with the exact rounding error of `x − m`
//! added back (so a row's bits do not depend on its neighbours); `ln S` from the sum `T`
//! of the non-maximal terms and the count `c` of maximal ones, as
//! `ln(c + T)` with the rounding of `c + T` corrected (`TwoSum`), so a
//! confident row's tiny `ln S ≈ T` keeps its relative accuracy. Rows whose
//! maximum is `+∞` take the generic row code (as `super::rows` does).
//! `softmax_rows_backward` does the generic kernel's operations in its
//! order (every path gives the same bits).

#![allow(
    clippy::needless_range_loop,
    reason = "the loops over halves and blocks index several arrays in lockstep"
)]

use super::map::{W, store};
use super::rows::exp_two_sum;
use super::vmath::{self, splat};
use crate::kernels::row;
use core::arch::x86_64::*;

/// Halves of a group, eight rows (one per lane) each.
const H: usize = 2;

/// Rows per group.
const G: usize = H * W;

/// A vector for each half of a group: lane `r` of `[h]` is row `8h + r`.
type Pair = [__m256; H];

/// The longest row these kernels take is `MAX_COLS − 1` (`row::short`).
const MAX_COLS: usize = crate::kernels::LANES;

/// Room for a padded group: `G` rows of up to `MAX_COLS − 1` and the
/// overreach of the last row's last block (under `W` floats).
const BUF: usize = G * MAX_COLS + W;

/// A group's columns (`[c][h]`: element `c` of the rows of half `h`), the
/// unused ones left as they are.
type Columns = [Pair; MAX_COLS];

/// A zeroed [`Columns`].
#[inline]
#[target_feature(enable = "avx2,fma")]
fn no_columns() -> Columns {
    [[_mm256_setzero_ps(); H]; MAX_COLS]
}

/// `f(h)` for each half.
#[inline]
fn halves(f: impl FnMut(usize) -> __m256) -> Pair {
    core::array::from_fn(f)
}

/// An 8×8 transpose: lane `j` of vector `i` ↔ lane `i` of vector `j`.
#[inline]
#[target_feature(enable = "avx2,fma")]
fn transpose(r: [__m256; W]) -> [__m256; W] {
    let t0 = _mm256_unpacklo_ps(r[0], r[1]);
    let t1 = _mm256_unpackhi_ps(r[0], r[1]);
    let t2 = _mm256_unpacklo_ps(r[2], r[3]);
    let t3 = _mm256_unpackhi_ps(r[2], r[3]);
    let t4 = _mm256_unpacklo_ps(r[4], r[5]);
    let t5 = _mm256_unpackhi_ps(r[4], r[5]);
    let t6 = _mm256_unpacklo_ps(r[6], r[7]);
    let t7 = _mm256_unpackhi_ps(r[6], r[7]);
    let s0 = _mm256_shuffle_ps::<0x44>(t0, t2);
    let s1 = _mm256_shuffle_ps::<0xEE>(t0, t2);
    let s2 = _mm256_shuffle_ps::<0x44>(t1, t3);
    let s3 = _mm256_shuffle_ps::<0xEE>(t1, t3);
    let s4 = _mm256_shuffle_ps::<0x44>(t4, t6);
    let s5 = _mm256_shuffle_ps::<0xEE>(t4, t6);
    let s6 = _mm256_shuffle_ps::<0x44>(t5, t7);
    let s7 = _mm256_shuffle_ps::<0xEE>(t5, t7);
    [
        _mm256_permute2f128_ps::<0x20>(s0, s4),
        _mm256_permute2f128_ps::<0x20>(s1, s5),
        _mm256_permute2f128_ps::<0x20>(s2, s6),
        _mm256_permute2f128_ps::<0x20>(s3, s7),
        _mm256_permute2f128_ps::<0x31>(s0, s4),
        _mm256_permute2f128_ps::<0x31>(s1, s5),
        _mm256_permute2f128_ps::<0x31>(s2, s6),
        _mm256_permute2f128_ps::<0x31>(s3, s7),
    ]
}

/// Blocks of 8 columns in a row of `cols`.
fn blocks(cols: usize) -> usize {
    cols.div_ceil(W)
}

/// Writes the columns of the group of rows of `cols` at the start of `g`
/// to `v`.
///
/// # Panics
///
/// If `g` is shorter than `G·cols + W` floats.
#[inline]
#[target_feature(enable = "avx2,fma")]
fn columns(g: &[f32], cols: usize, v: &mut Columns) {
    assert!(g.len() >= G * cols + W, "a group of rows of {cols}");
    for h in 0..H {
        for b in 0..blocks(cols) {
            let rows = core::array::from_fn(|r| {
                // SAFETY: `r < 8`, `h < 2` and `b·8 < cols`, so the 8 floats
                // read start below `15·cols + cols` and end below
                // `16·cols + 8 ≤ g.len()` (asserted above): inside `g`.
                // `loadu` has no alignment requirement.
                unsafe { _mm256_loadu_ps(g.as_ptr().add((h * W + r) * cols + b * W)) }
            });
            for (j, c) in transpose(rows).into_iter().enumerate() {
                v[b * W + j][h] = c;
            }
        }
    }
}

/// Stores columns `v` as the group of rows of `cols` at the start of `o`.
/// Only the last block of a row runs past it (by less than `W` floats, into
/// the next row's first block): in each half that block is stored first,
/// rows in order, and the other blocks after it; the first half is stored
/// before the second.
///
/// # Panics
///
/// If `o` is shorter than `G·cols + W` floats.
#[inline]
#[target_feature(enable = "avx2,fma")]
fn store_rows(v: &Columns, cols: usize, o: &mut [f32]) {
    assert!(o.len() >= G * cols + W, "a group of rows of {cols}");
    let last = blocks(cols) - 1;
    for h in 0..H {
        for b in core::iter::once(last).chain(0..last) {
            let rows = transpose(core::array::from_fn(|j| v[b * W + j][h]));
            for (r, row) in rows.into_iter().enumerate() {
                // SAFETY: as in `columns`, the 8 floats written lie inside
                // `o` (asserted above), which we hold exclusively. `storeu`
                // has no alignment requirement.
                unsafe { _mm256_storeu_ps(o.as_mut_ptr().add((h * W + r) * cols + b * W), row) };
            }
        }
    }
}

/// Runs `f` on each group of sixteen rows of `cols` of the inputs `ins`
/// (equal lengths, a multiple of `cols`) and `out` (as long, or empty for
/// a kernel without an output), each slice starting at the group and
/// reaching at least `W` floats past it. The last groups run on
/// zero-padded copies, only their real rows copied back. `f` also gets the
/// number of real rows in its group.
#[inline]
#[target_feature(enable = "avx2,fma")]
fn for_groups<const K: usize>(
    ins: [&[f32]; K],
    out: &mut [f32],
    cols: usize,
    mut f: impl FnMut([&[f32]; K], &mut [f32], usize),
) {
    assert!(0 < cols && cols < MAX_COLS, "short rows of {cols}");
    let n = G * cols;
    let len = ins[0].len();
    let has_out = !out.is_empty();
    // Groups whose overreach stays inside the slices.
    let in_place = len.saturating_sub(W) / n;
    for k in 0..in_place {
        let o = if has_out {
            &mut out[k * n..]
        } else {
            &mut [][..]
        };
        f(ins.map(|x| &x[k * n..]), o, G);
    }
    let rows = len / cols;
    for first in (in_place * G..rows).step_by(G) {
        let take = (rows - first).min(G);
        let span = first * cols..(first + take) * cols;
        let mut bufs = [[0.0_f32; BUF]; K];
        for (b, x) in bufs.iter_mut().zip(ins) {
            b[..span.len()].copy_from_slice(&x[span.clone()]);
        }
        let mut ob = [0.0_f32; BUF];
        let o = if has_out { &mut ob[..] } else { &mut [][..] };
        f(bufs.each_ref().map(|b| &b[..]), o, take);
        if has_out {
            out[span.clone()].copy_from_slice(&ob[..span.len()]);
        }
    }
}

/// Rows whose `m` is `+∞`, as a bit mask (bit `8h + r` for lane `r` of
/// half `h`).
#[inline]
#[target_feature(enable = "avx2,fma")]
fn infinite(m: Pair) -> u32 {
    m.iter().enumerate().fold(0, |bits, (h, &mh)| {
        let lanes = _mm256_movemask_ps(_mm256_cmp_ps::<_CMP_EQ_OQ>(mh, splat(f32::INFINITY)));
        // `movemask` sets only the low 8 bits.
        bits | (lanes as u32) << (h * W)
    })
}

/// The rows' maxima (NaN elements skipped: they make their row's sum NaN
/// later).
#[inline]
#[target_feature(enable = "avx2,fma")]
fn maxima(v: &Columns, cols: usize) -> Pair {
    // `max(c, m)` returns `m` when `c` is NaN.
    v[..cols]
        .iter()
        .fold([splat(f32::NEG_INFINITY); H], |m, c| {
            halves(|h| _mm256_max_ps(c[h], m[h]))
        })
}

/// `e^{v − m}` with the rounding error of `v − m` added back (TwoSum),
/// flushed to +0 below `vmath::EXP_LO`. Always this form, so a row's
/// result does not depend on the rows grouped with it (the short form
/// measured no faster here).
#[inline]
#[target_feature(enable = "avx2,fma")]
fn exp_shift(v: __m256, m: __m256) -> __m256 {
    exp_two_sum(v, _mm256_sub_ps(v, m), _mm256_xor_ps(m, splat(-0.0)))
}

/// `(m, ln S)` of each row of a group's columns, `S = Σ e^{x − m}`.
///
/// `S = c + T` (`c` maximal elements, each term exactly 1; `T` the other
/// terms, left to right) is formed with its rounding error `err`
/// (TwoSum), and `ln S = ln(c ⊕ T) + err/(c ⊕ T)`: when `T` is far below
/// an ulp of `c` (a confident row) this is `≈ T/c`, not 0.
#[inline]
#[target_feature(enable = "avx2,fma")]
fn log_sum_exp(v: &Columns, cols: usize) -> (Pair, Pair) {
    let m = maxima(v, cols);
    let one = splat(1.0);
    let (mut t, mut c) = ([_mm256_setzero_ps(); H], [_mm256_setzero_ps(); H]);
    for x in &v[..cols] {
        for h in 0..H {
            let e = exp_shift(x[h], m[h]);
            let top = _mm256_cmp_ps::<_CMP_EQ_OQ>(x[h], m[h]);
            t[h] = _mm256_add_ps(t[h], _mm256_andnot_ps(top, e));
            c[h] = _mm256_add_ps(c[h], _mm256_and_ps(top, one));
        }
    }
    let lse = halves(|h| {
        let s = _mm256_add_ps(c[h], t[h]);
        let bp = _mm256_sub_ps(s, c[h]);
        let err = _mm256_add_ps(
            _mm256_sub_ps(c[h], _mm256_sub_ps(s, bp)),
            _mm256_sub_ps(t[h], bp),
        );
        _mm256_add_ps(vmath::ln(s), _mm256_div_ps(err, s))
    });
    (m, lse)
}

/// Replaces a group's columns by `e^{x − m}·(k/S)`, `S` the row's sum of
/// the terms: `k·softmax(x)` (`k/S` one division, then one product an
/// element). Returns the maxima `m`.
#[inline]
#[target_feature(enable = "avx2,fma")]
fn scaled_softmax(v: &mut Columns, cols: usize, k: f32) -> Pair {
    let m = maxima(v, cols);
    let mut s = [_mm256_setzero_ps(); H];
    for c in &mut v[..cols] {
        *c = halves(|h| exp_shift(c[h], m[h]));
        s = halves(|h| _mm256_add_ps(s[h], c[h]));
    }
    let scale = halves(|h| _mm256_div_ps(splat(k), s[h]));
    for c in &mut v[..cols] {
        *c = halves(|h| _mm256_mul_ps(c[h], scale[h]));
    }
    m
}

/// Runs `fix(r)` for each row `r < rows` whose bit is set in `lanes` (rows
/// with a `+∞` maximum, left to the generic row code).
#[inline]
fn each_lane(lanes: u32, rows: usize, mut fix: impl FnMut(usize)) {
    for r in 0..rows {
        if lanes & (1 << r) != 0 {
            fix(r);
        }
    }
}

/// The rows' values of `v`, row `8h + r` from lane `r` of half `h`.
#[inline]
#[target_feature(enable = "avx2,fma")]
fn lanes(v: Pair) -> [f32; G] {
    let mut a = [0.0; G];
    let (q, _) = a.as_chunks_mut::<W>();
    for (qh, vh) in q.iter_mut().zip(v) {
        store(qh, vh);
    }
    a
}

/// `Σ_rows ln S − (x_t − m)` over rows of `cols < LANES` (`x.len() =
/// cols · targets.len()`, every target below `cols`), summed row by row.
#[target_feature(enable = "avx2,fma")]
pub(crate) fn cross_entropy_sum(x: &[f32], cols: usize, targets: &[usize]) -> f32 {
    let mut total = 0.0_f32;
    let mut tg = targets.chunks(G);
    let mut v = no_columns();
    for_groups([x], &mut [], cols, |[g], _, rows| {
        let t = tg.next().unwrap_or(&[]);
        columns(g, cols, &mut v);
        let (m, lse) = log_sum_exp(&v, cols);
        let (m, lse) = (lanes(m), lanes(lse));
        for (r, &t) in t.iter().enumerate().take(rows) {
            let row_x = &g[r * cols..(r + 1) * cols];
            total += if m[r] == f32::INFINITY {
                row::cross_entropy(row_x, t)
            } else {
                lse[r] - (row_x[t] - m[r])
            };
        }
    });
    total
}

/// `log_softmax` of every row of `cols < LANES`: `(x − m) − ln S` (lengths
/// equal, a multiple of `cols`).
#[target_feature(enable = "avx2,fma")]
pub(crate) fn log_softmax_rows(x: &[f32], cols: usize, out: &mut [f32]) {
    let mut v = no_columns();
    for_groups([x], out, cols, |[g], o, rows| {
        columns(g, cols, &mut v);
        let (m, lse) = log_sum_exp(&v, cols);
        for c in &mut v[..cols] {
            *c = halves(|h| _mm256_sub_ps(_mm256_sub_ps(c[h], m[h]), lse[h]));
        }
        store_rows(&v, cols, o);
        each_lane(infinite(m), rows, |r| {
            let span = r * cols..(r + 1) * cols;
            row::log_softmax(&g[span.clone()], &mut o[span]);
        });
    });
}

/// `softmax` of every row of `cols < LANES`: `e^{x−m}·(1/S)` (lengths
/// equal, a multiple of `cols`).
#[target_feature(enable = "avx2,fma")]
pub(crate) fn softmax_rows(x: &[f32], cols: usize, out: &mut [f32]) {
    let mut v = no_columns();
    for_groups([x], out, cols, |[g], o, rows| {
        columns(g, cols, &mut v);
        let m = scaled_softmax(&mut v, cols, 1.0);
        store_rows(&v, cols, o);
        each_lane(infinite(m), rows, |r| {
            let span = r * cols..(r + 1) * cols;
            row::softmax(&g[span.clone()], &mut o[span]);
        });
    });
}

/// `dx = y·(dy − Σ y·dy)` for every row of `cols < LANES`, with the
/// generic short-row kernel's operations in its order (`Σ` left to right,
/// unfused), so its bits (lengths equal, a multiple of `cols`).
#[target_feature(enable = "avx2,fma")]
pub(crate) fn softmax_rows_backward(y: &[f32], dy: &[f32], cols: usize, dx: &mut [f32]) {
    let (mut yv, mut gv) = (no_columns(), no_columns());
    for_groups([y, dy], dx, cols, |[yg, gg], o, _| {
        columns(yg, cols, &mut yv);
        columns(gg, cols, &mut gv);
        let mut s = [_mm256_setzero_ps(); H];
        for (p, q) in yv[..cols].iter().zip(&gv[..cols]) {
            s = halves(|h| _mm256_add_ps(s[h], _mm256_mul_ps(p[h], q[h])));
        }
        for (q, p) in gv[..cols].iter_mut().zip(&yv[..cols]) {
            *q = halves(|h| _mm256_mul_ps(p[h], _mm256_sub_ps(q[h], s[h])));
        }
        store_rows(&gv, cols, o);
    });
}

/// `dx = (softmax(x) − onehot(t))·g` for every row of `cols < LANES`
/// (`x`, `dx` of `cols · targets.len()`, every target below `cols`).
#[target_feature(enable = "avx2,fma")]
pub(crate) fn cross_entropy_backward(
    x: &[f32],
    cols: usize,
    targets: &[usize],
    g: f32,
    dx: &mut [f32],
) {
    let mut v = no_columns();
    let mut tg = targets.chunks(G);
    for_groups([x], dx, cols, |[xg], o, rows| {
        let t = tg.next().unwrap_or(&[]);
        columns(xg, cols, &mut v);
        let m = scaled_softmax(&mut v, cols, g);
        store_rows(&v, cols, o);
        let inf = infinite(m);
        for (r, &t) in t.iter().enumerate().take(rows) {
            let span = r * cols..(r + 1) * cols;
            if inf & (1 << r) != 0 {
                row::cross_entropy_backward(&xg[span.clone()], t, g, &mut o[span]);
            } else {
                o[span][t] -= g;
            }
        }
    });
}

/// `dx = dy − e^y·Σ dy` for every row of `cols < LANES` (`vmath::exp`, one
/// fused multiply–add, as `super::rows::log_softmax_backward`; `Σ dy` left
/// to right); lengths equal, a multiple of `cols`.
#[target_feature(enable = "avx2,fma")]
pub(crate) fn log_softmax_rows_backward(y: &[f32], dy: &[f32], cols: usize, dx: &mut [f32]) {
    let (mut yv, mut gv) = (no_columns(), no_columns());
    for_groups([y, dy], dx, cols, |[yg, gg], o, _| {
        columns(yg, cols, &mut yv);
        columns(gg, cols, &mut gv);
        let s = gv[..cols].iter().fold([_mm256_setzero_ps(); H], |s, q| {
            halves(|h| _mm256_add_ps(s[h], q[h]))
        });
        for (q, p) in gv[..cols].iter_mut().zip(&yv[..cols]) {
            *q = halves(|h| _mm256_fnmadd_ps(vmath::exp(p[h]), s[h], q[h]));
        }
        store_rows(&gv, cols, o);
    });
}
