//! The reductions (`sum`, `mean`, `max`, `dot`, `mse` and its backward)
//! and `matvec` with its backward against f64 references, scaled by the
//! size of their terms.

use grad_core::dispatch::Path;
use grad_core::kernels as k;
use grad_core::testing::XorShift;

use super::harness::{Report, TReal, elem_rel, f, logits, normwise, on_paths};

fn reduction_lengths() -> Vec<usize> {
    let mut v: Vec<usize> = (0..=3 * k::ACCUMULATORS + 1).collect();
    v.extend([1023, 1024, 1025, 5000, 65_537, 140_000]);
    v
}

fn scaled<T: TReal>(rep: &mut Report, op: &str, p: Path, got: T, exact: f64, scale: f64) {
    let err = if got.is_nan() || exact.is_nan() {
        if got.is_nan() && exact.is_nan() {
            0.0
        } else {
            f64::INFINITY
        }
    } else if scale == 0.0 {
        (f(got) - exact).abs()
    } else {
        (f(got) - exact).abs() / scale
    };
    rep.record::<T>(op, p, err, || format!("got {got:e}, exact {exact:e}"));
}

pub(crate) fn check_reductions<T: TReal>(rep: &mut Report) {
    let mut r = XorShift::new(11);
    for n in reduction_lengths() {
        let a: Vec<T> = logits(&mut r, n, 10.0);
        let b: Vec<T> = logits(&mut r, n, 10.0);
        let af: Vec<f64> = a.iter().map(|v| f(*v)).collect();
        let bf: Vec<f64> = b.iter().map(|v| f(*v)).collect();
        let s: f64 = af.iter().sum();
        let sabs: f64 = af.iter().map(|v| v.abs()).sum();
        for (p, o) in on_paths(rep, "sum", || vec![k::sum(&a)]) {
            scaled(rep, "sum", p, o[0], s, sabs);
        }
        for (p, o) in on_paths(rep, "mean", || vec![k::mean(&a)]) {
            scaled(rep, "mean", p, o[0], s / n as f64, sabs / n as f64);
        }
        let d: f64 = af.iter().zip(&bf).map(|(x, y)| x * y).sum();
        let dabs: f64 = af.iter().zip(&bf).map(|(x, y)| (x * y).abs()).sum();
        for (p, o) in on_paths(rep, "dot", || vec![k::dot(&a, &b)]) {
            scaled(rep, "dot", p, o[0], d, dabs);
        }
        let m = af.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
        for (p, o) in on_paths(rep, "max", || vec![k::max(&a)]) {
            rep.record::<T>(
                "max",
                p,
                if f(o[0]) == m { 0.0 } else { f64::INFINITY },
                || format!("len {n}"),
            );
        }
        let mse: f64 = af
            .iter()
            .zip(&bf)
            .map(|(x, y)| (x - y) * (x - y))
            .sum::<f64>()
            / n as f64;
        for (p, o) in on_paths(rep, "mse", || vec![k::mse(&a, &b)]) {
            if n == 0 {
                rep.record::<T>(
                    "mse",
                    p,
                    if o[0].is_nan() { 0.0 } else { f64::INFINITY },
                    || "empty".into(),
                );
            } else {
                elem_rel(rep, "mse", p, &o, &[mse]);
            }
        }
        if n <= 5000 {
            let g = 1.3;
            let want: Vec<f64> = af
                .iter()
                .zip(&bf)
                .map(|(x, y)| (x - y) * (2.0 * g / n as f64))
                .collect();
            for (p, o) in on_paths(rep, "mse_backward", || {
                let mut o = vec![T::ZERO; n];
                k::mse_backward(&a, &b, T::from_f64(g), &mut o);
                o
            }) {
                for (&gv, &e) in o.iter().zip(&want) {
                    rep.record::<T>("mse_backward", p, T::ulp(gv, e), || format!("len {n}"));
                }
            }
        }
    }
    // matvec
    for (rows, cols) in [
        (0, 3),
        (1, 0),
        (3, 1),
        (4, 17),
        (5, 97),
        (2, 1000),
        (17, 33),
    ] {
        let w: Vec<T> = logits(&mut r, rows * cols, 2.0);
        let x: Vec<T> = logits(&mut r, cols, 2.0);
        let dy: Vec<T> = logits(&mut r, rows, 2.0);
        for (p, o) in on_paths(rep, "matvec", || {
            let mut o = vec![T::from_f64(5.0); rows];
            k::matvec(&w, &x, &mut o);
            o
        }) {
            for (ri, &got) in o.iter().enumerate() {
                let row = &w[ri * cols..(ri + 1) * cols];
                let e: f64 = row.iter().zip(&x).map(|(a, b)| f(*a) * f(*b)).sum();
                let sc: f64 = row.iter().zip(&x).map(|(a, b)| (f(*a) * f(*b)).abs()).sum();
                scaled(rep, "matvec", p, got, e, sc);
            }
        }
        let mut want: Vec<f64> = (0..rows * cols)
            .map(|i| f(dy[i / cols.max(1)]) * f(x[i % cols.max(1)]))
            .collect();
        want.extend((0..cols).map(|c| {
            (0..rows)
                .map(|ri| f(dy[ri]) * f(w[ri * cols + c]))
                .sum::<f64>()
        }));
        let mut scales: Vec<f64> = want[..rows * cols].iter().map(|v| v.abs()).collect();
        scales.extend((0..cols).map(|c| {
            (0..rows)
                .map(|ri| (f(dy[ri]) * f(w[ri * cols + c])).abs())
                .sum::<f64>()
        }));
        for (p, o) in on_paths(rep, "matvec_backward", || {
            let mut dw = vec![T::from_f64(5.0); rows * cols];
            let mut dx = vec![T::from_f64(5.0); cols];
            k::matvec_backward(&w, &x, &dy, &mut dw, &mut dx);
            dw.extend(dx);
            dw
        }) {
            normwise(rep, "matvec_backward", p, &o, &want, &scales);
        }
    }
}
