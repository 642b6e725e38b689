//! Vector ops (API §2–§3): elementwise, reductions, softmax, losses.

use crate::support::{
    Got, Part, check, classes, matvecs, probabilities, vector_pairs, vector_scalars, vectors,
};

/// `[f(aᵢ, bᵢ)]`: what an elementwise operator means in plain Rust.
fn zip<T: Copy>(a: &[T], b: &[T], f: impl Fn(T, T) -> T) -> Vec<T> {
    a.iter().zip(b).map(|(&x, &y)| f(x, y)).collect()
}

/// `[f(aᵢ)]`.
fn map<T: Copy>(a: &[T], f: impl Fn(T) -> T) -> Vec<T> {
    a.iter().map(|&x| f(x)).collect()
}

same! {
    v_add_vv(vector_pairs) |(a, b)| vector_valued!(zip(a, b, |x, y| x + y); a, b);
        fn [] [] [] [];
    v_sub_vv(vector_pairs) |(a, b)| vector_valued!(zip(a, b, |x, y| x - y); a, b);
        fn [] [] [] [];
    v_mul_vv(vector_pairs) |(a, b)| vector_valued!(zip(a, b, |x, y| x * y); a, b);
        fn [] [] [] [];
    v_div_vv(vector_pairs) |(a, b)| vector_valued!(zip(a, b, |x, y| x / y); a, b);
        fn [] [] [] [];
    v_add_vs(vector_scalars) |(a, s)| vector_valued!(map(a, |x| x + *s); a, *s);
        fn [] [] [] [];
    v_sub_vs(vector_scalars) |(a, s)| vector_valued!(map(a, |x| x - *s); a, *s);
        fn [] [] [] [];
    v_mul_vs(vector_scalars) |(a, s)| vector_valued!(map(a, |x| x * *s); a, *s);
        fn [] [] [] [];
    v_div_vs(vector_scalars) |(a, s)| vector_valued!(map(a, |x| x / *s); a, *s);
        fn [] [] [] [];
    v_add_sv(vector_scalars) |(a, s)| vector_valued!(map(a, |x| *s + x); a, *s);
        fn [] [] [] [];
    v_sub_sv(vector_scalars) |(a, s)| vector_valued!(map(a, |x| *s - x); a, *s);
        fn [] [] [] [];
    v_mul_sv(vector_scalars) |(a, s)| vector_valued!(map(a, |x| *s * x); a, *s);
        fn [] [] [] [];
    v_div_sv(vector_scalars) |(a, s)| vector_valued!(map(a, |x| *s / x); a, *s);
        fn [] [] [] [];
    v_neg(vectors) |a| vector_valued!(map(a, |x| -x); a);
        fn [] [] [] [];
    v_sigmoid(vectors) |a| vector_valued!(grad::sigmoid(a); a);
        fn [] [] [] [];
    v_tanh(vectors) |a| vector_valued!(grad::tanh(a); a);
        fn [] [] [] [];
    v_relu(vectors) |a| vector_valued!(grad::relu(a); a);
        fn [] [] [] [];
    v_exp(vectors) |a| vector_valued!(grad::exp(a); a);
        fn [] [] [] [];
    v_ln(vectors) |a| vector_valued!(grad::ln(a); a);
        fn [] [] [] [];
    v_sqrt(vectors) |a| vector_valued!(grad::sqrt(a); a);
        fn [] [] [] [];
    v_abs(vectors) |a| vector_valued!(grad::abs(a); a);
        fn [] [] [] [];
    v_softplus(vectors) |a| vector_valued!(grad::softplus(a); a);
        fn [] [] [] [];
    v_softmax(vectors) |a| vector_valued!(grad::softmax(a); a);
        fn [] [] [] [];
    v_log_softmax(vectors) |a| vector_valued!(grad::log_softmax(a); a);
        fn [] [] [] [];
    v_matvec(matvecs) |(w, x)| vector_valued!(grad::matvec(w, x); w, x);
        fn [] [] [] [];
    sum(vectors) |a| scalar_valued!(grad::sum(a); a);
        fn [] [] [] []
        value_and_grad
            []
            []
            []
            [];
    mean(vectors) |a| scalar_valued!(grad::mean(a); a);
        fn [] [] [] []
        value_and_grad
            []
            []
            []
            [];
    dot(vector_pairs) |(a, b)| scalar_valued!(grad::dot(a, b); a, b);
        fn [] [] [] []
        value_and_grad
            []
            []
            []
            [];
    mse(vector_pairs) |(a, b)| scalar_valued!(grad::mse(a, b); a, b);
        fn [] [] [] []
        value_and_grad
            []
            []
            []
            [];
    cross_entropy(classes) |(z, k)| scalar_valued!(grad::cross_entropy(z, *k); z, *k);
        fn [] [] [] [] value_and_grad [] [] [] [];
    binary_cross_entropy(probabilities) |(p, y)| scalar_valued!(grad::binary_cross_entropy(p, y); p, y);
        fn [] [] [] []
        value_and_grad
            []
            []
            []
            [];
    bce_with_logits(vector_pairs) |(z, y)| scalar_valued!(grad::bce_with_logits(z, y); z, y);
        fn [] [] [] []
        value_and_grad
            []
            []
            []
            [];
}
