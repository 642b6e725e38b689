//! The one function every matrix product runs through: [`gemm`], over the
//! `gemm` crate (docs/gemm-choice.md says why this crate and not
//! `matrixmultiply`). Swapping the crate means rewriting this file only.
//!
//! Operands are read through strides, so a transposed operand is the same
//! buffer with its row and column strides swapped: nothing is copied.

use crate::Real;

/// A read-only `rows × cols` view of a buffer: element `(i, j)` is
/// `data[i * row_stride + j * col_stride]`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct View<'a, T> {
    pub(crate) data: &'a [T],
    pub(crate) row_stride: usize,
    pub(crate) col_stride: usize,
}

impl<'a, T> View<'a, T> {
    /// A row-major matrix with `cols` columns.
    pub(crate) fn rows(data: &'a [T], cols: usize) -> Self {
        View {
            data,
            row_stride: cols,
            col_stride: 1,
        }
    }

    /// The transpose of a row-major matrix with `cols` columns: the same
    /// buffer, strides swapped.
    pub(crate) fn transposed(data: &'a [T], cols: usize) -> Self {
        View {
            data,
            row_stride: 1,
            col_stride: cols,
        }
    }

    /// Panics unless every element of a `rows × cols` view lies inside the
    /// buffer and both strides fit in an `isize`: what makes the raw reads in
    /// [`gemm`] sound.
    fn check(&self, rows: usize, cols: usize) {
        if rows == 0 || cols == 0 {
            return;
        }
        let last = (rows - 1)
            .checked_mul(self.row_stride)
            .and_then(|r| r.checked_add((cols - 1).checked_mul(self.col_stride)?));
        assert!(
            last.is_some_and(|l| l < self.data.len()),
            "gemm: a {rows}×{cols} view with strides ({}, {}) does not fit a buffer of {}",
            self.row_stride,
            self.col_stride,
            self.data.len()
        );
        assert!(isize::try_from(self.row_stride.max(self.col_stride)).is_ok());
    }
}

/// `c = a·b`, or `c += a·b` when `accumulate`: `a` is `m × k`, `b` is
/// `k × n` (each through its strides), `c` is `m × n` row-major.
///
/// Runs the `gemm` crate (its packing and SIMD micro-kernels are chosen at
/// run time for the CPU) on one thread, or on every core for a large
/// product with the `parallel` feature ([`parallelism`]). With `k = 0` the
/// product is zero.
pub(crate) fn gemm<T: Real>(
    (m, k, n): (usize, usize, usize),
    a: View<'_, T>,
    b: View<'_, T>,
    c: &mut [T],
    accumulate: bool,
) {
    a.check(m, k);
    b.check(k, n);
    assert_eq!(c.len(), m * n, "gemm: c must hold m × n = {m} × {n}");
    if m == 0 || n == 0 {
        return;
    }
    if k == 0 {
        if !accumulate {
            c.fill(T::ZERO);
        }
        return;
    }
    // `check` bounded both strides by isize::MAX, and `n ≤ c.len()`.
    let (rsa, csa) = (a.row_stride as isize, a.col_stride as isize);
    let (rsb, csb) = (b.row_stride as isize, b.col_stride as isize);
    // SAFETY: `T` is f32 or f64 (`Real` is sealed), both of which the crate
    // supports (it panics, soundly, on any other type). `check` proved every
    // `(i, p)`, `i < m`, `p < k`, reads `a.data[i·rsa + p·csa]` in bounds, and
    // likewise `b` for `k × n`; `c` is its own `&mut` buffer of exactly `m·n`
    // elements, read and written at `i·n + j` (row stride `n ≥ 1`, column
    // stride 1: no two elements alias), and not read unless `accumulate`.
    // The crate computes `dst = α·dst + β·lhs·rhs`: α = 1 when accumulating
    // (with `read_dst`), β = 1. It takes column strides before row strides.
    unsafe {
        gemm::gemm(
            m,
            n,
            k,
            c.as_mut_ptr(),
            1,
            n as isize,
            accumulate,
            a.data.as_ptr(),
            csa,
            rsa,
            b.data.as_ptr(),
            csb,
            rsb,
            T::ONE,
            T::ONE,
            false,
            false,
            false,
            parallelism(m, k, n),
        );
    }
}

