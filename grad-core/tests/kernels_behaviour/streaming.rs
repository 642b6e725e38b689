//! Outputs of 16 MB and more, written with streaming stores: the same bits
//! as unstreamed pieces and as every other path, also when misaligned.

use grad_core::dispatch::{self, Path};
use grad_core::kernels as k;

use super::paths;

/// Asserts `got` and `want` hold the same bits, naming the first index
/// where they differ.
fn assert_same_bits(got: &[f32], want: &[f32], what: &str) {
    assert_eq!(got.len(), want.len(), "{what}: lengths differ");
    if let Some(i) = (0..got.len()).find(|&i| got[i].to_bits() != want[i].to_bits()) {
        panic!(
            "{what}: index {i} is {:e}, the reference {:e}",
            got[i], want[i]
        );
    }
}

/// `matvec_backward` with a `dw` beyond 16 MB takes the streaming-store
/// path of its AVX2 code (f32); it must give the bits of every other path,
/// also when `dw` does not start on a 32-byte boundary and rows are not a
/// multiple of 8 long (head, streamed middle and tail all run).
#[test]
fn matvec_backward_streaming_matches_every_path() {
    let (rows, cols) = (1025, 4097);
    let w: Vec<f32> = (0..rows * cols)
        .map(|i| ((i * 7919 % 2003) as f32 - 1001.0) / 997.0)
        .collect();
    let x: Vec<f32> = (0..cols).map(|j| (j % 13) as f32 * 0.25 - 1.5).collect();
    let dy: Vec<f32> = (0..rows).map(|i| (i % 7) as f32 * 0.5 - 1.25).collect();
    let run = |offset: usize| {
        let mut dw = vec![f32::NAN; rows * cols + offset];
        let mut dx = vec![f32::NAN; cols];
        k::matvec_backward(&w, &x, &dy, &mut dw[offset..], &mut dx);
        (dw.split_off(offset), dx)
    };
    let reference = dispatch::with_path(Path::Portable, || run(0));
    for p in paths() {
        for offset in [0, 1, 3] {
            let (dw, dx) = dispatch::with_path(p, || run(offset));
            let on = format!("on {} (offset {offset})", p.name());
            assert_same_bits(&dw, &reference.0, &format!("matvec_backward dw {on}"));
            assert_same_bits(&dx, &reference.1, &format!("matvec_backward dx {on}"));
        }
    }
    // Spot-check against the definition: dw = dy ⊗ x.
    assert_eq!(reference.0[5 * cols + 7], dy[5] * x[7]);
}

