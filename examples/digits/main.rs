//! Trains a 64-32-10 tanh network on the UCI handwritten digits
//! (`data/digits.csv.gz`: 1 797 images of 8×8 pixels) with minibatch Adam on
//! `grad::Matrix`, and plots the training loss.
//!
//! ```text
//! cargo run --release --example digits            # loss curve: target/digits-loss.svg
//! cargo run --release --example digits -- out.svg # or anywhere else
//! ```
//!
//! The network is a struct, [`Net`], with `#[derive(Differentiable)]`; the
//! loss is one plain function of it, [`loss`]; `#[differentiable]` on it
//! generates its gradient, `loss_value_and_grad`, at compile time, as a
//! `Net` that `Adam::step` applies.
//!
//! Deterministic: a fixed seed shuffles the images into 1 437 training and
//! 360 held-out ones, draws the initial weights and orders every epoch's
//! minibatches. `cargo test --example digits` (and `cargo test --workspace`)
//! runs a short version and checks the gradient against central
//! differences. The data and its licence: `data/README.md`.

mod data;
mod plot;

use std::path::PathBuf;
use std::time::Instant;

use grad::optim::Adam;
use grad::prelude::*;
use indicatif::{ProgressBar, ProgressStyle};

use data::{Images, Rng, load_digits};
use plot::plot_losses;

/// 8×8 pixels per image.
const PIXELS: usize = 64;
/// Hidden tanh units.
const HIDDEN: usize = 32;
/// The ten digits.
const CLASSES: usize = 10;
/// Images held out for testing (of 1 797); the other 1 437 train.
const HELD_OUT: usize = 360;
/// The seed of the split, the initial weights and the minibatch order.
const SEED: u64 = 0x2718_2818_2845_9045;
/// Minibatch size, epochs and Adam's learning rate of `cargo run --example digits`.
const BATCH: usize = 64;
const EPOCHS: usize = 40;
const RATE: f64 = 0.01;

/// Mean cross-entropy of the network over a batch: `x` is `batch × 64`,
/// one label per row of `x`. `#[differentiable]` generates
/// `loss_value_and_grad`, which returns the loss and its gradient with
/// respect to `net`, a `Net`.
#[differentiable(wrt(net))]
fn loss(net: &Net, x: &Matrix<f32>, labels: &[usize]) -> f32 {
    let h = tanh(matmul(x, &net.w1) + &net.b1);
    let logits = matmul(&h, &net.w2) + &net.b2;
    cross_entropy(&logits, labels)
}

/// The network's logits for the rows of `x`.
fn logits(net: &Net, x: &Matrix<f32>) -> Matrix<f32> {
    let h = tanh(matmul(x, &net.w1) + &net.b1);
    matmul(&h, &net.w2) + &net.b2
}

/// The network's parameters: `w1` is `64 × 32`, `w2` is `32 × 10`.
#[derive(Differentiable, Clone, Debug)]
struct Net {
    w1: Matrix<f32>,
    b1: Vec<f32>,
    w2: Matrix<f32>,
    b2: Vec<f32>,
}

impl Net {
    /// Uniform weights in ±1/√fan_in, zero biases.
    fn new(rng: &mut Rng) -> Net {
        let mut layer = |rows: usize, cols: usize| {
            let scale = 1.0 / (rows as f32).sqrt();
            Matrix::from_fn(rows, cols, |_, _| scale * rng.symmetric())
        };
        Net {
            w1: layer(PIXELS, HIDDEN),
            b1: vec![0.0; HIDDEN],
            w2: layer(HIDDEN, CLASSES),
            b2: vec![0.0; CLASSES],
        }
    }
}

/// Fraction of images whose highest logit is their digit.
fn accuracy(net: &Net, data: &Images) -> f64 {
    let z = logits(net, &data.x);
    let hits = (0..z.rows())
        .filter(|&i| {
            let row = z.row(i);
            let best = (0..row.len()).fold(0, |b, j| if row[j] > row[b] { j } else { b });
            best == data.labels[i]
        })
        .count();
    hits as f64 / z.rows() as f64
}

/// What a run produced.
struct Outcome {
    /// Mean training loss of each epoch (over its minibatches).
    losses: Vec<f32>,
    test_accuracy: f64,
    test_loss: f32,
}

/// How long and on what to train.
struct Config {
    epochs: usize,
    /// Use only the first this many training images.
    train_images: usize,
    show_progress: bool,
}

