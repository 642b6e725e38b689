//! `matvec`: dense matrix–vector product, forward and backward.

use super::check::same_len;
use super::driver::{map1, update};
use super::simd::V;
use crate::Real;
use crate::dispatch::multiversion;

#[track_caller]
fn check_w(op: &str, w: usize, rows: usize, cols: usize) {
    assert!(
        rows.checked_mul(cols) == Some(w),
        "{op}: w has length {w} but rows × cols = {rows} × {cols}"
    );
}

/// `out = w·x`: `w` is row-major with `out.len()` rows and `x.len()`
/// columns; `out_r = Σ_c w[r·cols + c]·x_c` computed as [`dot`](super::dot)
/// (several accumulators, same bits on every path).
///
/// Error per element: relative ≤ `(97 + cols/65 536)·ε·Σ|w·x|/|Σ w·x|`.
///
/// # Panics
///
/// If `w.len() != out.len() × x.len()`: "matvec: w has length 5 but rows ×
/// cols = 2 × 3".
///
/// ```
/// let w = [1.0_f32, 2.0, 3.0, 4.0, 5.0, 6.0];
/// let mut out = [0.0; 2];
/// grad_core::kernels::matvec(&w, &[1.0, 0.0, -1.0], &mut out);
/// assert_eq!(out, [-2.0, -2.0]);
/// ```
pub fn matvec<T: Real>(w: &[T], x: &[T], out: &mut [T]) {
    check_w("matvec", w.len(), out.len(), x.len());
    if x.is_empty() {
        out.fill(T::ZERO);
        return;
    }
    #[cfg(target_arch = "x86_64")]
    if super::fast::f32_avx2::<T>()
        && let (Some(w), Some(x), Some(out)) = (T::as_f32(w), T::as_f32(x), T::as_f32_mut(out))
    {
        // SAFETY: `f32_avx2` holds only when the active path is `Avx2` or
        // `Avx512`, i.e. when avx2 and fma were detected on this CPU.
        unsafe { super::avx2::dot::matvec(w, x, out) };
        return;
    }
    #[cfg(target_arch = "x86_64")]
    if super::fast::f64_avx2::<T>()
        && let (Some(w), Some(x), Some(out)) = (T::as_f64(w), T::as_f64(x), T::as_f64_mut(out))
    {
        // SAFETY: as above (`f64_avx2`: the active path is `Avx2` or
        // `Avx512`).
        unsafe { super::avx2::dot::matvec64(w, x, out) };
        return;
    }
    multiversion!(<T> fwd(w: &[T], x: &[T], out: &mut [T]))
}

#[inline(always)]
fn fwd<T: Real>(w: &[T], x: &[T], out: &mut [T]) {
    for (o, row) in out.iter_mut().zip(w.chunks_exact(x.len())) {
        *o = super::dot::imp(row, x);
    }
}

/// Backward of [`matvec`]: `dw[r·cols + c] = dy_r·x_c` and
/// `dx_c = Σ_r dy_r·w[r·cols + c]` (summed over rows in order); overwrites
/// `dw` and `dx`.
///
/// Error: `dw` exact products (one rounding); `dx` relative ≤ `rows·ε` of
/// `Σ|dy·w|`.
///
/// # Panics
///
/// If `w.len() != dy.len() × x.len()` ("matvec_backward: w has length 5 but
/// rows × cols = 2 × 3"), or `dw`/`dx` differ in length from `w`/`x`
/// ("matvec_backward: w has length 6 but dw has length 4").
///
/// ```
/// let w = [1.0_f64, 2.0, 3.0, 4.0];
/// let (mut dw, mut dx) = ([0.0; 4], [0.0; 2]);
/// grad_core::kernels::matvec_backward(&w, &[5.0, 6.0], &[1.0, 10.0], &mut dw, &mut dx);
/// assert_eq!(dw, [5.0, 6.0, 50.0, 60.0]);
/// assert_eq!(dx, [31.0, 42.0]);
/// ```
pub fn matvec_backward<T: Real>(w: &[T], x: &[T], dy: &[T], dw: &mut [T], dx: &mut [T]) {
    check_w("matvec_backward", w.len(), dy.len(), x.len());
    same_len("matvec_backward", "w", w.len(), "dw", dw.len());
    same_len("matvec_backward", "x", x.len(), "dx", dx.len());
    if x.is_empty() {
        return;
    }
    #[cfg(target_arch = "x86_64")]
    if super::fast::f32_avx2::<T>()
        && let (Some(w), Some(x), Some(dy), Some(dw), Some(dx)) = (
            T::as_f32(w),
            T::as_f32(x),
            T::as_f32(dy),
            T::as_f32_mut(dw),
            T::as_f32_mut(dx),
        )
    {
        // SAFETY: `f32_avx2` holds only when the active path is `Avx2` or
        // `Avx512`, i.e. when avx2 and fma were detected on this CPU.
        unsafe { super::avx2::matvec::backward(w, x, dy, dw, dx) };
        return;
    }
    #[cfg(target_arch = "x86_64")]
    if super::fast::f64_avx2::<T>()
        && let (Some(w), Some(x), Some(dy), Some(dw), Some(dx)) = (
            T::as_f64(w),
            T::as_f64(x),
            T::as_f64(dy),
            T::as_f64_mut(dw),
            T::as_f64_mut(dx),
        )
    {
        // SAFETY: as above (`f64_avx2`: the active path is `Avx2` or
        // `Avx512`).
        unsafe { super::avx2::matvec::backward64(w, x, dy, dw, dx) };
        return;
    }
    multiversion!(<T> bwd(w: &[T], x: &[T], dy: &[T], dw: &mut [T], dx: &mut [T]))
}

#[inline(always)]
fn bwd<T: Real>(w: &[T], x: &[T], dy: &[T], dw: &mut [T], dx: &mut [T]) {
    let cols = x.len();
    dx.fill(T::ZERO);
    for ((&g, wr), dwr) in dy
        .iter()
        .zip(w.chunks_exact(cols))
        .zip(dw.chunks_exact_mut(cols))
    {
        let gv = V::splat(g);
        map1(
            x,
            dwr,
            #[inline(always)]
            |v| gv * v,
        );
        update(
            dx,
            wr,
            #[inline(always)]
            |acc, v| acc + gv * v,
        );
    }
}
