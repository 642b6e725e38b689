//! Every matrix op of API §6 through `#[differentiable]`: the generated
//! gradient (f64 and f32) against the f64 central difference, on non-square
//! shapes (5×4 · 4×3 and the like).
//!
//! Domains keep away from kinks (`relu`, `abs` at 0: the inputs are at least
//! 0.05 away) and poles (`ln`, `sqrt`, divisors in `[0.5, 2]`).

/// `m(..)` with every element at least 0.05 away from 0, of both signs.
fn signed(rows: usize, cols: usize, seed: u32) -> crate::support::Arg {
    let x = crate::support::mat(rows, cols, seed, 0.05, 2.0);
    let signs = crate::support::mat(rows, cols, seed + 50, -1.0, 1.0);
    crate::support::mx(grad::Matrix::from_fn(rows, cols, |i, j| {
        if signs[(i, j)] < 0.0 {
            -x[(i, j)]
        } else {
            x[(i, j)]
        }
    }))
}

// ---------- products ----------
check!(matmul_both_arguments: p_matmul, p_matmul_grad, p_matmul_value_and_grad;
    [m(5, 4, 1, -2.0, 2.0), m(4, 3, 2, -2.0, 2.0), m(5, 3, 3, -1.0, 1.0)]);
check!(transpose: p_transpose, p_transpose_grad, p_transpose_value_and_grad;
    [m(5, 4, 1, -2.0, 2.0), m(4, 5, 2, -1.0, 1.0)]);
check!(matmul_of_transposes: p_matmul_transposed, p_matmul_transposed_grad, p_matmul_transposed_value_and_grad;
    [m(5, 4, 1, -1.0, 1.0), m(5, 3, 2, -1.0, 1.0), m(2, 3, 3, -1.0, 1.0)]);
check!(matvec_of_a_matrix_both_arguments: p_matvec, p_matvec_grad, p_matvec_value_and_grad;
    [m(5, 4, 1, -2.0, 2.0), v(4, 2, -2.0, 2.0), v(5, 3, -1.0, 1.0)]);
check!(matvec_of_an_owned_matrix: p_matvec_owned, p_matvec_owned_grad, p_matvec_owned_value_and_grad;
    [m(3, 6, 1, -1.0, 1.0), v(6, 2, -1.0, 1.0), v(3, 3, -0.5, 0.5)]);

// ---------- elementwise, matrix ⊙ matrix ----------
check!(add_mm: e_add_mm, e_add_mm_grad, e_add_mm_value_and_grad;
    [m(5, 4, 1, -2.0, 2.0), m(5, 4, 2, -2.0, 2.0), m(5, 4, 3, -1.0, 1.0)]);
check!(sub_mm: e_sub_mm, e_sub_mm_grad, e_sub_mm_value_and_grad;
    [m(5, 4, 1, -2.0, 2.0), m(5, 4, 2, -2.0, 2.0), m(5, 4, 3, -1.0, 1.0)]);
check!(mul_mm: e_mul_mm, e_mul_mm_grad, e_mul_mm_value_and_grad;
    [m(5, 4, 1, -2.0, 2.0), m(5, 4, 2, -2.0, 2.0), m(5, 4, 3, -1.0, 1.0)]);
check!(div_mm: e_div_mm, e_div_mm_grad, e_div_mm_value_and_grad;
    [m(5, 4, 1, -2.0, 2.0), m(5, 4, 2, 0.5, 2.0), m(5, 4, 3, -1.0, 1.0)]);

// ---------- elementwise, matrix and scalar in both orders ----------
check!(add_ms: e_add_ms, e_add_ms_grad, e_add_ms_value_and_grad;
    [m(3, 7, 1, -2.0, 2.0), s(0.7), m(3, 7, 3, -1.0, 1.0)]);
check!(add_sm: e_add_sm, e_add_sm_grad, e_add_sm_value_and_grad;
    [m(3, 7, 1, -2.0, 2.0), s(0.7), m(3, 7, 3, -1.0, 1.0)]);
check!(sub_ms: e_sub_ms, e_sub_ms_grad, e_sub_ms_value_and_grad;
    [m(3, 7, 1, -2.0, 2.0), s(-1.3), m(3, 7, 3, -1.0, 1.0)]);
check!(sub_sm: e_sub_sm, e_sub_sm_grad, e_sub_sm_value_and_grad;
    [m(3, 7, 1, -2.0, 2.0), s(-1.3), m(3, 7, 3, -1.0, 1.0)]);
check!(mul_ms: e_mul_ms, e_mul_ms_grad, e_mul_ms_value_and_grad;
    [m(3, 7, 1, -2.0, 2.0), s(1.7), m(3, 7, 3, -1.0, 1.0)]);
check!(mul_sm: e_mul_sm, e_mul_sm_grad, e_mul_sm_value_and_grad;
    [m(3, 7, 1, -2.0, 2.0), s(1.7), m(3, 7, 3, -1.0, 1.0)]);
