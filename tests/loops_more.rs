//! Loops over vectors: a tanh RNN (a carried vector), a nested quadratic form, a cumulative product with an `if` inside the loop, element assignment (`c[i] = ..`, `h[i] *= w`); each against central differences or its closed form.
use grad::differentiable;

#[differentiable(wrt(w, u))]
fn rnn(w: &[f64], u: &[f64], xs: &[f64], h0: &[f64]) -> f64 {
    let mut h = h0.to_vec();
    for x in xs.iter() {
        h = tanh(matvec(w, h) + u * x);
    }
    sum(h * h)
}

#[differentiable]
fn nested(x: &[f64], a: &[f64]) -> f64 {
    let n = x.len();
    let mut s = 0.0;
    for i in 0..n {
        for j in 0..n {
            s += x[i] * a[i * n + j] * x[j];
        }
    }
    s
}

#[differentiable]
fn cumprod(x: &[f64]) -> f64 {
    let mut p = 1.0;
    let mut total = 0.0;
    for xi in x.iter() {
        p *= xi;
        if p > 0.0 {
            total += p;
        } else {
            total -= p;
        }
    }
    total
}

#[test]
fn more_loops() {
    let n = 3;
    let w: Vec<f64> = (0..n * n)
        .map(|k| ((k as f64) * 0.37).sin() * 0.5)
        .collect();
    let u: Vec<f64> = (0..n).map(|k| ((k as f64) * 0.71).cos()).collect();
    let xs = [0.5, -0.3, 0.8, 0.1];
    let h0 = vec![0.0; n];
    let (dw, du) = rnn_grad(&w, &u, &xs, &h0);
    let h = 1e-6;
    for k in 0..w.len() {
        let mut p = w.clone();
        p[k] += h;
        let mut m = w.clone();
        m[k] -= h;
        let fd = (rnn(&p, &u, &xs, &h0) - rnn(&m, &u, &xs, &h0)) / (2.0 * h);
        assert!((fd - dw[k]).abs() < 1e-8, "w{k}: {fd} {}", dw[k]);
    }
    for k in 0..u.len() {
        let mut p = u.clone();
        p[k] += h;
        let mut m = u.clone();
        m[k] -= h;
        let fd = (rnn(&w, &p, &xs, &h0) - rnn(&w, &m, &xs, &h0)) / (2.0 * h);
        assert!((fd - du[k]).abs() < 1e-8, "u{k}: {fd} {}", du[k]);
    }
    let x = [0.5, -1.0, 2.0];
    let a = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0];
    let (dx, da) = nested_grad(&x, &a);
    for i in 0..3 {
        let exact: f64 = (0..3).map(|j| (a[i * 3 + j] + a[j * 3 + i]) * x[j]).sum();
        assert!((dx[i] - exact).abs() < 1e-12);
        for j in 0..3 {
            assert!((da[i * 3 + j] - x[i] * x[j]).abs() < 1e-12);
        }
    }
    let xc = [0.5, -2.0, 1.5, 0.7];
    let g = cumprod_grad(&xc);
    for k in 0..4 {
        let mut p = xc;
        p[k] += h;
        let mut m = xc;
        m[k] -= h;
        let fd = (cumprod(&p) - cumprod(&m)) / (2.0 * h);
        assert!((fd - g[k]).abs() < 1e-8, "{k}: {fd} {}", g[k]);
    }
}

#[differentiable]
fn cumsum(x: &[f64]) -> f64 {
    let n = x.len();
    let mut c = vec![0.0; n];
    c[0] = x[0];
    for i in 1..n {
        c[i] = c[i - 1] + x[i] * x[i];
    }
    let mut s = 0.0;
    for v in c.iter() {
        s += v * v;
    }
    s
}

#[differentiable]
fn scatter(x: &[f64], w: f64) -> f64 {
    let mut h = x.to_vec();
    for i in 0..h.len() {
        h[i] *= w;
        h[i] += 1.0;
    }
    sum(tanh(h))
}

#[test]
fn element_assignment() {
    let x = [0.5, -1.0, 2.0, 0.3];
    let g = cumsum_grad(&x);
    let h = 1e-6;
    for k in 0..4 {
        let mut p = x;
        p[k] += h;
        let mut m = x;
        m[k] -= h;
        let fd = (cumsum(&p) - cumsum(&m)) / (2.0 * h);
        assert!(
            (fd - g[k]).abs() < 1e-6 * (1.0 + fd.abs()),
            "{k}: {fd} {}",
            g[k]
        );
    }
    let (gx, gw) = scatter_grad(&x, 0.7);
    let fd = (scatter(&x, 0.7 + h) - scatter(&x, 0.7 - h)) / (2.0 * h);
    assert!((fd - gw).abs() < 1e-8);
    for k in 0..4 {
        let mut p = x;
        p[k] += h;
        let mut m = x;
        m[k] -= h;
        let fd = (scatter(&p, 0.7) - scatter(&m, 0.7)) / (2.0 * h);
        assert!((fd - gx[k]).abs() < 1e-8);
    }
}
