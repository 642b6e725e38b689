//! Kernel behaviour beyond accuracy: panics (message names op, argument and
//! lengths), NaN propagation, empty inputs, stability at extreme inputs,
//! `_backward` overwriting, and the dispatch controls.

use grad_core::Real;
use grad_core::dispatch::{self, Path};
use grad_core::kernels as k;

fn paths() -> Vec<Path> {
    Path::ALL.into_iter().filter(|p| p.is_available()).collect()
}

// ------------------------------------------------------------------ panics

#[test]
#[should_panic(expected = "sigmoid: x has length 3 but out has length 4")]
fn sigmoid_length_mismatch() {
    k::sigmoid(&[0.0_f32; 3], &mut [0.0; 4]);
}

#[test]
#[should_panic(expected = "tanh_backward: y has length 2 but dy has length 3")]
fn tanh_backward_length_mismatch() {
    k::tanh_backward(&[0.0_f64; 2], &[0.0; 3], &mut [0.0; 2]);
}

#[test]
#[should_panic(expected = "relu_backward: x has length 2 but dx has length 1")]
fn relu_backward_dx_mismatch() {
    k::relu_backward(&[0.0_f32; 2], &[0.0; 2], &mut [0.0; 1]);
}

#[test]
#[should_panic(expected = "softmax: x has length 2 but out has length 1")]
fn softmax_length_mismatch() {
    k::softmax(&[0.0_f32; 2], &mut [0.0; 1]);
}

#[test]
#[should_panic(expected = "log_softmax_backward: y has length 2 but dx has length 3")]
fn log_softmax_backward_mismatch() {
    k::log_softmax_backward(&[0.0_f32; 2], &[0.0; 2], &mut [0.0; 3]);
}

#[test]
#[should_panic(expected = "softmax_rows: x has length 5, not a multiple of cols = 2")]
fn softmax_rows_ragged() {
    k::softmax_rows(&[0.0_f32; 5], 2, &mut [0.0; 5]);
}

#[test]
#[should_panic(expected = "softmax_rows: cols is 0 but x has length 3")]
fn softmax_rows_zero_cols() {
    k::softmax_rows(&[0.0_f32; 3], 0, &mut [0.0; 3]);
}

#[test]
#[should_panic(expected = "log_softmax_rows: x has length 6 but out has length 4")]
fn log_softmax_rows_length_mismatch() {
    k::log_softmax_rows(&[0.0_f32; 6], 2, &mut [0.0; 4]);
}

#[test]
#[should_panic(expected = "log_softmax_rows: x has length 5, not a multiple of cols = 2")]
fn log_softmax_rows_ragged() {
    k::log_softmax_rows(&[0.0_f32; 5], 2, &mut [0.0; 5]);
}

#[test]
#[should_panic(expected = "log_softmax_rows: cols is 0 but x has length 3")]
fn log_softmax_rows_zero_cols() {
    k::log_softmax_rows(&[0.0_f64; 3], 0, &mut [0.0; 3]);
}

#[test]
#[should_panic(expected = "log_softmax_rows_backward: y has length 4 but dy has length 6")]
fn log_softmax_rows_backward_mismatch() {
    k::log_softmax_rows_backward(&[0.0_f32; 4], &[0.0; 6], 2, &mut [0.0; 4]);
}

#[test]
#[should_panic(expected = "log_softmax_rows_backward: y has length 6, not a multiple of cols = 4")]
fn log_softmax_rows_backward_ragged() {
    k::log_softmax_rows_backward(&[0.0_f32; 6], &[0.0; 6], 4, &mut [0.0; 6]);
}

#[test]
#[should_panic(expected = "mse: pred has length 3 but target has length 2")]
fn mse_length_mismatch() {
    k::mse(&[0.0_f32; 3], &[0.0; 2]);
}

#[test]
#[should_panic(expected = "mse_backward: pred has length 2 but dpred has length 3")]
fn mse_backward_length_mismatch() {
    k::mse_backward(&[0.0_f32; 2], &[0.0; 2], 1.0, &mut [0.0; 3]);
}

#[test]
#[should_panic(expected = "dot: a has length 3 but b has length 4")]
fn dot_length_mismatch() {
    k::dot(&[0.0_f64; 3], &[0.0; 4]);
}

#[test]
#[should_panic(expected = "cross_entropy: targets[1] = 3 is out of range for cols = 3 classes")]
fn cross_entropy_target_out_of_range() {
    k::cross_entropy(&[0.0_f32; 6], 3, &[0, 3]);
}

#[test]
#[should_panic(expected = "cross_entropy: logits has length 5 but targets.len() × cols = 2 × 3")]
fn cross_entropy_shape() {
    k::cross_entropy(&[0.0_f32; 5], 3, &[0, 1]);
}

