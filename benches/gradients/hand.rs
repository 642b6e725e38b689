//! The hand-written closed-form gradients the generated `_grad`s are
//! timed against, one fn per function of the bench.

use grad::scalar::{sigmoid, softplus};

pub(crate) fn neuron(x: f64, w: f64, b: f64) -> (f64, f64, f64) {
    let s = sigmoid(w * x + b);
    let d = s * (1.0 - s);
    (d * w, d * x, d)
}

/// Term by term, with the same `powi` the function is written with.
pub(crate) fn poly10(x: f64) -> f64 {
    2.0 + 6.0 * x - 12.0 * x.powi(2) + 20.0 * x.powi(3) - 2.5 * x.powi(4) + 1.5 * x.powi(5)
        - 0.875 * x.powi(6)
        + 0.5 * x.powi(7)
        - 0.28125 * x.powi(8)
}

/// Algebraically rewritten: the derivative in Horner form (no `powi`).
pub(crate) fn poly10_optimized(x: f64) -> f64 {
    let c = [2.0, 6.0, -12.0, 20.0, -2.5, 1.5, -0.875, 0.5, -0.28125];
    c.iter().rev().fold(0.0, |acc, &k| acc * x + k)
}

pub(crate) fn net3(
    x: f64,
    w1: f64,
    b1: f64,
    w2: f64,
    b2: f64,
    w3: f64,
    b3: f64,
) -> (f64, f64, f64, f64, f64, f64, f64) {
    let h1 = (w1 * x + b1).tanh();
    let h2 = (w2 * h1 + b2).tanh();
    let o = sigmoid(w3 * h2 + b3);
    let dz3 = o * (1.0 - o);
    let dz2 = dz3 * w3 * (1.0 - h2 * h2);
    let dz1 = dz2 * w2 * (1.0 - h1 * h1);
    (dz1 * w1, dz1 * x, dz1, dz2 * h1, dz2, dz3 * h2, dz3)
}

pub(crate) fn tanh_heavy(x: f64, y: f64) -> (f64, f64) {
    let a = (x * y).tanh();
    let b = (x - y).tanh();
    let o = (a + b).tanh();
    let t = x.tanh();
    let c = (y * 0.5).tanh();
    let dou = (1.0 - o * o) * t;
    let da = dou * (1.0 - a * a);
    let db = dou * (1.0 - b * b);
    (
        da * y + db + o * (1.0 - t * t),
        da * x - db + 0.5 * (1.0 - c * c),
    )
}

pub(crate) fn soft_mix(x: f64, y: f64) -> (f64, f64) {
    let e = (-y).exp();
    let p = (x * y).exp();
    (
        sigmoid(x) * e + 2.0 * x / (1.0 + x * x) + y * p,
        -softplus(x) * e + x * p,
    )
}

/// With the primitives the function is written with (`powi`, `powf`, `sqrt`).
pub(crate) fn pow_mix(x: f64, y: f64) -> (f64, f64) {
    let r = (x * x + y * y).sqrt();
    (
        3.0 * x.powi(2) * y.powf(1.5) + x / r,
        1.5 * x.powi(3) * y.powf(0.5) + y / r,
    )
}

/// Algebraically rewritten: `y^1.5 = y·√y`, `x³ = x·x·x` (no `powf`/`powi`).
pub(crate) fn pow_mix_optimized(x: f64, y: f64) -> (f64, f64) {
    let r = (x * x + y * y).sqrt();
    let sy = y.sqrt();
    let y15 = y * sy;
    let x2 = x * x;
    (3.0 * x2 * y15 + x / r, 1.5 * x2 * x * sy + y / r)
}
