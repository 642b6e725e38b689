//! The same bits on every dispatch path: `dot` and `matvec`, each element
//! of the hand-written elementwise kernels as if alone in its slice, and
//! `f64` row exponentials far from the maximum.

use grad_core::dispatch::{self, Path};
use grad_core::kernels as k;

use super::paths;

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