#[test]
#[should_panic(expected = "cross_entropy_backward: logits has length 6 but dlogits has length 5")]
fn cross_entropy_backward_shape() {
    k::cross_entropy_backward(&[0.0_f32; 6], 3, &[0, 1], 1.0, &mut [0.0; 5]);
}

#[test]
#[should_panic(expected = "matvec: w has length 5 but rows × cols = 2 × 3")]
fn matvec_shape() {
    k::matvec(&[0.0_f32; 5], &[0.0; 3], &mut [0.0; 2]);
}

#[test]
#[should_panic(expected = "matvec_backward: x has length 3 but dx has length 2")]
fn matvec_backward_shape() {
    k::matvec_backward(
        &[0.0_f32; 6],
        &[0.0; 3],
        &[0.0; 2],
        &mut [0.0; 6],
        &mut [0.0; 2],
    );
}

// ------------------------------------------------------------------ empty

#[test]
fn empty_inputs_have_documented_results() {
    for p in paths() {
        dispatch::with_path(p, || {
            let mut out: [f32; 0] = [];
            k::softmax(&[], &mut out);
            k::log_softmax(&[], &mut out);
            k::softmax_rows(&[], 0, &mut out);
            k::softmax_rows(&[], 7, &mut out);
            k::log_softmax_rows(&[], 0, &mut out);
            k::log_softmax_rows(&[], 7, &mut out);
            k::log_softmax_rows_backward(&[], &[], 3, &mut out);
            k::sigmoid(&[], &mut out);
            assert_eq!(k::sum::<f32>(&[]), 0.0);
            assert_eq!(k::dot::<f64>(&[], &[]), 0.0);
            assert_eq!(k::max::<f32>(&[]), f32::NEG_INFINITY);
            assert!(k::mean::<f32>(&[]).is_nan());
            assert!(k::mse::<f64>(&[], &[]).is_nan());
            assert!(k::cross_entropy::<f32>(&[], 5, &[]).is_nan());
            let mut o = [9.0_f32; 2];
            k::matvec(&[], &[], &mut o);
            assert_eq!(o, [0.0, 0.0]);
        });
    }
}

// ------------------------------------------------------------------ NaN

#[test]
fn nan_propagates() {
    let nan = f32::NAN;
    for p in paths() {
        dispatch::with_path(p, || {
            let x = [1.0, nan, -2.0];
            let mut o = [0.0_f32; 3];
            for f in [
                k::sigmoid::<f32> as fn(&[f32], &mut [f32]),
                k::tanh,
                k::exp,
                k::ln,
                k::softplus,
                k::relu,
            ] {
                f(&x, &mut o);
                assert!(o[1].is_nan() && !o[0].is_nan(), "{p:?}");
            }
            k::softmax(&x, &mut o);
            assert!(o.iter().all(|v| v.is_nan()));
            k::log_softmax(&x, &mut o);
            assert!(o.iter().all(|v| v.is_nan()));
            assert!(k::cross_entropy(&x, 3, &[0]).is_nan());
            assert!(k::sum(&x).is_nan());
            assert!(k::max(&x).is_nan());
            assert!(k::max(&[nan, 1.0]).is_nan());
            assert!(k::dot(&x, &[1.0; 3]).is_nan());
            assert!(k::mse(&x, &[0.0; 3]).is_nan());
            let mut m = [0.0_f32; 1];
            k::matvec(&x, &[1.0; 3], &mut m);
            assert!(m[0].is_nan());
        });
    }
}

// ------------------------------------------------------------------ stability

#[test]
fn extreme_inputs_are_stable() {
    for p in paths() {
        dispatch::with_path(p, || {
            let x = [-1000.0_f32, 1000.0, -1e30, 1e30, f32::MAX, -f32::MAX];
            let mut o = [0.0_f32; 6];
            k::sigmoid(&x, &mut o);
            assert_eq!(o, [0.0, 1.0, 0.0, 1.0, 1.0, 0.0]);
            k::tanh(&x, &mut o);
            assert_eq!(o, [-1.0, 1.0, -1.0, 1.0, 1.0, -1.0]);
            k::softplus(&x, &mut o);
            assert_eq!(o[..2], [0.0, 1000.0]);
            let l = [1000.0_f32, 0.0, -1000.0];
            let mut o3 = [0.0_f32; 3];
            k::log_softmax(&l, &mut o3);
            assert_eq!(o3, [0.0, -1000.0, -2000.0]);
            k::softmax(&l, &mut o3);
            assert_eq!(o3, [1.0, 0.0, 0.0]);
            assert_eq!(k::cross_entropy(&l, 3, &[2]), 2000.0);
            assert_eq!(k::cross_entropy(&l, 3, &[0]), 0.0);
            let mut d = [9.0_f32; 3];
            k::cross_entropy_backward(&l, 3, &[2], 1.0, &mut d);
            assert_eq!(d, [1.0, 0.0, -1.0]);
            let l64 = [1000.0_f64, 0.0, -1000.0];
            assert_eq!(k::cross_entropy(&l64, 3, &[1]), 1000.0);
        });
    }
}

