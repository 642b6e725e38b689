//! `while` loops: a data-dependent trip count (the derivative follows the
//! iterations taken), a vector carried through a `while`, and its Hessian.

use grad::differentiable;

#[differentiable(hessian)]
fn shrink(x: f64, k: f64) -> f64 {
    let mut y = x;
    while y > 1.0 {
        y *= k;
    }
    y * y
}

#[differentiable]
fn settle(v: &[f64], rate: f64) -> f64 {
    let mut h = v.to_vec();
    let mut e = sum(h * h);
    while e > 0.5 {
        h = h * rate;
        e = sum(h * h);
    }
    sum(tanh(h))
}

#[test]
fn while_loops_follow_the_iterations_taken() {
    let (x, k): (f64, f64) = (20.0, 0.6);
    // 20·0.6^m ≤ 1 first at m = 6: y = 20·0.6^6, the loss y².
    let m = 6;
    let y = x * k.powi(m);
    assert!((shrink(x, k) - y * y).abs() < 1e-12);
    let (dx, dk) = shrink_grad(x, k);
    assert!((dx - 2.0 * y * k.powi(m)).abs() < 1e-12, "{dx}");
    assert!(
        (dk - 2.0 * y * f64::from(m) * x * k.powi(m - 1)).abs() < 1e-10,
        "{dk}"
    );
    let h = shrink_hessian(x, k);
    let dxx = 2.0 * k.powi(2 * m);
    assert!((h[(0, 0)] - dxx).abs() < 1e-12, "{}", h[(0, 0)]);
    assert_eq!(h[(0, 1)].to_bits(), h[(1, 0)].to_bits());

    let v = [0.9, -0.7, 0.4];
    let (dv, dr) = settle_grad(&v, 0.8);
    let step = 1e-6;
    let fd = (settle(&v, 0.8 + step) - settle(&v, 0.8 - step)) / (2.0 * step);
    assert!((fd - dr).abs() < 1e-7, "{fd} {dr}");
    for i in 0..3 {
        let (mut p, mut q) = (v, v);
        p[i] += step;
        q[i] -= step;
        let fd = (settle(&p, 0.8) - settle(&q, 0.8)) / (2.0 * step);
        assert!((fd - dv[i]).abs() < 1e-7, "{i}: {fd} {}", dv[i]);
    }
}
