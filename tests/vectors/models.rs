//! Whole models and composition: logistic regression (one example and a
//! batch), a two-layer network written with `matvec`, calls to
//! `#[differentiable]` functions and to hand-written `g_grad` / `g_vjp`.

use crate::closed::{self, sg};
use crate::support::{Flat, Rng, Tol, assert_close, central_diff};

macro_rules! models {
    ($t:ident) => {
        use grad::prelude::*;

        /// Logistic regression on one example: `bce_with_logits(dot(w, x) + b, y)`.
        #[differentiable(wrt(w, b))]
        pub(crate) fn logistic(w: &[$t], b: $t, x: &[$t], y: $t) -> $t {
            bce_with_logits([dot(w, x) + b], [y])
        }

        /// Logistic regression on a batch: rows of `xs` are examples.
        #[differentiable(wrt(w, b))]
        pub(crate) fn logistic_batch(w: &[$t], b: $t, xs: &[$t], ys: &[$t]) -> $t {
            bce_with_logits(matvec(xs, w) + b, ys)
        }

        /// A two-layer regression network.
        #[differentiable(wrt(w1, b1, w2, b2))]
        pub(crate) fn two_layer(
            w1: &[$t],
            b1: &[$t],
            w2: &[$t],
            b2: &[$t],
            x: &[$t],
            y: &[$t],
        ) -> $t {
            let h = tanh(matvec(w1, x) + b1);
            mse(matvec(w2, h) + b2, y)
        }

        /// A two-layer classifier.
        #[differentiable(wrt(w1, b1, w2, b2))]
        pub(crate) fn two_layer_ce(
            w1: &[$t],
            b1: &[$t],
            w2: &[$t],
            b2: &[$t],
            x: &[$t],
            class: usize,
        ) -> $t {
            let h = sigmoid(matvec(w1, x) + b1);
            cross_entropy(matvec(w2, h) + b2, class)
        }
    };
}

pub(crate) mod m64 {
    models!(f64);
}

#[allow(
    dead_code,
    reason = "some f32 originals are only exercised through their generated fns"
)]
pub(crate) mod m32 {
    models!(f32);
}

fn to32(v: &[f64]) -> Vec<f32> {
    v.iter().map(|&x| x as f32).collect()
}

#[test]
fn logistic_regression_one_example() {
    let mut rng = Rng::for_test("logistic");
    for _ in 0..32 {
        let (w, x) = (rng.vec(4, -2.0, 2.0), rng.vec(4, -2.0, 2.0));
        let b = rng.uniform(-1.0, 1.0);
        let y = if rng.uniform(0.0, 1.0) < 0.5 {
            0.0
        } else {
            1.0
        };
        let z = closed::matvec(&w, &x)[0] + b;
        let r = sg(z) - y;
        let mut want: Vec<f64> = x.iter().map(|xi| r * xi).collect();
        want.push(r);
        let got = m64::logistic_grad(&w, b, &x, y).flat();
        assert_close("logistic (σ(z) − y)(x, 1)", &w, &got, &want, f64::CLOSED);
        let mut at = w.clone();
        at.push(b);
        let fd = central_diff(|p| m64::logistic(&p[..4], p[4], &x, y), &at);
        assert_close("logistic vs FD", &at, &got, &fd, f64::FD);
        let got32 = m32::logistic_grad(&to32(&w), b as f32, &to32(&x), y as f32).flat();
        assert_close("f32 logistic", &at, &got32, &want, f32::CLOSED);
    }
}

