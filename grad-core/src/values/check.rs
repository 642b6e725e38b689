//! Argument checks and the f64 accumulator shared by the vector ops.

/// Panics unless two arguments of `op` have the same length, naming the op,
/// both arguments and both lengths.
#[track_caller]
#[inline]
pub(crate) fn same_len(op: &str, a: &str, a_len: usize, b: &str, b_len: usize) {
    assert!(
        a_len == b_len,
        "{op}: length mismatch: {a}.len() = {a_len} but {b}.len() = {b_len}"
    );
}

/// `Σ term(i)` for `i in 0..n`, accumulated in f64 with four accumulators.
///
/// The value-level ops without a SIMD kernel use this, with terms computed
/// in f64: for `f32` inputs the result is then within one f32 rounding of
/// the exact value for any practical length.
#[inline]
pub(crate) fn sum_f64(n: usize, term: impl Fn(usize) -> f64) -> f64 {
    let mut acc = [0.0_f64; 4];
    let full = n - n % 4;
    for i in (0..full).step_by(4) {
        for (k, a) in acc.iter_mut().enumerate() {
            *a += term(i + k);
        }
    }
    for i in full..n {
        acc[0] += term(i);
    }
    (acc[0] + acc[1]) + (acc[2] + acc[3])
}