#[test]
fn minus_infinity_logits_are_impossible_classes() {
    let ninf = f32::NEG_INFINITY;
    for p in paths() {
        dispatch::with_path(p, || {
            for cols in [2_usize, 40] {
                // Row: [−∞, 0, −∞, …, −∞] (short-row and long-row paths).
                let mut x = vec![ninf; cols];
                x[1] = 0.0;
                let mut o = vec![0.0_f32; cols];
                k::softmax(&x, &mut o);
                assert_eq!(o[1], 1.0);
                assert!(o.iter().enumerate().all(|(i, &v)| i == 1 || v == 0.0));
                k::softmax_rows(&x, cols, &mut o);
                assert_eq!(o[1], 1.0);
                k::log_softmax(&x, &mut o);
                assert_eq!(o[1], 0.0);
                assert_eq!(o[0], ninf);
                k::log_softmax_rows(&x, cols, &mut o);
                assert_eq!(o[1], 0.0);
                assert_eq!(o[0], ninf);
                assert_eq!(k::cross_entropy(&x, cols, &[1]), 0.0);
                assert_eq!(k::cross_entropy(&x, cols, &[0]), f32::INFINITY);
                // Every logit −∞: no class is possible, NaN as in PyTorch.
                let all = vec![ninf; cols];
                k::softmax(&all, &mut o);
                assert!(o.iter().all(|v| v.is_nan()));
            }
        });
    }
}

#[test]
fn special_values_of_elementwise_ops() {
    let mut o = [0.0_f64; 6];
    k::exp(
        &[0.0, -0.0, f64::INFINITY, f64::NEG_INFINITY, 710.0, -1e10],
        &mut o,
    );
    assert_eq!(o, [1.0, 1.0, f64::INFINITY, 0.0, f64::INFINITY, 0.0]);
    k::ln(&[1.0, 0.0, -0.0, -1.0, f64::INFINITY, 5e-324], &mut o);
    assert_eq!(o[..3], [0.0, f64::NEG_INFINITY, f64::NEG_INFINITY]);
    assert!(o[3].is_nan());
    assert_eq!(o[4], f64::INFINITY);
    assert!((o[5] - (5e-324_f64).ln()).abs() < 1e-12);
    k::tanh(&[-0.0, 0.0, 1e-30, -1e-30, 0.625, -0.625], &mut o);
    assert!(o[0] == 0.0 && o[0].is_sign_negative());
    assert_eq!(o[2..4], [1e-30, -1e-30]);
    assert_eq!(o[4], -o[5]);
    k::relu(&[-0.0, 0.0, -1.0, 2.0, -1e-300, 1e-300], &mut o);
    assert_eq!(o, [0.0, 0.0, 0.0, 2.0, 0.0, 1e-300]);
    assert!(o[0].is_sign_positive());
}

// ------------------------------------------------------------------ overwrite

#[test]
fn backward_kernels_overwrite_dx() {
    let y = [0.25_f32, 0.5, 0.25];
    let dy = [1.0_f32, 0.0, 0.0];
    let mut a = [0.0_f32; 3];
    let mut b = [123.0_f32; 3];
    for f in [
        k::sigmoid_backward::<f32> as fn(&[f32], &[f32], &mut [f32]),
        k::tanh_backward,
        k::relu_backward,
        k::exp_backward,
        k::ln_backward,
        k::softplus_backward,
        k::softmax_backward,
        k::log_softmax_backward,
    ] {
        f(&y, &dy, &mut a);
        f(&y, &dy, &mut b);
        assert_eq!(a, b);
    }
    let (mut dw1, mut dx1) = ([0.0_f32; 6], [0.0_f32; 3]);
    let (mut dw2, mut dx2) = ([7.0_f32; 6], [7.0_f32; 3]);
    let w = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0];
    k::matvec_backward(&w, &y, &[1.0, 2.0], &mut dw1, &mut dx1);
    k::matvec_backward(&w, &y, &[1.0, 2.0], &mut dw2, &mut dx2);
    assert_eq!((dw1, dx1), (dw2, dx2));
    assert_eq!(dx1, [9.0, 12.0, 15.0]);
}

// ------------------------------------------------------------------ dispatch

#[test]
fn dispatch_controls() {
    let best = dispatch::detected();
    assert!(best.is_available());
    assert_eq!(dispatch::active(), best);
    for p in paths() {
        assert_eq!(dispatch::with_path(p, dispatch::active), p);
        // Nested forcing restores the outer choice.
        dispatch::with_path(p, || {
            dispatch::with_path(Path::Portable, || {
                assert_eq!(dispatch::active(), Path::Portable)
            });
            assert_eq!(dispatch::active(), p);
        });
    }
    assert_eq!(dispatch::active(), best);
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma") {
        assert!(Path::Avx2.is_available());
        assert_ne!(
            best,
            Path::Portable,
            "default dispatch must use the fastest path"
        );
    }
}