check!(div_ms: e_div_ms, e_div_ms_grad, e_div_ms_value_and_grad;
    [m(3, 7, 1, -2.0, 2.0), s(0.8), m(3, 7, 3, -1.0, 1.0)]);
check!(div_sm: e_div_sm, e_div_sm_grad, e_div_sm_value_and_grad;
    [m(3, 7, 1, 0.5, 2.0), s(-1.1), m(3, 7, 3, -1.0, 1.0)]);
check!(literals: e_literals, e_literals_grad, e_literals_value_and_grad;
    [m(4, 2, 1, -2.0, 2.0), m(4, 2, 3, -1.0, 1.0)]);
check!(neg: e_neg, e_neg_grad, e_neg_value_and_grad;
    [m(2, 5, 1, -2.0, 2.0), m(2, 5, 3, -1.0, 1.0)]);

// ---------- broadcasts: the vector's gradient is the column sum ----------
check!(add_mv: e_add_mv, e_add_mv_grad, e_add_mv_value_and_grad;
    [m(5, 3, 1, -2.0, 2.0), v(3, 2, -2.0, 2.0), m(5, 3, 3, -1.0, 1.0)]);
check!(sub_mv: e_sub_mv, e_sub_mv_grad, e_sub_mv_value_and_grad;
    [m(5, 3, 1, -2.0, 2.0), v(3, 2, -2.0, 2.0), m(5, 3, 3, -1.0, 1.0)]);
check!(add_vm: e_add_vm, e_add_vm_grad, e_add_vm_value_and_grad;
    [m(5, 3, 1, -2.0, 2.0), v(3, 2, -2.0, 2.0), m(5, 3, 3, -1.0, 1.0)]);
check!(sub_vm: e_sub_vm, e_sub_vm_grad, e_sub_vm_value_and_grad;
    [m(5, 3, 1, -2.0, 2.0), v(3, 2, -2.0, 2.0), m(5, 3, 3, -1.0, 1.0)]);
check!(broadcast_of_a_computed_vector: e_broadcast_computed, e_broadcast_computed_grad, e_broadcast_computed_value_and_grad;
    [m(5, 3, 1, -1.0, 1.0), v(3, 2, -1.0, 1.0), m(5, 3, 3, -1.0, 1.0)]);

// ---------- unary elementwise ----------
check!(sigmoid: u_sigmoid, u_sigmoid_grad, u_sigmoid_value_and_grad;
    [m(4, 6, 1, -6.0, 6.0), m(4, 6, 3, -1.0, 1.0)]);
check!(tanh: u_tanh, u_tanh_grad, u_tanh_value_and_grad;
    [m(4, 6, 1, -3.0, 3.0), m(4, 6, 3, -1.0, 1.0)]);
check!(relu: u_relu, u_relu_grad, u_relu_value_and_grad;
    [signed(4, 6, 1), m(4, 6, 3, -1.0, 1.0)]);
check!(exp: u_exp, u_exp_grad, u_exp_value_and_grad;
    [m(4, 6, 1, -3.0, 3.0), m(4, 6, 3, -1.0, 1.0)]);
check!(ln: u_ln, u_ln_grad, u_ln_value_and_grad;
    [m(4, 6, 1, 0.2, 5.0), m(4, 6, 3, -1.0, 1.0)]);
check!(sqrt: u_sqrt, u_sqrt_grad, u_sqrt_value_and_grad;
    [m(4, 6, 1, 0.2, 5.0), m(4, 6, 3, -1.0, 1.0)]);
check!(abs: u_abs, u_abs_grad, u_abs_value_and_grad;
    [signed(4, 6, 1), m(4, 6, 3, -1.0, 1.0)]);
check!(softplus: u_softplus, u_softplus_grad, u_softplus_value_and_grad;
    [m(4, 6, 1, -6.0, 6.0), m(4, 6, 3, -1.0, 1.0)]);
check!(sin: u_sin, u_sin_grad, u_sin_value_and_grad;
    [m(4, 6, 1, -6.0, 6.0), m(4, 6, 3, -1.0, 1.0)]);
check!(cos: u_cos, u_cos_grad, u_cos_value_and_grad;
    [m(4, 6, 1, -6.0, 6.0), m(4, 6, 3, -1.0, 1.0)]);

// ---------- row-wise and reductions ----------
check!(softmax_rows: r_softmax, r_softmax_grad, r_softmax_value_and_grad;
    [m(5, 4, 1, -3.0, 3.0), m(5, 4, 3, -1.0, 1.0)]);
check!(log_softmax_rows: r_log_softmax, r_log_softmax_grad, r_log_softmax_value_and_grad;
    [m(5, 4, 1, -3.0, 3.0), m(5, 4, 3, -1.0, 1.0)]);
