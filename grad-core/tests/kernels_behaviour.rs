//! Kernel behaviour beyond accuracy: panics (message names op, argument and
//! lengths), NaN propagation, empty inputs, stability at extreme inputs,
//! `_backward` overwriting, and the dispatch controls.

use grad_core::dispatch::Path;

fn paths() -> Vec<Path> {
    Path::ALL.into_iter().filter(|p| p.is_available()).collect()
}

#[path = "kernels_behaviour/controls.rs"]
mod controls;
#[path = "kernels_behaviour/edge.rs"]
mod edge;
#[path = "kernels_behaviour/panics.rs"]
mod panics;
#[path = "kernels_behaviour/path_bits.rs"]
mod path_bits;
#[path = "kernels_behaviour/row_batches.rs"]
mod row_batches;
#[path = "kernels_behaviour/streaming.rs"]
mod streaming;
