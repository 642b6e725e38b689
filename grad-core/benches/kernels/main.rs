//! Criterion benches of every `grad_core::kernels` kernel, forward and
//! backward, in f32 and f64, each beside a naive scalar loop and a
//! `copy_from_slice` moving the same bytes, measured in the same run.
//!
//! Benchmark ids are `{op}_{f32|f64}/{kernel|naive|copy}/{size}`. Run all:
//!
//! ```text
//! cargo bench -p grad-core --bench kernels
//! ```
//!
//! or a subset with a criterion filter (a regex on the id), e.g.
//! `cargo bench -p grad-core --bench kernels -- 'sigmoid_fwd_f32/.*/65536'`.
//! Then `python3 grad-core/benches/ratios.py` prints the ratio table.

mod common;
mod elementwise;
mod reduce;
mod rows;

use criterion::Criterion;

fn f32_benches(c: &mut Criterion) {
    elementwise::benches::<f32>(c);
    reduce::benches::<f32>(c);
    rows::benches::<f32>(c);
}

fn f64_benches(c: &mut Criterion) {
    elementwise::benches::<f64>(c);
    reduce::benches::<f64>(c);
    rows::benches::<f64>(c);
}

criterion::criterion_group! {
    name = kernels;
    config = common::config();
    targets = f32_benches, f64_benches
}
criterion::criterion_main!(kernels);