#[test]
fn logistic_regression_batch() {
    let mut rng = Rng::for_test("logistic_batch");
    let (n, d) = (6, 3);
    for _ in 0..16 {
        let (w, xs) = (rng.vec(d, -2.0, 2.0), rng.vec(n * d, -2.0, 2.0));
        let ys: Vec<f64> = (0..n).map(|i| (i % 2) as f64).collect();
        let b = rng.uniform(-1.0, 1.0);
        let r: Vec<f64> = closed::matvec(&xs, &w)
            .iter()
            .zip(&ys)
            .map(|(z, y)| (sg(z + b) - y) / n as f64)
            .collect();
        let mut want: Vec<f64> = (0..d)
            .map(|j| (0..n).map(|i| r[i] * xs[i * d + j]).sum())
            .collect();
        want.push(r.iter().sum());
        let got = m64::logistic_batch_grad(&w, b, &xs, &ys).flat();
        assert_close(
            "batch logistic Σ r_i (x_i, 1)",
            &w,
            &got,
            &want,
            f64::CLOSED,
        );
        let mut at = w.clone();
        at.push(b);
        let fd = central_diff(|p| m64::logistic_batch(&p[..d], p[d], &xs, &ys), &at);
        assert_close("batch logistic vs FD", &at, &got, &fd, f64::FD);
        let got32 = m32::logistic_batch_grad(&to32(&w), b as f32, &to32(&xs), &to32(&ys)).flat();
        assert_close("f32 batch logistic", &at, &got32, &want, f32::CLOSED);
    }
}

/// Hand backprop of `mse(W2 tanh(W1 x + b1) + b2, y)`.
fn two_layer_closed(
    w1: &[f64],
    b1: &[f64],
    w2: &[f64],
    b2: &[f64],
    x: &[f64],
    y: &[f64],
) -> Vec<f64> {
    let h: Vec<f64> = closed::matvec(w1, x)
        .iter()
        .zip(b1)
        .map(|(z, b)| (z + b).tanh())
        .collect();
    let out: Vec<f64> = closed::matvec(w2, &h)
        .iter()
        .zip(b2)
        .map(|(z, b)| z + b)
        .collect();
    let n = y.len() as f64;
    let g2: Vec<f64> = out.iter().zip(y).map(|(o, y)| 2.0 * (o - y) / n).collect();
    let (nh, nx) = (h.len(), x.len());
    let dw2: Vec<f64> = (0..w2.len()).map(|k| g2[k / nh] * h[k % nh]).collect();
    let gh: Vec<f64> = (0..nh)
        .map(|j| (0..g2.len()).map(|i| w2[i * nh + j] * g2[i]).sum::<f64>() * (1.0 - h[j] * h[j]))
        .collect();
    let dw1: Vec<f64> = (0..w1.len()).map(|k| gh[k / nx] * x[k % nx]).collect();
    [dw1, gh, dw2, g2].concat()
}

#[test]
fn two_layer_network_with_matvec() {
    let mut rng = Rng::for_test("two_layer");
    let (nx, nh, ny) = (4, 5, 3);
    for _ in 0..16 {
        let w1 = rng.vec(nh * nx, -1.0, 1.0);
        let b1 = rng.vec(nh, -0.5, 0.5);
        let w2 = rng.vec(ny * nh, -1.0, 1.0);
        let b2 = rng.vec(ny, -0.5, 0.5);
        let x = rng.vec(nx, -2.0, 2.0);
        let y = rng.vec(ny, -1.0, 1.0);
        let want = two_layer_closed(&w1, &b1, &w2, &b2, &x, &y);
        let got = m64::two_layer_grad(&w1, &b1, &w2, &b2, &x, &y).flat();
        let at = [w1.clone(), b1.clone(), w2.clone(), b2.clone()].concat();
        assert_close("two-layer vs hand backprop", &at, &got, &want, f64::CLOSED);
        let (a, b, c) = (nh * nx, nh * nx + nh, nh * nx + nh + ny * nh);
        let fd = central_diff(
            |p| m64::two_layer(&p[..a], &p[a..b], &p[b..c], &p[c..], &x, &y),
            &at,
        );
        assert_close("two-layer vs FD", &at, &got, &fd, f64::FD);
        let got32 = m32::two_layer_grad(
            &to32(&w1),
            &to32(&b1),
            &to32(&w2),
            &to32(&b2),
            &to32(&x),
            &to32(&y),
        )
        .flat();
        assert_close("f32 two-layer", &at, &got32, &want, f32::CLOSED);
        let (v, g) = m64::two_layer_value_and_grad(&w1, &b1, &w2, &b2, &x, &y);
        assert_close(
            "two-layer value",
            &at,
            &[v],
            &[m64::two_layer(&w1, &b1, &w2, &b2, &x, &y)],
            f64::CLOSED,
        );
        assert_close(
            "two-layer value_and_grad",
            &at,
            &g.flat(),
            &got,
            f64::CLOSED,
        );

        for class in 0..ny {
            let got = m64::two_layer_ce_grad(&w1, &b1, &w2, &b2, &x, class).flat();
            let fd = central_diff(
                |p| m64::two_layer_ce(&p[..a], &p[a..b], &p[b..c], &p[c..], &x, class),
                &at,
            );
            assert_close("two-layer classifier vs FD", &at, &got, &fd, f64::FD);
            let got32 = m32::two_layer_ce_grad(
                &to32(&w1),
                &to32(&b1),
                &to32(&w2),
                &to32(&b2),
                &to32(&x),
                class,
            )
            .flat();
            assert_close("f32 two-layer classifier vs FD", &at, &got32, &fd, f32::FD);
        }
    }
}

