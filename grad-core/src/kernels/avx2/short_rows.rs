//! Batches of short rows (`cols < LANES`, e.g. the 10 classes of a
//! classifier) in AVX2+FMA, one row per lane: [`single`] for `f32`
//! (8 lanes), [`double`] for `f64` (4 lanes), one body of code
//! ([`short_row_kernels`] over the operations of `super::lanes`).
//!
//! A short row fills a fraction of a vector, so the one-row kernels spend
//! their time on padding, horizontal sums and per-row calls. Here `W`
//! consecutive rows (`W` the lanes of a vector) are turned into columns:
//! `W` loads (one at each row's start, plus `W·k` for the `k`-th block of
//! columns) and a `W×W` transpose give vectors whose lane `r` holds element
//! `c` of row `r`. The maxima, exponentials, sums and the final `ln` are
//! then plain vertical operations, each serving `W` rows, and outputs are
//! transposed back and stored row by row. (AVX2 gathers would do the same
//! loads one element at a time: 15 cycles a gather on this machine's Zen 3,
//! measured.)
//!
//! A group is `H` such sets of rows (halves, for `f32`), processed side by
//! side: one set's chain (maxima, exponentials, sum, `ln`, division) is long
//! and its work fills the reorder window, so independent chains in the same
//! loops keep the pipeline busy (`f32` log_softmax of 4096×10: 9.4–11.6 ns
//! a row with two sets, 14.7 with one, measured).
//!
//! The loads and stores of a row's last block of columns run past the row
//! into the next one; the rows are stored in order, so the next row's own
//! stores overwrite what spilled into it. Groups whose overreach would pass
//! the end of the slices (the last one or two) run on zero-padded copies.
//!
//! Numerics: `e^{x−m}` always with the exact rounding error of `x − m`
//! added back (so a row's bits do not depend on its neighbours: `f32` from
//! the pieces of `super::rows`, `f64` by `vmath64::exp_diff`, the generic
//! rows' exponential); `ln S` from the sum `T` of the non-maximal terms and
//! the count `c` of maximal ones, as `ln(c + T)` with the rounding of
//! `c + T` corrected (`TwoSum`), so a confident row's tiny `ln S ≈ T` keeps
//! its relative accuracy. Rows whose maximum is `+∞` take the generic row
//! code (as `super::rows` does). `softmax_rows_backward` does the generic
//! kernel's operations in its order (every path gives the same bits).

