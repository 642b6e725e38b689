//! Gradients through loops and mutation (issue "Loops and mutation", item 5),
//! against closed forms and central differences, in f64 (tight) and f32
//! (loose). The fns are in `loop_gradients/defs.rs`, the checks in
//! `loop_gradients/checks.rs`.

#[path = "common/rng.rs"]
mod rng;

#[path = "loop_gradients/checks.rs"]
mod checks;
#[path = "loop_gradients/defs.rs"]
mod defs;
#[path = "loop_gradients/support.rs"]
mod support;
