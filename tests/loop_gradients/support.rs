//! Random inputs and central differences.

pub(crate) use crate::rng::Rng;

impl Rng {
    /// `n` values uniform in `[lo, hi)`.
    pub(crate) fn vec(&mut self, n: usize, lo: f64, hi: f64) -> Vec<f64> {
        (0..n).map(|_| self.uniform_f64(lo, hi)).collect()
    }

    /// An index uniform in `0..n`.
    pub(crate) fn index(&mut self, n: usize) -> usize {
        ((self.uniform_f64(0.0, 1.0) * n as f64) as usize).min(n - 1)
    }
}

/// The central difference of `f` along coordinate `k` of `p`, step `h`.
pub(crate) fn central(p: &[f64], k: usize, h: f64, f: impl Fn(&[f64]) -> f64) -> f64 {
    let mut plus = p.to_vec();
    plus[k] += h;
    let mut minus = p.to_vec();
    minus[k] -= h;
    (f(&plus) - f(&minus)) / (2.0 * h)
}

/// `|got − want| ≤ tol·max(1, |want|)`, with a message naming `what`.
#[track_caller]
pub(crate) fn close(what: &str, got: f64, want: f64, tol: f64) {
    assert!(
        (got - want).abs() <= tol * want.abs().max(1.0),
        "{what}: got {got:e}, want {want:e} (difference {:e}, tolerance {tol:e})",
        (got - want).abs()
    );
}

/// [`close`] for every element.
#[track_caller]
pub(crate) fn close_all(what: &str, got: &[f64], want: &[f64], tol: f64) {
    assert_eq!(got.len(), want.len(), "{what}: lengths");
    for (i, (g, w)) in got.iter().zip(want).enumerate() {
        close(&format!("{what}[{i}]"), *g, *w, tol);
    }
}
