//! The values printed by the tutorial (the tutorial summarised in `docs/TUTORIAL.md`, §1–3),
//! reproduced digit for digit.
//!
//! PyTorch prints a float tensor with 4 digits after the point, either in
//! scientific mode (`1.6655e-34`, chosen when the magnitudes span more than
//! 1000×) or in fixed mode (`0.1107`). Each test formats the computed values
//! the same way and compares the strings, which is stricter than a numeric
//! tolerance: one ulp can flip a printed digit (σ(11.111) in f32 prints
//! `9.9999e-01`, the next float down prints `9.9998e-01`). The kernels are
//! checked on every dispatch path this CPU has.

use grad_core::dispatch::{self, Path};
use grad_core::{Real, kernels};

/// `torch.linspace(start, end, steps)` as PyTorch's CPU kernel computes it in
/// the tensor's type: the first half counts up from `start`, the second half
/// down from `end`, so the grid is symmetric.
fn linspace<T: Real>(start: T, end: T, steps: usize) -> Vec<T> {
    let step = (end - start) / T::from_usize(steps - 1);
    (0..steps)
        .map(|i| {
            if i < steps / 2 {
                start + step * T::from_usize(i)
            } else {
                end - step * T::from_usize(steps - 1 - i)
            }
        })
        .collect()
}

/// PyTorch's scientific mode: `{:.4e}` with a signed, two-digit exponent.
fn sci<T: Real + std::fmt::LowerExp>(x: T) -> String {
    let s = format!("{x:.4e}");
    let (mantissa, exp) = s.split_once('e').expect("`{:e}` output has an exponent");
    let exp: i32 = exp.parse().expect("the exponent is an integer");
    let sign = if exp < 0 { '-' } else { '+' };
    format!("{mantissa}e{sign}{:02}", exp.unsigned_abs())
}

/// PyTorch's fixed mode: 4 digits after the point.
fn fixed<T: Real>(x: T) -> String {
    format!("{x:.4}")
}

/// Compares printed values, reporting the whole tensor on a mismatch.
fn assert_prints(what: &str, got: Vec<String>, want: &str) {
    let want: Vec<&str> = want.split(", ").collect();
    assert_eq!(got, want, "{what} prints differently from the tutorial");
}

const SIGMOID: &str = "0.0000e+00, 1.6655e-34, 7.4564e-25, 3.3382e-15, 1.4945e-05, \
                       9.9999e-01, 1.0000e+00, 1.0000e+00, 1.0000e+00, 1.0000e+00";
const TANH: &str = "-0.7616, -0.6514, -0.5047, -0.3215, -0.1107, \
                    0.1107, 0.3215, 0.5047, 0.6514, 0.7616";
const RELU: &str = "0.0000, 0.0000, 0.0000, 0.0000, 0.0000, \
                    0.1111, 0.3333, 0.5556, 0.7778, 1.0000";

/// σ(−100) = 3.72e-44 is below f32's normal range: the tutorial accepts 0 or
/// the nearest subnormals. This maps such a value to PyTorch's printed `0`.
fn sigmoid_first_as_printed(v: f32) -> f32 {
    let exact = 3.720_076e-44_f64;
    let subnormal_ulp = f64::from(f32::from_bits(1));
    if (f64::from(v) - exact).abs() <= 2.0 * subnormal_ulp {
        0.0
    } else {
        v
    }
}

fn print_sigmoid(mut y: Vec<f32>) -> Vec<String> {
    y[0] = sigmoid_first_as_printed(y[0]);
    y.into_iter().map(sci).collect()
}

const RELU_INPUT: &str = "-1.0000, -0.7778, -0.5556, -0.3333, -0.1111, \
                          0.1111, 0.3333, 0.5556, 0.7778, 1.0000";

#[test]
fn linspace_matches_pytorch_grid() {
    let x = linspace(-100.0_f32, 100.0, 10);
    assert_eq!(x[1], -77.777_78);
    assert_eq!(x[4], -11.111_114_5);
    assert_eq!(x[5], 11.111_114_5);
    assert_eq!(x[9], 100.0);
    let printed: Vec<String> = linspace(-1.0_f32, 1.0, 10).into_iter().map(fixed).collect();
    assert_prints("linspace(-1, 1, 10)", printed, RELU_INPUT);
}

#[test]
fn sigmoid_f32_prints_the_tutorial_values() {
    let x = linspace(-100.0_f32, 100.0, 10);
    let scalar: Vec<f32> = x.iter().map(|&v| grad_core::sigmoid(v)).collect();
    assert_prints("sigmoid (scalar)", print_sigmoid(scalar), SIGMOID);
    let slice = grad_core::sigmoid(&x);
    assert_prints("sigmoid (Vec)", print_sigmoid(slice), SIGMOID);
    let array: [f32; 10] = grad_core::sigmoid(<[f32; 10]>::try_from(x).unwrap());
    assert_prints("sigmoid (array)", print_sigmoid(array.to_vec()), SIGMOID);
}

