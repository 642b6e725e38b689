//! The derivative entry points beyond the gradient at `f32` and `f64`:
//! `_jvp`, `_hvp` and `_hessian` (also through calls of generic fns), and
//! `_vjp` and `_jacobian` of a vector-valued fn.

use super::POINTS;
use crate::defs::*;
use crate::support::*;

#[test]
fn jvp_hvp_hessian() {
    for (x, y) in POINTS {
        let want_h = [2.0 * y - x.sin(), 2.0 * x, 2.0 * x, 3.0 * y];
        let want_g = [2.0 * x * y + x.cos(), x * x + 1.5 * y * y];
        let h = quartic_hessian::<f64>(x, y);
        close(h.as_slice(), &want_h, CLOSED64, "f64 hessian");
        same_bits(
            h.as_slice(),
            quartic_64_hessian(x, y).as_slice(),
            "f64 hessian vs concrete",
        );
        let (a, b) = (x as f32, y as f32);
        let h32 = quartic_hessian::<f32>(a, b);
        close(&to64(h32.as_slice()), &want_h, CLOSED32, "f32 hessian");
        same_bits(
            h32.as_slice(),
            quartic_32_hessian(a, b).as_slice(),
            "f32 hessian vs concrete",
        );
        // `_jvp` along (0.5, −1): the value and ⟨∇f, v⟩.
        let (v, d) = quartic_jvp::<f64>(x, y, 0.5, -1.0);
        same_bits(
            &[v, quartic(x, y)],
            &[quartic_64(x, y), quartic_64(x, y)],
            "f64 jvp value",
        );
        close(&[d], &[0.5 * want_g[0] - want_g[1]], CLOSED64, "f64 jvp");
        let (v, d) = quartic_jvp::<f32>(a, b, 0.5, -1.0);
        same_bits(
            &[v, d],
            &[
                quartic_32_jvp(a, b, 0.5, -1.0).0,
                quartic_32_jvp(a, b, 0.5, -1.0).1,
            ],
            "f32 jvp vs concrete",
        );
        same_bits(
            &[v, quartic::<f32>(a, b)],
            &[quartic_32(a, b), quartic_32(a, b)],
            "f32 jvp value",
        );
        // `_hvp` along (0.5, −1) is H·v.
        let hv = quartic_hvp::<f64>(x, y, 0.5, -1.0);
        let want = [0.5 * want_h[0] - want_h[1], 0.5 * want_h[2] - want_h[3]];
        close(&[hv.0, hv.1], &want, CLOSED64, "f64 hvp");
        // The Hessian against central differences of `_grad`.
        let fd0 = central(|p| quartic_grad(p[0], p[1]).0, &[x, y]);
        let fd1 = central(|p| quartic_grad(p[0], p[1]).1, &[x, y]);
        close(
            h.as_slice(),
            &[fd0[0], fd0[1], fd1[0], fd1[1]],
            FD64,
            "f64 hessian central",
        );
    }
}

#[test]
fn vector_valued_vjp_and_jacobian() {
    let x = vec![0.5, -1.25, 2.0];
    let x32 = to32(&x);
    same_bits(&squares::<f32>(&x32), &squares_32(&x32), "f32 value");
    same_bits(&squares::<f64>(&x), &squares_64(&x), "f64 value");
    let ct = [1.0, -2.0, 0.5];
    let vjp = squares_vjp::<f64>(&x, &ct);
    same_bits(&vjp, &squares_64_vjp(&x, &ct), "f64 vjp vs concrete");
    close(&vjp, &[0.5, 2.5, 1.0], CLOSED64, "f64 vjp");
    let vjp32 = squares_vjp::<f32>(&x32, &to32(&ct));
    same_bits(
        &vjp32,
        &squares_32_vjp(&x32, &to32(&ct)),
        "f32 vjp vs concrete",
    );
    let jac = squares_jacobian::<f32>(&x32);
    for (i, row) in jac.iter().enumerate() {
        let want: Vec<f64> = (0..3).map(|j| if i == j { x[i] } else { 0.0 }).collect();
        close(&to64(row), &want, CLOSED32, "f32 jacobian row");
    }
    let jac = squares_jacobian::<f64>(&x);
    for (i, row) in jac.iter().enumerate() {
        let fd = central(|p| squares(p)[i], &x);
        close(row, &fd, FD64, "f64 jacobian row vs central");
    }
}

/// The Hessian of a generic fn calling a generic fn, against central
/// differences of its `_grad`, at f32 and f64.
#[test]
fn hessian_through_generic_calls() {
    for (x, y) in POINTS {
        let fd0 = central(|p| second_composed_grad(p[0], p[1]).0, &[x, y]);
        let fd1 = central(|p| second_composed_grad(p[0], p[1]).1, &[x, y]);
        let want = [fd0[0], fd0[1], fd1[0], fd1[1]];
        close(second_composed_hessian(x, y).as_slice(), &want, FD64, "f64");
        let h = second_composed_hessian(x as f32, y as f32);
        close(&to64(h.as_slice()), &want, FD32, "f32");
        let (v, d) = second_composed_jvp(x, y, 1.0, 0.0);
        same_bits(&[v], &[second_composed(x, y)], "jvp value");
        close(&[d], &[second_composed_grad(x, y).0], CLOSED64, "jvp");
    }
}