/// The kernels for one element type, expanded in a module that has that
/// type's `T`, `V`, `W` and operations (`super::lanes`) in scope; `$h` is
/// the number of sets of `W` rows in a group.
macro_rules! short_row_kernels {
    ($h:expr) => {
        use crate::kernels::row;

        /// Sets of `W` rows (one per lane) in a group.
        const H: usize = $h;

        /// Rows per group.
        const G: usize = H * W;

        /// A vector for each set of a group: lane `r` of `[h]` is row
        /// `W·h + r`.
        type Pair = [V; H];

        /// The longest row these kernels take is `MAX_COLS − 1`
        /// (`row::short`).
        const MAX_COLS: usize = crate::kernels::LANES;

        /// Room for a padded group: `G` rows of up to `MAX_COLS − 1` and
        /// the overreach of the last row's last block (under `W` elements).
        const BUF: usize = G * MAX_COLS + W;

        /// A group's columns (`[c][h]`: element `c` of the rows of set
        /// `h`), the unused ones left as they are.
        type Columns = [Pair; MAX_COLS];

        /// A zeroed [`Columns`].
        #[inline]
        #[target_feature(enable = "avx2,fma")]
        fn no_columns() -> Columns {
            [[zero(); H]; MAX_COLS]
        }

        /// `f(h)` for each set.
        #[inline]
        fn halves(f: impl FnMut(usize) -> V) -> Pair {
            core::array::from_fn(f)
        }

        /// Blocks of `W` columns in a row of `cols`.
        fn blocks(cols: usize) -> usize {
            cols.div_ceil(W)
        }

        /// Writes the columns of the group of rows of `cols` at the start
        /// of `g` to `v`.
        ///
        /// # Panics
        ///
        /// If `g` is shorter than `G·cols + W` elements.
        #[inline]
        #[target_feature(enable = "avx2,fma")]
        fn columns(g: &[T], cols: usize, v: &mut Columns) {
            assert!(g.len() >= G * cols + W, "a group of rows of {cols}");
            for h in 0..H {
                for b in 0..blocks(cols) {
                    let rows = core::array::from_fn(|r| {
                        // SAFETY: `r < W`, `h < H` and `b·W < cols`, so the
                        // `W` elements read start below `(G − 1)·cols + cols`
                        // and end below `G·cols + W ≤ g.len()` (asserted
                        // above): inside `g`.
                        unsafe { load_ptr(g.as_ptr().add((h * W + r) * cols + b * W)) }
                    });
                    for (j, c) in transpose(rows).into_iter().enumerate() {
                        v[b * W + j][h] = c;
                    }
                }
            }
        }

        /// Stores columns `v` as the group of rows of `cols` at the start
        /// of `o`. Only the last block of a row runs past it (by less than
        /// `W` elements, into the next row's first block): in each set that
        /// block is stored first, rows in order, and the other blocks after
        /// it; the sets are stored in order.
        ///
        /// # Panics
        ///
        /// If `o` is shorter than `G·cols + W` elements.
        #[inline]
        #[target_feature(enable = "avx2,fma")]
        fn store_rows(v: &Columns, cols: usize, o: &mut [T]) {
            assert!(o.len() >= G * cols + W, "a group of rows of {cols}");
            let last = blocks(cols) - 1;
            for h in 0..H {
                for b in core::iter::once(last).chain(0..last) {
                    let rows = transpose(core::array::from_fn(|j| v[b * W + j][h]));
                    for (r, row) in rows.into_iter().enumerate() {
                        // SAFETY: as in `columns`, the `W` elements written
                        // lie inside `o` (asserted above), which we hold
                        // exclusively.
                        unsafe { store_ptr(o.as_mut_ptr().add((h * W + r) * cols + b * W), row) };
                    }
                }
            }
        }

        /// Runs `f` on each group of `G` rows of `cols` of the inputs `ins`
        /// (equal lengths, a multiple of `cols`) and `out` (as long, or
        /// empty for a kernel without an output), each slice starting at
        /// the group and reaching at least `W` elements past it. The last
        /// groups run on zero-padded copies, only their real rows copied
        /// back. `f` also gets the number of real rows in its group.
        #[inline]
        #[target_feature(enable = "avx2,fma")]
        fn for_groups<const K: usize>(
            ins: [&[T]; K],
            out: &mut [T],
            cols: usize,
            mut f: impl FnMut([&[T]; K], &mut [T], usize),
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
                let mut bufs: [[T; BUF]; K] = [[0.0; BUF]; K];
                for (b, x) in bufs.iter_mut().zip(ins) {
                    b[..span.len()].copy_from_slice(&x[span.clone()]);
                }
                let mut ob: [T; BUF] = [0.0; BUF];
                let o = if has_out { &mut ob[..] } else { &mut [][..] };
                f(bufs.each_ref().map(|b| &b[..]), o, take);
                if has_out {
                    out[span.clone()].copy_from_slice(&ob[..span.len()]);
                }
            }
        }

        /// Rows whose `m` is `+∞`, as a bit mask (bit `W·h + r` for lane
        /// `r` of set `h`).
        #[inline]
        #[target_feature(enable = "avx2,fma")]
        fn infinite(m: Pair) -> u32 {
            m.iter().enumerate().fold(0, |bits, (h, &mh)| {
                bits | sign_bits(eq(mh, splat(T::INFINITY))) << (h * W)
            })
        }

        /// The rows' maxima (NaN elements skipped: they make their row's
        /// sum NaN later).
        #[inline]
        #[target_feature(enable = "avx2,fma")]
        fn maxima(v: &Columns, cols: usize) -> Pair {
            // `max(c, m)` returns `m` when `c` is NaN.
            v[..cols].iter().fold([splat(T::NEG_INFINITY); H], |m, c| {
                halves(|h| max(c[h], m[h]))
            })
        }

        /// `(m, ln S)` of each row of a group's columns, `S = Σ e^{x − m}`.
        ///
        /// `S = c + T` (`c` maximal elements, each term exactly 1; `T` the
        /// other terms, left to right) is formed with its rounding error
        /// `err` (TwoSum), and `ln S = ln(c ⊕ T) + err/(c ⊕ T)`: when `T`
        /// is far below an ulp of `c` (a confident row) this is `≈ T/c`,
        /// not 0.
        #[inline]
        #[target_feature(enable = "avx2,fma")]
        fn log_sum_exp(v: &Columns, cols: usize) -> (Pair, Pair) {
            let m = maxima(v, cols);
            let one = splat(1.0);
            let (mut t, mut c) = ([zero(); H], [zero(); H]);
            for x in &v[..cols] {
                for h in 0..H {
                    let e = exp_shift(x[h], m[h]);
                    let top = eq(x[h], m[h]);
                    t[h] = add(t[h], andnot(top, e));
                    c[h] = add(c[h], and(top, one));
                }
            }
            let lse = halves(|h| {
                let s = add(c[h], t[h]);
                let bp = sub(s, c[h]);
                let err = add(sub(c[h], sub(s, bp)), sub(t[h], bp));
                add(ln(s), div(err, s))
            });
            (m, lse)
        }

        /// Replaces a group's columns by `e^{x − m}·(k/S)`, `S` the row's
        /// sum of the terms: `k·softmax(x)` (`k/S` one division, then one
        /// product an element). Returns the maxima `m`.
        #[inline]
        #[target_feature(enable = "avx2,fma")]
        fn scaled_softmax(v: &mut Columns, cols: usize, k: T) -> Pair {
            let m = maxima(v, cols);
            let mut s = [zero(); H];
            for c in &mut v[..cols] {
                *c = halves(|h| exp_shift(c[h], m[h]));
                s = halves(|h| add(s[h], c[h]));
            }
            let scale = halves(|h| div(splat(k), s[h]));
            for c in &mut v[..cols] {
                *c = halves(|h| mul(c[h], scale[h]));
            }
            m
        }

        /// Runs `fix(r)` for each row `r < rows` whose bit is set in
        /// `lanes` (rows with a `+∞` maximum, left to the generic row
        /// code).
        #[inline]
        fn each_lane(lanes: u32, rows: usize, mut fix: impl FnMut(usize)) {
            for r in 0..rows {
                if lanes & (1 << r) != 0 {
                    fix(r);
                }
            }
        }

        /// The rows' values of `v`, row `W·h + r` from lane `r` of set `h`.
        #[inline]
        #[target_feature(enable = "avx2,fma")]
        fn lanes(v: Pair) -> [T; G] {
            let mut a = [0.0; G];
            let (q, _) = a.as_chunks_mut::<W>();
            for (qh, vh) in q.iter_mut().zip(v) {
                store(qh, vh);
            }
            a
        }

        /// `Σ_rows ln S − (x_t − m)` over rows of `cols < LANES` (`x.len()
        /// = cols · targets.len()`, every target below `cols`), summed row
        /// by row.
        #[target_feature(enable = "avx2,fma")]
        pub(crate) fn cross_entropy_sum(x: &[T], cols: usize, targets: &[usize]) -> T {
            let mut total: T = 0.0;
            let mut tg = targets.chunks(G);
            let mut v = no_columns();
            for_groups([x], &mut [], cols, |[g], _, rows| {
                let t = tg.next().unwrap_or(&[]);
                columns(g, cols, &mut v);
                let (m, lse) = log_sum_exp(&v, cols);
                let (m, lse) = (lanes(m), lanes(lse));
                for (r, &t) in t.iter().enumerate().take(rows) {
                    let row_x = &g[r * cols..(r + 1) * cols];
                    total += if m[r] == T::INFINITY {
                        row::cross_entropy(row_x, t)
                    } else {
                        lse[r] - (row_x[t] - m[r])
                    };
                }
            });
            total
        }

        /// `log_softmax` of every row of `cols < LANES`: `(x − m) − ln S`
        /// (lengths equal, a multiple of `cols`).
        #[target_feature(enable = "avx2,fma")]
        pub(crate) fn log_softmax_rows(x: &[T], cols: usize, out: &mut [T]) {
            let mut v = no_columns();
            for_groups([x], out, cols, |[g], o, rows| {
                columns(g, cols, &mut v);
                let (m, lse) = log_sum_exp(&v, cols);
                for c in &mut v[..cols] {
                    *c = halves(|h| sub(sub(c[h], m[h]), lse[h]));
                }
                store_rows(&v, cols, o);
                each_lane(infinite(m), rows, |r| {
                    let span = r * cols..(r + 1) * cols;
                    row::log_softmax(&g[span.clone()], &mut o[span]);
                });
            });
        }

        /// `softmax` of every row of `cols < LANES`: `e^{x−m}·(1/S)`
        /// (lengths equal, a multiple of `cols`).
        #[target_feature(enable = "avx2,fma")]
        pub(crate) fn softmax_rows(x: &[T], cols: usize, out: &mut [T]) {
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
        /// generic short-row kernel's operations in its order (`Σ` left to
        /// right, unfused), so its bits (lengths equal, a multiple of
        /// `cols`).
        #[target_feature(enable = "avx2,fma")]
        pub(crate) fn softmax_rows_backward(y: &[T], dy: &[T], cols: usize, dx: &mut [T]) {
            let (mut yv, mut gv) = (no_columns(), no_columns());
            for_groups([y, dy], dx, cols, |[yg, gg], o, _| {
                columns(yg, cols, &mut yv);
                columns(gg, cols, &mut gv);
                let mut s = [zero(); H];
                for (p, q) in yv[..cols].iter().zip(&gv[..cols]) {
                    s = halves(|h| add(s[h], mul(p[h], q[h])));
                }
                for (q, p) in gv[..cols].iter_mut().zip(&yv[..cols]) {
                    *q = halves(|h| mul(p[h], sub(q[h], s[h])));
                }
                store_rows(&gv, cols, o);
            });
        }

        /// `dx = (softmax(x) − onehot(t))·g` for every row of `cols <
        /// LANES` (`x`, `dx` of `cols · targets.len()`, every target below
        /// `cols`).
        #[target_feature(enable = "avx2,fma")]
        pub(crate) fn cross_entropy_backward(
            x: &[T],
            cols: usize,
            targets: &[usize],
            g: T,
            dx: &mut [T],
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

        /// `dx = dy − e^y·Σ dy` for every row of `cols < LANES` (`exp`, one
        /// fused multiply–add, as `super::rows::log_softmax_backward`; `Σ
        /// dy` left to right); lengths equal, a multiple of `cols`.
        #[target_feature(enable = "avx2,fma")]
        pub(crate) fn log_softmax_rows_backward(y: &[T], dy: &[T], cols: usize, dx: &mut [T]) {
            let (mut yv, mut gv) = (no_columns(), no_columns());
            for_groups([y, dy], dx, cols, |[yg, gg], o, _| {
                columns(yg, cols, &mut yv);
                columns(gg, cols, &mut gv);
                let s = gv[..cols]
                    .iter()
                    .fold([zero(); H], |s, q| halves(|h| add(s[h], q[h])));
                for (q, p) in gv[..cols].iter_mut().zip(&yv[..cols]) {
                    *q = halves(|h| fnmadd(exp(p[h]), s[h], q[h]));
                }
                store_rows(&gv, cols, o);
            });
        }
    };
}

/// `f32`: 8 rows a vector, two sets (16 rows) a group.
pub(crate) mod single {
    #![allow(
        clippy::needless_range_loop,
        reason = "the loops over sets and blocks index several arrays in lockstep"
    )]
    use super::super::lanes::single::*;
    short_row_kernels!(2);
}

/// `f64`: 4 rows a vector, four sets (16 rows) a group (measured faster
/// than two on 4096×10, every kernel: `log_softmax_rows` 127–136 µs against
/// 131–143, `softmax_rows_backward` 40–41 against 48–49).
pub(crate) mod double {
    #![allow(
        clippy::needless_range_loop,
        reason = "the loops over sets and blocks index several arrays in lockstep"
    )]
    use super::super::lanes::double::*;
    short_row_kernels!(4);
}
