//! The backward pieces of `ad::m`: against central finite differences of
//! their forward (f64), against closed forms, and against the kernels and
//! the `ad::v` pieces they share bits with.

use super::{random, same_bits, same_vec, uniform};
use grad_core::ad::{m, v};
use grad_core::{Matrix, kernels};

const H: f64 = 1e-6;

/// `⟨a, b⟩` over every element.
fn inner(a: &Matrix<f64>, b: &Matrix<f64>) -> f64 {
    a.as_slice()
        .iter()
        .zip(b.as_slice())
        .map(|(x, y)| x * y)
        .sum()
}

/// Checks `grad` (the claimed gradient of `f` at `x`) against
/// `(f(x + h e) − f(x − h e)) / 2h` on every element of `x`.
#[track_caller]
fn fd(what: &str, x: &Matrix<f64>, grad: &Matrix<f64>, f: impl Fn(&Matrix<f64>) -> f64) {
    assert_eq!(x.shape(), grad.shape(), "{what}: shape");
    for i in 0..x.as_slice().len() {
        let (mut up, mut down) = (x.clone(), x.clone());
        let h = H * x.as_slice()[i].abs().max(1.0);
        up.as_mut_slice()[i] += h;
        down.as_mut_slice()[i] -= h;
        let numeric = (f(&up) - f(&down)) / (2.0 * h);
        let got = grad.as_slice()[i];
        let err = (got - numeric).abs();
        assert!(
            err <= 1e-6 * numeric.abs().max(1.0),
            "{what}[{i}]: {got} vs finite difference {numeric}"
        );
    }
}

/// A vector as a one-row matrix (for [`fd`]).
fn row(x: &[f64]) -> Matrix<f64> {
    Matrix::from_vec(1, x.len(), x.to_vec())
}

const SHAPES: [(usize, usize); 3] = [(1, 1), (3, 5), (4, 2)];

#[test]
fn activation_backwards_are_the_derivatives() {
    for (k, &(r, c)) in SHAPES.iter().enumerate() {
        let x = random::<f64>(r, c, 100 + k as u64);
        let g = random::<f64>(r, c, 200 + k as u64);
        let y = m::sigmoid(&x);
        fd("sigmoid", &x, &m::sigmoid_backward(&y, &g), |x| {
            inner(&g, &m::sigmoid(x))
        });
        let d = m::mm_mul(&m::sigmoid_deriv_from_output(&y), &g);
        fd("sigmoid_deriv", &x, &d, |x| inner(&g, &m::sigmoid(x)));
        let y = m::tanh(&x);
        fd("tanh", &x, &m::tanh_backward(&y, &g), |x| {
            inner(&g, &m::tanh(x))
        });
        let d = m::mm_mul(&m::tanh_deriv_from_output(&y), &g);
        fd("tanh_deriv", &x, &d, |x| inner(&g, &m::tanh(x)));
        fd("relu", &x, &m::relu_backward(&x, &g), |x| {
            inner(&g, &m::relu(x))
        });
        let d = m::mm_mul(&m::relu_deriv(&x), &g);
        fd("relu_deriv", &x, &d, |x| inner(&g, &m::relu(x)));
        fd("softplus", &x, &m::softplus_backward(&x, &g), |x| {
            inner(&g, &m::softplus(x))
        });
        let d = m::mm_mul(&m::abs_deriv(&x), &g);
        fd("abs_deriv", &x, &d, |x| inner(&g, &m::abs(x)));
        // And they are ad::v's pieces on the elements.
        let (xs, gs) = (x.as_slice(), g.as_slice());
        same_vec(
            "relu_backward",
            m::relu_backward(&x, &g).as_slice(),
            &v::relu_backward::<f64, Vec<f64>>(xs, gs),
        );
        same_vec(
            "softplus_backward",
            m::softplus_backward(&x, &g).as_slice(),
            &v::softplus_backward::<f64, Vec<f64>>(xs, gs),
        );
    }
}

#[test]
fn softmax_backwards_are_the_derivatives() {
    for (k, &(r, c)) in SHAPES.iter().enumerate() {
        let x = random::<f64>(r, c, 300 + k as u64);
        let g = random::<f64>(r, c, 400 + k as u64);
        let y = m::softmax(&x);
        fd("softmax", &x, &m::softmax_backward(&y, &g), |x| {
            inner(&g, &m::softmax(x))
        });
        let y = m::log_softmax(&x);
        fd("log_softmax", &x, &m::log_softmax_backward(&y, &g), |x| {
            inner(&g, &m::log_softmax(x))
        });
    }
    // Row by row, not along the whole matrix: a constant added to one row
    // changes nothing, so its gradient sums to zero in every row.
    let x = random::<f64>(3, 4, 7);
    let d = m::log_softmax_backward(&m::log_softmax(&x), &random(3, 4, 8));
    for i in 0..3 {
        assert!(d.row(i).iter().sum::<f64>().abs() < 1e-14, "row {i}");
    }
}

