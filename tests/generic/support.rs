//! Helpers of `tests/generic.rs`: tolerances (see the table there),
//! closeness and bit-for-bit checks, central differences.

use grad::Real;

/// Relative tolerance of f64 results against a closed form.
pub(crate) const CLOSED64: f64 = 1e-12;
/// Relative tolerance of f32 results against a closed form (in f64).
pub(crate) const CLOSED32: f64 = 1e-5;
/// Relative tolerance of f64 gradients against central differences.
pub(crate) const FD64: f64 = 1e-6;
/// Relative tolerance of f32 gradients against central differences (in f64).
pub(crate) const FD32: f64 = 2e-3;

/// Asserts `got` is within `tol·(1 + |want|)` of `want`, elementwise.
#[track_caller]
pub(crate) fn close(got: &[f64], want: &[f64], tol: f64, what: &str) {
    assert_eq!(got.len(), want.len(), "{what}: lengths");
    for (i, (g, w)) in got.iter().zip(want).enumerate() {
        assert!(
            (g - w).abs() <= tol * (1.0 + w.abs()),
            "{what}[{i}]: got {g}, want {w} (tolerance {tol})"
        );
    }
}

/// Asserts two float sequences are equal bit for bit.
#[track_caller]
pub(crate) fn same_bits<T: Real>(got: &[T], want: &[T], what: &str) {
    assert_eq!(got.len(), want.len(), "{what}: lengths");
    for (i, (g, w)) in got.iter().zip(want).enumerate() {
        assert!(
            g.to_f64().to_bits() == w.to_f64().to_bits(),
            "{what}[{i}]: {g:?} and {w:?} differ in their bits"
        );
    }
}

/// Central differences of `f` at `x` (in f64).
pub(crate) fn central(f: impl Fn(&[f64]) -> f64, x: &[f64]) -> Vec<f64> {
    (0..x.len())
        .map(|i| {
            let h = 1e-6 * (1.0 + x[i].abs());
            let (mut p, mut m) = (x.to_vec(), x.to_vec());
            p[i] += h;
            m[i] -= h;
            (f(&p) - f(&m)) / (2.0 * h)
        })
        .collect()
}

pub(crate) fn to32(v: &[f64]) -> Vec<f32> {
    v.iter().map(|&x| x as f32).collect()
}

pub(crate) fn to64<T: Real>(v: &[T]) -> Vec<f64> {
    v.iter().map(|x| x.to_f64()).collect()
}