#[test]
fn sigmoid_f64_prints_the_tutorial_values() {
    // f64 holds σ(−100) = 3.7201e-44 as a normal number and prints it.
    let want = SIGMOID.replacen("0.0000e+00", "3.7201e-44", 1);
    let y = grad_core::sigmoid(linspace(-100.0_f64, 100.0, 10));
    assert_prints("sigmoid f64", y.into_iter().map(sci).collect(), &want);
}

#[test]
fn tanh_prints_the_tutorial_values() {
    let x = linspace(-1.0_f32, 1.0, 10);
    let scalar: Vec<String> = x.iter().map(|&v| fixed(grad_core::tanh(v))).collect();
    assert_prints("tanh (scalar)", scalar, TANH);
    let slice = grad_core::tanh(&x).into_iter().map(fixed).collect();
    assert_prints("tanh (Vec)", slice, TANH);
    let x64 = linspace(-1.0_f64, 1.0, 10);
    let f64s = grad_core::tanh(x64).into_iter().map(fixed).collect();
    assert_prints("tanh f64", f64s, TANH);
}

#[test]
fn relu_prints_the_tutorial_values() {
    let x = linspace(-1.0_f32, 1.0, 10);
    let scalar: Vec<String> = x.iter().map(|&v| fixed(grad_core::relu(v))).collect();
    assert_prints("relu (scalar)", scalar, RELU);
    let slice = grad_core::relu(&x).into_iter().map(fixed).collect();
    assert_prints("relu (Vec)", slice, RELU);
    let x64 = linspace(-1.0_f64, 1.0, 10);
    let f64s = grad_core::relu(x64).into_iter().map(fixed).collect();
    assert_prints("relu f64", f64s, RELU);
}

/// Every instruction-set path this CPU has (the portable one always).
fn paths() -> impl Iterator<Item = Path> {
    Path::ALL.into_iter().filter(|p| p.is_available())
}

/// Runs a slice kernel on `x` with the given path forced.
fn on_path<T: Real>(path: Path, x: &[T], kernel: fn(&[T], &mut [T])) -> Vec<T> {
    let mut out = vec![T::ZERO; x.len()];
    dispatch::with_path(path, || kernel(x, &mut out));
    out
}

#[test]
fn kernels_print_the_tutorial_values_on_every_dispatch_path() {
    let wide = linspace(-100.0_f32, 100.0, 10);
    let unit = linspace(-1.0_f32, 1.0, 10);
    let unit64 = linspace(-1.0_f64, 1.0, 10);
    let printed = |y: Vec<f32>| y.into_iter().map(fixed).collect::<Vec<_>>();
    let printed64 = |y: Vec<f64>| y.into_iter().map(fixed).collect::<Vec<_>>();
    for path in paths() {
        let name = path.name();
        let y = on_path(path, &wide, kernels::sigmoid);
        assert_prints(
            &format!("kernels::sigmoid on {name}"),
            print_sigmoid(y),
            SIGMOID,
        );
        let y = on_path(path, &unit, kernels::tanh);
        assert_prints(&format!("kernels::tanh on {name}"), printed(y), TANH);
        let y = on_path(path, &unit, kernels::relu);
        assert_prints(&format!("kernels::relu on {name}"), printed(y), RELU);
        let y = on_path(path, &unit64, kernels::tanh);
        assert_prints(&format!("kernels::tanh f64 on {name}"), printed64(y), TANH);
        // The value-level ops on a Vec run the kernels too.
        let y = dispatch::with_path(path, || grad_core::sigmoid(&wide));
        assert_prints(
            &format!("sigmoid (Vec) on {name}"),
            print_sigmoid(y),
            SIGMOID,
        );
        let y = dispatch::with_path(path, || grad_core::tanh(&unit));
        assert_prints(&format!("tanh (Vec) on {name}"), printed(y), TANH);
    }
}

#[test]
fn formatter_matches_pytorch_style() {
    assert_eq!(sci(1.665_482e-34_f32), "1.6655e-34");
    assert_eq!(sci(0.0_f32), "0.0000e+00");
    assert_eq!(sci(0.999_985_05_f32), "9.9999e-01");
    assert_eq!(sci(1.0_f64), "1.0000e+00");
    assert_eq!(sci(123_456.0_f64), "1.2346e+05");
    assert_eq!(fixed(-0.110_656_1_f32), "-0.1107");
    assert_eq!(fixed(5.0_f32 / 9.0), "0.5556");
}
