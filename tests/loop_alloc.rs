//! Heap allocations and tape bytes of gradients through loops (issue "Loops
//! and mutation", item 7): a loop whose backward steps read nothing that the
//! loop overwrites stores nothing; otherwise one tape per stored carried
//! value, allocated once before the loop with one entry per iteration.
//!
//! A counting global allocator counts, per thread, every `alloc`,
//! `alloc_zeroed` and `realloc` and the bytes each asks for (for a
//! `realloc`, the new size); each check runs a generated function between
//! two reads of the current thread's counters, so the test harness's own
//! threads cannot disturb the count.

use grad::prelude::*;

#[path = "common/counting.rs"]
mod counting;

#[global_allocator]
static GLOBAL: counting::Counting = counting::Counting;

/// Heap allocations and the bytes they asked for, on this thread, while
/// running `f`.
fn allocations<R>(f: impl FnOnce() -> R) -> (usize, usize) {
    counting::counted(f)
}

const F64: usize = size_of::<f64>();

#[differentiable]
fn dotloop(w: &[f64], x: &[f64]) -> f64 {
    let mut acc = 0.0;
    for i in 0..w.len() {
        acc += w[i] * x[i];
    }
    acc
}

#[differentiable]
fn euler(x0: f64, k: f64, steps: usize) -> f64 {
    let dt = 1.0 / steps as f64;
    let mut x = x0;
    for _ in 0..steps {
        x = x - dt * k * x;
    }
    x
}

#[differentiable]
fn horner(c: &[f64], x: f64) -> f64 {
    let mut acc = 0.0;
    for ci in c.iter() {
        acc = acc * x + ci;
    }
    acc
}

#[differentiable(wrt(w, b))]
fn batch_loss(w: &[f64], b: f64, x: &[f64], y: &[f64]) -> f64 {
    let d = w.len();
    let mut loss = 0.0;
    for i in 0..y.len() {
        let mut z = b;
        for j in 0..d {
            z += w[j] * x[i * d + j];
        }
        let r = z - y[i];
        loss += r * r;
    }
    loss
}

#[differentiable(wrt(w, u))]
fn rnn(w: &[f64], u: &[f64], h0: &[f64], xs: &[f64]) -> f64 {
    let mut h = h0.to_vec();
    for x in xs.iter() {
        h = tanh(matvec(w, &h) + u * x);
    }
    sum(h * h)
}

/// `dotloop`'s backward step reads `w[i]` and `x[i]`, which the loop never
/// overwrites, and not `acc`: no tape. What it allocates is what it returns,
/// `dw` and `dx` (one zeroed `Vec` of `len` floats each, filled in place).
#[test]
fn dot_product_loop_stores_nothing() {
    for len in [0, 1, 16, 1000] {
        let w = vec![0.5; len];
        let x = vec![0.25; len];
        assert_eq!(allocations(|| dotloop(&w, &x)), (0, 0), "value, len {len}");
        // `vec![0.0; 0]` does not allocate: nothing at all for len 0.
        let want = if len == 0 { (0, 0) } else { (2, 2 * len * F64) };
        assert_eq!(
            allocations(|| dotloop_grad(&w, &x)),
            want,
            "grad, len {len}"
        );
        assert_eq!(
            allocations(|| dotloop_value_and_grad(&w, &x)),
            want,
            "value_and_grad, len {len}"
        );
    }
}

/// An Euler step `x = x − dt·k·x` overwrites `x`, and its backward reads the
/// old `x` (`∂/∂k` needs `dt·x`): one tape of `steps` floats, a
/// `Vec::with_capacity(steps)` made once before the loop, so one allocation
/// of exactly `8·steps` bytes and no growth (`with_capacity(0)` allocates
/// nothing). `dt·k` is loop-invariant and is not stored.
#[test]
fn euler_stores_one_float_per_step() {
    assert_eq!(allocations(|| euler(1.0, 0.5, 1000)), (0, 0), "value");
    assert_eq!(allocations(|| euler_grad(1.0, 0.5, 0)), (0, 0), "0 steps");
    for n in [1, 10, 1000, 10_000] {
        let (count, bytes) = allocations(|| euler_grad(1.0, 0.5, n));
        assert!(bytes >= F64 * n, "{n} steps: {bytes} bytes < 8·{n}");
        assert_eq!((count, bytes), (1, F64 * n), "{n} steps");
        assert_eq!(
            allocations(|| euler_value_and_grad(1.0, 0.5, n)),
            (1, F64 * n),
            "{n} steps"
        );
    }
}

