//! Inputs at the edges: empty slices, NaN propagation, stability at
//! extreme and special values, and `_backward` kernels overwriting `dx`.

use grad_core::dispatch;
use grad_core::kernels as k;

use super::paths;

#[test]
fn empty_inputs_have_documented_results() {
    for p in paths() {
        dispatch::with_path(p, || {
            let mut out: [f32; 0] = [];
            k::softmax(&[], &mut out);
            k::log_softmax(&[], &mut out);
            k::softmax_rows(&[], 0, &mut out);
            k::softmax_rows(&[], 7, &mut out);
            k::log_softmax_rows(&[], 0, &mut out);
            k::log_softmax_rows(&[], 7, &mut out);
            k::log_softmax_rows_backward(&[], &[], 3, &mut out);
            k::sigmoid(&[], &mut out);
            assert_eq!(k::sum::<f32>(&[]), 0.0);
            assert_eq!(k::dot::<f64>(&[], &[]), 0.0);
            assert_eq!(k::max::<f32>(&[]), f32::NEG_INFINITY);
            assert!(k::mean::<f32>(&[]).is_nan());
            assert!(k::mse::<f64>(&[], &[]).is_nan());
            assert!(k::cross_entropy::<f32>(&[], 5, &[]).is_nan());
            let mut o = [9.0_f32; 2];
            k::matvec(&[], &[], &mut o);
            assert_eq!(o, [0.0, 0.0]);
        });
    }
}

// ------------------------------------------------------------------ NaN

#[test]
fn nan_propagates() {
    let nan = f32::NAN;
    for p in paths() {
        dispatch::with_path(p, || {
            let x = [1.0, nan, -2.0];
            let mut o = [0.0_f32; 3];
            for f in [
                k::sigmoid::<f32> as fn(&[f32], &mut [f32]),
                k::tanh,
                k::exp,
                k::ln,
                k::softplus,
                k::relu,
            ] {
                f(&x, &mut o);
                assert!(o[1].is_nan() && !o[0].is_nan(), "{p:?}");
            }
            k::softmax(&x, &mut o);
            assert!(o.iter().all(|v| v.is_nan()));
            k::log_softmax(&x, &mut o);
            assert!(o.iter().all(|v| v.is_nan()));
            assert!(k::cross_entropy(&x, 3, &[0]).is_nan());
            assert!(k::sum(&x).is_nan());
            assert!(k::max(&x).is_nan());
            assert!(k::max(&[nan, 1.0]).is_nan());
            assert!(k::dot(&x, &[1.0; 3]).is_nan());
            assert!(k::mse(&x, &[0.0; 3]).is_nan());
            let mut m = [0.0_f32; 1];
            k::matvec(&x, &[1.0; 3], &mut m);
            assert!(m[0].is_nan());
        });
    }
}

// ------------------------------------------------------------------ stability

#[test]
fn extreme_inputs_are_stable() {
    for p in paths() {
        dispatch::with_path(p, || {
            let x = [-1000.0_f32, 1000.0, -1e30, 1e30, f32::MAX, -f32::MAX];
            let mut o = [0.0_f32; 6];
            k::sigmoid(&x, &mut o);
            assert_eq!(o, [0.0, 1.0, 0.0, 1.0, 1.0, 0.0]);
            k::tanh(&x, &mut o);
            assert_eq!(o, [-1.0, 1.0, -1.0, 1.0, 1.0, -1.0]);
            k::softplus(&x, &mut o);
            assert_eq!(o[..2], [0.0, 1000.0]);
            let l = [1000.0_f32, 0.0, -1000.0];
            let mut o3 = [0.0_f32; 3];
            k::log_softmax(&l, &mut o3);
            assert_eq!(o3, [0.0, -1000.0, -2000.0]);
            k::softmax(&l, &mut o3);
            assert_eq!(o3, [1.0, 0.0, 0.0]);
            assert_eq!(k::cross_entropy(&l, 3, &[2]), 2000.0);
            assert_eq!(k::cross_entropy(&l, 3, &[0]), 0.0);
            let mut d = [9.0_f32; 3];
            k::cross_entropy_backward(&l, 3, &[2], 1.0, &mut d);
            assert_eq!(d, [1.0, 0.0, -1.0]);
            let l64 = [1000.0_f64, 0.0, -1000.0];
            assert_eq!(k::cross_entropy(&l64, 3, &[1]), 1000.0);
        });
    }
}

