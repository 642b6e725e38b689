//! Run-time shape mismatches panic with a message naming the op and both
//! shapes, in the original fn and in every generated one (`_grad`,
//! `_value_and_grad`, `_vjp`): nothing is silently truncated or broadcast.
//! Where the line matters (the caller's op), see `tests/panic_location.rs`.

use std::panic::{AssertUnwindSafe, catch_unwind};

use grad::Matrix;

use crate::defs::{d32, d64};

/// Runs `f`, expecting a panic whose message contains every one of `parts`.
#[track_caller]
fn assert_panics_naming<R>(what: &str, parts: &[&str], f: impl FnOnce() -> R) {
    let err = match catch_unwind(AssertUnwindSafe(f)) {
        Ok(_) => panic!("{what}: no panic; expected one naming {parts:?}"),
        Err(e) => e,
    };
    let msg = err
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| err.downcast_ref::<&str>().map(|s| (*s).to_owned()))
        .unwrap_or_default();
    for p in parts {
        assert!(
            msg.contains(p),
            "{what}: the panic message {msg:?} should contain {p:?} (expected all of {parts:?})"
        );
    }
}

fn z(rows: usize, cols: usize) -> Matrix<f64> {
    Matrix::from_fn(rows, cols, |i, j| 0.1 + (i * cols + j) as f64 * 0.01)
}

fn z32(rows: usize, cols: usize) -> Matrix<f32> {
    Matrix::from_fn(rows, cols, |i, j| 0.1 + (i * cols + j) as f32 * 0.01)
}

#[test]
#[should_panic(expected = "matmul: a is 5×4 but b is 3×3")]
fn matmul_of_inner_dimensions_that_differ() {
    d64::p_matmul(&z(5, 4), &z(3, 3), &z(5, 3));
}

#[test]
#[should_panic(expected = "matrix + matrix: a is 2×3 but b is 3×2")]
fn add_of_different_shapes() {
    d64::e_add_mm(&z(2, 3), &z(3, 2), &z(2, 3));
}

#[test]
#[should_panic(expected = "matrix / matrix: a is 2×3 but b is 2×4")]
fn div_of_different_shapes_f32() {
    d32::e_div_mm(&z32(2, 3), &z32(2, 4), &z32(2, 3));
}

#[test]
#[should_panic(expected = "matrix * matrix: a is 2×3 but b is 3×2")]
fn the_weighting_product_of_different_shapes() {
    // `sum(transpose(a) * w)`: transpose(a) is 2×3, w is 3×2.
    d64::p_transpose(&z(3, 2), &z(3, 2));
}

#[test]
#[should_panic(expected = "matrix + vector: a is 5×3 but b has length 4")]
fn broadcast_of_a_vector_of_the_wrong_length() {
    d64::e_add_mv(&z(5, 3), &[0.5; 4], &z(5, 3));
}

#[test]
#[should_panic(expected = "vector - matrix: a has length 2 but b is 5×3")]
fn broadcast_on_the_left_of_a_vector_of_the_wrong_length() {
    d64::e_sub_vm(&z(5, 3), &[0.5; 2], &z(5, 3));
}

#[test]
#[should_panic(expected = "matvec: w is 5×4 but x has length 3")]
fn matvec_of_the_wrong_length() {
    d64::p_matvec(&z(5, 4), &[0.5; 3], &[0.5; 5]);
}

#[test]
#[should_panic(expected = "cross_entropy: logits is 4×3 but labels has length 5")]
fn cross_entropy_of_too_many_labels() {
    d64::l_cross_entropy(&z(4, 3), &[0, 1, 2, 0, 1]);
}

#[test]
#[should_panic(
    expected = "cross_entropy: labels[1] = 3 is out of range for 3 classes (logits is 2×3)"
)]
fn cross_entropy_of_a_label_out_of_range() {
    d64::l_cross_entropy(&z(2, 3), &[0, 3]);
}