#[test]
fn unavailable_path_panics_instead_of_running() {
    let missing: Vec<Path> = Path::ALL
        .into_iter()
        .filter(|p| !p.is_available())
        .collect();
    if missing.is_empty() {
        eprintln!("note: every path is available on this CPU; nothing to check");
        return;
    }
    for p in missing {
        let r = std::panic::catch_unwind(|| dispatch::with_path(p, || ()));
        let msg = *r
            .expect_err("forcing an unavailable path must panic")
            .downcast::<String>()
            .unwrap();
        assert_eq!(
            msg,
            format!("dispatch: path {} is not available on this CPU", p.name())
        );
    }
    // The panic left the thread's choice untouched.
    assert_eq!(dispatch::active(), dispatch::detected());
}

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

/// Rows for the batched-against-one-row checks: ordinary, confident (one
/// logit 40 above the rest), tied at the maximum, with −∞, far (spread over
/// 200 units), with a NaN, with +∞.
fn batch_rows<T: Real>(cols: usize) -> Vec<T> {
    let mut x = Vec::new();
    for kind in 0..7 {
        let mut row: Vec<f64> = (0..cols)
            .map(|i| ((i * 37 % 23) as f64 - 11.0) * 0.7)
            .collect();
        match kind {
            1 => row[cols / 2] = 40.0,
            2 => row.iter_mut().step_by(2).for_each(|v| *v = 9.0),
            3 => row[0] = f64::NEG_INFINITY,
            4 => row.iter_mut().for_each(|v| *v *= 13.0),
            5 => row[cols - 1] = f64::NAN,
            6 => row[cols / 3] = f64::INFINITY,
            _ => {}
        }
        x.extend(row.into_iter().map(T::from_f64));
    }
    x
}

/// Both bit patterns equal (NaN payloads aside).
fn same_bits<T: Real>(a: &[T], b: &[T]) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|(&x, &y)| {
            x.to_f64().to_bits() == y.to_f64().to_bits() || (x.is_nan() && y.is_nan())
        })
}

/// The relative distance the one-row-per-lane kernels may keep from the
/// portable path (each within its budget of the truth): 2e−6 in `f32`,
/// 1e−14 in `f64` (about 17 and 45 ulps).
fn lane_tolerance<T: Real>() -> f64 {
    if T::MANTISSA_BITS < 30 { 2e-6 } else { 1e-14 }
}

/// `a` within `rel` (relative) of `b`, element by element, with NaNs and
/// infinities in the same places.
fn close_to<T: Real>(a: &[T], b: &[T], rel: f64) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|(&x, &y)| {
            let (x, y) = (x.to_f64(), y.to_f64());
            (x.is_nan() && y.is_nan())
                || x == y
                || (x.is_finite() && y.is_finite() && (x - y).abs() <= rel * y.abs())
        })
}

/// `a` within `rel` of `b` relative to each row's `Σ|dy|` (the scale of a
/// backward's terms, which may cancel), with NaNs in the same places.
fn normwise_close<T: Real>(a: &[T], b: &[T], dy: &[T], cols: usize, rel: f64) -> bool {
    a.len() == b.len()
        && a.chunks(cols)
            .zip(b.chunks(cols))
            .zip(dy.chunks(cols))
            .all(|((ar, br), gr)| {
                let scale: f64 = gr.iter().map(|g| g.to_f64().abs()).sum::<f64>() + 1e-300;
                ar.iter().zip(br).all(|(&x, &y)| {
                    let (x, y) = (x.to_f64(), y.to_f64());
                    (x.is_nan() && y.is_nan()) || x == y || (x - y).abs() <= rel * scale
                })
            })
}

/// A pattern in `[−1, 1]`: the output gradients of these checks.
fn batch_dy<T: Real>(len: usize) -> Vec<T> {
    (0..len)
        .map(|i| T::from_f64(((i * 29 % 31) as f64 - 15.0) / 15.0))
        .collect()
}

