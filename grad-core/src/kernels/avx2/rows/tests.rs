//! The AVX2 row kernels against the portable path (through the public
//! kernels, `dispatch::with_path`) on the rows that take their special
//! branches: NaN payloads, ±∞, far rows (TwoSum blocks), confident rows
//! (`S < 2`, the second pass), ties at the maximum, every tail length.
use crate::dispatch::{Path, with_path};
use crate::kernels as k;

/// Relative difference, NaN-aware (both NaN counts as equal).
fn close(a: f32, b: f32, tol: f32) -> bool {
    (a.is_nan() && b.is_nan()) || a == b || (a - b).abs() <= tol * b.abs().max(1e-30)
}

fn rows() -> Vec<Vec<f32>> {
    let mut rows = vec![
        vec![1000.0, 0.0, -1000.0],
        vec![f32::from_bits(0x7fc0_1234), 1.0, 2.0],
        vec![f32::from_bits(0xff80_0001), 1.0],
        vec![1.0, f32::INFINITY, 2.0],
        vec![f32::NEG_INFINITY; 40],
        vec![0.5; 37],
        vec![f32::MAX, f32::MIN, 0.0],
    ];
    for len in 1..=70 {
        let base: Vec<f32> = (0..len)
            .map(|i| ((i * 37 % 23) as f32 - 11.0) * 0.7)
            .collect();
        rows.push(base.clone());
        // Far: spread over 80 units, and one −∞.
        let mut far: Vec<f32> = base.iter().map(|v| v * 7.0).collect();
        far[len / 2] = f32::NEG_INFINITY;
        far[0] = 30.0;
        rows.push(far);
        // Confident: one logit 30 above the rest (S − 1 ≈ n·e^−30).
        let mut conf = base.clone();
        conf[len - 1] = 40.0;
        rows.push(conf);
        // A NaN in the tail.
        let mut nan = base;
        nan[len - 1] = f32::NAN;
        rows.push(nan);
    }
    rows
}

#[test]
fn avx2_rows_match_the_portable_path() {
    if !Path::Avx2.is_available() {
        return;
    }
    for x in rows() {
        let n = x.len();
        let both =
            |f: &dyn Fn() -> Vec<f32>| (with_path(Path::Avx2, f), with_path(Path::Portable, f));
        let ops: [(&str, &dyn Fn() -> Vec<f32>); 5] = [
            ("softmax", &|| {
                let mut o = vec![0.0; n];
                k::softmax(&x, &mut o);
                o
            }),
            ("log_softmax", &|| {
                let mut o = vec![0.0; n];
                k::log_softmax(&x, &mut o);
                o
            }),
            ("cross_entropy", &|| {
                (0..n).map(|t| k::cross_entropy(&x, n, &[t])).collect()
            }),
            ("cross_entropy_backward", &|| {
                let mut o = vec![0.0; n];
                k::cross_entropy_backward(&x, n, &[n - 1], 1.0, &mut o);
                o
            }),
            ("softmax_rows (3 rows)", &|| {
                let xs: Vec<f32> = x.iter().chain(&x).chain(&x).copied().collect();
                let mut o = vec![0.0; 3 * n];
                k::softmax_rows(&xs, n, &mut o);
                o
            }),
        ];
        for (name, op) in ops {
            let (fast, slow) = both(op);
            for (i, (&a, &b)) in fast.iter().zip(&slow).enumerate() {
                assert!(
                    close(a, b, 2e-6),
                    "{name} of {x:?}: [{i}] avx2 {a} vs portable {b}"
                );
            }
        }
    }
}

#[test]
fn avx2_log_softmax_backward_matches_the_portable_path() {
    if !Path::Avx2.is_available() {
        return;
    }
    for n in [1, 7, 16, 33, 100, 1000] {
        let y: Vec<f32> = (0..n)
            .map(|i| ((i * 13 % 17) as f32) / (8.5 * n as f32))
            .collect();
        let g: Vec<f32> = (0..n)
            .map(|i| ((i * 29 % 31) as f32 - 15.0) / 15.0)
            .collect();
        let run = |p: Path| {
            with_path(p, || {
                let mut b = vec![0.0; n];
                k::log_softmax_backward(&y, &g, &mut b);
                b
            })
        };
        let (fast, slow) = (run(Path::Avx2), run(Path::Portable));
        let scale = slow.iter().fold(1.0_f32, |m, v| m.max(v.abs()));
        for (i, (&a, &b)) in fast.iter().zip(&slow).enumerate() {
            assert!(
                (a - b).abs() <= 1e-6 * scale,
                "n = {n}: [{i}] avx2 {a} vs portable {b}"
            );
        }
    }
}
