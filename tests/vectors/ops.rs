//! Every vector op of API §2 through `#[differentiable]`, at random points:
//! generated gradient vs closed form vs central difference, f64 and f32.
//!
//! Domains keep away from kinks (`relu`, `abs` at 0: a random point lands
//! within a difference step of 0 with probability ~1e-5) and from poles
//! (`ln`, `sqrt`, divisors in `[0.5, 2]`).

// ---------- elementwise, vector ⊕ vector ----------
check!(add_vv: e_add_vv, e_add_vv_grad, e_add_vv_value_and_grad, e_add_vv;
    a: v(5, -2.0, 2.0), b: v(5, -2.0, 2.0), w: v(5, -1.0, 1.0));
check!(sub_vv: e_sub_vv, e_sub_vv_grad, e_sub_vv_value_and_grad, e_sub_vv;
    a: v(5, -2.0, 2.0), b: v(5, -2.0, 2.0), w: v(5, -1.0, 1.0));
check!(mul_vv: e_mul_vv, e_mul_vv_grad, e_mul_vv_value_and_grad, e_mul_vv;
    a: v(5, -2.0, 2.0), b: v(5, -2.0, 2.0), w: v(5, -1.0, 1.0));
check!(div_vv: e_div_vv, e_div_vv_grad, e_div_vv_value_and_grad, e_div_vv;
    a: v(5, -2.0, 2.0), b: v(5, 0.5, 2.0), w: v(5, -1.0, 1.0));

// ---------- elementwise, vector ⊕ scalar in both orders ----------
check!(add_vs: e_add_vs, e_add_vs_grad, e_add_vs_value_and_grad, e_add_vs;
    a: v(5, -2.0, 2.0), s: s(-2.0, 2.0), w: v(5, -1.0, 1.0));
check!(add_sv: e_add_sv, e_add_sv_grad, e_add_sv_value_and_grad, e_add_sv;
    a: v(5, -2.0, 2.0), s: s(-2.0, 2.0), w: v(5, -1.0, 1.0));
check!(sub_vs: e_sub_vs, e_sub_vs_grad, e_sub_vs_value_and_grad, e_sub_vs;
    a: v(5, -2.0, 2.0), s: s(-2.0, 2.0), w: v(5, -1.0, 1.0));
check!(sub_sv: e_sub_sv, e_sub_sv_grad, e_sub_sv_value_and_grad, e_sub_sv;
    a: v(5, -2.0, 2.0), s: s(-2.0, 2.0), w: v(5, -1.0, 1.0));
check!(mul_vs: e_mul_vs, e_mul_vs_grad, e_mul_vs_value_and_grad, e_mul_vs;
    a: v(5, -2.0, 2.0), s: s(-2.0, 2.0), w: v(5, -1.0, 1.0));
check!(mul_sv: e_mul_sv, e_mul_sv_grad, e_mul_sv_value_and_grad, e_mul_sv;
    a: v(5, -2.0, 2.0), s: s(-2.0, 2.0), w: v(5, -1.0, 1.0));
check!(div_vs: e_div_vs, e_div_vs_grad, e_div_vs_value_and_grad, e_div_vs;
    a: v(5, -2.0, 2.0), s: s(0.5, 2.0), w: v(5, -1.0, 1.0));
check!(div_sv: e_div_sv, e_div_sv_grad, e_div_sv_value_and_grad, e_div_sv;
    a: v(5, 0.5, 2.0), s: s(-2.0, 2.0), w: v(5, -1.0, 1.0));
check!(literals: e_literals, e_literals_grad, e_literals_value_and_grad, e_literals;
    a: v(5, -2.0, 2.0), w: v(5, -1.0, 1.0));
check!(neg: e_neg, e_neg_grad, e_neg_value_and_grad, e_neg;
    a: v(5, -2.0, 2.0), w: v(5, -1.0, 1.0));
check!(chain: e_chain, e_chain_grad, e_chain_value_and_grad, e_chain;
    a: v(5, -2.0, 2.0), b: v(5, -2.0, 2.0), s: s(-2.0, 2.0));

// ---------- unary elementwise fns ----------
check!(sigmoid: u_sigmoid, u_sigmoid_grad, u_sigmoid_value_and_grad, u_sigmoid;
    a: v(6, -6.0, 6.0), w: v(6, -1.0, 1.0));
check!(tanh: u_tanh, u_tanh_grad, u_tanh_value_and_grad, u_tanh;
    a: v(6, -3.0, 3.0), w: v(6, -1.0, 1.0));
check!(relu: u_relu, u_relu_grad, u_relu_value_and_grad, u_relu;
    a: v(6, -2.0, 2.0), w: v(6, -1.0, 1.0));
check!(exp: u_exp, u_exp_grad, u_exp_value_and_grad, u_exp;
    a: v(6, -3.0, 3.0), w: v(6, -1.0, 1.0));
check!(ln: u_ln, u_ln_grad, u_ln_value_and_grad, u_ln;
    a: v(6, 0.2, 5.0), w: v(6, -1.0, 1.0));
check!(sqrt: u_sqrt, u_sqrt_grad, u_sqrt_value_and_grad, u_sqrt;
    a: v(6, 0.2, 5.0), w: v(6, -1.0, 1.0));
check!(abs: u_abs, u_abs_grad, u_abs_value_and_grad, u_abs;
    a: v(6, -2.0, 2.0), w: v(6, -1.0, 1.0));
check!(softplus: u_softplus, u_softplus_grad, u_softplus_value_and_grad, u_softplus;
    a: v(6, -6.0, 6.0), w: v(6, -1.0, 1.0));