/// Products of at least this many multiply-adds run on every core with the
/// `parallel` feature; smaller ones stay on one thread, where splitting costs
/// more than it saves (the MLP's 64×128·128×10 is 2¹⁶·1.25).
#[cfg(feature = "parallel")]
const PARALLEL_MIN_MULTIPLY_ADDS: usize = 1 << 20;

/// The threads the `gemm` crate may use for an `m × k · k × n` product.
#[cfg(feature = "parallel")]
fn parallelism(m: usize, k: usize, n: usize) -> gemm::Parallelism {
    if m.saturating_mul(k).saturating_mul(n) >= PARALLEL_MIN_MULTIPLY_ADDS {
        gemm::Parallelism::Rayon(0)
    } else {
        gemm::Parallelism::None
    }
}

/// One thread: built without the `parallel` feature.
#[cfg(not(feature = "parallel"))]
fn parallelism(_m: usize, _k: usize, _n: usize) -> gemm::Parallelism {
    gemm::Parallelism::None
}

#[cfg(test)]
mod tests {
    use super::{View, gemm};

    /// `c[i][j] = Σ_p a(i, p)·b(p, j)` in f64, through the same strides.
    fn naive(m: usize, k: usize, n: usize, a: View<'_, f64>, b: View<'_, f64>) -> Vec<f64> {
        let at = |v: View<'_, f64>, i: usize, j: usize| v.data[i * v.row_stride + j * v.col_stride];
        (0..m * n)
            .map(|ij| (0..k).map(|p| at(a, ij / n, p) * at(b, p, ij % n)).sum())
            .collect()
    }

    #[test]
    fn strided_and_transposed_operands_match_the_naive_product() {
        // The last one is large enough to run on every core with the `parallel` feature.
        for (m, k, n) in [
            (1, 1, 1),
            (3, 5, 2),
            (17, 9, 33),
            (64, 70, 10),
            (128, 128, 128),
        ] {
            let a: Vec<f64> = (0..m * k).map(|i| (i % 7) as f64 - 3.0).collect();
            let b: Vec<f64> = (0..k * n).map(|i| (i % 5) as f64 * 0.5).collect();
            for (va, vb) in [
                (View::rows(&a, k), View::rows(&b, n)),
                (View::transposed(&a, m), View::rows(&b, n)),
                (View::rows(&a, k), View::transposed(&b, k)),
                (View::transposed(&a, m), View::transposed(&b, k)),
            ] {
                let mut c = vec![f64::NAN; m * n];
                gemm((m, k, n), va, vb, &mut c, false);
                // Small integers and halves: every sum is exact.
                assert_eq!(c, naive(m, k, n, va, vb), "{m}×{k}×{n}");
                gemm((m, k, n), va, vb, &mut c, true);
                let twice: Vec<f64> = naive(m, k, n, va, vb).iter().map(|v| 2.0 * v).collect();
                assert_eq!(c, twice);
            }
            let (a32, b32): (Vec<f32>, Vec<f32>) = (
                a.iter().map(|&v| v as f32).collect(),
                b.iter().map(|&v| v as f32).collect(),
            );
            let mut c32 = vec![0.0_f32; m * n];
            gemm(
                (m, k, n),
                View::rows(&a32, k),
                View::rows(&b32, n),
                &mut c32,
                false,
            );
            let want = naive(m, k, n, View::rows(&a, k), View::rows(&b, n));
            assert!(c32.iter().zip(&want).all(|(&x, &y)| f64::from(x) == y));
        }
    }

    #[test]
    fn empty_inner_dimension_gives_zeros() {
        let mut c = vec![1.0_f32; 6];
        gemm(
            (2, 0, 3),
            View::rows(&[], 0),
            View::rows(&[], 3),
            &mut c,
            false,
        );
        assert_eq!(c, vec![0.0; 6]);
    }

    #[test]
    #[should_panic(expected = "does not fit a buffer of 5")]
    fn a_view_past_its_buffer_panics_before_any_read() {
        let mut c = vec![0.0_f64; 4];
        gemm(
            (2, 3, 2),
            View::rows(&[0.0; 5], 3),
            View::rows(&[0.0; 6], 2),
            &mut c,
            false,
        );
    }
}
