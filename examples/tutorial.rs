//! The PyTorch tutorial `grad` grew from (a short Chinese tutorial on
//! activations, losses and their gradients; what it teaches and prints:
//! `docs/TUTORIAL.md`), reproduced step by step and printed the way PyTorch
//! prints tensors.
//!
//! Run with `cargo run --release --example tutorial`.

use grad::display::{Scalar, Tensor};
use grad::prelude::*;

/// `torch.linspace(start, end, steps)` in f32: evenly spaced, both ends included,
/// computed from both ends like PyTorch so the halves are symmetric.
fn linspace(start: f32, end: f32, steps: usize) -> Vec<f32> {
    let step = (end - start) / (steps - 1) as f32;
    (0..steps)
        .map(|i| {
            if i < steps / 2 {
                start + step * i as f32
            } else {
                end - step * (steps - 1 - i) as f32
            }
        })
        .collect()
}

/// §4: the tutorial's model `pred = x·w` and its squared error against the
/// target 1, `mse = (1 − x·w)²`; the macro writes `mse_loss_grad`.
#[differentiable(wrt(w))]
fn mse_loss(x: f64, w: f64) -> f64 {
    let pred = x * w;
    (1.0 - pred).powi(2)
}

/// §5: binary cross-entropy of a logistic unit `p = σ(w·x + b)` against the label `y`.
#[differentiable(wrt(w, b))]
fn logistic_loss(x: [f32; 3], w: [f32; 3], b: f32, y: [f32; 1]) -> f32 {
    let p = sigmoid(dot(w, x) + b);
    binary_cross_entropy([p], y)
}

/// §5: multi-class cross-entropy of the logits `z` for the true class.
#[differentiable]
fn class_loss(z: [f32; 3], class: usize) -> f32 {
    cross_entropy(z, class)
}

/// §6: the softmax itself; its `_jacobian` has the rows `grad(p[i])`.
#[differentiable]
fn probabilities(a: [f32; 3]) -> [f32; 3] {
    softmax(a)
}

/// §6: one output of the softmax, as `torch.autograd.grad(p[2], [a])` sees it.
#[differentiable]
fn third_probability(a: [f32; 3]) -> f32 {
    softmax(a)[2]
}