/// Horner's `acc = acc·x + cᵢ` overwrites `acc`, and `∂/∂x` reads the old
/// `acc`: one tape of `len` floats, plus the returned `dc` of `len` floats.
#[test]
fn horner_stores_one_float_per_coefficient() {
    for len in [1, 20, 500] {
        let c = vec![0.5; len];
        assert_eq!(
            allocations(|| horner_grad(&c, 0.9)),
            (2, 2 * len * F64),
            "len {len}"
        );
    }
}

/// The minibatch loss: the inner loop's `z += w[j]·x[i·d + j]` does not read
/// `z` backwards, and `r = z − y[i]` (which `loss += r·r` reads) is
/// recomputed from loop-invariant values in the backward step: no tape.
/// Only the returned `dw` (`d` floats) is allocated; `db` is a float.
#[test]
fn minibatch_loop_stores_nothing() {
    let (n, d) = (32, 16);
    let w = vec![0.5; d];
    let x = vec![0.1; n * d];
    let y = vec![0.2; n];
    assert_eq!(allocations(|| batch_loss(&w, 0.1, &x, &y)), (0, 0), "value");
    assert_eq!(
        allocations(|| batch_loss_grad(&w, 0.1, &x, &y)),
        (1, d * F64),
        "grad"
    );
}

/// The RNN carries `h` (16 floats); its backward step reads the old `h`
/// (`∂/∂w` of `matvec(w, h)` is `ḡ·hᵀ`) and the step's `tanh` output (for
/// `tanh′ = 1 − y²`), which is the next step's `h`. So there is one tape,
/// `Vec<Vec<f64>>::with_capacity(steps + 1)` (24 bytes per entry), allocated
/// once (at 0 steps too): the old `h` moves onto it as the new one replaces
/// it (no copy), the `tanh` output is read back as the next entry, and after
/// the loop one copy of the final `h` completes it. Per step the tape adds
/// no allocation; the rest is per-step temporaries (the forward step's
/// vector results and the backward's own vectors), the same every step, so
/// the counts are affine in `steps` from 0 on.
#[test]
fn rnn_tape_is_one_state_per_step_sized_once() {
    let width = 16;
    let w = vec![0.01; width * width];
    let u = vec![0.5; width];
    let h0 = vec![0.25; width];
    let at = |steps: usize| {
        let xs = vec![0.3; steps];
        allocations(|| rnn_grad(&w, &u, &h0, &xs))
    };
    let (c0, b0) = at(0);
    let (c1, b1) = at(1);
    let (c2, b2) = at(2);
    let (c50, b50) = at(50);
    let (step_count, step_bytes) = (c2 - c1, b2 - b1);
    // Linear after the first step: no reallocation of the tape (a growing
    // `Vec` would show as uneven steps).
    assert_eq!(c50 - c2, 48 * step_count, "allocations per step");
    assert_eq!(b50 - b2, 48 * step_bytes, "bytes per step");
    // The first step costs what any step does: the tape and the final
    // copy are allocated at 0 steps already.
    assert_eq!(c1 - c0, step_count, "the tape's allocations come once");
    assert_eq!(
        b1 - b0,
        step_bytes,
        "24 bytes of tape capacity per step are in step_bytes"
    );
    // The gradient's allocations per step are its body's temporaries only:
    // the forward fn's own per-step allocations, and the backward step's.
    let forward = |steps: usize| {
        let xs = vec![0.3; steps];
        allocations(|| rnn(&w, &u, &h0, &xs)).0
    };
    // The backward step's three: `tanh_backward`'s `dz`, `du + dz·x`
    // (a fused loop into a fresh vector) and `wᵀ·dz`; `dW += dz·hᵀ` is in
    // place. A copy onto a tape would be a fourth.
    let forward_step = forward(2) - forward(1);
    assert_eq!(
        step_count,
        forward_step + 3,
        "per step: the body's temporaries, the backward's three, no tape copy"
    );
}
