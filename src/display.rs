//! Printing vectors the way PyTorch prints 1-D float tensors.
//!
//! One style for the whole tensor ([`grad_core::print::Style`], PyTorch's
//! choice); every element is right-aligned to the widest one, and lines
//! wrap at 80 columns.

use core::fmt;

use crate::Real;
use grad_core::print::{LINE_WIDTH, Style};

/// Width of the `tensor(` prefix: PyTorch's `indent` when it fits elements to a line.
const PREFIX: usize = "tensor(".len();
/// Continuation lines start under the first element, after `tensor([`.
const INDENT: usize = PREFIX + 1;

/// A slice displayed as PyTorch displays a 1-D tensor: `tensor([0.1107, 0.3215])`.
///
/// ```
/// use grad::display::Tensor;
///
/// assert_eq!(Tensor(&[2.0_f32]).to_string(), "tensor([2.])");
/// assert_eq!(Tensor(&[0.11071_f32, -0.5]).to_string(), "tensor([ 0.1107, -0.5000])");
/// assert_eq!(Tensor(&[1.6655e-34_f32, 1.0]).to_string(), "tensor([1.6655e-34, 1.0000e+00])");
/// ```
#[derive(Clone, Copy, Debug)]
pub struct Tensor<'a, T>(pub &'a [T]);

/// A number displayed as PyTorch displays a 0-dimensional tensor: `tensor(0.4170)`.
///
/// ```
/// use grad::display::Scalar;
///
/// assert_eq!(Scalar(2.0_f64).to_string(), "tensor(2.)");
/// assert_eq!(Scalar(0.41703_f32).to_string(), "tensor(0.4170)");
/// ```
#[derive(Clone, Copy, Debug)]
pub struct Scalar<T>(pub T);

impl<T: Real> fmt::Display for Scalar<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let v = self.0.to_f64();
        write!(f, "tensor({})", Style::choose([v].into_iter()).format(v))
    }
}

impl<T: Real> fmt::Display for Tensor<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let values: Vec<f64> = self.0.iter().map(|v| v.to_f64()).collect();
        let style = Style::choose(values.iter().copied());
        let cells: Vec<String> = values.iter().map(|&v| style.format(v)).collect();
        let width = cells.iter().map(String::len).max().unwrap_or(0);
        let per_line = ((LINE_WIDTH - PREFIX) / (width + 2)).max(1);
        f.write_str("tensor([")?;
        for (i, cell) in cells.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
                if i % per_line == 0 {
                    write!(f, "\n{:INDENT$}", "")?;
                } else {
                    f.write_str(" ")?;
                }
            }
            write!(f, "{cell:>width$}")?;
        }
        f.write_str("])")
    }
}

#[cfg(test)]
mod tests {
    use super::Tensor;

    #[test]
    fn tutorial_sigmoid_prints_like_pytorch() {
        let v: [f32; 10] = [
            0.0,
            1.6655e-34,
            7.4564e-25,
            3.3382e-15,
            1.4945e-05,
            0.999_985_1,
            1.0,
            1.0,
            1.0,
            1.0,
        ];
        assert_eq!(
            Tensor(&v).to_string(),
            "tensor([0.0000e+00, 1.6655e-34, 7.4564e-25, 3.3382e-15, 1.4945e-05, 9.9999e-01,\n        \
             1.0000e+00, 1.0000e+00, 1.0000e+00, 1.0000e+00])"
        );
    }

    #[test]
    fn fixed_style_pads_and_wraps_like_pytorch() {
        let v = [
            -0.7616_f32,
            -0.6514,
            -0.5047,
            -0.3215,
            -0.1107,
            0.1107,
            0.3215,
            0.5047,
            0.6514,
            0.7616,
        ];
        assert_eq!(
            Tensor(&v).to_string(),
            "tensor([-0.7616, -0.6514, -0.5047, -0.3215, -0.1107,  0.1107,  0.3215,  0.5047,\n         \
             0.6514,  0.7616])"
        );
    }

    #[test]
    fn whole_numbers_print_with_a_trailing_point() {
        assert_eq!(Tensor(&[2.0_f64]).to_string(), "tensor([2.])");
        assert_eq!(Tensor(&[0.0_f64, 0.0]).to_string(), "tensor([0., 0.])");
        assert_eq!(Tensor::<f64>(&[]).to_string(), "tensor([])");
    }

    #[test]
    fn special_values_keep_their_names() {
        assert_eq!(
            Tensor(&[f32::NAN, f32::INFINITY, 0.5]).to_string(),
            "tensor([   nan,    inf, 0.5000])"
        );
    }
}