/// An output of 16 MB or more of a memory-bound elementwise kernel is
/// written with streaming stores (the generic driver on every path:
/// `relu`, `sigmoid_backward`; the hand-written AVX2 code: `exp`,
/// `ln_backward`); it must hold the bits
/// the same kernel writes piece by piece below that size, also when the
/// output does not start on a 16- or 32-byte boundary (head, streamed
/// middle and tail all run).
#[test]
fn streamed_elementwise_outputs_match_unstreamed_pieces() {
    /// `f(x, dy, out)` over `x` whole and in pieces of 1M elements.
    fn check<T: Copy + PartialEq + std::fmt::Debug>(
        name: &str,
        x: &[T],
        dy: &[T],
        bits: impl Fn(T) -> u64,
        f: impl Fn(&[T], &[T], &mut [T]),
        nan: T,
    ) {
        let n = x.len();
        for p in paths() {
            dispatch::with_path(p, || {
                let mut want = vec![nan; n];
                for ((xs, gs), ws) in x
                    .chunks(1 << 20)
                    .zip(dy.chunks(1 << 20))
                    .zip(want.chunks_mut(1 << 20))
                {
                    f(xs, gs, ws);
                }
                let mut out = vec![nan; n + 3];
                for offset in [0, 1, 3] {
                    out.fill(nan);
                    f(x, dy, &mut out[offset..offset + n]);
                    let got = &out[offset..offset + n];
                    let bad = (0..n).find(|&i| bits(got[i]) != bits(want[i]));
                    assert!(
                        bad.is_none(),
                        "{name} on {} (offset {offset}): index {bad:?} is {:?}, in pieces {:?}",
                        p.name(),
                        bad.map(|i| got[i]),
                        bad.map(|i| want[i]),
                    );
                }
            });
        }
    }
    let n32: usize = (16 << 20) / 4 + 13;
    let x: Vec<f32> = (0..n32)
        .map(|i| ((i * 7919 % 2003) as f32 - 1001.0) / 97.0)
        .collect();
    let dy: Vec<f32> = (0..n32).map(|i| (i % 13) as f32 * 0.25 - 1.5).collect();
    let b32 = |v: f32| u64::from(v.to_bits());
    check("relu f32", &x, &dy, b32, |x, _, o| k::relu(x, o), f32::NAN);
    check("exp f32", &x, &dy, b32, |x, _, o| k::exp(x, o), f32::NAN);
    check(
        "sigmoid f32",
        &x,
        &dy,
        b32,
        |x, _, o| k::sigmoid(x, o),
        f32::NAN,
    );
    let (sb, lb) = (k::sigmoid_backward::<f32>, k::ln_backward::<f32>);
    check("sigmoid_backward f32", &x, &dy, b32, sb, f32::NAN);
    check("ln_backward f32", &x, &dy, b32, lb, f32::NAN);
    let n64: usize = (16 << 20) / 8 + 5;
    let x: Vec<f64> = (0..n64)
        .map(|i| ((i * 7919 % 2003) as f64 - 1001.0) / 97.0)
        .collect();
    let dy: Vec<f64> = (0..n64).map(|i| (i % 13) as f64 * 0.25 - 1.5).collect();
    let b64 = |v: f64| v.to_bits();
    check("relu f64", &x, &dy, b64, |x, _, o| k::relu(x, o), f64::NAN);
    check(
        "sigmoid_backward f64",
        &x,
        &dy,
        b64,
        k::sigmoid_backward::<f64>,
        f64::NAN,
    );
    // Spot-check against the definitions.
    let mut o = vec![0.0_f64; n64];
    k::ln_backward(&x, &dy, &mut o);
    assert!((0..n64).step_by(99_991).all(|i| o[i] == dy[i] / x[i]));
}

/// `softmax_backward` on a row of at least 4 194 304 f32s writes `dx` with
/// streaming stores on every path; it must give the same bits on every
/// path, also when `dx` does not start on a 32-byte boundary and the length
/// is not a multiple of 8 (head, streamed middle and tail all run).
#[test]
fn softmax_backward_streaming_matches_every_path() {
    let n = (1 << 22) + 13;
    let y: Vec<f32> = (0..n)
        .map(|i| (i * 7919 % 2003) as f32 / (2003.0 * 1024.0 * 1024.0))
        .collect();
    let dy: Vec<f32> = (0..n).map(|i| (i % 13) as f32 * 0.25 - 1.5).collect();
    let mut reference = vec![f32::NAN; n];
    dispatch::with_path(Path::Portable, || {
        k::softmax_backward(&y, &dy, &mut reference)
    });
    let mut dx = vec![f32::NAN; n + 3];
    // The portable path (streaming as well) is the reference for the others.
    for p in paths().into_iter().filter(|&p| p != Path::Portable) {
        for offset in [0, 1, 3] {
            dx.fill(f32::NAN);
            let got = &mut dx[offset..offset + n];
            dispatch::with_path(p, || k::softmax_backward(&y, &dy, got));
            let what = format!("softmax_backward on {} (offset {offset})", p.name());
            assert_same_bits(&dx[offset..offset + n], &reference, &what);
        }
    }
    // Spot-check against the definition: dx_i = y_i·(dy_i − Σ y·dy).
    let s: f64 = y
        .iter()
        .zip(&dy)
        .map(|(&a, &b)| f64::from(a) * f64::from(b))
        .sum();
    for i in [0, 1, 7, 8, n / 2, n - 1] {
        let want = f64::from(y[i]) * (f64::from(dy[i]) - s);
        let got = f64::from(reference[i]);
        assert!(
            (got - want).abs() <= 1e-6 * (f64::from(y[i]) * (f64::from(dy[i]).abs() + s.abs()))
        );
    }
}