fn assert_log_softmax_rows_is_log_softmax_of_each_row<T: Real>() {
    let nine = T::from_f64(9.0);
    let tol = lane_tolerance::<T>();
    for cols in [
        1, 2, 3, 4, 5, 7, 8, 9, 10, 15, 16, 17, 31, 32, 33, 100, 1000,
    ] {
        let x = batch_rows::<T>(cols);
        let dy = batch_dy::<T>(x.len());
        let per_row = |p: Path| {
            dispatch::with_path(p, || {
                let mut y = vec![T::ZERO; x.len()];
                let mut dx = vec![T::ZERO; x.len()];
                for ((xr, yr), (gr, dr)) in x
                    .chunks(cols)
                    .zip(y.chunks_mut(cols))
                    .zip(dy.chunks(cols).zip(dx.chunks_mut(cols)))
                {
                    k::log_softmax(xr, yr);
                    k::log_softmax_backward(yr, gr, dr);
                }
                (y, dx)
            })
        };
        for p in paths() {
            let reference = if cols < k::LANES { Path::Portable } else { p };
            let (want_y, want_dx) = per_row(reference);
            let (y, dx) = dispatch::with_path(p, || {
                let mut y = vec![nine; x.len()];
                k::log_softmax_rows(&x, cols, &mut y);
                // The backward from the reference `y`, so both see the same input.
                let mut dx = vec![nine; x.len()];
                k::log_softmax_rows_backward(&want_y, &dy, cols, &mut dx);
                (y, dx)
            });
            let short_avx2 = cols < k::LANES && p != Path::Portable;
            let ty = core::any::type_name::<T>();
            assert!(
                same_bits(&y, &want_y) || (short_avx2 && close_to(&y, &want_y, tol)),
                "{ty} log_softmax_rows, cols = {cols}, {p:?}: {y:?} vs {want_y:?}"
            );
            assert!(
                same_bits(&dx, &want_dx)
                    || (short_avx2 && normwise_close(&dx, &want_dx, &dy, cols, tol)),
                "{ty} log_softmax_rows_backward, cols = {cols}, {p:?}: {dx:?} vs {want_dx:?}"
            );
        }
    }
}

#[test]
fn log_softmax_rows_is_log_softmax_of_each_row() {
    // Short rows (below `LANES`) run one row per lane on the AVX2 paths
    // (within `lane_tolerance` of the portable path's `log_softmax` of each
    // row, both being within their budget of the truth; the backward
    // normwise) and with the portable path's bits elsewhere. Longer rows
    // are `log_softmax` of each row on the same path.
    assert_log_softmax_rows_is_log_softmax_of_each_row::<f32>();
    assert_log_softmax_rows_is_log_softmax_of_each_row::<f64>();
}

fn assert_long_rows_agree_with_the_portable_path<T: Real>() {
    let tol = lane_tolerance::<T>();
    let ty = core::any::type_name::<T>();
    for cols in [32, 33, 100, 1000, 1003] {
        let x = batch_rows::<T>(cols);
        let rows = x.len() / cols;
        let targets: Vec<usize> = (0..rows).map(|r| r * 7 % cols).collect();
        let run = |p: Path| {
            dispatch::with_path(p, || {
                let mut ls = vec![T::from_f64(9.0); x.len()];
                k::log_softmax_rows(&x, cols, &mut ls);
                let ce: Vec<T> = x
                    .chunks(cols)
                    .zip(&targets)
                    .map(|(xr, &t)| k::cross_entropy(xr, cols, &[t]))
                    .collect();
                (ls, ce)
            })
        };
        let (ls_p, ce_p) = run(Path::Portable);
        for p in paths() {
            let (ls, ce) = run(p);
            assert!(
                close_to(&ls, &ls_p, tol),
                "{ty} log_softmax_rows, cols = {cols}, {p:?}: {ls:?} vs {ls_p:?}"
            );
            assert!(
                close_to(&ce, &ce_p, tol),
                "{ty} cross_entropy, cols = {cols}, {p:?}: {ce:?} vs {ce_p:?}"
            );
        }
    }
}

#[test]
fn long_rows_agree_with_the_portable_path() {
    // Rows of 32 columns and more: `f32` on the AVX2 paths runs
    // `avx2::rows`, `f64` `cross_entropy` takes each row's `S` from one
    // fused pass (`avx2::map64::exp_rest_count`); both within
    // `lane_tolerance` of the portable path on ordinary, confident, tied,
    // far, −∞, NaN and +∞ rows.
    assert_long_rows_agree_with_the_portable_path::<f32>();
    assert_long_rows_agree_with_the_portable_path::<f64>();
}

fn assert_softmax_rows_backward_is_softmax_backward_of_each_row<T: Real>() {
    for cols in [1, 2, 3, 4, 5, 10, 31, 32, 33, 100] {
        let x = batch_rows::<T>(cols);
        let mut y = vec![T::ZERO; x.len()];
        k::softmax_rows(&x, cols, &mut y);
        let dy = batch_dy::<T>(x.len());
        for p in paths() {
            dispatch::with_path(p, || {
                let mut want = vec![T::ZERO; x.len()];
                for ((yr, gr), dr) in y
                    .chunks(cols)
                    .zip(dy.chunks(cols))
                    .zip(want.chunks_mut(cols))
                {
                    k::softmax_backward(yr, gr, dr);
                }
                let mut dx = vec![T::from_f64(9.0); x.len()];
                k::softmax_rows_backward(&y, &dy, cols, &mut dx);
                let ty = core::any::type_name::<T>();
                assert!(
                    same_bits(&dx, &want),
                    "{ty} softmax_rows_backward, cols = {cols}, {p:?}: {dx:?} vs {want:?}"
                );
            });
        }
    }
}