/// Every generated fn checks too, with the op's name and both shapes.
#[test]
fn generated_functions_check_shapes() {
    let (a23, a32, a54, a33, a53) = (z(2, 3), z(3, 2), z(5, 4), z(3, 3), z(5, 3));
    let parts = ["matrix + matrix", "2×3", "3×2"];
    assert_panics_naming("e_add_mm_grad", &parts, || {
        d64::e_add_mm_grad(&a23, &a32, &a23)
    });
    assert_panics_naming("e_add_mm_value_and_grad", &parts, || {
        d64::e_add_mm_value_and_grad(&a23, &a32, &a23)
    });
    assert_panics_naming(
        "e_sub_mm_grad",
        &["matrix - matrix", "2×3", "3×2"],
        || d64::e_sub_mm_grad(&a23, &a32, &a23),
    );
    assert_panics_naming(
        "e_mul_mm_grad",
        &["matrix * matrix", "2×3", "3×2"],
        || d64::e_mul_mm_grad(&a23, &a32, &a23),
    );
    assert_panics_naming("p_matmul_grad", &["matmul", "5×4", "3×3"], || {
        d64::p_matmul_grad(&a54, &a33, &a53)
    });
    assert_panics_naming(
        "p_matmul_value_and_grad",
        &["matmul", "5×4", "3×3"],
        || d64::p_matmul_value_and_grad(&a54, &a33, &a53),
    );
    assert_panics_naming("p_matvec_grad", &["matvec", "5×4", "length 3"], || {
        d64::p_matvec_grad(&a54, &[0.5; 3], &[0.5; 5])
    });
    assert_panics_naming(
        "e_add_mv_grad",
        &["matrix + vector", "5×3", "length 4"],
        || d64::e_add_mv_grad(&a53, &[0.5; 4], &a53),
    );
    assert_panics_naming(
        "e_sub_vm_grad",
        &["vector - matrix", "5×3", "length 2"],
        || d64::e_sub_vm_grad(&a53, &[0.5; 2], &a53),
    );
    assert_panics_naming("l_mse", &["mse", "2×3", "3×2"], || d64::l_mse(&a23, &a32));
    assert_panics_naming("l_mse_grad", &["mse", "2×3", "3×2"], || {
        d64::l_mse_grad(&a23, &a32)
    });
    assert_panics_naming("l_bce", &["binary_cross_entropy", "2×3", "3×2"], || {
        d64::l_bce(&a23, &a32)
    });
    assert_panics_naming(
        "l_bce_grad",
        &["binary_cross_entropy", "2×3", "3×2"],
        || d64::l_bce_grad(&a23, &a32),
    );
    assert_panics_naming(
        "l_bce_with_logits",
        &["bce_with_logits", "2×3", "3×2"],
        || d64::l_bce_with_logits(&a23, &a32),
    );
    assert_panics_naming(
        "l_bce_with_logits_grad",
        &["bce_with_logits", "2×3", "3×2"],
        || d64::l_bce_with_logits_grad(&a23, &a32),
    );
    assert_panics_naming(
        "l_cross_entropy_grad",
        &["cross_entropy", "4×3", "length 5"],
        || d64::l_cross_entropy_grad(&z(4, 3), &[0, 1, 2, 0, 1]),
    );
    assert_panics_naming(
        "l_cross_entropy_value_and_grad",
        &["cross_entropy", "4×3", "length 5"],
        || d64::l_cross_entropy_value_and_grad(&z(4, 3), &[0, 1, 2, 0, 1]),
    );
}

/// A `_vjp` checks its cotangent against the result's shape, and the shapes
/// of the forward pass like the fn.
#[test]
fn vjp_checks_the_cotangent_and_the_arguments() {
    let (a35, c53) = (z(3, 5), z(5, 3));
    assert_panics_naming("o_softmax_vjp", &["cotangent", "5×3", "3×5"], || {
        d64::o_softmax_vjp(&a35, &c53)
    });
    assert_panics_naming(
        "o_transpose_vjp",
        &["matrix * matrix", "3×5", "5×3"],
        || d64::o_transpose_vjp(&a35, &c53, &c53),
    );
    assert_panics_naming("o_transpose", &["matrix * matrix", "3×5", "5×3"], || {
        d64::o_transpose(&a35, &c53)
    });
}
