//! Products and quadratic forms built in loops, control flow inside and
//! around loops (`if`, `enumerate`, `zip`), and arrays, matrices and
//! scalars carried across iterations.

use grad::Matrix;

use super::{close_f32, to_f32, widened};
use crate::defs::*;
use crate::support::{Rng, central, close, close_all};

// ---------------------------------------------------------------- products and forms

#[test]
fn cumulative_product_closed_form_and_central_differences() {
    let x = [0.9, -1.2, 1.1, 0.8, -0.7, 1.3, 0.95, -1.05];
    let g = cumprod_sum_grad(&x);
    let prefix: Vec<f64> = x
        .iter()
        .scan(1.0, |p, xi| {
            *p *= xi;
            Some(*p)
        })
        .collect();
    close("value", cumprod_sum(&x), prefix.iter().sum(), 1e-15);
    for j in 0..x.len() {
        // ∂/∂xⱼ Σₖ Pₖ = Σₖ≥ⱼ Pₖ / xⱼ (no xⱼ is 0).
        let want: f64 = prefix[j..].iter().sum::<f64>() / x[j];
        close(&format!("d/dx{j} closed form"), g[j], want, 1e-14);
        close(
            &format!("d/dx{j} central"),
            g[j],
            central(&x, j, 1e-6, cumprod_sum),
            1e-8,
        );
    }
}

#[test]
fn nested_quadratic_form_gradient_is_a_plus_at_x_and_x_xt() {
    let n = 8;
    let mut rng = Rng::for_test("quad_form");
    let x = rng.vec(n, -1.0, 1.0);
    let a = rng.vec(n * n, -1.0, 1.0);
    let (dx, da) = quad_form_grad(&x, &a);
    for i in 0..n {
        let want: f64 = (0..n).map(|j| (a[i * n + j] + a[j * n + i]) * x[j]).sum();
        close(&format!("dx[{i}]"), dx[i], want, 1e-13);
        for j in 0..n {
            close(&format!("dA[{i},{j}]"), da[i * n + j], x[i] * x[j], 1e-15);
        }
    }
    let x = widened(&x);
    let a = widened(&a);
    let (dx64, da64) = quad_form_grad(&x, &a);
    let (dx32, da32) = quad_form_f32_grad(&to_f32(&x), &to_f32(&a));
    close_f32("f32 dx", &dx32, &dx64, 1e-5);
    close_f32("f32 dA", &da32, &da64, 1e-6);
}

// ---------------------------------------------------------------- if and loops

#[test]
fn loops_inside_the_branches_of_an_if() {
    let x = [0.5, -1.5, 2.0, 0.25];
    let (v, (dx, ds)) = loop_in_if_value_and_grad(&x, 0.5);
    close("s > 0: Σx²", v, x.iter().map(|t| t * t).sum(), 1e-15);
    close_all("s > 0: 2x", &dx, &x.map(|t| 2.0 * t), 1e-15);
    assert_eq!(ds, 0.0);
    let (v, (dx, ds)) = loop_in_if_value_and_grad(&x, -0.5);
    let sx: f64 = x.iter().sum();
    close("s ≤ 0: −s·Σx", v, 0.5 * sx, 1e-15);
    close_all("s ≤ 0: −s", &dx, &[0.5; 4], 1e-15);
    close("s ≤ 0: −Σx", ds, -sx, 1e-15);
}

#[test]
fn if_inside_a_loop_against_central_differences() {
    let x = [0.5, -1.5, 2.0, -0.25, 0.75, -0.6, 1.2];
    let g = 0.8;
    let (v, (dx, dg)) = if_in_loop_value_and_grad(&x, g);
    // The same thing in plain Rust.
    let (mut want, mut f) = (0.0, 1.0);
    for &xi in &x {
        if xi > 0.0 {
            want += f * xi * xi;
        } else {
            want += 0.1 * xi;
            f *= g;
        }
    }
    assert_eq!(v.to_bits(), f64::to_bits(want));
    for (k, &dxk) in dx.iter().enumerate() {
        close(
            &format!("dx[{k}]"),
            dxk,
            central(&x, k, 1e-6, |q| if_in_loop(q, g)),
            1e-8,
        );
    }
    close(
        "dg",
        dg,
        central(&[g], 0, 1e-6, |q| if_in_loop(&x, q[0])),
        1e-8,
    );
    // Closed form: f before a positive xᵢ is g^mᵢ (mᵢ non-positive ones before it).
    let mut m = 0;
    let mut want_dg = 0.0;
    for &xi in &x {
        if xi > 0.0 {
            want_dg += f64::from(m) * g.powi(m - 1) * xi * xi;
        } else {
            m += 1;
        }
    }
    close("dg closed form", dg, want_dg, 1e-14);
}

#[test]
fn enumerate_weights_by_the_index() {
    let x = [0.5, -1.5, 2.0, 0.25, -0.75];
    let g = weighted_squares_grad(&x);
    let want: Vec<f64> = (0..5).map(|i| 2.0 * (i as f64 + 1.0) * x[i]).collect();
    assert_eq!(g, want);
}

