//! Vector gradient benches (placeholder while being written).

fn main() {}
