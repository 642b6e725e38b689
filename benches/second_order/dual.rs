//! [`net_loss`](super::net_loss) written generically over `num_dual::DualNum`, op for op:
//! the forward-mode baseline of the `hessian10` group (and of
//! `tools/second-order-nalgebra.sh`).

use num_dual::DualNum;

fn sigmoid<D: DualNum<Primitive = f64> + Copy>(z: D) -> D {
    (D::from(1.0) + (-z).exp()).recip()
}

pub(crate) fn net_loss<D: DualNum<Primitive = f64> + Copy>(p: [D; 10]) -> D {
    let [w11, w12, w21, w22, b1, b2, v1, v2, c, s] = p;
    let h11 = (w11 * 0.5 - w12 * 1.2 + b1).tanh();
    let h12 = sigmoid(w21 * 0.5 - w22 * 1.2 + b2);
    let p1 = sigmoid(v1 * h11 + v2 * h12 + c);
    let h21 = (w12 * 0.8 - w11 * 0.3 + b1).tanh();
    let h22 = sigmoid(w22 * 0.8 - w21 * 0.3 + b2);
    let p2 = sigmoid(v1 * h21 + v2 * h22 + c);
    let h31 = (w11 * 1.1 + w12 * 0.4 + b1).tanh();
    let h32 = sigmoid(w21 * 1.1 + w22 * 0.4 + b2);
    let p3 = sigmoid(v1 * h31 + v2 * h32 + c);
    let nll = -(p1.ln() + (D::from(1.0) - p2).ln() + p3.ln());
    let w2 = w11.powi(2) + w12.powi(2) + w21.powi(2) + w22.powi(2) + v1.powi(2) + v2.powi(2);
    nll + s.exp() * w2 * 0.5 - s * 3.0
}