#[test]
fn softmax_rows_backward_is_softmax_backward_of_each_row() {
    // Every path gives the same bits for these two (the one-row-per-lane
    // code does the generic kernel's operations in its order).
    assert_softmax_rows_backward_is_softmax_backward_of_each_row::<f32>();
    assert_softmax_rows_backward_is_softmax_backward_of_each_row::<f64>();
}

fn assert_short_row_batches_agree_across_paths_and_groupings<T: Real>() {
    let tol = lane_tolerance::<T>();
    let nine = T::from_f64(9.0);
    let ty = core::any::type_name::<T>();
    for cols in [1, 2, 3, 4, 5, 7, 8, 9, 10, 15, 16, 17, 24, 31] {
        for rows in [1, 3, 4, 5, 7, 8, 9, 15, 16, 17, 23, 40] {
            let mut x = batch_rows::<T>(cols);
            let mut s = 0x9e37_79b9_u32;
            while x.len() < rows * cols {
                s ^= s << 13;
                s ^= s >> 17;
                s ^= s << 5;
                x.push(T::from_f64(f64::from(s % 4000) / 100.0 - 20.0));
            }
            x.truncate(rows * cols);
            let targets: Vec<usize> = (0..rows).map(|r| r * 7 % cols).collect();
            let run = |p: Path| {
                dispatch::with_path(p, || {
                    let (mut sm, mut ls) = (vec![nine; x.len()], vec![nine; x.len()]);
                    k::softmax_rows(&x, cols, &mut sm);
                    k::log_softmax_rows(&x, cols, &mut ls);
                    let ce = k::cross_entropy(&x, cols, &targets);
                    // Each row alone, through the same batch kernels.
                    let (mut sm1, mut ls1) = (vec![nine; x.len()], vec![nine; x.len()]);
                    let mut ce1 = Vec::new();
                    for ((xr, (a, b)), &t) in x
                        .chunks(cols)
                        .zip(sm1.chunks_mut(cols).zip(ls1.chunks_mut(cols)))
                        .zip(&targets)
                    {
                        k::softmax_rows(xr, cols, a);
                        k::log_softmax_rows(xr, cols, b);
                        ce1.push(k::cross_entropy(xr, cols, &[t]));
                    }
                    let mut cb = vec![nine; x.len()];
                    k::cross_entropy_backward(&x, cols, &targets, T::from_usize(rows), &mut cb);
                    let mut cb1 = vec![nine; x.len()];
                    for ((xr, d), &t) in x.chunks(cols).zip(cb1.chunks_mut(cols)).zip(&targets) {
                        k::cross_entropy_backward(xr, cols, &[t], T::ONE, d);
                    }
                    (sm, ls, ce, sm1, ls1, ce1, cb, cb1)
                })
            };
            let (sm_p, ls_p, ce_p, _, _, _, cb_p, _) = run(Path::Portable);
            for p in paths() {
                let (sm, ls, ce, sm1, ls1, ce1, cb, cb1) = run(p);
                let at = format!("{ty}, cols = {cols}, rows = {rows}, {p:?}");
                assert!(same_bits(&sm, &sm1), "softmax_rows alone vs batched, {at}");
                assert!(
                    same_bits(&ls, &ls1),
                    "log_softmax_rows alone vs batched, {at}"
                );
                assert!(
                    close_to(&sm, &sm_p, tol),
                    "softmax_rows vs portable, {at}: {sm:?} vs {sm_p:?}"
                );
                assert!(
                    close_to(&ls, &ls_p, tol),
                    "log_softmax_rows vs portable, {at}: {ls:?} vs {ls_p:?}"
                );
                assert!(
                    close_to(&[ce], &[ce_p], tol),
                    "cross_entropy vs portable, {at}: {ce:?} vs {ce_p:?}"
                );
                assert!(
                    same_bits(&cb, &cb1),
                    "cross_entropy_backward alone vs batched, {at}"
                );
                let ones = vec![T::ONE; x.len()];
                assert!(
                    normwise_close(&cb, &cb_p, &ones, cols, tol),
                    "cross_entropy_backward vs portable, {at}: {cb:?} vs {cb_p:?}"
                );
                let ce1_mean = ce1.iter().fold(T::ZERO, |a, &v| a + v) / T::from_usize(rows);
                assert!(
                    close_to(&[ce], &[ce1_mean], tol),
                    "cross_entropy alone vs batched, {at}"
                );
            }
        }
    }
}