#[test]
fn zip_stops_at_the_shorter_and_leaves_the_rest_zero() {
    let u = [0.5, -1.5, 2.0, 0.25, -0.75];
    let v = [1.0, 0.5, -0.5, 0.0, 0.25, 9.0, -9.0];
    let (du, dv) = zip_sq_dist_grad(&u, &v);
    let want: Vec<f64> = (0..5).map(|i| 2.0 * (u[i] - v[i])).collect();
    assert_eq!(du, want);
    let mut want_v: Vec<f64> = want.iter().map(|d| -d).collect();
    want_v.extend([0.0, 0.0]);
    assert_eq!(dv, want_v);
    // Swapped: the first one is now the longer one.
    let (dv2, du2) = zip_sq_dist_grad(&v, &u);
    assert_eq!((dv2, du2), (want_v, want));
}

// ---------------------------------------------------------------- carried arrays and matrices

#[test]
fn array_parameter_carried_across_iterations() {
    let x = [0.5, -1.5, 2.0, 0.25];
    let a = 0.8;
    for steps in [0, 1, 10] {
        let (dx, da): ([f64; 4], f64) = array_carry_grad(x, a, steps);
        for (k, &dxk) in dx.iter().enumerate() {
            let fd = central(&x, k, 1e-6, |q| {
                array_carry(q.try_into().unwrap(), a, steps)
            });
            close(&format!("{steps} steps: dx[{k}]"), dxk, fd, 1e-8);
        }
        let fd = central(&[a], 0, 1e-6, |q| array_carry(x, q[0], steps));
        close(&format!("{steps} steps: da"), da, fd, 1e-8);
    }
}

/// A carried value copied from a parameter the body also reads: both
/// adjoints reach the parameter.
#[test]
fn array_parameter_carried_and_read_in_the_body() {
    let x = [0.5, -1.5, 2.0, 0.25];
    let a = 0.8;
    // Zero steps: Σx², gradient 2x and nothing for a.
    assert_eq!(array_carry_reread_grad(x, a, 0), (x.map(|t| 2.0 * t), 0.0));
    for steps in [1, 10] {
        let (dx, da) = array_carry_reread_grad(x, a, steps);
        for (k, &dxk) in dx.iter().enumerate() {
            let fd = central(&x, k, 1e-6, |q| {
                array_carry_reread(q.try_into().unwrap(), a, steps)
            });
            close(&format!("{steps} steps: dx[{k}]"), dxk, fd, 1e-8);
        }
        let fd = central(&[a], 0, 1e-6, |q| array_carry_reread(x, q[0], steps));
        close(&format!("{steps} steps: da"), da, fd, 1e-8);
    }
}

#[test]
fn scalar_carried_from_a_parameter_read_in_the_body() {
    // y₀ = x, yₙ = yₙ₋₁/2 + x: yₙ = (2 − 2⁻ⁿ)·x, so dyₙ/dx = 2 − 2⁻ⁿ = 1, 1.5, 1.75.
    for (steps, want) in [(0, 1.0), (1, 1.5), (2, 1.75)] {
        assert_eq!(halving_grad(1.0, steps), want, "{steps} steps");
    }
}

#[test]
fn matrix_carried_across_iterations() {
    let mut rng = Rng::for_test("matrix_carry");
    let m0 = rng.vec(12, -1.0, 1.0);
    let w = rng.vec(16, -0.8, 0.8);
    let mat = |r, c, v: &[f64]| Matrix::from_vec(r, c, v.to_vec());
    let (dm0, dw) = matrix_carry_grad(&mat(3, 4, &m0), &mat(4, 4, &w), 5);
    assert_eq!((dm0.shape(), dw.shape()), ((3, 4), (4, 4)));
    for k in 0..12 {
        let fd = central(&m0, k, 1e-6, |q| {
            matrix_carry(&mat(3, 4, q), &mat(4, 4, &w), 5)
        });
        close(&format!("dm0[{k}]"), dm0.as_slice()[k], fd, 1e-8);
    }
    for k in 0..16 {
        let fd = central(&w, k, 1e-6, |q| {
            matrix_carry(&mat(3, 4, &m0), &mat(4, 4, q), 5)
        });
        close(&format!("dw[{k}]"), dw.as_slice()[k], fd, 1e-8);
    }
}

#[test]
fn vec_of_a_parameter_as_the_initial_state() {
    let x = [0.5, -1.5, 2.0, 0.25];
    let s = 0.7;
    let (dx, ds) = filled_start_grad(&x, s);
    // h₃ = s·(x³ + x² + x + 1) per element.
    let want_ds: f64 = x.iter().map(|t| t * t * t + t * t + t + 1.0).sum();
    close("ds", ds, want_ds, 1e-14);
    close_all(
        "dx",
        &dx,
        &x.map(|t| s * (3.0 * t * t + 2.0 * t + 1.0)),
        1e-14,
    );
}
