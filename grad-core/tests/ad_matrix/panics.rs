//! Shape mismatches and out-of-range labels in `ad::m`: each panics with a
//! message naming the op and both shapes, at the caller's line.

use grad_core::Matrix;
use grad_core::ad::m;

/// The panic message of `f`.
fn message(f: impl FnOnce()) -> String {
    let err = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).expect_err("should panic");
    err.downcast_ref::<String>()
        .cloned()
        .or_else(|| err.downcast_ref::<&str>().map(|s| (*s).to_owned()))
        .unwrap_or_default()
}

#[test]
fn shape_mismatches_panic_naming_the_op_and_both_shapes() {
    let (a, b) = (Matrix::<f64>::zeros(2, 3), Matrix::<f64>::zeros(3, 2));
    let cases: Vec<(String, &str)> = vec![
        (
            message(|| _ = m::mm_add(&a, &b)),
            "matrix + matrix: a is 2×3 but b is 3×2",
        ),
        (
            message(|| _ = m::mm_sub(&a, &b)),
            "matrix - matrix: a is 2×3 but b is 3×2",
        ),
        (
            message(|| _ = m::mm_mul(&a, &b)),
            "matrix * matrix: a is 2×3 but b is 3×2",
        ),
        (
            message(|| _ = m::mm_div(&a, &b)),
            "matrix / matrix: a is 2×3 but b is 3×2",
        ),
        (
            message(|| _ = m::mv_add(&a, &[1.0; 2])),
            "matrix + vector: a is 2×3 but b has length 2",
        ),
        (
            message(|| _ = m::vm_sub(&[1.0; 2], &a)),
            "vector - matrix: a has length 2 but b is 2×3",
        ),
        (
            message(|| _ = m::matmul(&a, &a)),
            "matmul: a is 2×3 but b is 2×3",
        ),
        (
            message(|| _ = m::matvec::<f64, Vec<f64>>(&a, &[1.0; 2])),
            "matvec: w is 2×3 but x has length 2",
        ),
        (
            message(|| _ = m::mse(&a, &b)),
            "mse: pred is 2×3 but target is 3×2",
        ),
        (
            message(|| _ = m::mse_backward(&a, &b, 1.0)),
            "mse: pred is 2×3 but target is 3×2",
        ),
        (
            message(|| _ = m::binary_cross_entropy(&a, &b)),
            "binary_cross_entropy: p is 2×3 but y is 3×2",
        ),
        (
            message(|| _ = m::bce_backward_p(&a, &b, 1.0)),
            "binary_cross_entropy: p is 2×3 but y is 3×2",
        ),
        (
            message(|| _ = m::bce_backward_y(&a, &b, 1.0)),
            "binary_cross_entropy: p is 2×3 but y is 3×2",
        ),
        (
            message(|| _ = m::bce_with_logits(&a, &b)),
            "bce_with_logits: z is 2×3 but y is 3×2",
        ),
        (
            message(|| _ = m::bce_logits_backward_z(&a, &b, 1.0)),
            "bce_with_logits: z is 2×3 but y is 3×2",
        ),
        (
            message(|| _ = m::bce_logits_backward_y(&a, &b, 1.0)),
            "bce_with_logits: z is 2×3 but y is 3×2",
        ),
        (
            message(|| _ = m::sigmoid_backward(&a, &b)),
            "sigmoid_backward: y is 2×3 but dy is 3×2",
        ),
        (
            message(|| _ = m::tanh_backward(&a, &b)),
            "tanh_backward: y is 2×3 but dy is 3×2",
        ),
        (
            message(|| _ = m::relu_backward(&a, &b)),
            "relu_backward: x is 2×3 but dy is 3×2",
        ),
        (
            message(|| _ = m::softplus_backward(&a, &b)),
            "softplus_backward: x is 2×3 but dy is 3×2",
        ),
        (
            message(|| _ = m::softmax_backward(&a, &b)),
            "softmax_backward: y is 2×3 but dy is 3×2",
        ),
        (
            message(|| _ = m::log_softmax_backward(&a, &b)),
            "log_softmax_backward: y is 2×3 but dy is 3×2",
        ),
        (
            message(|| _ = m::matmul_backward_a(&a, &b)),
            "matmul_backward_a: dy is 2×3 but b is 3×2",
        ),
        (
            message(|| _ = m::matmul_backward_b(&a, &b)),
            "matmul_backward_b: a is 2×3 but dy is 3×2",
        ),
        (
            message(|| _ = m::matvec_backward_x::<f64, Vec<f64>>(&a, &[1.0; 3])),
            "matvec: w is 2×3 but dy has length 3",
        ),
        (
            message(|| _ = m::cotangent(&a, &b)),
            "cotangent: is 2×3 but the result is 3×2",
        ),
        (
            message(|| _ = m::cross_entropy(&a, [0])),
            "cross_entropy: logits is 2×3 but labels has length 1",
        ),
        (
            message(|| _ = m::cross_entropy_backward(&a, [0], 1.0)),
            "cross_entropy: logits is 2×3 but labels has length 1",
        ),
        (
            message(|| _ = m::cross_entropy(&a, [0, 7])),
            "cross_entropy: labels[1] = 7 is out of range for 3 classes (logits is 2×3)",
        ),
        (
            message(|| _ = m::cross_entropy_backward(&a, vec![0, 7], 1.0)),
            "cross_entropy: labels[1] = 7 is out of range for 3 classes (logits is 2×3)",
        ),
    ];
    for (got, want) in cases {
        assert_eq!(got, want);
    }
    // The public ops say the same where there is one.
    assert_eq!(
        message(|| _ = grad_core::mse(&a, &b)),
        "mse: pred is 2×3 but target is 3×2"
    );
    assert_eq!(
        message(|| _ = grad_core::cross_entropy(&a, &[0, 7][..])),
        "cross_entropy: labels[1] = 7 is out of range for 3 classes (logits is 2×3)"
    );
    assert_eq!(
        message(|| _ = grad_core::matvec(&a, [1.0; 2])),
        "matvec: w is 2×3 but x has length 2"
    );
}