/// Splits the data, trains for `config.epochs` epochs of minibatch Adam,
/// and measures the network on the held-out images.
fn run(config: &Config) -> Outcome {
    let all = load_digits(include_bytes!("../../data/digits.csv.gz"));
    let mut rng = Rng(SEED);
    let mut order: Vec<usize> = (0..all.labels.len()).collect();
    rng.shuffle(&mut order);
    let (train_rows, test_rows) = order.split_at(order.len() - HELD_OUT);
    let train = all.select(&train_rows[..config.train_images.min(train_rows.len())]);
    let test = all.select(test_rows);

    let mut net = Net::new(&mut rng);
    let mut opt = Adam::new(RATE);
    let bar = if config.show_progress {
        ProgressBar::new(config.epochs as u64)
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template("[{bar:40}] {pos}/{len} epochs, {msg}")
            .expect("a valid progress template")
            .progress_chars("=> "),
    );
    let mut losses = Vec::with_capacity(config.epochs);
    let mut rows: Vec<usize> = (0..train.labels.len()).collect();
    for _ in 0..config.epochs {
        rng.shuffle(&mut rows);
        let mut total = 0.0;
        let batches = rows.chunks(BATCH);
        let count = batches.len();
        for batch in batches {
            let b = train.select(batch);
            let (value, gradient) = loss_value_and_grad(&net, &b.x, &b.labels);
            total += value;
            opt.step(&mut net, &gradient);
        }
        let mean = total / count as f32;
        losses.push(mean);
        bar.set_message(format!("loss {mean:.4}"));
        bar.inc(1);
    }
    bar.finish();
    if !bar.is_hidden() {
        // The finished bar stays on screen; end its line before anything else prints.
        eprintln!();
    }
    Outcome {
        losses,
        test_accuracy: accuracy(&net, &test),
        test_loss: loss(&net, &test.x, &test.labels),
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = std::env::args_os().nth(1).map_or_else(
        || {
            PathBuf::from(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/target/digits-loss.svg"
            ))
        },
        PathBuf::from,
    );
    let start = Instant::now();
    let outcome = run(&Config {
        epochs: EPOCHS,
        train_images: usize::MAX,
        show_progress: true,
    });
    let seconds = start.elapsed().as_secs_f64();
    let last = outcome.losses.last().copied().unwrap_or(f32::NAN);
    println!(
        "{EPOCHS} epochs of minibatches of {BATCH} in {seconds:.2} s; final training loss {last:.4}"
    );
    println!(
        "held-out accuracy ({HELD_OUT} images): {:.3} (loss {:.4})",
        outcome.test_accuracy, outcome.test_loss
    );
    plot_losses(&outcome.losses, &out)?;
    println!("loss curve: {}", out.display());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_short_run_learns_digits() {
        let outcome = run(&Config {
            epochs: 5,
            train_images: 512,
            show_progress: false,
        });
        let l = &outcome.losses;
        assert!(l.windows(2).all(|w| w[1] < w[0]), "losses {l:?}");
        // Chance is ln 10 ≈ 2.30 and an accuracy of 0.1.
        assert!(l[4] < 0.5 * (CLASSES as f32).ln(), "losses {l:?}");
        assert!(
            outcome.test_accuracy > 0.7,
            "accuracy {}",
            outcome.test_accuracy
        );
    }

    /// The generated gradient against central differences of [`loss`],
    /// along a random direction per parameter and at the largest entries.
    #[test]
    fn gradient_matches_finite_differences() {
        let mut rng = Rng(11);
        let net = Net::new(&mut rng);
        let rows = 8;
        let x = Matrix::from_fn(rows, PIXELS, |_, _| 0.5 + 0.5 * rng.symmetric());
        let labels: Vec<usize> = (0..rows).map(|i| (3 * i + 1) % CLASSES).collect();
        let mut net = Net {
            b1: (0..HIDDEN).map(|_| 0.3 * rng.symmetric()).collect(),
            b2: (0..CLASSES).map(|_| 0.3 * rng.symmetric()).collect(),
            ..net
        };
        let (value, gradient) = loss_value_and_grad(&net, &x, &labels);
        let at = |n: &Net| loss(n, &x, &labels);
        assert_eq!(value, at(&net));

        let grads: Vec<Vec<f32>> = gradient.leaves().map(<[f32]>::to_vec).collect();
        let h = 1e-2_f32;
        for (k, g) in grads.iter().enumerate() {
            // The derivative of the loss along `d`: ⟨g, d⟩ against a central difference.
            let mut check = |d: &[f32], what: &str| {
                let step = |sign: f32, net: &mut Net| {
                    let p = net.leaves_mut().nth(k).expect("four parameters");
                    p.iter_mut().zip(d).for_each(|(p, d)| *p += sign * h * d);
                };
                step(1.0, &mut net);
                let up = at(&net);
                step(-2.0, &mut net);
                let down = at(&net);
                step(1.0, &mut net);
                let fd = (up - down) / (2.0 * h);
                let exact: f32 = g.iter().zip(d).map(|(g, d)| g * d).sum();
                assert!(
                    (fd - exact).abs() <= 1e-2 * exact.abs().max(1e-2),
                    "parameter {k}, {what}: gradient gives {exact}, finite differences {fd}"
                );
            };
            let direction: Vec<f32> = (0..g.len()).map(|_| rng.symmetric()).collect();
            check(&direction, "random direction");
            let largest = (0..g.len()).fold(0, |b, i| if g[i].abs() > g[b].abs() { i } else { b });
            let mut unit = vec![0.0; g.len()];
            unit[largest] = 1.0;
            check(&unit, &format!("entry {largest}"));
        }
    }
}
