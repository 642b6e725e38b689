//! Struct parameters and `&self` methods in `#[differentiable]` (API §7):
//! gradients of the parameters' own type, against central differences and
//! closed forms, and bit for bit against the same fn written with one
//! parameter per field.

mod structs {
    pub(crate) mod check;
    mod free;
    mod methods;
    mod modules;
    mod second_order;
}
