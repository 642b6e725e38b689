//! Forward mode through loops: `_jvp` and `_hessian` of fns with loops (a
//! scalar Euler-like recurrence, an RNN carrying a vector, element
//! assignment) against central differences of the fn.
use grad::differentiable;

#[differentiable(hessian)]
fn euler2(x0: f64, k: f64, steps: usize) -> f64 {
    let dt = 1.0 / steps as f64;
    let mut x = x0;
    for _ in 0..steps {
        x = x - dt * k * x * x;
    }
    x * x
}

#[differentiable(wrt(w), hessian)]
fn rnn(w: &[f64], xs: &[f64]) -> f64 {
    let mut h = vec![0.0; 2];
    for x in xs.iter() {
        h = tanh(matvec(w, h) + x);
    }
    sum(h * h)
}

#[differentiable(hessian)]
fn cum(x: &[f64]) -> f64 {
    let n = x.len();
    let mut c = vec![0.0; n];
    let mut acc = 0.0;
    for i in 0..n {
        acc += x[i] * x[i];
        c[i] = acc * x[i];
    }
    dot(c, c)
}

fn fd_hess<F: Fn(&[f64]) -> f64>(f: F, x: &[f64]) -> Vec<f64> {
    let n = x.len();
    let h = 1e-4;
    let mut out = vec![0.0; n * n];
    for i in 0..n {
        for j in 0..n {
            let e = |di: f64, dj: f64| {
                let mut y = x.to_vec();
                y[i] += di;
                y[j] += dj;
                f(&y)
            };
            out[i * n + j] = (e(h, h) - e(h, -h) - e(-h, h) + e(-h, -h)) / (4.0 * h * h);
        }
    }
    out
}

/// Every entry of `h` within `tol(fd)` of the central-difference Hessian `fd`.
fn close(h: &grad::Matrix<f64>, fd: &[f64], tol: impl Fn(f64) -> f64) {
    assert_eq!(h.as_slice().len(), fd.len());
    for (k, (a, b)) in h.as_slice().iter().zip(fd).enumerate() {
        assert!((a - b).abs() < tol(*b), "{k}: {a} {b}");
    }
}

#[test]
fn forward_through_loops() {
    let h = euler2_hessian(0.8, 0.6, 50);
    close(
        &h,
        &fd_hess(|p| euler2(p[0], p[1], 50), &[0.8, 0.6]),
        |_| 1e-5,
    );
    let (v, d) = euler2_jvp(0.8, 0.6, 50, 1.0, 0.5);
    let (g0, g1) = euler2_grad(0.8, 0.6, 50);
    assert_eq!(v, euler2(0.8, 0.6, 50));
    assert!((d - (g0 + 0.5 * g1)).abs() < 1e-12);
    let w = [0.3, -0.2, 0.5, 0.1];
    let xs = [0.5, -0.3, 0.8];
    close(&rnn_hessian(&w, &xs), &fd_hess(|p| rnn(p, &xs), &w), |_| {
        1e-5
    });
    let x = [0.5, -1.0, 0.7];
    close(&cum_hessian(&x), &fd_hess(cum, &x), |b| {
        1e-4 * (1.0 + b.abs())
    });
}
