//! The same ops at lengths around and far above the point where the
//! generated code switches from scalar loops to grad-core's SIMD kernels
//! (32 elements today), in f64 and f32, against the closed forms, plus
//! central differences on a few coordinates.

use crate::closed;
use crate::defs::{d32, d64};
use crate::support::{Flat, Rng, Tol, assert_close, central_diff};

const LENGTHS: [usize; 7] = [1, 2, 31, 32, 33, 100, 1000];

fn to32(v: &[f64]) -> Vec<f32> {
    v.iter().map(|&x| x as f32).collect()
}

/// Central differences of `f` on five coordinates spread over `at`, against `got`.
fn fd_spot_check(what: &str, f: impl Fn(&[f64]) -> f64, at: &[f64], got: &[f64]) {
    let picks: Vec<usize> = (0..5).map(|i| i * (at.len() - 1) / 4).collect();
    let want: Vec<f64> = picks
        .iter()
        .map(|&i| {
            // Differentiate along coordinate `i` only.
            let g = |t: &[f64]| {
                let mut x = at.to_vec();
                x[i] = t[0];
                f(&x)
            };
            central_diff(g, &[at[i]])[0]
        })
        .collect();
    let got: Vec<f64> = picks.iter().map(|&i| got[i]).collect();
    assert_close(
        what,
        &picks.iter().map(|&i| i as f64).collect::<Vec<_>>(),
        &got,
        &want,
        f64::FD,
    );
}

/// `check_large!(name, f, f_grad, closed_f, [(lo, hi); k])`: `k` slice
/// arguments of one length `n`, for every `n` in `LENGTHS`.
macro_rules! check_large {
    ($name:ident, $f:ident, $g:ident, $c:ident, $(($lo:expr, $hi:expr)),+) => {
        #[test]
        fn $name() {
            let mut rng = Rng::for_test(stringify!($name));
            for n in LENGTHS {
                let args: Vec<Vec<f64>> = vec![$(rng.vec(n, $lo, $hi)),+];
                let at = args.concat();
                let call64 = |x: &[f64]| {
                    let mut parts = x.chunks(n);
                    d64::$f($({ let _ = $lo; parts.next().unwrap() }),+)
                };
                let mut parts = args.iter();
                let got = d64::$g($({ let _ = $lo; &parts.next().unwrap()[..] }),+).flat();
                let mut parts = args.iter();
                let want = closed::$c($({ let _ = $lo; &parts.next().unwrap()[..] }),+);
                let what = format!("{} at n = {n}", stringify!($g));
                assert_close(&what, &[n as f64], &got, &want, f64::CLOSED);
                fd_spot_check(&what, call64, &at, &got);
                let a32: Vec<Vec<f32>> = args.iter().map(|a| to32(a)).collect();
                let mut parts = a32.iter();
                let got32 = d32::$g($({ let _ = $lo; &parts.next().unwrap()[..] }),+).flat();
                assert_close(&format!("f32 {what}"), &[n as f64], &got32, &want, f32::CLOSED);
            }
        }
    };
}

check_large!(
    large_softmax,
    r_softmax,
    r_softmax_grad,
    r_softmax,
    (-6.0, 6.0),
    (-1.0, 1.0)
);
check_large!(
    large_log_softmax,
    r_log_softmax,
    r_log_softmax_grad,
    r_log_softmax,
    (-6.0, 6.0),
    (-1.0, 1.0)
);
check_large!(
    large_dot,
    r_dot,
    r_dot_grad,
    r_dot,
    (-2.0, 2.0),
    (-2.0, 2.0)
);
check_large!(large_sum, r_sum, r_sum_grad, r_sum, (-2.0, 2.0));
check_large!(large_mean, r_mean, r_mean_grad, r_mean, (-2.0, 2.0));
check_large!(
    large_mse,
    l_mse,
    l_mse_grad,
    l_mse,
    (-2.0, 2.0),
    (-2.0, 2.0)
);
check_large!(
    large_bce,
    l_bce,
    l_bce_grad,
    l_bce,
    (0.05, 0.95),
    (0.0, 1.0)
);
check_large!(
    large_bce_with_logits,
    l_bce_with_logits,
    l_bce_with_logits_grad,
    l_bce_with_logits,
    (-8.0, 8.0),
    (0.0, 1.0)
);
check_large!(
    large_sigmoid,
    u_sigmoid,
    u_sigmoid_grad,
    u_sigmoid,
    (-8.0, 8.0),
    (-1.0, 1.0)
);
check_large!(
    large_tanh,
    u_tanh,
    u_tanh_grad,
    u_tanh,
    (-4.0, 4.0),
    (-1.0, 1.0)
);
check_large!(
    large_exp,
    u_exp,
    u_exp_grad,
    u_exp,
    (-4.0, 4.0),
    (-1.0, 1.0)
);
check_large!(
    large_softplus,
    u_softplus,
    u_softplus_grad,
    u_softplus,
    (-8.0, 8.0),
    (-1.0, 1.0)
);
check_large!(
    large_mul,
    e_mul_vv,
    e_mul_vv_grad,
    e_mul_vv,
    (-2.0, 2.0),
    (-2.0, 2.0),
    (-1.0, 1.0)
);

