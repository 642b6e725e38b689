//! Scalar functions and operators (API §1).

use crate::support::{Got, Part, check, pairs, scalars};

same! {
    sigmoid(scalars) |&x| scalar_valued!(grad::sigmoid(x); x);
        fn [] [] [] [] value_and_grad [] [] [] [];
    relu(scalars) |&x| scalar_valued!(grad::relu(x); x);
        fn [] [] [] [] value_and_grad [] [] [] [];
    tanh(scalars) |&x| scalar_valued!(grad::tanh(x); x);
        fn [] [] [] [] value_and_grad [] [] [] [];
    exp(scalars) |&x| scalar_valued!(grad::exp(x); x);
        fn [] [] [] [] value_and_grad [] [] [] [];
    ln(scalars) |&x| scalar_valued!(grad::ln(x); x);
        fn [] [] [] [] value_and_grad [] [] [] [];
    sqrt(scalars) |&x| scalar_valued!(grad::sqrt(x); x);
        fn [] [] [] [] value_and_grad [] [] [] [];
    sin(scalars) |&x| scalar_valued!(grad::sin(x); x);
        fn [] [] [] [] value_and_grad [] [] [] [];
    cos(scalars) |&x| scalar_valued!(grad::cos(x); x);
        fn [] [] [] [] value_and_grad [] [] [] [];
    abs(scalars) |&x| scalar_valued!(grad::abs(x); x);
        fn [] [] [] [] value_and_grad [] [] [] [];
    softplus(scalars) |&x| scalar_valued!(grad::softplus(x); x);
        fn [] [] [] [] value_and_grad [] [] [] [];
    powi(scalars) |&x| scalar_valued!(grad::powi(x, 3); x);
        fn [] [] [] [] value_and_grad [] [] [] [];
    leaky_relu(scalars) |&x| scalar_valued!(grad::leaky_relu(x, 0.1); x);
        fn [] [] [] [] value_and_grad [] [] [] [];
    neg(scalars) |&x| scalar_valued!(-x; x);
        fn [] [] [] [] value_and_grad [] [] [] [];
    powf(pairs) |&(x, y)| scalar_valued!(grad::powf(x, y); x, y);
        fn [] [] [] [] value_and_grad [] [] [] [];
    max(pairs) |&(x, y)| scalar_valued!(grad::max(x, y); x, y);
        fn [] [] [] [] value_and_grad [] [] [] [];
    min(pairs) |&(x, y)| scalar_valued!(grad::min(x, y); x, y);
        fn [] [] [] [] value_and_grad [] [] [] [];
    add(pairs) |&(x, y)| scalar_valued!(x + y; x, y);
        fn [] [] [] [] value_and_grad [] [] [] [];
    sub(pairs) |&(x, y)| scalar_valued!(x - y; x, y);
        fn [] [] [] [] value_and_grad [] [] [] [];
    mul(pairs) |&(x, y)| scalar_valued!(x * y; x, y);
        fn [] [] [] [] value_and_grad [] [] [] [];
    div(pairs) |&(x, y)| scalar_valued!(x / y; x, y);
        fn [] [] [] [] value_and_grad [] [] [] [];
}
