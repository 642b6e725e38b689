//! Fits a logistic regression on Fisher's Iris data (`data/iris.csv`) by
//! Newton's method, with the gradient and the Hessian that
//! `#[differentiable(hessian)]` generated.
//!
//! The model separates versicolor from virginica, the two species that
//! overlap (setosa is linearly separable from both, and a separable pair has
//! no maximum-likelihood fit: the weights grow without bound). The 100
//! flowers are one 100×4 matrix `x` of standardized measurements, the label
//! `y` is 1 for virginica, and the loss is the mean binary cross-entropy
//! `bce_with_logits(matvec(x, w) + b, y)` over the five parameters `w`, `b`,
//! plus a small ridge term `5e-4·‖w‖²`. The pair is nearly separable (98 of
//! 100 flowers on the right side of the unpenalized fit, whose petal weights
//! are 7.7): the ridge term keeps the weights moderate, so that Newton's
//! method needs 8 steps rather than 10, at a cost of one flower.
//!
//! Each Newton step solves `H·d = g` (the 5×5 Hessian from the generated
//! `loss_hessian`, the gradient from `loss_value_and_grad`) by a Cholesky
//! factorization with `nalgebra`, and moves to `θ − d`. From `θ = 0` it
//! reaches a gradient norm below 1e-10 in a handful of steps; for comparison,
//! plain gradient descent with the safe step `1/L` (`L` the largest
//! eigenvalue of the Hessian at `θ = 0`, which bounds it everywhere) counts
//! the steps it needs to come within 1e-6 of Newton's loss.
//!
//! Run with `cargo run --release --example newton`. Deterministic (no random
//! numbers). The data and its licence: `data/README.md`.
//!
//! `cargo test --example newton` checks that Newton converges in fewer than
//! 10 steps, that the Hessian at the solution is symmetric and positive
//! definite, and the generated Hessian against finite differences of the
//! generated gradient.

use std::time::Instant;

use grad::prelude::*;
use nalgebra::{DMatrix, DVector};

/// Four measurements per flower.
const FEATURES: usize = 4;
/// The differentiated parameters flattened: `w` (4), then `b`.
const PARAMS: usize = FEATURES + 1;
/// Newton stops once the gradient's Euclidean norm is below this.
const TOLERANCE: f64 = 1e-10;
/// Newton steps at most.
const MAX_NEWTON: usize = 50;
/// Gradient-descent steps at most, in the comparison.
const MAX_DESCENT: usize = 100_000;
/// How close to Newton's loss gradient descent must come.
const LOSS_GAP: f64 = 1e-6;
/// The weight of the ridge term `L2·‖w‖²` (the bias is not penalized).
const L2: f64 = 5e-4;
/// The measurements' names, in the columns' order.
const NAMES: [&str; FEATURES] = ["sepal length", "sepal width", "petal length", "petal width"];

/// Mean binary cross-entropy of a logistic regression over the rows of `x`
/// (`n × 4`), with `y` 1 for virginica and 0 for versicolor, plus the ridge
/// term `l2·‖w‖²` (`l2` is a constant: `wrt` leaves it out).
#[differentiable(wrt(w, b), hessian)]
fn loss(w: &[f64], b: f64, x: &Matrix<f64>, y: &[f64], l2: f64) -> f64 {
    bce_with_logits(matvec(x, w) + b, y) + l2 * dot(w, w)
}

/// Flowers, one per row of `x` (standardized measurements), and their labels.
#[derive(Clone, Debug)]
struct Flowers {
    x: Matrix<f64>,
    y: Vec<f64>,
}

/// Parses `data/iris.csv` (header, four numbers and a species name per row)
/// and keeps versicolor (label 0) and virginica (label 1), standardized.
fn load_pair(csv: &str) -> Flowers {
    let (mut x, mut y) = (Vec::new(), Vec::new());
    for line in csv.lines().skip(1).filter(|line| !line.trim().is_empty()) {
        let fields: Vec<&str> = line.split(',').collect();
        let label = match fields[FEATURES] {
            "setosa" => continue,
            "versicolor" => 0.0,
            "virginica" => 1.0,
            other => panic!("iris.csv: unknown species {other:?}"),
        };
        let parse = |f: &&str| f.parse::<f64>().expect("iris.csv: not a number");
        x.extend(fields[..FEATURES].iter().map(parse));
        y.push(label);
    }
    let x = Matrix::from_vec(y.len(), FEATURES, x);
    let n = x.rows() as f64;
    let column = |j: usize| x.as_slice().iter().skip(j).step_by(FEATURES);
    let mean: Vec<f64> = (0..FEATURES).map(|j| column(j).sum::<f64>() / n).collect();
    let sd: Vec<f64> = (0..FEATURES)
        .map(|j| (column(j).map(|v| (v - mean[j]).powi(2)).sum::<f64>() / n).sqrt())
        .collect();
    Flowers {
        x: (&x - &mean) / &sd,
        y,
    }
}