// ---------- composition ----------

mod compose {
    use grad::prelude::*;

    /// A scalar-valued `#[differentiable]` fn of a vector.
    #[differentiable]
    pub(crate) fn sq(a: &[f64]) -> f64 {
        dot(a, a)
    }

    /// Calls `sq` (through `sq_grad`) on an expression (by reference: `sq` takes a slice) and on a parameter.
    #[differentiable]
    pub(crate) fn outer(a: &[f64], b: &[f64]) -> f64 {
        sq(&(a * b)) * 2.0 + sq(b)
    }

    /// A vector-valued `#[differentiable]` fn.
    #[differentiable]
    pub(crate) fn layer(w: &[f64], x: &[f64], b: &[f64]) -> Vec<f64> {
        tanh(matvec(w, x) + b)
    }

    /// Calls `layer` (through `layer_vjp`); its vector type is stated by the `let`.
    #[differentiable]
    pub(crate) fn net(w: &[f64], x: &[f64], b: &[f64], c: &[f64]) -> f64 {
        let h: Vec<f64> = layer(w, x, b);
        dot(h, c)
    }

    /// Identity, with a hand-written VJP that clips the cotangent to [−1, 1]
    /// (a custom derivative: finite differences would not see the clip).
    pub(crate) fn clip_grad(a: &[f64]) -> Vec<f64> {
        a.to_vec()
    }

    /// The hand-written VJP of [`clip_grad`].
    pub(crate) fn clip_grad_vjp(_a: &[f64], cotangent: &[f64]) -> Vec<f64> {
        cotangent.iter().map(|c| c.clamp(-1.0, 1.0)).collect()
    }

    #[differentiable]
    pub(crate) fn uses_clip(a: &[f64], w: &[f64]) -> f64 {
        let c: Vec<f64> = clip_grad(a);
        dot(c, w)
    }

    /// `s·a`, hand-written with its VJP `(s·c, a·c)`.
    pub(crate) fn scale(a: &[f64], s: f64) -> Vec<f64> {
        a.iter().map(|x| s * x).collect()
    }

    /// The hand-written VJP of [`scale`].
    pub(crate) fn scale_vjp(a: &[f64], s: f64, cotangent: &[f64]) -> (Vec<f64>, f64) {
        let da = cotangent.iter().map(|c| s * c).collect();
        let ds = a.iter().zip(cotangent).map(|(x, c)| x * c).sum();
        (da, ds)
    }

    #[differentiable]
    pub(crate) fn uses_scale(a: &[f64], s: f64) -> f64 {
        let y: Vec<f64> = scale(a, s);
        sum(y * a)
    }

