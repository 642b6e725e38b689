//! Argument checks shared by the kernels: panics name the op, the arguments
//! and their lengths.

/// Panics unless `la == lb`: "`op`: `a` has length `la` but `b` has length `lb`".
#[inline]
#[track_caller]
pub(crate) fn same_len(op: &str, a: &str, la: usize, b: &str, lb: usize) {
    if la != lb {
        mismatch(op, a, la, b, lb);
    }
}

#[cold]
#[inline(never)]
#[track_caller]
fn mismatch(op: &str, a: &str, la: usize, b: &str, lb: usize) -> ! {
    panic!("{op}: {a} has length {la} but {b} has length {lb}")
}
