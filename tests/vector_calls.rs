//! A vector expression passed to a user fn without `&` (API §2: "arguments
//! may be written with or without `&`"), checked against central finite
//! differences.

use grad::prelude::*;

/// The sum of squares.
#[differentiable]
fn sq(v: &[f64]) -> f64 {
    dot(v, v)
}

/// `sq` of an elementwise product, passed without `&`.
#[differentiable]
fn sq_prod(a: &[f64], b: &[f64]) -> f64 {
    sq(a * b)
}

/// The same with `&`.
#[differentiable]
fn sq_prod_ref(a: &[f64], b: &[f64]) -> f64 {
    sq(&(a * b))
}

/// A derived vector passed to a fn taking `Vec<f64>`.
#[differentiable]
fn total(v: Vec<f64>) -> f64 {
    sum(v)
}

#[differentiable]
fn total_of_tanh(a: &[f64]) -> f64 {
    total(tanh(a)) * 2.0
}

/// Arrays: `a * b` is a `[f64; 3]` passed to a `&[f64]` parameter.
#[differentiable]
fn sq_prod_arr(a: [f64; 3], b: &[f64; 3]) -> f64 {
    sq(a * b) + sq(sigmoid(a))
}

/// Central difference of `f` along coordinate `i` of `x`.
fn central(f: impl Fn(&[f64]) -> f64, x: &[f64], i: usize) -> f64 {
    let h = 1e-6;
    let mut p = x.to_vec();
    let mut m = x.to_vec();
    p[i] += h;
    m[i] -= h;
    (f(&p) - f(&m)) / (2.0 * h)
}

fn close(got: f64, want: f64) {
    assert!(
        (got - want).abs() <= 1e-6 * (1.0 + want.abs()),
        "got {got}, finite difference {want}"
    );
}

#[test]
fn owned_vector_argument_to_slice_param() {
    let a = [0.3, -1.2, 2.0];
    let b = [1.5, 0.7, -0.4];
    let (ga, gb) = sq_prod_grad(&a, &b);
    let (ra, rb) = sq_prod_ref_grad(&a, &b);
    assert_eq!(sq_prod(&a, &b), sq_prod_ref(&a, &b));
    for i in 0..3 {
        close(ga[i], central(|x| sq_prod(x, &b), &a, i));
        close(gb[i], central(|y| sq_prod(&a, y), &b, i));
        // Closed form: ∂/∂a_i Σ (a b)² = 2 a_i b_i².
        close(ga[i], 2.0 * a[i] * b[i] * b[i]);
        assert_eq!((ga[i], gb[i]), (ra[i], rb[i]));
    }
}

#[test]
fn owned_vector_argument_to_vec_param() {
    let a = [0.3, -1.2, 2.0];
    let g = total_of_tanh_grad(&a);
    for i in 0..3 {
        close(g[i], central(total_of_tanh, &a, i));
        close(g[i], 2.0 * (1.0 - a[i].tanh().powi(2)));
    }
}

#[test]
fn owned_array_argument_to_slice_param() {
    let a = [0.3, -1.2, 2.0];
    let b = [1.5, 0.7, -0.4];
    let (ga, gb) = sq_prod_arr_grad(a, &b);
    for i in 0..3 {
        close(
            ga[i],
            central(|x| sq_prod_arr([x[0], x[1], x[2]], &b), &a, i),
        );
        close(
            gb[i],
            central(|y| sq_prod_arr(a, &[y[0], y[1], y[2]]), &b, i),
        );
    }
}

/// Forms next to the rejected ones that must keep compiling: integer index
/// expressions of constants and `len()`, element and reduction comparisons.
#[differentiable]
fn indexed(a: &[f64], n: usize, classes: &[usize]) -> f64 {
    let i = 1;
    let last = a[a.len() - 1];
    let v = if a[0] > 0.0 && sum(a) > 0.0 {
        a[i] * last
    } else {
        a[n - 1]
    };
    v + a[classes[0]]
}

#[test]
fn constant_indices_and_element_conditions() {
    for a in [[0.5, -1.0, 2.0], [-0.5, 1.0, 3.0]] {
        let g = indexed_grad(&a, 2, &[2]);
        for (i, gi) in g.iter().enumerate() {
            close(*gi, central(|x| indexed(x, 2, &[2]), &a, i));
        }
    }
}
