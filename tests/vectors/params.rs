//! Every parameter kind (`&[T]`, `Vec<T>`, `&Vec<T>`, `[T; N]`, `&[T; N]`)
//! with its gradient type (`Vec<T>` for slices and `Vec`s, `[T; N]` for
//! arrays, stated by the `let` annotations below so a wrong type fails to
//! compile), and `wrt(..)` with vectors.

use crate::closed;
use crate::defs::{d32, d64};
use crate::support::{Rng, Tol, assert_close, central_diff};

check!(slice_param: p_slice, p_slice_grad, p_slice_value_and_grad, p_slice; a: v(4, -2.0, 2.0));
check!(vec_param: p_vec, p_vec_grad, p_vec_value_and_grad, p_vec; a: o(4, -2.0, 2.0));
check!(vec_ref_param: p_vec_ref, p_vec_ref_grad, p_vec_ref_value_and_grad, p_vec_ref;
    a: v(4, -2.0, 2.0));
check!(array_param: p_array, p_array_grad, p_array_value_and_grad, p_array; a: a(4, -2.0, 2.0));
check!(array_ref_param: p_array_ref, p_array_ref_grad, p_array_ref_value_and_grad, p_array_ref;
    a: ar(4, -2.0, 2.0));
check!(mixed_params: p_mixed, p_mixed_grad, p_mixed_value_and_grad, p_mixed;
    w: v(4, -1.0, 1.0), x: o(2, -2.0, 2.0), b: a(2, -1.0, 1.0), c: ar(2, -1.0, 1.0),
    s: s(0.5, 2.0), class: k(1usize));

/// The gradient types, spelled out; the same value whatever the kind.
#[test]
fn gradient_types_follow_parameter_kinds() {
    let a = [0.5_f64, -1.0, 2.0, 0.25];
    let v = a.to_vec();
    let g_slice: Vec<f64> = d64::p_slice_grad(&a);
    let g_vec: Vec<f64> = d64::p_vec_grad(v.clone());
    let g_vec_ref: Vec<f64> = d64::p_vec_ref_grad(&v);
    let g_array: [f64; 4] = d64::p_array_grad(a);
    let g_array_ref: [f64; 4] = d64::p_array_ref_grad(&a);
    let want = closed::p_slice(&a);
    for g in [&g_slice[..], &g_vec, &g_vec_ref, &g_array, &g_array_ref] {
        assert_close("gradient of any kind", &a, g, &want, f64::CLOSED);
    }
    let a32 = [0.5_f32, -1.0, 2.0, 0.25];
    let g32: [f32; 4] = d32::p_array_grad(a32);
    let g32v: Vec<f32> = d32::p_vec_grad(a32.to_vec());
    assert_eq!(g32.to_vec(), g32v, "f32 array and Vec gradients agree");
    let (value, g): (f64, [f64; 4]) = d64::p_array_value_and_grad(a);
    assert_close(
        "value_and_grad value",
        &a,
        &[value],
        &[d64::p_array(a)],
        f64::CLOSED,
    );
    assert_close("value_and_grad grad", &a, &g, &g_array, f64::CLOSED);

    type MixedGrad = (Vec<f64>, Vec<f64>, [f64; 2], [f64; 2], f64);
    let mixed: MixedGrad = d64::p_mixed_grad(
        &vec![0.1, 0.2, 0.3, 0.4],
        vec![1.0, 2.0],
        [0.0; 2],
        &[1.0; 2],
        1.0,
        0,
    );
    assert_eq!((mixed.0.len(), mixed.1.len()), (4, 2));
}

/// `#[differentiable(wrt(w, b))]`: `(dw, db)` only; `x` and `y` are constants.
#[test]
fn wrt_selects_vector_and_scalar_parameters() {
    let mut rng = Rng::for_test("wrt_vectors");
    for _ in 0..16 {
        let (w, x, y) = (
            rng.vec(5, -2.0, 2.0),
            rng.vec(5, -2.0, 2.0),
            rng.vec(5, -2.0, 2.0),
        );
        let b = rng.uniform(-1.0, 1.0);
        let (dw, db): (Vec<f64>, f64) = d64::p_wrt_grad(&w, b, &x, &y);
        let all = closed::l_regression(&w, &x, b, &y);
        assert_close("wrt(w, b): dw", &w, &dw, &all[..5], f64::CLOSED);
        assert_close("wrt(w, b): db", &w, &[db], &all[10..11], f64::CLOSED);
        let mut at = w.clone();
        at.push(b);
        let fd = central_diff(|p| d64::p_wrt(&p[..5], p[5], &x, &y), &at);
        let mut got = dw.clone();
        got.push(db);
        assert_close("wrt(w, b) vs FD", &at, &got, &fd, f64::FD);
        let (v, (dw2, db2)) = d64::p_wrt_value_and_grad(&w, b, &x, &y);
        assert_close(
            "value_and_grad value",
            &at,
            &[v],
            &[d64::p_wrt(&w, b, &x, &y)],
            f64::CLOSED,
        );
        assert_close("value_and_grad dw", &at, &dw2, &dw, f64::CLOSED);
        assert_close("value_and_grad db", &at, &[db2], &[db], f64::CLOSED);
    }
}