#[test]
fn reduction_backwards_are_the_derivatives() {
    let x = random::<f64>(3, 5, 11);
    fd("sum", &x, &m::fill(0.7, &x), |x| 0.7 * m::sum(x));
    fd("mean", &x, &m::mean_backward(0.7, &x), |x| 0.7 * m::mean(x));
    let want: Vec<f64> = v::mean_backward(0.7, 15);
    same_vec("mean_backward", m::mean_backward(0.7, &x).as_slice(), &want);
    assert_eq!(grad_core::ad::zeros_like(&x), Matrix::zeros(3, 5));
}

#[test]
fn broadcasting_backwards_are_column_sums() {
    let a = random::<f64>(4, 3, 12);
    let g = random::<f64>(4, 3, 13);
    let b = [0.5, -1.0, 2.0];
    let d: Vec<f64> = m::col_sum(&g);
    fd("mv_add", &row(&b), &row(&d), |v| {
        inner(&g, &m::mv_add(&a, v.as_slice()))
    });
    fd("vm_add", &row(&b), &row(&d), |v| {
        inner(&g, &m::vm_add(v.as_slice(), &a))
    });
    let neg: Vec<f64> = d.iter().map(|x| -x).collect();
    fd("mv_sub", &row(&b), &row(&neg), |v| {
        inner(&g, &m::mv_sub(&a, v.as_slice()))
    });
    fd("vm_sub", &row(&b), &row(&d), |v| {
        inner(&g, &m::vm_sub(v.as_slice(), &a))
    });
    fd("vm_sub (matrix)", &a, &m::neg(&g), |a| {
        inner(&g, &m::vm_sub(&b, a))
    });
    // Summed from the first row down.
    let want: Vec<f64> = (0..3)
        .map(|j| ((g[(0, j)] + g[(1, j)]) + g[(2, j)]) + g[(3, j)])
        .collect();
    same_vec("col_sum", &d, &want);
    let arr: [f32; 2] = m::col_sum(&Matrix::from_vec(2, 2, vec![1.0, 2.0, 3.0, 4.0]));
    assert_eq!(arr, [4.0, 6.0]);
}

#[test]
fn loss_backwards_are_the_derivatives() {
    let g = 0.7;
    for (k, &(r, c)) in SHAPES.iter().enumerate() {
        let s = 500 + 10 * k as u64;
        let (a, b) = (random::<f64>(r, c, s), random::<f64>(r, c, s + 1));
        fd("mse", &a, &m::mse_backward(&a, &b, g), |a| {
            g * m::mse(a, &b)
        });
        fd(
            "mse (target)",
            &b,
            &m::neg(&m::mse_backward(&a, &b, g)),
            |b| g * m::mse(&a, b),
        );
        let p = uniform::<f64>(r, c, s + 2, 0.05, 0.95);
        let y = uniform::<f64>(r, c, s + 3, 0.0, 1.0);
        fd("bce p", &p, &m::bce_backward_p(&p, &y, g), |p| {
            g * m::binary_cross_entropy(p, &y)
        });
        fd("bce y", &y, &m::bce_backward_y(&p, &y, g), |y| {
            g * m::binary_cross_entropy(&p, y)
        });
        fd(
            "bce_logits z",
            &a,
            &m::bce_logits_backward_z(&a, &y, g),
            |z| g * m::bce_with_logits(z, &y),
        );
        fd(
            "bce_logits y",
            &y,
            &m::bce_logits_backward_y(&a, &y, g),
            |y| g * m::bce_with_logits(&a, y),
        );
        let labels: Vec<usize> = (0..r).map(|i| (3 * i + 1) % c).collect();
        let d = m::cross_entropy_backward(&a, &labels, g);
        fd("cross_entropy", &a, &d, |z| {
            g * m::cross_entropy(z, &labels)
        });
        // The closed form g·(softmax − onehot)/rows.
        let p = m::softmax(&a);
        let closed = Matrix::from_fn(r, c, |i, j| {
            g * (p[(i, j)] - f64::from(labels[i] == j)) / r as f64
        });
        for (x, y) in d.as_slice().iter().zip(closed.as_slice()) {
            assert!(
                (x - y).abs() < 1e-15,
                "cross_entropy closed form: {x} vs {y}"
            );
        }
    }
}

