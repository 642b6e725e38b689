//! Forward mode and Hessians of fns taking structs: the tangent or direction
//! of a struct is a value of the struct's type; the Hessian is over its floats
//! in visit order.

use super::check::{central, floats};
use grad::prelude::*;

#[derive(Differentiable, Clone, Debug, PartialEq)]
pub(crate) struct Quad {
    pub(crate) a: Vec<f64>,
    pub(crate) c: f64,
}

#[differentiable(hessian)]
fn energy(q: &Quad, k: f64) -> f64 {
    let s = dot(&q.a, &q.a);
    s * q.c + (k * q.c).sin()
}

fn quad() -> Quad {
    Quad {
        a: vec![1.0, -2.0],
        c: 0.5,
    }
}

#[test]
fn jvp_takes_a_tangent_of_the_structs_type() {
    let q = quad();
    let dq = Quad {
        a: vec![0.5, 1.0],
        c: -1.0,
    };
    let (v, d) = energy_jvp(&q, 0.3, &dq, 2.0);
    assert_eq!(v.to_bits(), energy(&q, 0.3).to_bits());
    let h = 1e-6;
    let at = |t: f64| {
        let moved = Quad {
            a: q.a.iter().zip(&dq.a).map(|(a, d)| a + t * d).collect(),
            c: q.c + t * dq.c,
        };
        energy(&moved, 0.3 + t * 2.0)
    };
    let fd = (at(h) - at(-h)) / (2.0 * h);
    assert!((d - fd).abs() < 1e-6, "{d} vs {fd}");
}

#[test]
fn the_hessian_is_over_the_structs_floats_then_the_other_params() {
    let q = quad();
    let h = energy_hessian(&q, 0.3);
    assert_eq!((h.rows(), h.cols()), (4, 4));
    // Rows of the struct's floats: central differences of the gradient.
    let eps = 1e-5;
    for i in 0..3 {
        let col = central(&q, eps, |p| {
            let (g, _) = energy_grad(p, 0.3);
            floats(&g)[i]
        });
        for (j, want) in floats(&col).iter().enumerate() {
            assert!(
                (h[(i, j)] - want).abs() < 1e-5,
                "H[{i},{j}] = {} vs {want}",
                h[(i, j)]
            );
        }
    }
    // ∂²/∂k² = −c² sin(k c).
    assert!((h[(3, 3)] + 0.25 * (0.15f64).sin()).abs() < 1e-12);
    let (dq, dk) = energy_hvp(
        &q,
        0.3,
        &Quad {
            a: vec![1.0, 0.0],
            c: 0.0,
        },
        0.0,
    );
    assert_eq!(floats(&dq), vec![h[(0, 0)], h[(0, 1)], h[(0, 2)]]);
    assert_eq!(dk, h[(0, 3)]);
}
