//! "Same value inside and outside" (API §1): every op of API §1–§3 and §6 in a
//! `#[differentiable]` fn gives, bit for bit, what the public `grad::<op>`
//! (or, for operators, plain Rust) gives, in the annotated fn itself and in
//! its `_value_and_grad`, in f32 and f64, on ordinary and extreme inputs
//! (±1000, p ∈ {0, 1}, [1000, 0, −1000], NaN, ±∞, −0). NaN matches any NaN.
//!
//! Each op has four tests (`f32`, `f32_extreme`, `f64`, `f64_extreme`); a
//! failure lists every input whose bits differ.

#[path = "same_value/defs.rs"]
mod defs;
#[path = "same_value/support.rs"]
mod support;

/// `Got` for a scalar-valued fn: the annotated fn `d::f`, its
/// `_value_and_grad`, and `$public`, on the same arguments.
macro_rules! scalar_valued {
    ($public:expr; $($arg:expr),*) => {
        Got::scalar(d::f($($arg),*), d::f_value_and_grad($($arg),*).0, $public)
    };
}

/// `Got` for a vector-valued fn: the annotated fn `d::f` and `$public`.
macro_rules! vector_valued {
    ($public:expr; $($arg:expr),*) => {
        Got::vector(d::f($($arg),*).to_vec(), $public)
    };
}

/// `name(inputs) |pattern| got; fn [a] [b] [c] [d] value_and_grad [a] [b] [c] [d];`:
/// a module `name` of tests running `got` (which names the op's annotated
/// fns as `d::f`) on every input of `inputs::<T>(extreme)`, comparing the
/// annotated fn's bits with the public op's (`f32`, `f32_extreme`, `f64`,
/// `f64_extreme`) and, for scalar-valued fns, `_value_and_grad`'s
/// (`f32_value_and_grad`, ...). The brackets hold each test's attributes
/// (`#[ignore = "why"]`).
macro_rules! same {
    ($(
        $name:ident($inputs:ident) |$p:pat_param| $run:expr;
        fn [$(#[$a:meta])*] [$(#[$b:meta])*] [$(#[$c:meta])*] [$(#[$e:meta])*]
        $(value_and_grad [$(#[$va:meta])*] [$(#[$vb:meta])*] [$(#[$vc:meta])*] [$(#[$ve:meta])*])?;
    )*) => {$(
        mod $name {
            #[allow(unused_imports, reason = "not every case uses every helper")]
            use super::*;

            same!(@test f32, d32, f32, false, Fn, $name($inputs) |$p| $run, $(#[$a])*);
            same!(@test f32_extreme, d32, f32, true, Fn, $name($inputs) |$p| $run, $(#[$b])*);
            same!(@test f64, d64, f64, false, Fn, $name($inputs) |$p| $run, $(#[$c])*);
            same!(@test f64_extreme, d64, f64, true, Fn, $name($inputs) |$p| $run, $(#[$e])*);
            $(
                same!(@test f32_value_and_grad, d32, f32, false, ValueAndGrad,
                    $name($inputs) |$p| $run, $(#[$va])*);
                same!(@test f32_extreme_value_and_grad, d32, f32, true, ValueAndGrad,
                    $name($inputs) |$p| $run, $(#[$vb])*);
                same!(@test f64_value_and_grad, d64, f64, false, ValueAndGrad,
                    $name($inputs) |$p| $run, $(#[$vc])*);
                same!(@test f64_extreme_value_and_grad, d64, f64, true, ValueAndGrad,
                    $name($inputs) |$p| $run, $(#[$ve])*);
            )?
        }
    )*};
    (@test $test:ident, $d:ident, $t:ty, $extreme:expr, $part:ident,
        $name:ident($inputs:ident) |$p:pat_param| $run:expr, $(#[$attr:meta])*) => {
        #[test]
        $(#[$attr])*
        fn $test() {
            use crate::defs::$d::$name as d;
            let inputs = $inputs::<$t>($extreme);
            check(stringify!($name), &inputs, Part::$part, |$p| $run);
        }
    };
}

#[path = "same_value/matrix.rs"]
mod matrix;
#[path = "same_value/scalar.rs"]
mod scalar;
#[path = "same_value/vector.rs"]
mod vector;