#[test]
fn loss_backwards_are_ad_vs_pieces_on_the_elements() {
    let (p, y) = (
        uniform::<f32>(3, 5, 40, 0.0, 1.0),
        uniform::<f32>(3, 5, 41, 0.0, 1.0),
    );
    let mut p = p;
    p[(0, 0)] = 0.0;
    p[(1, 1)] = 1.0;
    let (ps, ys) = (p.as_slice(), y.as_slice());
    type V = Vec<f32>;
    same_vec(
        "mse_backward",
        m::mse_backward(&p, &y, 0.3).as_slice(),
        &v::mse_backward::<f32, V>(ps, ys, 0.3),
    );
    same_vec(
        "bce_backward_p",
        m::bce_backward_p(&p, &y, 0.3).as_slice(),
        &v::bce_backward_p::<f32, V>(ps, ys, 0.3),
    );
    same_vec(
        "bce_backward_y",
        m::bce_backward_y(&p, &y, 0.3).as_slice(),
        &v::bce_backward_y::<f32, V>(ps, ys, 0.3),
    );
    same_vec(
        "bce_logits_z",
        m::bce_logits_backward_z(&p, &y, 0.3).as_slice(),
        &v::bce_logits_backward_z::<f32, V>(ps, ys, 0.3),
    );
    same_vec(
        "bce_logits_y",
        m::bce_logits_backward_y(&p, &y, 0.3).as_slice(),
        &v::bce_logits_backward_y::<f32, V>(ps, ys, 0.3),
    );
    assert!(
        m::bce_backward_p(&p, &y, 1.0)
            .as_slice()
            .iter()
            .all(|x| x.is_finite())
    );
    // The fused kernel, over the whole batch.
    let labels = [1, 4, 0];
    let mut want = vec![0.0; 15];
    kernels::cross_entropy_backward(ps, 5, &labels, 0.3, &mut want);
    same_vec(
        "cross_entropy_backward",
        m::cross_entropy_backward(&p, labels, 0.3).as_slice(),
        &want,
    );
    // Extreme logits stay finite (no softmax Jacobian, no overflow).
    let z = Matrix::from_vec(1, 3, vec![1000.0_f32, 0.0, -1000.0]);
    let d = m::cross_entropy_backward(&z, [2], 1.0);
    assert_eq!(d.as_slice(), &[1.0, 0.0, -1.0]);
}

#[test]
fn product_backwards_are_the_derivatives() {
    for &(r, k, n) in &[(1, 1, 1), (3, 5, 2), (4, 2, 6)] {
        let (a, b) = (random::<f64>(r, k, 60), random::<f64>(k, n, 61));
        let g = random::<f64>(r, n, 62);
        fd("matmul a", &a, &m::matmul_backward_a(&g, &b), |a| {
            inner(&g, &m::matmul(a, &b))
        });
        fd("matmul b", &b, &m::matmul_backward_b(&a, &g), |b| {
            inner(&g, &m::matmul(&a, b))
        });
        // The closed forms g·bᵀ and aᵀ·g through an explicit transpose.
        let close = |x: &Matrix<f64>, y: &Matrix<f64>| {
            assert_eq!(x.shape(), y.shape());
            x.as_slice()
                .iter()
                .zip(y.as_slice())
                .all(|(p, q)| (p - q).abs() < 1e-14)
        };
        assert!(close(
            &m::matmul_backward_a(&g, &b),
            &m::matmul(&g, &m::transpose(&b))
        ));
        assert!(close(
            &m::matmul_backward_b(&a, &g),
            &m::matmul(&m::transpose(&a), &g)
        ));
        let x: Vec<f64> = random::<f64>(1, k, 63).into_vec();
        let gv: Vec<f64> = random::<f64>(1, r, 64).into_vec();
        let gm = row(&gv);
        let dw = m::matvec_backward_w(&gv, &x);
        assert_eq!(dw.shape(), (r, k));
        let matvec = |w: &Matrix<f64>, x: &[f64]| row(&m::matvec::<f64, Vec<f64>>(w, x));
        fd("matvec w", &a, &dw, |w| inner(&gm, &matvec(w, &x)));
        let dx: Vec<f64> = m::matvec_backward_x(&a, &gv);
        fd("matvec x", &row(&x), &row(&dx), |x| {
            inner(&gm, &matvec(&a, x.as_slice()))
        });
    }
}

#[test]
fn matvec_backwards_give_the_kernels_bits() {
    for &(r, c) in &[(1, 1), (3, 5), (64, 10), (7, 70)] {
        let w = random::<f32>(r, c, 70);
        let x = random::<f32>(1, c, 71).into_vec();
        let g = random::<f32>(1, r, 72).into_vec();
        let (mut dw, mut dx) = (vec![0.0; r * c], vec![0.0; c]);
        kernels::matvec_backward(w.as_slice(), &x, &g, &mut dw, &mut dx);
        same_bits(
            "matvec_backward_w",
            &m::matvec_backward_w(&g, &x),
            &Matrix::from_vec(r, c, dw),
        );
        let got: Vec<f32> = m::matvec_backward_x(&w, &g);
        same_vec("matvec_backward_x", &got, &dx);
    }
}