check!(sin_cos: u_sin_cos, u_sin_cos_grad, u_sin_cos_value_and_grad, u_sin_cos;
    a: v(6, -3.0, 3.0), w: v(6, -2.0, 2.0));

// ---------- indexing and array literals ----------
check!(index: i_index, i_index_grad, i_index_value_and_grad, i_index;
    a: v(5, -2.0, 2.0));
check!(index_of_softmax: i_softmax_1, i_softmax_1_grad, i_softmax_1_value_and_grad, i_softmax_1;
    a: v(4, -3.0, 3.0));
check!(index_of_expression: i_index_expr, i_index_expr_grad, i_index_expr_value_and_grad, i_index_expr;
    a: v(4, -2.0, 2.0), b: v(4, -2.0, 2.0));
check!(index_by_usize_param: i_index_param, i_index_param_grad, i_index_param_value_and_grad, i_index_param;
    a: v(4, -2.0, 2.0), k: k(3usize));
check!(array_literal: i_array_literal, i_array_literal_grad, i_array_literal_value_and_grad, i_array_literal;
    x: s(-2.0, 2.0), y: s(-2.0, 2.0), z: s(-2.0, 2.0));
check!(array_literal_dot: i_array_dot, i_array_dot_grad, i_array_dot_value_and_grad, i_array_dot;
    x: s(-2.0, 2.0), y: s(-2.0, 2.0), w: v(3, -1.0, 1.0));

// ---------- reductions ----------
check!(sum: r_sum, r_sum_grad, r_sum_value_and_grad, r_sum; a: v(7, -2.0, 2.0));
check!(mean: r_mean, r_mean_grad, r_mean_value_and_grad, r_mean; a: v(7, -2.0, 2.0));
check!(dot: r_dot, r_dot_grad, r_dot_value_and_grad, r_dot;
    a: v(7, -2.0, 2.0), b: v(7, -2.0, 2.0));
check!(matvec: r_matvec, r_matvec_grad, r_matvec_value_and_grad, r_matvec;
    w: v(12, -1.0, 1.0), x: v(4, -2.0, 2.0), c: v(3, -1.0, 1.0));
check!(dense_layer: r_dense, r_dense_grad, r_dense_value_and_grad, r_dense;
    w: v(12, -1.0, 1.0), x: v(4, -2.0, 2.0), b: v(3, -1.0, 1.0), c: v(3, -1.0, 1.0));
check!(softmax: r_softmax, r_softmax_grad, r_softmax_value_and_grad, r_softmax;
    a: v(5, -4.0, 4.0), w: v(5, -1.0, 1.0));
check!(log_softmax: r_log_softmax, r_log_softmax_grad, r_log_softmax_value_and_grad, r_log_softmax;
    a: v(5, -4.0, 4.0), w: v(5, -1.0, 1.0));
check!(args_with_ampersand: r_ampersand, r_ampersand_grad, r_ampersand_value_and_grad, r_ampersand;
    a: v(5, -2.0, 2.0), b: v(5, -2.0, 2.0));

// ---------- losses ----------
check!(mse: l_mse, l_mse_grad, l_mse_value_and_grad, l_mse;
    p: v(6, -2.0, 2.0), t: v(6, -2.0, 2.0));
check!(cross_entropy: l_cross_entropy, l_cross_entropy_grad, l_cross_entropy_value_and_grad, l_cross_entropy;
    z: v(5, -4.0, 4.0), class: k(2usize));
check!(cross_entropy_first_class: l_cross_entropy, l_cross_entropy_grad, l_cross_entropy_value_and_grad, l_cross_entropy;
    z: v(3, -4.0, 4.0), class: k(0usize));
check!(negative_log_softmax_index: l_ce_by_hand, l_ce_by_hand_grad, l_ce_by_hand_value_and_grad, l_ce_by_hand;
    z: v(5, -4.0, 4.0), class: k(4usize));
check!(binary_cross_entropy: l_bce, l_bce_grad, l_bce_value_and_grad, l_bce;
    p: v(6, 0.05, 0.95), y: v(6, 0.0, 1.0));
check!(bce_with_logits: l_bce_with_logits, l_bce_with_logits_grad, l_bce_with_logits_value_and_grad, l_bce_with_logits;
    z: v(6, -6.0, 6.0), y: v(6, 0.0, 1.0));
check!(regression: l_regression, l_regression_grad, l_regression_value_and_grad, l_regression;
    w: v(8, -2.0, 2.0), x: v(8, -2.0, 2.0), b: s(-1.0, 1.0), y: v(8, -2.0, 2.0));

// ---------- vector-valued functions: `_vjp` ----------
check_vjp!(vjp_add: o_add, o_add_vjp; a: v(5, -2.0, 2.0), b: v(5, -2.0, 2.0));
check_vjp!(vjp_affine: o_affine, o_affine_vjp; a: v(5, -2.0, 2.0), s: s(-2.0, 2.0));
check_vjp!(vjp_softmax: o_softmax, o_softmax_vjp; a: v(5, -4.0, 4.0));
check_vjp!(vjp_log_softmax: o_log_softmax, o_log_softmax_vjp; a: v(5, -4.0, 4.0));
check_vjp!(vjp_dense: o_dense, o_dense_vjp;
    w: v(12, -1.0, 1.0), x: v(4, -2.0, 2.0), b: v(3, -1.0, 1.0));
check_vjp!(vjp_unary: o_unary, o_unary_vjp; a: v(6, -2.0, 2.0));
check_vjp!(vjp_array: o_array, o_array_vjp; a: a(3, -4.0, 4.0));
check_vjp!(vjp_array_literal: o_literal, o_literal_vjp; x: s(-2.0, 2.0), y: s(0.5, 2.0));