    /// `|a|²`, hand-written with its gradient `2a`.
    pub(crate) fn norm2(a: &[f64]) -> f64 {
        a.iter().map(|x| x * x).sum()
    }

    /// The hand-written VJP of [`norm2`]: the cotangent times the gradient `2a`
    /// (a scalar-output fn's VJP takes its cotangent by value).
    pub(crate) fn norm2_vjp(a: &[f64], cotangent: f64) -> Vec<f64> {
        a.iter().map(|x| cotangent * 2.0 * x).collect()
    }

    #[differentiable]
    pub(crate) fn uses_norm2(a: &[f64], b: &[f64]) -> f64 {
        norm2(&(a + b)) + sum(a)
    }
}

#[test]
fn composition_with_differentiable_fns() {
    let mut rng = Rng::for_test("compose");
    for _ in 0..16 {
        let (a, b) = (rng.vec(4, -2.0, 2.0), rng.vec(4, -2.0, 2.0));
        let (da, db) = compose::outer_grad(&a, &b);
        let want_a: Vec<f64> = (0..4).map(|i| 4.0 * a[i] * b[i] * b[i]).collect();
        let want_b: Vec<f64> = (0..4)
            .map(|i| 4.0 * a[i] * a[i] * b[i] + 2.0 * b[i])
            .collect();
        assert_close("outer: ∂/∂a = 4ab²", &a, &da, &want_a, f64::CLOSED);
        assert_close("outer: ∂/∂b = 4a²b + 2b", &b, &db, &want_b, f64::CLOSED);

        let (w, x, bb, c) = (
            rng.vec(12, -1.0, 1.0),
            rng.vec(4, -2.0, 2.0),
            rng.vec(3, -1.0, 1.0),
            rng.vec(3, -1.0, 1.0),
        );
        let got = compose::net_grad(&w, &x, &bb, &c).flat();
        let at = [w.clone(), x.clone(), bb.clone(), c.clone()].concat();
        let fd = central_diff(
            |p| compose::net(&p[..12], &p[12..16], &p[16..19], &p[19..]),
            &at,
        );
        assert_close("net through layer_vjp vs FD", &at, &got, &fd, f64::FD);
    }
}

#[test]
fn composition_with_hand_written_vjp_and_grad() {
    let mut rng = Rng::for_test("custom");
    for _ in 0..16 {
        let a = rng.vec(5, -2.0, 2.0);
        let w = rng.vec(5, -3.0, 3.0);
        // The custom VJP is used: ∂/∂a = clamp(w), not w.
        let (da, dw) = compose::uses_clip_grad(&a, &w);
        let clipped: Vec<f64> = w.iter().map(|x| x.clamp(-1.0, 1.0)).collect();
        assert_close("uses_clip: the hand-written vjp", &a, &da, &clipped, 0.0);
        assert_close("uses_clip: ∂/∂w = a", &a, &dw, &a, 0.0);

        let s = rng.uniform(-2.0, 2.0);
        let (da, ds) = compose::uses_scale_grad(&a, s);
        let want: Vec<f64> = a.iter().map(|x| 2.0 * s * x).collect();
        assert_close("uses_scale: ∂(s|a|²)/∂a", &a, &da, &want, f64::CLOSED);
        assert_close(
            "uses_scale: ∂/∂s = |a|²",
            &a,
            &[ds],
            &[compose::norm2(&a)],
            f64::CLOSED,
        );

        let b = rng.vec(5, -2.0, 2.0);
        let (da, db) = compose::uses_norm2_grad(&a, &b);
        let want_b: Vec<f64> = (0..5).map(|i| 2.0 * (a[i] + b[i])).collect();
        let want_a: Vec<f64> = want_b.iter().map(|x| x + 1.0).collect();
        assert_close("uses_norm2: ∂/∂a", &a, &da, &want_a, f64::CLOSED);
        assert_close("uses_norm2: ∂/∂b", &a, &db, &want_b, f64::CLOSED);
    }
}