check!(sum: r_sum, r_sum_grad, r_sum_value_and_grad; [m(3, 4, 1, -2.0, 2.0)]);
check!(mean: r_mean, r_mean_grad, r_mean_value_and_grad; [m(3, 4, 1, -2.0, 2.0)]);
check!(sum_and_mean_of_products: r_sum_mean_of_products, r_sum_mean_of_products_grad, r_sum_mean_of_products_value_and_grad;
    [m(3, 4, 1, -2.0, 2.0), m(3, 4, 2, -2.0, 2.0)]);

// ---------- losses ----------
check!(cross_entropy: l_cross_entropy, l_cross_entropy_grad, l_cross_entropy_value_and_grad;
    [m(7, 4, 1, -3.0, 3.0), l(7, 4)]);
check!(mse: l_mse, l_mse_grad, l_mse_value_and_grad;
    [m(5, 3, 1, -2.0, 2.0), m(5, 3, 2, -2.0, 2.0)]);
check!(binary_cross_entropy: l_bce, l_bce_grad, l_bce_value_and_grad;
    [m(5, 3, 1, 0.05, 0.95), m(5, 3, 2, 0.0, 1.0)]);
check!(bce_with_logits: l_bce_with_logits, l_bce_with_logits_grad, l_bce_with_logits_value_and_grad;
    [m(5, 3, 1, -4.0, 4.0), m(5, 3, 2, 0.0, 1.0)]);
check!(losses_of_computed_matrices: l_chain, l_chain_grad, l_chain_value_and_grad;
    [m(5, 4, 1, -1.0, 1.0), m(4, 3, 2, -1.0, 1.0), m(5, 3, 3, 0.0, 1.0)]);

// ---------- matrix-valued: `_vjp` against ⟨cotangent, f⟩ ----------
check_vjp!(vjp_of_a_layer: o_layer, o_layer_vjp;
    [m(4, 3, 1, -1.0, 1.0), m(5, 4, 2, -1.0, 1.0), v(3, 3, -1.0, 1.0), s(1.3)]);
check_vjp!(vjp_of_softmax: o_softmax, o_softmax_vjp; [m(3, 5, 1, -2.0, 2.0)]);
check_vjp!(vjp_of_a_transpose: o_transpose, o_transpose_vjp;
    [m(3, 5, 1, -2.0, 2.0), m(3, 5, 2, -2.0, 2.0)]);
check_vjp!(vjp_of_the_identity: o_identity, o_identity_vjp; [m(3, 2, 1, -2.0, 2.0)]);

// ---------- mixed parameters, wrt, composition ----------
check!(scalar_scaling_a_matrix: x_scale, x_scale_grad, x_scale_value_and_grad;
    [m(4, 3, 1, -2.0, 2.0), s(0.9), m(4, 3, 3, -1.0, 1.0)]);
check!(every_parameter_kind: x_all_kinds, x_all_kinds_grad, x_all_kinds_value_and_grad;
    [m(5, 4, 1, -1.0, 1.0), m(4, 3, 2, -1.0, 1.0), v(3, 3, -1.0, 1.0), s(1.2), s(-0.4)]);
check!(wrt_one_matrix: x_wrt_b, x_wrt_b_grad, x_wrt_b_value_and_grad;
    [k(m(5, 4, 1, -1.0, 1.0)), m(4, 3, 2, -1.0, 1.0), k(s(0.7))]);
check!(wrt_a_scalar_and_a_matrix: x_wrt_s_a, x_wrt_s_a_grad, x_wrt_s_a_value_and_grad;
    [m(5, 4, 1, -1.0, 1.0), k(m(4, 3, 2, -1.0, 1.0)), s(0.7)]);

// ---------- composition: a matrix passed to a user fn taking `&Matrix`, one returned by a user fn ----------
mod composition {
    check!(passes_a_matrix_to_a_fn_taking_ref_matrix: x_calls_frob, x_calls_frob_grad, x_calls_frob_value_and_grad;
        [m(5, 4, 1, -1.0, 1.0), m(4, 3, 2, -1.0, 1.0), s(0.7)]);
    check!(uses_a_matrix_returned_by_a_fn: x_calls_dense, x_calls_dense_grad, x_calls_dense_value_and_grad;
        [k(m(6, 4, 1, -1.0, 1.0)), m(4, 5, 2, -1.0, 1.0), v(5, 3, -0.5, 0.5), m(5, 3, 4, -1.0, 1.0), l(6, 3)]);
    check_vjp!(vjp_of_a_matrix_fn_calling_a_matrix_fn: o_two_layers, o_two_layers_vjp;
        [m(5, 4, 1, -1.0, 1.0), m(4, 4, 2, -1.0, 1.0), v(4, 3, -1.0, 1.0)]);
}

// A callee taking `Matrix<T>` by value whose argument is a constant of the caller.
check!(composition_with_a_constant_matrix_argument: x_calls_const, x_calls_const_grad, x_calls_const_value_and_grad;
    [k(m(3, 4, 1, -1.0, 1.0)), s(0.7)]);
