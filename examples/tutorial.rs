//! The PyTorch tutorial `grad` grew from (`shared/seed/TUTORIAL.md`),
//! reproduced step by step and printed the way PyTorch prints tensors.
//!
//! Run with `cargo run --release --example tutorial`.

use grad::display::Tensor;
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
    let (loss, dw) = mse_loss_value_and_grad(x, w);
    println!(">>> F.mse_loss(torch.ones(1), x*w)");
    println!("{}", Tensor(&[loss]));
    println!(">>> torch.autograd.grad(mse, [w])   # or mse.backward(); w.grad");
    println!("{}", Tensor(&[dw]));
    println!(
        "(no `requires_grad` to forget and no graph to rebuild: `mse_loss_grad` is an ordinary \
         function the compiler wrote from `mse_loss`, so it exists before the program runs and \
         always differentiates the current code)"
    );
}
