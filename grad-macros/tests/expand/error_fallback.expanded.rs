pub fn broken(x: f64) -> f64 {
    let mut acc = 0.0;
    for _ in 0..3 {
        acc += x;
    }
    let sq = |v: f64| v * v;
    match acc {
        _ => sq(acc),
    }
}
::core::compile_error! {
    "closures are not supported in #[differentiable] fns; write a separate fn (with #[differentiable] or a hand-written `_vjp`) and call it"
}
::core::compile_error! {
    "`match` is not supported in #[differentiable] fns; use `if`/`else if`/`else`"
}
#[allow(
    unused_variables,
    dead_code,
    clippy::ptr_arg,
    clippy::too_many_arguments,
    clippy::type_complexity
)]
#[doc(hidden)]
pub fn broken_grad(x: f64) -> f64 {
    ::core::unreachable!()
}
#[allow(
    unused_variables,
    dead_code,
    clippy::ptr_arg,
    clippy::too_many_arguments,
    clippy::type_complexity
)]
#[doc(hidden)]
pub fn broken_value_and_grad(x: f64) -> (f64, f64) {
    ::core::unreachable!()
}
