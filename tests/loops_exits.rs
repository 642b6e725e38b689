//! `break` and `continue` in loops: the derivative follows the iterations
//! and the statements that ran.

use grad::differentiable;

#[differentiable(hessian)]
fn grow(x: f64, k: f64, n: usize) -> f64 {
    let mut y = x;
    for _ in 0..n {
        if y > 10.0 {
            break;
        }
        y *= k;
    }
    y
}

#[differentiable]
fn skip_negatives(v: &[f64], w: f64) -> f64 {
    let mut s = 0.0;
    for x in v.iter() {
        if x < 0.0 {
            continue;
        }
        s += tanh(w * x);
    }
    s
}

#[differentiable]
fn settle(x: f64, k: f64) -> f64 {
    let mut y = x;
    let mut steps = 0.0;
    while y > 1.0 {
        y *= k;
        steps += 1.0;
        if steps > 3.0 {
            break;
        }
    }
    y * steps
}

#[test]
fn exits_follow_the_statements_that_ran() {
    // 2·3^m > 10 first at m = 2: y = 2·3², and the loop stops there.
    let (x, k): (f64, f64) = (2.0, 3.0);
    assert_eq!(grow(x, k, 100), 18.0);
    let (dx, dk) = grow_grad(x, k, 100);
    assert_eq!(dx, 9.0);
    assert_eq!(dk, 2.0 * 2.0 * 3.0);
    let h = grow_hessian(x, k, 100);
    assert_eq!((h[(0, 0)], h[(1, 1)]), (0.0, 4.0));
    assert_eq!(h[(0, 1)], 6.0);

    let v = [0.5, -1.0, 2.0, -0.25];
    let (dv, dw) = skip_negatives_grad(&v, 0.7);
    let s = |x: f64| 1.0 - (0.7 * x).tanh().powi(2);
    let want = [0.7 * s(0.5), 0.0, 0.7 * s(2.0), 0.0];
    for (d, w) in dv.iter().zip(want) {
        assert!((d - w).abs() < 1e-15, "{dv:?}");
    }
    assert!((dw - (0.5 * s(0.5) + 2.0 * s(2.0))).abs() < 1e-15);

    // 100·0.5^4 > 1: the break stops after 4 steps; y = 6.25, steps = 4.
    assert_eq!(settle(100.0, 0.5), 25.0);
    let (dx, dk) = settle_grad(100.0, 0.5);
    assert_eq!(dx, 4.0 * 0.5_f64.powi(4));
    assert_eq!(dk, 4.0 * 100.0 * 4.0 * 0.5_f64.powi(3));
}
