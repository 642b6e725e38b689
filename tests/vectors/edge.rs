//! Edge values: NaN propagates through values and gradients (never turned
//! into a finite number), empty vectors, one-element softmax.

use crate::defs::{d32, d64};

const NAN: f64 = f64::NAN;

fn has_nan(v: &[f64]) -> bool {
    v.iter().any(|x| x.is_nan())
}

#[test]
fn nan_propagates_through_values_and_gradients() {
    let z = [0.5, NAN, -1.0];
    let w = [1.0, 2.0, 3.0];
    assert!(d64::l_cross_entropy(&z, 0).is_nan(), "cross_entropy value");
    assert!(
        has_nan(&d64::l_cross_entropy_grad(&z, 0)),
        "cross_entropy gradient"
    );
    let (v, g) = d64::r_softmax_value_and_grad(&z, &w);
    assert!(v.is_nan() && has_nan(&g.0), "softmax: {v} {g:?}");
    let (v, g) = d64::r_log_softmax_value_and_grad(&z, &w);
    assert!(v.is_nan() && has_nan(&g.0), "log_softmax: {v} {g:?}");
    let (v, g) = d64::l_mse_value_and_grad(&z, &w);
    assert!(
        v.is_nan() && g.0[1].is_nan() && g.1[1].is_nan(),
        "mse: {v} {g:?}"
    );
    let (v, g) = d64::u_sigmoid_value_and_grad(&z, &w);
    assert!(v.is_nan() && g.0[1].is_nan(), "sigmoid: {v} {g:?}");
    let (v, g) = d64::u_tanh_value_and_grad(&z, &w);
    assert!(v.is_nan() && g.0[1].is_nan(), "tanh: {v} {g:?}");
    let (v, g) = d64::u_exp_value_and_grad(&z, &w);
    assert!(v.is_nan() && g.0[1].is_nan(), "exp: {v} {g:?}");
    let (v, g) = d64::l_bce_with_logits_value_and_grad(&z, &[0.0, 1.0, 0.0]);
    assert!(v.is_nan() && g.0[1].is_nan(), "bce_with_logits: {v} {g:?}");
    let (v, g) = d64::r_dot_value_and_grad(&z, &w);
    assert!(v.is_nan() && g.1[1].is_nan(), "dot: {v} {g:?}");
    let z32 = [0.5_f32, f32::NAN, -1.0];
    assert!(
        d32::l_cross_entropy_grad(&z32, 2)
            .iter()
            .any(|x| x.is_nan()),
        "f32 cross_entropy gradient"
    );
    // Long enough for the SIMD kernels.
    let mut long = vec![0.25; 100];
    long[77] = NAN;
    assert!(
        has_nan(&d64::l_cross_entropy_grad(&long, 3)),
        "cross_entropy gradient, n = 100"
    );
    assert!(
        has_nan(&d64::r_softmax_grad(&long, &[1.0; 100]).0),
        "softmax gradient, n = 100"
    );
}

#[test]
fn empty_vectors() {
    assert_eq!(d64::r_dot_grad(&[], &[]), (vec![], vec![]));
    assert_eq!(d64::r_sum_grad(&[]), Vec::<f64>::new());
    assert_eq!(d64::r_sum(&[]), 0.0);
    assert!(
        d64::r_mean(&[]).is_nan(),
        "the mean of nothing is NaN (as PyTorch)"
    );
    assert_eq!(d64::o_softmax(&[]), Vec::<f64>::new());
    assert_eq!(d64::o_softmax_vjp(&[], &[]), Vec::<f64>::new());
}

#[test]
fn softmax_of_one_element_is_constant() {
    assert_eq!(d64::o_softmax(&[3.0]), vec![1.0]);
    assert_eq!(d64::o_softmax_jacobian(&[3.0]), vec![vec![0.0]]);
    assert_eq!(d64::l_cross_entropy_grad(&[3.0], 0), vec![0.0]);
    assert_eq!(d64::l_cross_entropy(&[3.0], 0), 0.0);
}