/// The loss, its gradient flattened (`∂w`, then `∂b`) and that gradient's norm at `θ`.
fn evaluate(theta: &[f64], data: &Flowers) -> (f64, Vec<f64>, f64) {
    let (value, (dw, db)) =
        loss_value_and_grad(&theta[..FEATURES], theta[FEATURES], &data.x, &data.y, L2);
    let mut g = dw;
    g.push(db);
    let norm = g.iter().map(|v| v * v).sum::<f64>().sqrt();
    (value, g, norm)
}

/// The generated Hessian at `θ`, as an `nalgebra` matrix.
fn hessian(theta: &[f64], data: &Flowers) -> DMatrix<f64> {
    let h = loss_hessian(&theta[..FEATURES], theta[FEATURES], &data.x, &data.y, L2);
    assert_eq!(h.shape(), (PARAMS, PARAMS));
    DMatrix::from_row_slice(PARAMS, PARAMS, h.as_slice())
}

/// One Newton iterate: the loss and gradient norm at the parameters.
#[derive(Clone, Copy, Debug)]
struct Iterate {
    loss: f64,
    grad_norm: f64,
}

/// Newton's method from `θ = 0`: `history[k]` is the iterate after `k` steps.
struct NewtonFit {
    theta: Vec<f64>,
    history: Vec<Iterate>,
}

impl NewtonFit {
    /// Newton steps taken.
    fn steps(&self) -> usize {
        self.history.len() - 1
    }

    fn loss(&self) -> f64 {
        self.history.last().expect("at least θ = 0").loss
    }
}

/// Newton's method: `θ ← θ − H⁻¹g` (Cholesky) until `‖g‖ < TOLERANCE`.
fn newton(data: &Flowers) -> NewtonFit {
    let mut theta = vec![0.0; PARAMS];
    let mut history = Vec::new();
    loop {
        let (loss, g, grad_norm) = evaluate(&theta, data);
        history.push(Iterate { loss, grad_norm });
        if grad_norm < TOLERANCE || history.len() > MAX_NEWTON {
            break;
        }
        let step = hessian(&theta, data)
            .cholesky()
            .expect("the Hessian of the logistic loss is positive definite")
            .solve(&DVector::from_vec(g));
        theta.iter_mut().zip(step.iter()).for_each(|(t, d)| *t -= d);
    }
    NewtonFit { theta, history }
}

/// Plain gradient descent from `θ = 0` with step `1/L`: the steps it takes to
/// bring the loss within `LOSS_GAP` of `target` (or `None` within `MAX_DESCENT`).
fn descent_steps(data: &Flowers, target: f64) -> Option<usize> {
    let zero = vec![0.0; PARAMS];
    let lipschitz = hessian(&zero, data).symmetric_eigenvalues().max();
    let rate = 1.0 / lipschitz;
    let mut theta = zero;
    for step in 0..=MAX_DESCENT {
        let (value, g, _) = evaluate(&theta, data);
        if value <= target + LOSS_GAP {
            return Some(step);
        }
        theta.iter_mut().zip(&g).for_each(|(t, g)| *t -= rate * g);
    }
    None
}

/// Fraction of flowers whose predicted class (`z > 0` is virginica) is their label.
fn accuracy(theta: &[f64], data: &Flowers) -> f64 {
    let z: Vec<f64> = matvec(&data.x, &theta[..FEATURES]);
    let hits = z
        .iter()
        .zip(&data.y)
        .filter(|&(z, y)| (z + theta[FEATURES] > 0.0) == (*y == 1.0))
        .count();
    hits as f64 / data.y.len() as f64
}

