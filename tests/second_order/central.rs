//! Every Hessian of `defs` against central differences of its gradient,
//! with `_hvp`, `_jvp` and symmetry (the `check!` macro). Branches are
//! checked on each side; piecewise ops away from their kinks.

// ---------- scalars ----------
check!(scalar_free_ops: s_free, s_free_grad, s_free_jvp, s_free_hvp, s_free_hessian;
    [s(0.7), s(1.3)]; dirs [x, y]);
check!(scalar_free_ops_other_side: s_free, s_free_grad, s_free_jvp, s_free_hvp, s_free_hessian;
    [s(-0.8), s(2.6)]; dirs [x, y]);
check!(scalar_methods: s_methods, s_methods_grad, s_methods_jvp, s_methods_hvp, s_methods_hessian;
    [s(0.9), s(1.7)]; dirs [x, y]);
check!(scalar_methods_other_side: s_methods, s_methods_grad, s_methods_jvp, s_methods_hvp, s_methods_hessian;
    [s(1.9), s(0.6)]; dirs [x, y]);
check!(scalar_arithmetic: s_arith, s_arith_grad, s_arith_jvp, s_arith_hvp, s_arith_hessian;
    [s(0.8), s(-1.4), c(3)]; dirs [x, y]);
check!(branch_then: s_branch, s_branch_grad, s_branch_jvp, s_branch_hvp, s_branch_hessian;
    [s(1.5), s(1.2)]; dirs [x, y]);
check!(branch_else_if: s_branch, s_branch_grad, s_branch_jvp, s_branch_hvp, s_branch_hessian;
    [s(-1.5), s(0.4)]; dirs [x, y]);
check!(branch_else: s_branch, s_branch_grad, s_branch_jvp, s_branch_hvp, s_branch_hessian;
    [s(0.5), s(-0.7)]; dirs [x, y]);
check!(scalar_wrt_subset: s_wrt, s_wrt_grad, s_wrt_jvp, s_wrt_hvp, s_wrt_hessian;
    [k(s(1.3)), s(-0.6), s(0.4), c(2)]; dirs [w, b]);

// ---------- vectors ----------
check!(vector_elementwise: v_elementwise, v_elementwise_grad, v_elementwise_jvp, v_elementwise_hvp, v_elementwise_hessian;
    [v(4, 1, -1.5, 1.5), v(4, 2, 0.3, 2.0), s(0.6)]; dirs [a, b, s]);
check!(vector_vecs_then: v_vecs, v_vecs_grad, v_vecs_jvp, v_vecs_hvp, v_vecs_hessian;
    [v(3, 3, -1.0, 1.0), v(3, 4, -1.0, 1.0), s(0.7)]; dirs [v, w, s]);
check!(vector_vecs_else: v_vecs, v_vecs_grad, v_vecs_jvp, v_vecs_hvp, v_vecs_hessian;
    [v(3, 5, -1.0, 1.0), v(3, 6, -1.0, 1.0), s(-0.4)]; dirs [v, w, s]);
check!(vector_arrays: v_arrays, v_arrays_grad, v_arrays_jvp, v_arrays_hvp, v_arrays_hessian;
    [v(3, 7, -1.0, 1.0), v(3, 8, -1.0, 1.0)]; dirs [a, b]);
check!(vector_softmax: v_softmax, v_softmax_grad, v_softmax_jvp, v_softmax_hvp, v_softmax_hessian;
    [v(5, 9, -2.0, 2.0), v(5, 10, 0.1, 0.9)]; dirs [z, t]);
check!(vector_losses: v_losses, v_losses_grad, v_losses_jvp, v_losses_hvp, v_losses_hessian;
    [v(6, 11, -1.0, 1.0), k(v(2, 12, -1.0, 1.0)), v(3, 13, 0.2, 0.8), v(3, 14, 0.1, 0.9), c(2)];
    dirs [w, p, y]);
check!(vector_dense_layer: v_dense, v_dense_grad, v_dense_jvp, v_dense_hvp, v_dense_hessian;
    [v(6, 15, -1.0, 1.0), v(3, 16, -0.5, 0.5), v(2, 17, -1.0, 1.0)]; dirs [w, b, x]);

// ---------- matrices ----------
check!(matrix_mlp: m_mlp, m_mlp_grad, m_mlp_jvp, m_mlp_hvp, m_mlp_hessian;
    [m(2, 3, 18, -1.0, 1.0), v(2, 19, -0.5, 0.5), m(2, 3, 20, -1.0, 1.0), k(m(4, 3, 21, -1.5, 1.5)), l(4, 3)];
    dirs [w1, b1, w2]);
check!(matrix_elementwise: m_elementwise, m_elementwise_grad, m_elementwise_jvp, m_elementwise_hvp, m_elementwise_hessian;
    [m(2, 3, 22, -1.5, 1.5), m(2, 3, 23, 0.3, 2.0)]; dirs [a, b]);
check!(matrix_losses: m_losses, m_losses_grad, m_losses_jvp, m_losses_hvp, m_losses_hessian;
    [m(2, 3, 24, -2.0, 2.0), m(2, 3, 25, -1.0, 1.0), m(2, 3, 26, 0.1, 0.9)]; dirs [z, p, t]);
check!(matrix_broadcast: m_broadcast, m_broadcast_grad, m_broadcast_jvp, m_broadcast_hvp, m_broadcast_hessian;
    [m(3, 2, 27, -1.0, 1.0), v(2, 28, -0.5, 0.5), v(2, 29, -1.0, 1.0)]; dirs [a, v, x]);
