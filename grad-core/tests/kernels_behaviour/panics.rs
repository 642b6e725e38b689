//! Length and shape checks: each kernel panics with a message that names
//! the op, the argument and the lengths.

use grad_core::kernels as k;

#[test]
#[should_panic(expected = "sigmoid: x has length 3 but out has length 4")]
fn sigmoid_length_mismatch() {
    k::sigmoid(&[0.0_f32; 3], &mut [0.0; 4]);
}

#[test]
#[should_panic(expected = "tanh_backward: y has length 2 but dy has length 3")]
fn tanh_backward_length_mismatch() {
    k::tanh_backward(&[0.0_f64; 2], &[0.0; 3], &mut [0.0; 2]);
}

#[test]
#[should_panic(expected = "relu_backward: x has length 2 but dx has length 1")]
fn relu_backward_dx_mismatch() {
    k::relu_backward(&[0.0_f32; 2], &[0.0; 2], &mut [0.0; 1]);
}

#[test]
#[should_panic(expected = "softmax: x has length 2 but out has length 1")]
fn softmax_length_mismatch() {
    k::softmax(&[0.0_f32; 2], &mut [0.0; 1]);
}

#[test]
#[should_panic(expected = "log_softmax_backward: y has length 2 but dx has length 3")]
fn log_softmax_backward_mismatch() {
    k::log_softmax_backward(&[0.0_f32; 2], &[0.0; 2], &mut [0.0; 3]);
}

#[test]
#[should_panic(expected = "softmax_rows: x has length 5, not a multiple of cols = 2")]
fn softmax_rows_ragged() {
    k::softmax_rows(&[0.0_f32; 5], 2, &mut [0.0; 5]);
}

#[test]
#[should_panic(expected = "softmax_rows: cols is 0 but x has length 3")]
fn softmax_rows_zero_cols() {
    k::softmax_rows(&[0.0_f32; 3], 0, &mut [0.0; 3]);
}

#[test]
#[should_panic(expected = "log_softmax_rows: x has length 6 but out has length 4")]
fn log_softmax_rows_length_mismatch() {
    k::log_softmax_rows(&[0.0_f32; 6], 2, &mut [0.0; 4]);
}

#[test]
#[should_panic(expected = "log_softmax_rows: x has length 5, not a multiple of cols = 2")]
fn log_softmax_rows_ragged() {
    k::log_softmax_rows(&[0.0_f32; 5], 2, &mut [0.0; 5]);
}

#[test]
#[should_panic(expected = "log_softmax_rows: cols is 0 but x has length 3")]
fn log_softmax_rows_zero_cols() {
    k::log_softmax_rows(&[0.0_f64; 3], 0, &mut [0.0; 3]);
}

#[test]
#[should_panic(expected = "log_softmax_rows_backward: y has length 4 but dy has length 6")]
fn log_softmax_rows_backward_mismatch() {
    k::log_softmax_rows_backward(&[0.0_f32; 4], &[0.0; 6], 2, &mut [0.0; 4]);
}

#[test]
#[should_panic(expected = "log_softmax_rows_backward: y has length 6, not a multiple of cols = 4")]
fn log_softmax_rows_backward_ragged() {
    k::log_softmax_rows_backward(&[0.0_f32; 6], &[0.0; 6], 4, &mut [0.0; 6]);
}

#[test]
#[should_panic(expected = "mse: pred has length 3 but target has length 2")]
fn mse_length_mismatch() {
    k::mse(&[0.0_f32; 3], &[0.0; 2]);
}

#[test]
#[should_panic(expected = "mse_backward: pred has length 2 but dpred has length 3")]
fn mse_backward_length_mismatch() {
    k::mse_backward(&[0.0_f32; 2], &[0.0; 2], 1.0, &mut [0.0; 3]);
}

#[test]
#[should_panic(expected = "dot: a has length 3 but b has length 4")]
fn dot_length_mismatch() {
    k::dot(&[0.0_f64; 3], &[0.0; 4]);
}

#[test]
#[should_panic(expected = "cross_entropy: targets[1] = 3 is out of range for cols = 3 classes")]
fn cross_entropy_target_out_of_range() {
    k::cross_entropy(&[0.0_f32; 6], 3, &[0, 3]);
}

#[test]
#[should_panic(expected = "cross_entropy: logits has length 5 but targets.len() × cols = 2 × 3")]
fn cross_entropy_shape() {
    k::cross_entropy(&[0.0_f32; 5], 3, &[0, 1]);
}

#[test]
#[should_panic(expected = "cross_entropy_backward: logits has length 6 but dlogits has length 5")]
fn cross_entropy_backward_shape() {
    k::cross_entropy_backward(&[0.0_f32; 6], 3, &[0, 1], 1.0, &mut [0.0; 5]);
}

#[test]
#[should_panic(expected = "matvec: w has length 5 but rows × cols = 2 × 3")]
fn matvec_shape() {
    k::matvec(&[0.0_f32; 5], &[0.0; 3], &mut [0.0; 2]);
}

#[test]
#[should_panic(expected = "matvec_backward: x has length 3 but dx has length 2")]
fn matvec_backward_shape() {
    k::matvec_backward(
        &[0.0_f32; 6],
        &[0.0; 3],
        &[0.0; 2],
        &mut [0.0; 6],
        &mut [0.0; 2],
    );
}
