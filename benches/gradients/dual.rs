//! The bench's functions over `num_dual`'s `Dual64`, op for op: the
//! forward-mode baseline (`dual_grad` runs one pass per parameter).

use num_dual::{Dual64, DualNum};

type D = Dual64;

fn sigmoid(z: D) -> D {
    (D::from(1.0) + (-z).exp()).recip()
}

pub(crate) fn neuron(x: D, w: D, b: D) -> D {
    sigmoid(w * x + b)
}

pub(crate) fn poly10(x: D) -> D {
    x.powi(2) * 3.0 + x * 2.0 + 1.0 - x.powi(3) * 4.0 + x.powi(4) * 5.0 - x.powi(5) * 0.5
        + x.powi(6) * 0.25
        - x.powi(7) * 0.125
        + x.powi(8) * 0.0625
        - x.powi(9) * 0.03125
}

pub(crate) fn net3(x: D, w1: D, b1: D, w2: D, b2: D, w3: D, b3: D) -> D {
    let h1 = (w1 * x + b1).tanh();
    let h2 = (w2 * h1 + b2).tanh();
    sigmoid(w3 * h2 + b3)
}

pub(crate) fn tanh_heavy(x: D, y: D) -> D {
    ((x * y).tanh() + (x - y).tanh()).tanh() * x.tanh() + (y * 0.5).tanh()
}

pub(crate) fn soft_mix(x: D, y: D) -> D {
    x.exp().ln_1p() * (-y).exp() + (x * x).ln_1p() + (x * y).exp()
}

pub(crate) fn pow_mix(x: D, y: D) -> D {
    x.powi(3) * y.powf(1.5) + (x * x + y * y).sqrt()
}