fn main() {
    println!("§1 sigmoid: σ(x) = 1/(1+e^-x), σ'(x) = σ(x)(1-σ(x)) vanishes for large |x|");
    let a = linspace(-100.0, 100.0, 10);
    println!(">>> torch.sigmoid(torch.linspace(-100, 100, 10))");
    println!("{}", Tensor(&sigmoid(&a)));

    println!("\n§2 tanh: tanh(x) = 2σ(2x) - 1, tanh'(x) = 1 - tanh²(x), also saturates");
    let a = linspace(-1.0, 1.0, 10);
    println!(">>> torch.tanh(torch.linspace(-1, 1, 10))");
    println!("{}", Tensor(&tanh(&a)));

    println!(
        "\n§3 relu: max(0, x), gradient 1 for x > 0 and 0 otherwise (0 at x = 0, like PyTorch)"
    );
    println!(">>> torch.relu(torch.linspace(-1, 1, 10))");
    println!("{}", Tensor(&relu(&a)));

    println!("\n§4 MSE: loss = Σ(y - pred)²/n for pred = x·w, with x = 1, w = 2, target 1");
    let (x, w) = (1.0, 2.0);
    println!(">>> F.mse_loss(torch.ones(1), x*w)");
    println!("{}", Scalar(mse_loss(x, w)));
    let dw = mse_loss_grad(x, w);
    println!(">>> torch.autograd.grad(mse, [w])   # or mse.backward(); w.grad");
    println!("{}", Tensor(&[dw]));
    println!(
        "(no `requires_grad` to forget and no graph to rebuild: `mse_loss_grad` is an ordinary \
         function the compiler wrote from `mse_loss`, so it exists before the program runs and \
         always differentiates the current code)"
    );

    println!("\n§5 cross entropy: binary (with sigmoid) and multi-class (with softmax)");
    let (x, w, b, y) = (
        [1.0_f32, 2.0, -1.0],
        [0.5_f32, -0.25, 0.1],
        0.2_f32,
        [1.0_f32],
    );
    let (loss, (dw, db)) = logistic_loss_value_and_grad(x, w, b, y);
    println!(">>> F.binary_cross_entropy(torch.sigmoid(w @ x + b), y)");
    println!("{}", Scalar(loss));
    println!(">>> w.grad, b.grad");
    println!("({}, {})", Tensor(&dw), Scalar(db));
    let z = [2.0_f32, 1.0, 0.1];
    let (loss, dz) = class_loss_value_and_grad(z, 0);
    println!(
        ">>> F.cross_entropy(z, torch.tensor(0))   # z = {}",
        Tensor(&z)
    );
    println!("{}", Scalar(loss));
    println!(">>> z.grad   # softmax(z) - onehot(0)");
    println!("{}", Tensor(&dz));

    println!("\n§6 softmax: p_i = e^a_i / Σ_j e^a_j sums to 1; ∂p_i/∂a_j = p_i(δ_ij - p_j)");
    let a = [0.628_f32, 0.1, 0.787];
    println!(">>> a = torch.rand(3)\n{}", Tensor(&a));
    let p = probabilities(a);
    println!(
        ">>> p = F.softmax(a, dim=0)\n{}   (sum {:.4})",
        Tensor(&p),
        p.iter().sum::<f32>()
    );
    let jacobian = probabilities_jacobian(a);
    for i in [1, 2] {
        let row = &jacobian[i];
        println!(">>> torch.autograd.grad(p[{i}], [a], retain_graph=True)");
        println!(
            "({},)   (row sum {:+.1e})",
            Tensor(row),
            row.iter().sum::<f32>()
        );
    }
    println!(
        "(the same row from the scalar function softmax(a)[2]: {})",
        Tensor(&third_probability_grad(a))
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn section_4_gradient_is_two() {
        assert_eq!(mse_loss_value_and_grad(1.0, 2.0), (1.0, 2.0));
        assert_eq!(
            Tensor(&[mse_loss_grad(1.0, 2.0)]).to_string(),
            "tensor([2.])"
        );
    }

    #[test]
    fn section_5_losses_and_gradients() {
        // p = σ(0.1); loss = −ln p; ∂/∂w = (p − 1)·x; ∂/∂b = p − 1.
        let p = 1.0 / (1.0 + (-0.1_f64).exp());
        let x = [1.0_f32, 2.0, -1.0];
        let (loss, (dw, db)) = logistic_loss_value_and_grad(x, [0.5, -0.25, 0.1], 0.2, [1.0]);
        assert!((f64::from(loss) + p.ln()).abs() < 1e-6);
        for (d, xi) in dw.iter().zip(x) {
            assert!((f64::from(*d) - (p - 1.0) * f64::from(xi)).abs() < 1e-6);
        }
        assert!((f64::from(db) - (p - 1.0)).abs() < 1e-6);

        let (loss, dz) = class_loss_value_and_grad([2.0, 1.0, 0.1], 0);
        assert_eq!(Scalar(loss).to_string(), "tensor(0.4170)");
        assert_eq!(
            Tensor(&dz).to_string(),
            "tensor([-0.3410,  0.2424,  0.0986])"
        );
    }

    #[test]
    fn section_6_jacobian_rows_match_the_tutorial_and_sum_to_zero() {
        let a = [0.628_f32, 0.1, 0.787];
        let jacobian = probabilities_jacobian(a);
        assert_eq!(
            Tensor(&jacobian[2]).to_string(),
            "tensor([-0.1537, -0.0906,  0.2443])"
        );
        assert_eq!(
            Tensor(&third_probability_grad(a)).to_string(),
            Tensor(&jacobian[2]).to_string()
        );
        let p = probabilities(a);
        for (i, row) in jacobian.iter().enumerate() {
            assert!(
                row.iter().sum::<f32>().abs() < 1e-6,
                "row {i} sums to {}",
                row.iter().sum::<f32>()
            );
            for (j, &d) in row.iter().enumerate() {
                let want = p[i] * (f32::from(u8::from(i == j)) - p[j]);
                assert!((d - want).abs() < 1e-6, "∂p{i}/∂a{j} = {d}, want {want}");
            }
        }
    }
}