#[test]
fn large_cross_entropy() {
    let mut rng = Rng::for_test("large_cross_entropy");
    for n in LENGTHS {
        let z = rng.vec(n, -6.0, 6.0);
        for class in [0, n / 2, n - 1] {
            let want = closed::l_cross_entropy(&z, class);
            let got = d64::l_cross_entropy_grad(&z, class);
            let what = format!("cross_entropy_grad at n = {n}, class {class}");
            assert_close(&what, &[n as f64], &got, &want, f64::CLOSED);
            fd_spot_check(&what, |x| d64::l_cross_entropy(x, class), &z, &got);
            let got32 = d32::l_cross_entropy_grad(&to32(&z), class).flat();
            assert_close(
                &format!("f32 {what}"),
                &[n as f64],
                &got32,
                &want,
                f32::CLOSED,
            );
            let (v, g) = d64::l_cross_entropy_value_and_grad(&z, class);
            assert_close(
                "value",
                &[n as f64],
                &[v],
                &[d64::l_cross_entropy(&z, class)],
                f64::CLOSED,
            );
            assert_close("value_and_grad", &[n as f64], &g, &got, f64::CLOSED);
        }
    }
}

#[test]
fn large_matvec_and_regression() {
    let mut rng = Rng::for_test("large_matvec");
    for n in LENGTHS {
        let (w, x, c) = (
            rng.vec(3 * n, -1.0, 1.0),
            rng.vec(n, -2.0, 2.0),
            rng.vec(3, -1.0, 1.0),
        );
        let want = closed::r_matvec(&w, &x, &c);
        let got = d64::r_matvec_grad(&w, &x, &c).flat();
        assert_close(
            &format!("matvec 3×{n}"),
            &[n as f64],
            &got,
            &want,
            f64::CLOSED,
        );
        let got32 = d32::r_matvec_grad(&to32(&w), &to32(&x), &to32(&c)).flat();
        assert_close(
            &format!("f32 matvec 3×{n}"),
            &[n as f64],
            &got32,
            &want,
            f32::CLOSED,
        );
        // A tall matrix: n rows of 3.
        let (w, x3, c) = (
            rng.vec(3 * n, -1.0, 1.0),
            rng.vec(3, -2.0, 2.0),
            rng.vec(n, -1.0, 1.0),
        );
        let want = closed::r_matvec(&w, &x3, &c);
        let got = d64::r_matvec_grad(&w, &x3, &c).flat();
        assert_close(
            &format!("matvec {n}×3"),
            &[n as f64],
            &got,
            &want,
            f64::CLOSED,
        );

        let (w, x, y) = (
            rng.vec(n, -2.0, 2.0),
            rng.vec(n, -2.0, 2.0),
            rng.vec(n, -2.0, 2.0),
        );
        let want = closed::l_regression(&w, &x, 0.25, &y);
        let got = d64::l_regression_grad(&w, &x, 0.25, &y).flat();
        assert_close(
            &format!("regression n = {n}"),
            &[n as f64],
            &got,
            &want,
            f64::CLOSED,
        );
        let got32 = d32::l_regression_grad(&to32(&w), &to32(&x), 0.25, &to32(&y)).flat();
        assert_close(
            &format!("f32 regression n = {n}"),
            &[n as f64],
            &got32,
            &want,
            f32::CLOSED,
        );
    }
}

#[test]
fn large_vjp_and_jacobian() {
    let mut rng = Rng::for_test("large_vjp");
    for n in [31, 33, 100] {
        let (a, c) = (rng.vec(n, -6.0, 6.0), rng.vec(n, -1.0, 1.0));
        let j = closed::softmax_jacobian(&a);
        let want = crate::support::jt_c(&j, &c);
        assert_close(
            "softmax vjp",
            &[n as f64],
            &d64::o_softmax_vjp(&a, &c),
            &want,
            f64::CLOSED,
        );
        let got32 = d32::o_softmax_vjp(&to32(&a), &to32(&c)).flat();
        assert_close("f32 softmax vjp", &[n as f64], &got32, &want, f32::CLOSED);
        for (i, row) in d64::o_softmax_jacobian(&a).iter().enumerate() {
            assert_close(
                "softmax Jacobian row",
                &[n as f64, i as f64],
                row,
                &j[i],
                f64::CLOSED,
            );
        }
        let j = closed::log_softmax_jacobian(&a);
        let want = crate::support::jt_c(&j, &c);
        assert_close(
            "log_softmax vjp",
            &[n as f64],
            &d64::o_log_softmax_vjp(&a, &c),
            &want,
            f64::CLOSED,
        );
    }
}
