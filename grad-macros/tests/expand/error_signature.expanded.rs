async fn sig<T>(x: f64, y: f32) -> f64 {
    x
}
::core::compile_error! {
    "async fns are not supported by #[differentiable]; make it a plain `fn`"
}
::core::compile_error! {
    "the type parameter `T` has no `Real` bound; a #[differentiable] fn can be generic over its float type only: write `T: grad::Real` and use `T` for the floats, or remove `T`"
}
::core::compile_error! {
    "mixed float types: this is `f32` but the fn already uses `f64`; use one float type per #[differentiable] fn"
}
::core::compile_error! {
    "`wrt` names `q`, which is not a parameter of this fn"
}
#[allow(
    unused_variables,
    dead_code,
    clippy::ptr_arg,
    clippy::too_many_arguments,
    clippy::type_complexity
)]
#[doc(hidden)]
fn sig_grad<T>(x: f64, y: f32) -> () {
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
fn sig_value_and_grad<T>(x: f64, y: f32) -> (f64, ()) {
    ::core::unreachable!()
}
