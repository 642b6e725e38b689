//! The row kernels (the softmax family and cross-entropy, one row and
//! batches, forward and backward) against f64 references.

use grad_core::kernels as k;
use grad_core::testing::XorShift;

use super::harness::{Report, TReal, elem_rel, f, logits, normwise, on_paths};

/// `x − m` as an unevaluated sum `hi + lo` (TwoSum), so the f64 reference
/// of an f64 kernel is not limited by the rounding of the subtraction.
fn diff(x: f64, m: f64) -> (f64, f64) {
    let s = x - m;
    let bp = s - x;
    let ap = s - bp;
    let lo = (x - ap) + (-m - bp);
    (s, if lo.is_nan() { 0.0 } else { lo })
}

/// `(m, ln Σ e^{x − m})` with `ln S = ln c + ln_1p(T/c)` (c maximal
/// elements, T the sum of the others), accurate when `T ≪ ε`.
fn ref_lse(x: &[f64]) -> (f64, f64) {
    let m = x.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    let c = x.iter().filter(|&&v| v == m).count() as f64;
    let t: f64 = x
        .iter()
        .filter(|&&v| v != m)
        .map(|&v| {
            let (h, l) = diff(v, m);
            h.exp() * (1.0 + l)
        })
        .sum();
    (m, c.ln() + (t / c).ln_1p())
}

fn ref_softmax(x: &[f64]) -> Vec<f64> {
    let (_, lse) = ref_lse(x);
    let m = x.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    x.iter()
        .map(|&v| {
            let (h, l) = diff(v, m);
            ((h - lse) + l).exp()
        })
        .collect()
}

fn ref_log_softmax(x: &[f64]) -> Vec<f64> {
    let (m, lse) = ref_lse(x);
    x.iter()
        .map(|&v| {
            let (h, l) = diff(v, m);
            (h - lse) + l
        })
        .collect()
}

fn row_lengths() -> Vec<usize> {
    let mut v: Vec<usize> = (0..=3 * k::ACCUMULATORS + 1).collect();
    v.extend([1000, 1031, 4099]);
    v
}