#[test]
#[should_panic(expected = "matrix * matrix: a is 1×1 but b is 64×10")]
fn a_product_of_different_shapes_panics() {
    m::mm_mul(&Matrix::<f32>::zeros(1, 1), &Matrix::zeros(64, 10));
}

#[test]
#[should_panic(
    expected = "cross_entropy: labels[0] = 3 is out of range for 3 classes (logits is 1×3)"
)]
fn a_label_out_of_range_panics_in_the_backward() {
    m::cross_entropy_backward(&Matrix::<f32>::zeros(1, 3), [3], 1.0);
}

#[test]
#[should_panic(expected = "cotangent: is 1×2 but the result is 2×1")]
fn a_cotangent_of_the_wrong_shape_panics() {
    m::cotangent(&Matrix::<f64>::zeros(1, 2), &Matrix::zeros(2, 1));
}

/// Every check panics at the caller's line (in this file), not inside
/// `ad::m` or the ops it calls: `#[track_caller]` all the way down.
#[test]
fn panics_point_at_the_callers_line() {
    use std::cell::RefCell;
    use std::panic;
    thread_local!(static AT: RefCell<Option<String>> = const { RefCell::new(None) });
    let file = |f: &dyn Fn()| -> String {
        AT.with(|a| a.replace(None));
        let _ = panic::catch_unwind(panic::AssertUnwindSafe(f));
        AT.with(|a| a.take()).expect("a panic with a location")
    };
    let previous = panic::take_hook();
    panic::set_hook(Box::new(|info| {
        if let Some(l) = info.location() {
            AT.with(|a| a.replace(Some(l.file().to_owned())));
        }
    }));
    let (a, b) = (Matrix::<f64>::zeros(2, 3), Matrix::<f64>::zeros(3, 2));
    let files = [
        file(&|| _ = m::mm_add(&a, &b)),
        file(&|| _ = m::mv_sub(&a, &[1.0])),
        file(&|| _ = m::vm_add(&[1.0], &a)),
        file(&|| _ = m::matmul(&a, &a)),
        file(&|| _ = m::matvec::<f64, Vec<f64>>(&a, &[1.0])),
        file(&|| _ = m::matvec::<f64, [f64; 5]>(&a, &[1.0; 3])),
        file(&|| _ = m::mse(&a, &b)),
        file(&|| _ = m::mse_backward(&a, &b, 1.0)),
        file(&|| _ = m::bce_logits_backward_z(&a, &b, 1.0)),
        file(&|| _ = m::cross_entropy(&a, [9, 9])),
        file(&|| _ = m::cross_entropy_backward(&a, [0], 1.0)),
        file(&|| _ = m::softmax_backward(&a, &b)),
        file(&|| _ = m::tanh_backward(&a, &b)),
        file(&|| _ = m::matmul_backward_a(&a, &b)),
        file(&|| _ = m::matmul_backward_b(&a, &b)),
        file(&|| _ = m::matvec_backward_x::<f64, Vec<f64>>(&a, &[1.0])),
        file(&|| _ = m::col_sum::<f64, [f64; 2]>(&a)),
        file(&|| _ = m::cotangent(&a, &b)),
    ];
    panic::set_hook(previous);
    for (i, f) in files.iter().enumerate() {
        assert_eq!(f, file!(), "case {i}");
    }
}
