//! Run-time length mismatches panic with a message naming the op and both
//! lengths, in the original function and in every generated one: nothing is
//! silently truncated. Ops that exist outside the macro panic with the
//! public op's message.

use crate::defs::{d32, d64};
use crate::support::assert_panics_naming;

const A3: [f64; 3] = [0.1, 0.2, 0.3];
const A4: [f64; 4] = [0.1, 0.2, 0.3, 0.4];

#[test]
#[should_panic(expected = "vector + vector: lengths differ: 3 vs 4")]
fn add_of_different_lengths() {
    d64::e_add_vv(&A3, &A4, &A3);
}

#[test]
#[should_panic(expected = "vector / vector: lengths differ: 4 vs 3")]
fn div_of_different_lengths_f32() {
    d32::e_div_vv(&[1.0; 4], &[1.0; 3], &[1.0; 4]);
}

#[test]
#[should_panic(expected = "dot: a has length 3 but b has length 4")]
fn dot_of_different_lengths() {
    d64::r_dot(&A3, &A4);
}

#[test]
#[should_panic(expected = "mse: pred has length 4 but target has length 3")]
fn mse_of_different_lengths() {
    d64::l_mse(&A4, &A3);
}

#[test]
#[should_panic(expected = "binary_cross_entropy: p has length 3 but y has length 4")]
fn bce_of_different_lengths() {
    d64::l_bce(&A3, &A4);
}

#[test]
#[should_panic(expected = "bce_with_logits: z has length 3 but y has length 4")]
fn bce_with_logits_of_different_lengths() {
    d64::l_bce_with_logits(&A3, &A4);
}

#[test]
#[should_panic(expected = "matvec: w has length 7, which is not a multiple of x's length 3")]
fn matvec_of_a_length_that_does_not_divide() {
    d64::r_matvec(&[0.5; 7], &A3, &A3);
}

#[test]
#[should_panic(
    expected = "cross_entropy: class = 3 is out of range for 3 classes (logits has length 3)"
)]
fn cross_entropy_class_out_of_range() {
    d64::l_cross_entropy(&A3, 3);
}

#[test]
#[should_panic(expected = "index: 3 is out of range for a vector of length 3")]
fn index_out_of_range() {
    d64::i_index(&A3);
}

/// Each generated fn (`_grad`, `_value_and_grad`, `_vjp`, `_jacobian`) checks too.
#[test]
fn generated_functions_check_lengths() {
    let (a3, a4) = (&A3[..], &A4[..]);
    assert_panics_naming("e_add_vv_grad", "+", 3, 4, || {
        d64::e_add_vv_grad(a3, a4, a3)
    });
    assert_panics_naming("e_add_vv_value_and_grad", "+", 3, 4, || {
        d64::e_add_vv_value_and_grad(a3, a4, a3)
    });
    assert_panics_naming("e_sub_vv_grad", "-", 3, 4, || {
        d64::e_sub_vv_grad(a3, a4, a3)
    });
    assert_panics_naming("e_mul_vv_grad", "*", 3, 4, || {
        d64::e_mul_vv_grad(a3, a4, a3)
    });
    assert_panics_naming("e_div_vv_grad", "/", 3, 4, || {
        d64::e_div_vv_grad(a3, a4, a3)
    });
    assert_panics_naming("r_dot_grad", "dot", 3, 4, || d64::r_dot_grad(a3, a4));
    assert_panics_naming("r_dot_grad", "dot", 4, 3, || d64::r_dot_grad(a4, a3));
    assert_panics_naming("l_mse_grad", "mse", 3, 4, || d64::l_mse_grad(a3, a4));
    assert_panics_naming("l_mse_grad f32", "mse", 3, 4, || {
        d32::l_mse_grad(&[0.0; 3], &[0.0; 4])
    });
    assert_panics_naming("l_bce_grad", "binary_cross_entropy", 3, 4, || {
        d64::l_bce_grad(a3, a4)
    });
    assert_panics_naming("l_bce_with_logits_grad", "bce_with_logits", 3, 4, || {
        d64::l_bce_with_logits_grad(a3, a4)
    });
    assert_panics_naming("l_regression_grad (x)", "*", 3, 4, || {
        d64::l_regression_grad(a3, a4, 0.5, a3)
    });
    assert_panics_naming("l_regression_grad (y)", "mse", 3, 4, || {
        d64::l_regression_grad(a3, a3, 0.5, a4)
    });
    assert_panics_naming("r_matvec_grad", "matvec", 7, 3, || {
        d64::r_matvec_grad(&[0.5; 7], a3, a3)
    });
    // A dense layer whose bias has the wrong length: 3 rows, 2 biases.
    assert_panics_naming("r_dense_grad", "+", 3, 2, || {
        d64::r_dense_grad(&[0.5; 12], a4, &[0.0; 2], a3)
    });
    assert_panics_naming("o_add_vjp", "+", 3, 4, || d64::o_add_vjp(a3, a4, a3));
    assert_panics_naming("o_add_vjp cotangent", "cotangent", 3, 4, || {
        d64::o_add_vjp(a3, a3, a4)
    });
    assert_panics_naming("o_dense_vjp", "+", 3, 2, || {
        d64::o_dense_vjp(&[0.5; 12], a4, &[0.0; 2], a3)
    });
    assert_panics_naming("o_affine_jacobian", "cotangent", 3, 4, || {
        d64::o_affine_vjp(a3, 1.0, a4)
    });
    // A cotangent of the wrong length.
    assert_panics_naming("o_softmax_vjp cotangent", "cotangent", 3, 4, || {
        d64::o_softmax_vjp(a3, a4)
    });
    assert_panics_naming("o_array_vjp cotangent", "cotangent", 3, 4, || {
        d64::o_array_vjp([0.0; 3], a4)
    });
}

/// `dot(a * s, w)` with `w` of another length: the user wrote `dot`, so the
/// message of the generated gradient should say `dot` (as the original's does).
#[test]
fn grad_mismatch_names_the_op_the_user_wrote() {
    let (a3, a4) = (&A3[..], &A4[..]);
    assert_panics_naming("e_mul_vs", "dot", 3, 4, || d64::e_mul_vs(a3, 2.0, a4));
    assert_panics_naming("e_mul_vs_grad", "dot", 3, 4, || {
        d64::e_mul_vs_grad(a3, 2.0, a4)
    });
}