#[test]
fn minus_infinity_logits_are_impossible_classes() {
    let ninf = f32::NEG_INFINITY;
    for p in paths() {
        dispatch::with_path(p, || {
            for cols in [2_usize, 40] {
                // Row: [−∞, 0, −∞, …, −∞] (short-row and long-row paths).
                let mut x = vec![ninf; cols];
                x[1] = 0.0;
                let mut o = vec![0.0_f32; cols];
                k::softmax(&x, &mut o);
                assert_eq!(o[1], 1.0);
                assert!(o.iter().enumerate().all(|(i, &v)| i == 1 || v == 0.0));
                k::softmax_rows(&x, cols, &mut o);
                assert_eq!(o[1], 1.0);
                k::log_softmax(&x, &mut o);
                assert_eq!(o[1], 0.0);
                assert_eq!(o[0], ninf);
                k::log_softmax_rows(&x, cols, &mut o);
                assert_eq!(o[1], 0.0);
                assert_eq!(o[0], ninf);
                assert_eq!(k::cross_entropy(&x, cols, &[1]), 0.0);
                assert_eq!(k::cross_entropy(&x, cols, &[0]), f32::INFINITY);
                // Every logit −∞: no class is possible, NaN as in PyTorch.
                let all = vec![ninf; cols];
                k::softmax(&all, &mut o);
                assert!(o.iter().all(|v| v.is_nan()));
            }
        });
    }
}

#[test]
fn special_values_of_elementwise_ops() {
    let mut o = [0.0_f64; 6];
    k::exp(
        &[0.0, -0.0, f64::INFINITY, f64::NEG_INFINITY, 710.0, -1e10],
        &mut o,
    );
    assert_eq!(o, [1.0, 1.0, f64::INFINITY, 0.0, f64::INFINITY, 0.0]);
    k::ln(&[1.0, 0.0, -0.0, -1.0, f64::INFINITY, 5e-324], &mut o);
    assert_eq!(o[..3], [0.0, f64::NEG_INFINITY, f64::NEG_INFINITY]);
    assert!(o[3].is_nan());
    assert_eq!(o[4], f64::INFINITY);
    assert!((o[5] - (5e-324_f64).ln()).abs() < 1e-12);
    k::tanh(&[-0.0, 0.0, 1e-30, -1e-30, 0.625, -0.625], &mut o);
    assert!(o[0] == 0.0 && o[0].is_sign_negative());
    assert_eq!(o[2..4], [1e-30, -1e-30]);
    assert_eq!(o[4], -o[5]);
    k::relu(&[-0.0, 0.0, -1.0, 2.0, -1e-300, 1e-300], &mut o);
    assert_eq!(o, [0.0, 0.0, 0.0, 2.0, 0.0, 1e-300]);
    assert!(o[0].is_sign_positive());
}

// ------------------------------------------------------------------ overwrite

#[test]
fn backward_kernels_overwrite_dx() {
    let y = [0.25_f32, 0.5, 0.25];
    let dy = [1.0_f32, 0.0, 0.0];
    let mut a = [0.0_f32; 3];
    let mut b = [123.0_f32; 3];
    for f in [
        k::sigmoid_backward::<f32> as fn(&[f32], &[f32], &mut [f32]),
        k::tanh_backward,
        k::relu_backward,
        k::exp_backward,
        k::ln_backward,
        k::softplus_backward,
        k::softmax_backward,
        k::log_softmax_backward,
    ] {
        f(&y, &dy, &mut a);
        f(&y, &dy, &mut b);
        assert_eq!(a, b);
    }
    let (mut dw1, mut dx1) = ([0.0_f32; 6], [0.0_f32; 3]);
    let (mut dw2, mut dx2) = ([7.0_f32; 6], [7.0_f32; 3]);
    let w = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0];
    k::matvec_backward(&w, &y, &[1.0, 2.0], &mut dw1, &mut dx1);
    k::matvec_backward(&w, &y, &[1.0, 2.0], &mut dw2, &mut dx2);
    assert_eq!((dw1, dx1), (dw2, dx2));
    assert_eq!(dx1, [9.0, 12.0, 15.0]);
}