pub(crate) fn check_rows<T: TReal>(rep: &mut Report, reps: usize) {
    let mut r = XorShift::new(5);
    for n in row_lengths() {
        for spread in [3.0, 50.0] {
            for _ in 0..reps {
                let x: Vec<T> = logits(&mut r, n, spread);
                let xf: Vec<f64> = x.iter().map(|v| f(*v)).collect();
                let dy: Vec<T> = logits(&mut r, n, 1.0);
                let dyf: Vec<f64> = dy.iter().map(|v| f(*v)).collect();
                // softmax
                let sm = ref_softmax(&xf);
                for (p, o) in on_paths(rep, "softmax", || {
                    let mut o = vec![T::ZERO; n];
                    k::softmax(&x, &mut o);
                    o
                }) {
                    elem_rel(rep, "softmax", p, &o, &sm);
                }
                // log_softmax
                let ls = ref_log_softmax(&xf);
                for (p, o) in on_paths(rep, "log_softmax", || {
                    let mut o = vec![T::ZERO; n];
                    k::log_softmax(&x, &mut o);
                    o
                }) {
                    elem_rel(rep, "log_softmax", p, &o, &ls);
                }
                // backward, from the f32/f64 outputs of the kernels
                let mut y = vec![T::ZERO; n];
                k::softmax(&x, &mut y);
                let yf: Vec<f64> = y.iter().map(|v| f(*v)).collect();
                let s: f64 = yf.iter().zip(&dyf).map(|(a, b)| a * b).sum();
                let want: Vec<f64> = yf.iter().zip(&dyf).map(|(a, g)| a * (g - s)).collect();
                let sa: f64 = yf.iter().zip(&dyf).map(|(a, b)| (a * b).abs()).sum();
                let scales: Vec<f64> = yf
                    .iter()
                    .zip(&dyf)
                    .map(|(a, g)| a * (g.abs() + sa))
                    .collect();
                for (p, o) in on_paths(rep, "softmax_backward", || {
                    let mut o = vec![T::ZERO; n];
                    k::softmax_backward(&y, &dy, &mut o);
                    o
                }) {
                    normwise(rep, "softmax_backward", p, &o, &want, &scales);
                }
                let mut l = vec![T::ZERO; n];
                k::log_softmax(&x, &mut l);
                let lf: Vec<f64> = l.iter().map(|v| f(*v)).collect();
                let sd: f64 = dyf.iter().sum();
                let want: Vec<f64> = lf.iter().zip(&dyf).map(|(a, g)| g - a.exp() * sd).collect();
                let sda: f64 = dyf.iter().map(|v| v.abs()).sum();
                let scales: Vec<f64> = lf
                    .iter()
                    .zip(&dyf)
                    .map(|(a, g)| g.abs() + a.exp() * sda)
                    .collect();
                for (p, o) in on_paths(rep, "log_softmax_backward", || {
                    let mut o = vec![T::ZERO; n];
                    k::log_softmax_backward(&l, &dy, &mut o);
                    o
                }) {
                    normwise(rep, "log_softmax_backward", p, &o, &want, &scales);
                }
            }
        }
    }
    // Batches.
    for (rows, cols) in [
        (7, 13),
        (3, 97),
        (5, 1),
        (4, 33),
        (2, 1000),
        (64, 10),
        (40, 2),
        (17, 8),
        (19, 9),
        (9, 16),
        (33, 31),
    ] {
        let x: Vec<T> = logits(&mut r, rows * cols, 20.0);
        let dy: Vec<T> = logits(&mut r, rows * cols, 1.0);
        let want: Vec<f64> = x
            .chunks(cols)
            .flat_map(|c| ref_softmax(&c.iter().map(|v| f(*v)).collect::<Vec<_>>()))
            .collect();
        for (p, o) in on_paths(rep, "softmax_rows", || {
            let mut o = vec![T::ZERO; rows * cols];
            k::softmax_rows(&x, cols, &mut o);
            o
        }) {
            elem_rel(rep, "softmax_rows", p, &o, &want);
        }
        let mut y = vec![T::ZERO; rows * cols];
        k::softmax_rows(&x, cols, &mut y);
        let want: Vec<f64> = y
            .chunks(cols)
            .zip(dy.chunks(cols))
            .flat_map(|(yr, gr)| {
                let s: f64 = yr.iter().zip(gr).map(|(a, b)| f(*a) * f(*b)).sum();
                yr.iter()
                    .zip(gr)
                    .map(move |(a, g)| f(*a) * (f(*g) - s))
                    .collect::<Vec<_>>()
            })
            .collect();
        let scales: Vec<f64> = y
            .chunks(cols)
            .zip(dy.chunks(cols))
            .flat_map(|(yr, gr)| {
                let s: f64 = yr.iter().zip(gr).map(|(a, b)| (f(*a) * f(*b)).abs()).sum();
                yr.iter()
                    .zip(gr)
                    .map(move |(a, g)| f(*a) * (f(*g).abs() + s))
                    .collect::<Vec<_>>()
            })
            .collect();
        for (p, o) in on_paths(rep, "softmax_rows_backward", || {
            let mut o = vec![T::ZERO; rows * cols];
            k::softmax_rows_backward(&y, &dy, cols, &mut o);
            o
        }) {
            normwise(rep, "softmax_rows_backward", p, &o, &want, &scales);
        }
        // log_softmax over the same batch, forward and backward
        let want: Vec<f64> = x
            .chunks(cols)
            .flat_map(|c| ref_log_softmax(&c.iter().map(|v| f(*v)).collect::<Vec<_>>()))
            .collect();
        for (p, o) in on_paths(rep, "log_softmax_rows", || {
            let mut o = vec![T::ZERO; rows * cols];
            k::log_softmax_rows(&x, cols, &mut o);
            o
        }) {
            elem_rel(rep, "log_softmax_rows", p, &o, &want);
        }
        let mut l = vec![T::ZERO; rows * cols];
        k::log_softmax_rows(&x, cols, &mut l);
        let lf: Vec<f64> = l.iter().map(|v| f(*v)).collect();
        let dyf: Vec<f64> = dy.iter().map(|v| f(*v)).collect();
        let want: Vec<f64> = lf
            .chunks(cols)
            .zip(dyf.chunks(cols))
            .flat_map(|(lr, gr)| {
                let s: f64 = gr.iter().sum();
                lr.iter()
                    .zip(gr)
                    .map(move |(a, g)| g - a.exp() * s)
                    .collect::<Vec<_>>()
            })
            .collect();
        let scales: Vec<f64> = lf
            .chunks(cols)
            .zip(dyf.chunks(cols))
            .flat_map(|(lr, gr)| {
                let s: f64 = gr.iter().map(|v| v.abs()).sum();
                lr.iter()
                    .zip(gr)
                    .map(move |(a, g)| g.abs() + a.exp() * s)
                    .collect::<Vec<_>>()
            })
            .collect();
        for (p, o) in on_paths(rep, "log_softmax_rows_backward", || {
            let mut o = vec![T::ZERO; rows * cols];
            k::log_softmax_rows_backward(&l, &dy, cols, &mut o);
            o
        }) {
            normwise(rep, "log_softmax_rows_backward", p, &o, &want, &scales);
        }
        // cross-entropy over the same batch
        let targets: Vec<usize> = (0..rows)
            .map(|_| (r.next_u64() % cols as u64) as usize)
            .collect();
        let want: f64 = x
            .chunks(cols)
            .zip(&targets)
            .map(|(c, &t)| -ref_log_softmax(&c.iter().map(|v| f(*v)).collect::<Vec<_>>())[t])
            .sum::<f64>()
            / rows as f64;
        for (p, o) in on_paths(rep, "cross_entropy", || {
            vec![k::cross_entropy(&x, cols, &targets)]
        }) {
            elem_rel(rep, "cross_entropy", p, &o, &[want]);
        }
        let g = 0.7;
        let want: Vec<f64> = x
            .chunks(cols)
            .zip(&targets)
            .flat_map(|(c, &t)| {
                let mut s = ref_softmax(&c.iter().map(|v| f(*v)).collect::<Vec<_>>());
                s[t] -= 1.0;
                s.into_iter()
                    .map(|v| v * g / rows as f64)
                    .collect::<Vec<_>>()
            })
            .collect();
        let scales: Vec<f64> = x
            .chunks(cols)
            .zip(&targets)
            .flat_map(|(c, &t)| {
                let mut s = ref_softmax(&c.iter().map(|v| f(*v)).collect::<Vec<_>>());
                s[t] += 1.0;
                s.into_iter()
                    .map(|v| v * g / rows as f64)
                    .collect::<Vec<_>>()
            })
            .collect();
        for (p, o) in on_paths(rep, "cross_entropy_backward", || {
            let mut o = vec![T::ZERO; rows * cols];
            k::cross_entropy_backward(&x, cols, &targets, T::from_f64(g), &mut o);
            o
        }) {
            normwise(rep, "cross_entropy_backward", p, &o, &want, &scales);
        }
    }
    // Cross-entropy with one row of every length.
    for n in 1..=3 * k::ACCUMULATORS + 1 {
        let x: Vec<T> = logits(&mut r, n, 30.0);
        let t = (r.next_u64() % n as u64) as usize;
        let want = -ref_log_softmax(&x.iter().map(|v| f(*v)).collect::<Vec<_>>())[t];
        for (p, o) in on_paths(rep, "cross_entropy", || vec![k::cross_entropy(&x, n, &[t])]) {
            elem_rel(rep, "cross_entropy", p, &o, &[want]);
        }
    }
}