fn main() {
    let data = load_pair(include_str!("../data/iris.csv"));
    println!(
        "versicolor vs virginica: {} flowers, {FEATURES} standardized features + bias",
        data.y.len()
    );

    let start = Instant::now();
    let fit = newton(&data);
    let newton_time = start.elapsed().as_secs_f64();
    for (k, it) in fit.history.iter().enumerate() {
        println!(
            "newton step {k}: loss {:.12}, |grad| {:.3e}",
            it.loss, it.grad_norm
        );
    }
    println!(
        "converged in {} Newton steps ({:.2} ms)",
        fit.steps(),
        newton_time * 1e3
    );
    for (name, w) in NAMES.iter().zip(&fit.theta) {
        println!("  w[{name}] = {w:+.6}");
    }
    println!("  b = {:+.6}", fit.theta[FEATURES]);
    println!("training accuracy: {:.3}", accuracy(&fit.theta, &data));

    let start = Instant::now();
    let steps = descent_steps(&data, fit.loss());
    let descent_time = start.elapsed().as_secs_f64();
    match steps {
        Some(n) => println!(
            "gradient descent (step 1/L) needs {n} steps to come within {LOSS_GAP:e} of that loss ({:.2} ms)",
            descent_time * 1e3
        ),
        None => println!(
            "gradient descent (step 1/L) is not within {LOSS_GAP:e} of that loss after {MAX_DESCENT} steps ({:.2} ms)",
            descent_time * 1e3
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data() -> Flowers {
        load_pair(include_str!("../data/iris.csv"))
    }

    #[test]
    fn newton_converges_in_fewer_than_10_steps() {
        let fit = newton(&data());
        assert!(fit.steps() < 10, "{} steps: {:?}", fit.steps(), fit.history);
        let last = fit.history.last().unwrap();
        assert!(last.grad_norm < TOLERANCE, "{last:?}");
        // Every step lowers the loss.
        for pair in fit.history.windows(2) {
            assert!(pair[1].loss <= pair[0].loss, "{:?}", fit.history);
        }
    }

    #[test]
    fn hessian_at_the_solution_is_symmetric_positive_definite() {
        let data = data();
        let fit = newton(&data);
        let h = hessian(&fit.theta, &data);
        assert_eq!(
            h,
            h.transpose(),
            "the generated Hessian is symmetric to the last bit"
        );
        let smallest = h.clone().symmetric_eigenvalues().min();
        assert!(smallest > 1e-3, "smallest eigenvalue {smallest}");
        assert!(h.cholesky().is_some());
    }

    /// The generated Hessian against central differences of the generated
    /// gradient, and `loss_hvp` against the Hessian times a direction.
    #[test]
    fn hessian_matches_finite_differences_of_the_gradient() {
        let data = data();
        let theta = [0.3, -0.2, 0.5, 0.1, -0.4];
        let h = hessian(&theta, &data);
        let step = 1e-5;
        for j in 0..PARAMS {
            let (mut up, mut down) = (theta.to_vec(), theta.to_vec());
            up[j] += step;
            down[j] -= step;
            let (gu, gd) = (evaluate(&up, &data).1, evaluate(&down, &data).1);
            for i in 0..PARAMS {
                let fd = (gu[i] - gd[i]) / (2.0 * step);
                assert!(
                    (h[(i, j)] - fd).abs() < 1e-8,
                    "H[{i},{j}] {} vs {fd}",
                    h[(i, j)]
                );
            }
        }
        let v = [1.0, -2.0, 0.5, 0.25, 3.0];
        let (hw, hb) = loss_hvp(
            &theta[..FEATURES],
            theta[FEATURES],
            &data.x,
            &data.y,
            L2,
            &v[..FEATURES],
            v[FEATURES],
        );
        let hv = &h * DVector::from_column_slice(&v);
        for (i, got) in hw.iter().chain([&hb]).enumerate() {
            assert!((got - hv[i]).abs() < 1e-12, "hvp[{i}] {got} vs {}", hv[i]);
        }
    }

    #[test]
    fn newton_beats_gradient_descent() {
        let data = data();
        let fit = newton(&data);
        // Within 1e-6 needs thousands of gradient steps; a few hundred are not enough.
        let steps = descent_steps(&data, fit.loss());
        assert!(steps.is_none_or(|n| n > 100), "{steps:?}");
    }
}