#[test]
fn short_row_batches_agree_across_paths_and_groupings() {
    // Rows below `LANES` run one row per lane in groups (16 rows in `f32`,
    // 8 in `f64`) on the AVX2 paths, the last groups on padded copies:
    // every row must come out as it does alone (same bits, whatever the
    // batch size or its neighbours), and within `lane_tolerance` of the
    // portable path.
    assert_short_row_batches_agree_across_paths_and_groupings::<f32>();
    assert_short_row_batches_agree_across_paths_and_groupings::<f64>();
}

/// Asserts that `dot` (for every length of `lens`), `matvec` and
/// `matvec_backward` (on matrices with rows of 1 to 70 000 columns) give
/// the portable path's bits on every path, on inputs from `next`.
fn assert_dot_and_matvec_bits_on_every_path<T: grad_core::Real>(
    lens: &[usize],
    mut next: impl FnMut() -> T,
) {
    let ty = core::any::type_name::<T>();
    let same = |a: &[T], b: &[T]| {
        a.len() == b.len()
            && a.iter()
                .zip(b)
                .all(|(u, v)| u.to_f64().to_bits() == v.to_f64().to_bits())
    };
    for &n in lens {
        let a: Vec<T> = (0..n).map(|_| next()).collect();
        let b: Vec<T> = (0..n).map(|_| next()).collect();
        let want = dispatch::with_path(Path::Portable, || k::dot(&a, &b));
        for p in paths() {
            let got = dispatch::with_path(p, || k::dot(&a, &b));
            assert!(same(&[got], &[want]), "{ty} dot, n = {n}, {p:?}");
        }
    }
    for (rows, cols) in [(10, 100), (3, 1), (4, 33), (3, 2_000), (2, 70_000)] {
        let w: Vec<T> = (0..rows * cols).map(|_| next()).collect();
        let x: Vec<T> = (0..cols).map(|_| next()).collect();
        let nine = T::from_f64(9.0);
        let run = |p: Path| {
            dispatch::with_path(p, || {
                let mut out = vec![nine; rows];
                k::matvec(&w, &x, &mut out);
                out
            })
        };
        let want = run(Path::Portable);
        for p in paths() {
            assert!(same(&run(p), &want), "{ty} matvec {rows}×{cols}, {p:?}");
        }
        let dy: Vec<T> = (0..rows).map(|_| next()).collect();
        let back = |p: Path| {
            dispatch::with_path(p, || {
                let (mut dw, mut dx) = (vec![nine; rows * cols], vec![nine; cols]);
                k::matvec_backward(&w, &x, &dy, &mut dw, &mut dx);
                (dw, dx)
            })
        };
        let (want_dw, want_dx) = back(Path::Portable);
        for p in paths() {
            let (dw, dx) = back(p);
            assert!(
                same(&dw, &want_dw) && same(&dx, &want_dx),
                "{ty} matvec_backward {rows}×{cols}, {p:?}"
            );
        }
    }
}

#[test]
fn f64_dot_and_matvec_have_the_same_bits_on_every_path() {
    // As below, for the AVX2 `f64` dot.
    let mut s = 0x1234_5678_u32;
    let next = move || {
        s ^= s << 13;
        s ^= s >> 17;
        s ^= s << 5;
        f64::from(s % 20_001) / 1000.0 - 10.0 + f64::from(s % 7) * 1e-9
    };
    let lens = [
        0, 1, 3, 4, 5, 31, 32, 33, 100, 1023, 1024, 1025, 65_535, 65_536, 65_537, 140_001,
    ];
    assert_dot_and_matvec_bits_on_every_path(&lens, next);
}

#[test]
fn dot_and_matvec_have_the_same_bits_on_every_path() {
    // The AVX2 `f32` dot (and matvec, a dot a row) mirrors the generic
    // reduction's association: chunk, block (1 024), super-block (65 536)
    // and remainder boundaries all crossed here.
    let mut s = 0x2545_f491_u32;
    let next = move || {
        s ^= s << 13;
        s ^= s >> 17;
        s ^= s << 5;
        (s % 20_001) as f32 / 1000.0 - 10.0
    };
    let lens = [
        0, 1, 7, 31, 32, 33, 100, 1023, 1024, 1025, 2047, 65_535, 65_536, 65_537, 140_001,
    ];
    assert_dot_and_matvec_bits_on_every_path(&lens, next);
}

/// Inputs for [`elementwise_kernels_give_each_element_its_bits_alone`]:
/// every range the approximations branch on, and the special values.
fn elementwise_inputs(n: usize) -> Vec<f64> {
    let special = [
        0.0,
        -0.0,
        f64::NAN,
        f64::INFINITY,
        f64::NEG_INFINITY,
        1e-310,
        -1e-310,
        800.0,
        -800.0,
        0.3,
        -0.3,
    ];
    (0..n)
        .map(|i| {
            if i % 17 == 5 {
                special[i / 17 % special.len()]
            } else {
                (((i * 7919) % 4001) as f64 - 2000.0) / 97.0
            }
        })
        .collect()
}

