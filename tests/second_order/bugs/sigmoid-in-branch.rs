// A scalar `sigmoid` of a computed value inside an `if` branch: `f_hvp`
// (and so `f_hessian`) uses the sigmoid's complement (`tN_c`) outside the
// branch that binds it, "cannot find value `t4_c` in this scope".
use grad::prelude::*;

#[differentiable(hessian)]
fn f(x: f64) -> f64 {
    if x > 1.0 { x } else { sigmoid(x * x) }
}

fn main() {
    let x = 0.5_f64;
    let s = grad::sigmoid(x * x);
    // d²/dx² σ(x²) = 2σ′ + 4x²σ″
    let want = 2.0 * s * (1.0 - s) + 4.0 * x * x * s * (1.0 - s) * (1.0 - 2.0 * s);
    let h = f_hessian(x);
    assert!((h[(0, 0)] - want).abs() < 1e-12, "{} vs {want}", h[(0, 0)]);
}
