//! Every kernel against an f64 reference, on every dispatch path this CPU
//! has, against the budgets in `grad_core::testing::BUDGETS`; plus
//! bit-identity between paths, every length `0..=3·ACCUMULATORS+1`, special
//! values, empty inputs and NaN propagation.
//!
//! `accuracy_report` (ignored by default) runs a larger sweep and prints the
//! worst error per op, type and path:
//! `cargo test -p grad-core --release --test kernels_accuracy accuracy_report -- --ignored --nocapture`

#[path = "kernels_accuracy/elementwise.rs"]
mod elementwise;
#[path = "kernels_accuracy/harness.rs"]
mod harness;
#[path = "kernels_accuracy/reductions.rs"]
mod reductions;
#[path = "kernels_accuracy/rows.rs"]
mod rows;

use elementwise::{check_backward, check_elementwise, check_lengths, check_unary_on};
use harness::Report;
use reductions::check_reductions;
use rows::check_rows;

fn run_all(n: usize, reps: usize) -> Report {
    let mut rep = Report::default();
    check_elementwise::<f32>(&mut rep, n);
    check_elementwise::<f64>(&mut rep, n);
    check_backward::<f32>(&mut rep, n);
    check_backward::<f64>(&mut rep, n);
    check_lengths::<f32>(&mut rep);
    check_lengths::<f64>(&mut rep);
    check_rows::<f32>(&mut rep, reps);
    check_rows::<f64>(&mut rep, reps);
    check_reductions::<f32>(&mut rep);
    check_reductions::<f64>(&mut rep);
    rep
}

#[test]
fn every_kernel_within_budget_on_every_path() {
    let missing = harness::unavailable_paths();
    if !missing.is_empty() {
        eprintln!(
            "note: paths not available on this CPU, skipped: {}",
            missing.join(", ")
        );
    }
    run_all(3000, 1).check();
}

/// Every `f32` bit pattern (2^32 inputs) through the elementwise forward
/// kernels on every path, with the checks of [`check_elementwise`]. About
/// 14 minutes per op in release on a 2.9 GHz core (most of it the f64
/// references); `GRAD_EXHAUSTIVE_OPS=tanh,exp` limits the ops:
/// `GRAD_EXHAUSTIVE_OPS=tanh cargo test -p grad-core --release --test kernels_accuracy every_f32_input -- --ignored --nocapture`
#[test]
#[ignore = "2^32 inputs per op; run with --release --ignored --nocapture"]
fn every_f32_input_of_the_elementwise_kernels() {
    let ops = std::env::var("GRAD_EXHAUSTIVE_OPS").ok();
    let wanted = |op: &str| ops.as_ref().is_none_or(|l| l.split(',').any(|o| o == op));
    let mut rep = Report::default();
    let chunk: u32 = 1 << 22;
    let mut x = vec![0.0_f32; chunk as usize];
    for start in (0..=u32::MAX).step_by(chunk as usize) {
        for (i, xi) in x.iter_mut().enumerate() {
            *xi = f32::from_bits(start + i as u32);
        }
        check_unary_on(&mut rep, &x, wanted);
    }
    rep.print();
    rep.check();
}

#[test]
#[ignore = "large sweep; run with --release --ignored --nocapture to print the table"]
fn accuracy_report() {
    let rep = run_all(400_000, 4);
    rep.print();
    rep.check();
}