/// An elementwise kernel as `(x, dy, out)`; the forward ones ignore `dy`.
type ElementwiseOp<T> = fn(&[T], &[T], &mut [T]);

/// The elementwise kernels with hand-written AVX2 code, in `T`.
fn fast_elementwise_ops<T: grad_core::Real>() -> [(&'static str, ElementwiseOp<T>); 6] {
    [
        ("exp", |x, _, o| k::exp(x, o)),
        ("ln", |x, _, o| k::ln(x, o)),
        ("sigmoid", |x, _, o| k::sigmoid(x, o)),
        ("tanh", |x, _, o| k::tanh(x, o)),
        ("softplus", |x, _, o| k::softplus(x, o)),
        ("softplus_backward", |x, g, o| k::softplus_backward(x, g, o)),
    ]
}

/// Asserts that each op of [`fast_elementwise_ops`] gives every element of
/// `x` (with its `dy`) on path `p` the bits it gets alone in its slice.
fn assert_each_element_as_alone<T: grad_core::Real + core::fmt::LowerExp>(
    p: Path,
    x: &[T],
    dy: &[T],
) {
    let bits = |v: T| v.to_f64().to_bits();
    for (name, op) in fast_elementwise_ops::<T>() {
        let batch = dispatch::with_path(p, || {
            let mut o = vec![T::NAN; x.len()];
            op(x, dy, &mut o);
            o
        });
        for i in 0..x.len() {
            let alone = dispatch::with_path(p, || {
                let mut o = [T::NAN; 1];
                op(&x[i..=i], &dy[i..=i], &mut o);
                o[0]
            });
            assert_eq!(
                bits(batch[i]),
                bits(alone),
                "{name} {} on {p:?}, n = {}, x[{i}] = {:e}: {:e} in the batch, {:e} alone",
                core::any::type_name::<T>(),
                x.len(),
                x[i],
                batch[i],
                alone
            );
        }
    }
}

/// Every elementwise kernel with hand-written AVX2 code gives each element
/// the bits it gets when it is alone in its slice (the padded remainder),
/// on every path, in `f32` and `f64`, for lengths that cross the chunks of
/// `softplus`'s two passes (256 `f32`s, 128 `f64`s) and the vector width.
#[test]
fn elementwise_kernels_give_each_element_its_bits_alone() {
    for p in paths() {
        for n in [127, 128, 129, 255, 256, 257, 300, 515, 1003] {
            let x64 = elementwise_inputs(n);
            let dy64: Vec<f64> = (0..n).map(|i| 0.5 + (i % 7) as f64).collect();
            let x32: Vec<f32> = x64.iter().map(|&v| v as f32).collect();
            let dy32: Vec<f32> = dy64.iter().map(|&v| v as f32).collect();
            assert_each_element_as_alone(p, &x32, &dy32);
            assert_each_element_as_alone(p, &x64, &dy64);
        }
    }
}

/// In `f64` the row kernels take `e^{x−m}` from the AVX2+FMA `exp` on the
/// AVX2 paths (long rows one by one, short rows batched), with `x − m`
/// made exact by TwoSum as on the portable path: each `softmax` element,
/// even `e^{−700}`-small, lies within 4 ulps of the portable path's
/// (without the TwoSum correction, 15 ulps and more: the rounding error of
/// `x − m` times `|x − m|`; the 1e−13 budget alone does not see it).
#[test]
fn f64_row_exponentials_agree_across_paths_far_from_the_maximum() {
    // 67 columns: the one-row code, row by row; 10: the short-row batch.
    for cols in [67, 10] {
        let x: Vec<f64> = (0..4 * cols)
            .map(|i| -(((i * 7919) % 7001) as f64) * 0.099_991_7 - 0.123_456_789)
            .collect();
        let reference = dispatch::with_path(Path::Portable, || {
            let mut o = vec![0.0_f64; x.len()];
            k::softmax_rows(&x, cols, &mut o);
            o
        });
        for p in paths() {
            let got = dispatch::with_path(p, || {
                let mut o = vec![0.0_f64; x.len()];
                k::softmax_rows(&x, cols, &mut o);
                o
            });
            for (i, (&g, &r)) in got.iter().zip(&reference).enumerate() {
                assert!(r > 0.0, "x[{i}] = {}: e^(x−m) underflowed", x[i]);
                let ulps = g.to_bits().abs_diff(r.to_bits());
                assert!(
                    ulps <= 4,
                    "softmax_rows f64, {cols} columns, on {p:?}, x[{i}] = {}: {g:e} against {r:e} ({ulps} ulps)",
                    x[i]
                );
            }
        }
    }
}
