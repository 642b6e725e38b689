//! The row-wise pieces only second derivatives need (forward mode run over
//! a gradient), shared by the vector forms in [`super::v`] (one row) and
//! the matrix forms in [`super::m`] (every row). Each works on row-major
//! buffers of `cols` columns and writes every element of `out`.

use crate::Real;

/// The rows of `a` (and of the other buffers, zipped), `cols` at a time.
fn rows(len: usize, cols: usize) -> impl Iterator<Item = std::ops::Range<usize>> {
    let cols = cols.max(1);
    (0..len / cols).map(move |r| r * cols..(r + 1) * cols)
}

/// `⟨a, b⟩` of two rows.
fn dot<T: Real>(a: &[T], b: &[T]) -> T {
    a.iter().zip(b).fold(T::ZERO, |s, (&x, &y)| s + x * y)
}

/// `ẋ − ⟨exp(y), ẋ⟩` per row: the tangent of `y = log_softmax(x)` along `ẋ`.
pub(crate) fn log_softmax_jvp<T: Real>(y: &[T], dx: &[T], cols: usize, out: &mut [T]) {
    for r in rows(y.len(), cols) {
        let s = y[r.clone()]
            .iter()
            .zip(&dx[r.clone()])
            .fold(T::ZERO, |s, (&y, &d)| s + y.exp() * d);
        for i in r {
            out[i] = dx[i] - s;
        }
    }
}

/// `ẏ⊙(g − ⟨g, y⟩) − y⊙⟨g, ẏ⟩` per row: the tangent of
/// `softmax_backward(y, g) = y⊙(g − ⟨g, y⟩)` along `ẏ`.
pub(crate) fn softmax_backward_jvp_y<T: Real>(
    y: &[T],
    g: &[T],
    dy: &[T],
    cols: usize,
    out: &mut [T],
) {
    for r in rows(y.len(), cols) {
        let gy = dot(&g[r.clone()], &y[r.clone()]);
        let gd = dot(&g[r.clone()], &dy[r.clone()]);
        for i in r {
            out[i] = dy[i] * (g[i] - gy) - y[i] * gd;
        }
    }
}

/// `−exp(y)⊙ẏ·Σg` per row: the tangent of
/// `log_softmax_backward(y, g) = g − exp(y)·Σg` along `ẏ`.
pub(crate) fn log_softmax_backward_jvp_y<T: Real>(
    y: &[T],
    g: &[T],
    dy: &[T],
    cols: usize,
    out: &mut [T],
) {
    for r in rows(y.len(), cols) {
        let s = g[r.clone()].iter().fold(T::ZERO, |s, &x| s + x);
        for i in r {
            out[i] = -(y[i].exp() * dy[i]) * s;
        }
    }
}

/// `(g/rows)·p⊙(ż − ⟨p, ż⟩)` per row with `p = softmax(z)`: the tangent of
/// `cross_entropy_backward(z, labels, g) = g·(p − onehot)/rows` along `ż`.
pub(crate) fn cross_entropy_backward_jvp_z<T: Real>(
    z: &[T],
    g: T,
    dz: &[T],
    cols: usize,
    out: &mut [T],
) {
    let n = z.len().checked_div(cols).unwrap_or(0);
    let k = g / T::from_usize(n.max(1));
    for r in rows(z.len(), cols) {
        let mut p = vec![T::ZERO; r.len()];
        crate::kernels::softmax(&z[r.clone()], &mut p);
        let pd = dot(&p, &dz[r.clone()]);
        for (j, i) in r.enumerate() {
            out[i] = k * (p[j] * (dz[i] - pd));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Central differences of `f` along `d` at `x`.
    fn along(f: &dyn Fn(&[f64]) -> Vec<f64>, x: &[f64], d: &[f64]) -> Vec<f64> {
        let h = 1e-6;
        let at = |s: f64| {
            let p: Vec<f64> = x.iter().zip(d).map(|(x, d)| x + s * h * d).collect();
            f(&p)
        };
        let (a, b) = (at(1.0), at(-1.0));
        a.iter().zip(&b).map(|(a, b)| (a - b) / (2.0 * h)).collect()
    }

    fn close(a: &[f64], b: &[f64]) {
        for (x, y) in a.iter().zip(b) {
            assert!((x - y).abs() < 1e-7 * (1.0 + y.abs()), "{a:?} vs {b:?}");
        }
    }

    const X: [f64; 6] = [0.3, -1.2, 2.0, 0.5, 0.1, -0.7];
    const D: [f64; 6] = [0.7, 0.2, -0.4, 1.1, -0.3, 0.6];
    const G: [f64; 6] = [1.5, -0.5, 0.25, -1.0, 2.0, 0.3];

    fn log_softmax(x: &[f64]) -> Vec<f64> {
        let mut out = vec![0.0; x.len()];
        for r in rows(x.len(), 3) {
            crate::kernels::log_softmax(&x[r.clone()], &mut out[r]);
        }
        out
    }

    fn softmax(x: &[f64]) -> Vec<f64> {
        log_softmax(x).iter().map(|v| v.exp()).collect()
    }

    #[test]
    fn log_softmax_jvp_is_the_derivative_of_log_softmax() {
        let y = log_softmax(&X);
        let mut out = [0.0; 6];
        log_softmax_jvp(&y, &D, 3, &mut out);
        close(&out, &along(&log_softmax, &X, &D));
    }

    #[test]
    fn softmax_backward_jvp_differentiates_in_y() {
        let back = |y: &[f64]| -> Vec<f64> {
            (0..6)
                .map(|i| {
                    let r = (i / 3) * 3..(i / 3) * 3 + 3;
                    y[i] * (G[i] - dot(&G[r.clone()], &y[r]))
                })
                .collect()
        };
        let mut out = [0.0; 6];
        softmax_backward_jvp_y(&X, &G, &D, 3, &mut out);
        close(&out, &along(&back, &X, &D));
    }

    #[test]
    fn log_softmax_backward_jvp_differentiates_in_y() {
        let back = |y: &[f64]| -> Vec<f64> {
            (0..6)
                .map(|i| {
                    let r = (i / 3) * 3..(i / 3) * 3 + 3;
                    G[i] - y[i].exp() * G[r].iter().sum::<f64>()
                })
                .collect()
        };
        let mut out = [0.0; 6];
        log_softmax_backward_jvp_y(&X, &G, &D, 3, &mut out);
        close(&out, &along(&back, &X, &D));
    }

    #[test]
    fn cross_entropy_backward_jvp_differentiates_in_z() {
        let g = 0.8;
        let back = |z: &[f64]| -> Vec<f64> {
            let p = softmax(z);
            // labels do not matter for the derivative in z
            p.iter().map(|p| g * p / 2.0).collect()
        };
        let mut out = [0.0; 6];
        cross_entropy_backward_jvp_z(&X, g, &D, 3, &mut out);
        close(&out, &along(&back, &X, &D));
    }
}
