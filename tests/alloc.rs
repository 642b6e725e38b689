//! `_grad` and `_value_and_grad` of scalar fns make no heap allocation.
//!
//! A counting global allocator counts, per thread, every `alloc`,
//! `alloc_zeroed` and `realloc`; the checks run the generated functions
//! between two reads of the current thread's counter, so the test harness's
//! own threads cannot disturb the count.

use std::hint::black_box;

use grad::prelude::*;

#[path = "common/counting.rs"]
mod counting;

#[global_allocator]
static GLOBAL: counting::Counting = counting::Counting;

/// Allocations made on this thread while running `f`.
fn allocations_in(f: impl FnOnce()) -> usize {
    counting::counted(f).0
}

#[differentiable]
fn neuron(x: f64, w: f64, b: f64) -> f64 {
    let z = w * x + b;
    sigmoid(z)
}

#[differentiable]
fn mixed(x: f64, y: f64, n: usize) -> f64 {
    let a = tanh(x * y) + softplus(x) - relu(y) * (n as f64);
    let b = if a > 0.0 { a.sqrt() } else { exp(a) };
    b * neuron(x, y, 0.5) + x.powi(3) + max(x, y) + abs(y).powf(1.5) + leaky_relu(x, 0.1)
}

#[differentiable]
fn small32(x: f32, w: f32) -> f32 {
    let e = 1.0 - x * w;
    e * e + sin(x) * cos(w) + ln(1.0 + x * x)
}

#[test]
fn the_counter_sees_allocations() {
    // Guards the test itself: if counting were broken, the checks below would pass vacuously.
    let n = allocations_in(|| {
        black_box(vec![1.0_f64; 16]);
    });
    assert_eq!(n, 1);
}

#[test]
fn generated_gradients_do_not_allocate() {
    let n = allocations_in(|| {
        for i in 0..100 {
            let t = f64::from(i) * 0.03 - 1.5;
            black_box(neuron_grad(black_box(t), black_box(0.7), black_box(-0.2)));
            black_box(neuron_value_and_grad(black_box(t), 0.7, -0.2));
            black_box(mixed_grad(black_box(t), black_box(0.4), black_box(3)));
            black_box(mixed_value_and_grad(black_box(t), 0.4, 3));
            black_box(small32_grad(black_box(t as f32), black_box(2.0)));
            black_box(small32_value_and_grad(black_box(t as f32), 2.0));
        }
    });
    assert_eq!(n, 0, "generated gradient code allocated {n} times");
    // The originals are untouched and agree with the values computed alongside the gradients.
    assert_eq!(mixed(0.3, 0.4, 3), mixed_value_and_grad(0.3, 0.4, 3).0);
    assert_eq!(small32(0.3, 2.0), small32_value_and_grad(0.3, 2.0).0);
}
