//! `Debug` for [`Matrix`]: the way PyTorch prints a 2-D float tensor
//! (`torch/_tensor_str.py`, default print options).
//!
//! One style for the whole matrix: whole numbers as `2.` when every finite
//! value is one, scientific (`1.6655e-34`) when the nonzero finite magnitudes
//! span more than a factor of 1000, exceed 1e8 or go below 1e-4, else fixed
//! with 4 decimals. Every element is right-aligned to the widest; a row
//! wraps at 80 columns; past 1000 elements only the first and last 3 rows
//! and columns are shown, with `...` between (and the style is chosen from
//! those). The dtype suffix PyTorch adds for f64 is left out.

use core::fmt;

use super::Matrix;
use crate::Real;

const LINE_WIDTH: usize = 80;
const PRECISION: usize = 4;
/// PyTorch summarizes tensors with more elements than this.
const THRESHOLD: usize = 1000;
/// Rows and columns shown at each end of a summarized tensor.
const EDGE: usize = 3;
/// Rows start after `tensor([`.
const ROW_INDENT: usize = "tensor([".len();

#[derive(Clone, Copy, Debug, PartialEq)]
enum Style {
    Integer,
    Fixed,
    Scientific,
}

impl Style {
    fn choose(values: impl Iterator<Item = f64>) -> Style {
        let (mut max, mut min, mut whole, mut any) = (0.0_f64, f64::INFINITY, true, false);
        for v in values.filter(|v| v.is_finite() && *v != 0.0) {
            let a = v.abs();
            (max, min, any) = (max.max(a), min.min(a), true);
            whole &= a.fract() == 0.0;
        }
        if !any {
            return Style::Integer;
        }
        let wide = max / min > 1000.0 || max > 1e8;
        match (whole, wide || min < 1e-4) {
            (true, _) if wide => Style::Scientific,
            (true, _) => Style::Integer,
            (false, true) => Style::Scientific,
            (false, false) => Style::Fixed,
        }
    }

    fn format(self, v: f64) -> String {
        if v.is_nan() {
            return "nan".to_owned();
        }
        if v.is_infinite() {
            return if v > 0.0 { "inf" } else { "-inf" }.to_owned();
        }
        match self {
            Style::Integer => format!("{v:.0}."),
            Style::Fixed => format!("{v:.PRECISION$}"),
            Style::Scientific => {
                // Python's exponent: a sign and at least two digits (`e-05`).
                let rust = format!("{v:.PRECISION$e}");
                let (mantissa, exponent) = rust.split_once('e').unwrap_or((&rust, "0"));
                let (sign, digits) = match exponent.strip_prefix('-') {
                    Some(d) => ('-', d),
                    None => ('+', exponent),
                };
                format!("{mantissa}e{sign}{digits:0>2}")
            }
        }
    }
}

/// The indices shown along an axis of length `len`: all of them, or the
/// first and last [`EDGE`] with `None` for the `...` between.
fn shown(len: usize, summarize: bool) -> Vec<Option<usize>> {
    if summarize && len > 2 * EDGE {
        (0..EDGE)
            .map(Some)
            .chain([None])
            .chain((len - EDGE..len).map(Some))
            .collect()
    } else {
        (0..len).map(Some).collect()
    }
}

impl<T: Real> fmt::Debug for Matrix<T> {
    /// PyTorch's print of a 2-D tensor.
    ///
    /// ```
    /// use grad_core::Matrix;
    ///
    /// let m = Matrix::from_vec(2, 2, vec![1.5_f32, -2.0, 3.0, 4.0]);
    /// assert_eq!(format!("{m:?}"), "tensor([[ 1.5000, -2.0000],\n        [ 3.0000,  4.0000]])");
    /// assert_eq!(format!("{:?}", Matrix::<f64>::zeros(0, 3)), "tensor([], size=(0, 3))");
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (rows, cols) = self.shape();
        if rows == 0 || cols == 0 {
            return write!(f, "tensor([], size=({rows}, {cols}))");
        }
        let summarize = rows * cols > THRESHOLD;
        let (row_ids, col_ids) = (shown(rows, summarize), shown(cols, summarize));
        let at = |i: usize, j: usize| self.as_slice()[i * cols + j].to_f64();
        let style = Style::choose(
            row_ids
                .iter()
                .flatten()
                .flat_map(|&i| col_ids.iter().flatten().map(move |&j| at(i, j))),
        );
        let width = row_ids
            .iter()
            .flatten()
            .flat_map(|&i| col_ids.iter().flatten().map(move |&j| (i, j)))
            .map(|(i, j)| style.format(at(i, j)).len())
            .max()
            .unwrap_or(0);
        let per_line = ((LINE_WIDTH - ROW_INDENT) / (width + 2)).max(1);
        f.write_str("tensor([")?;
        for (r, row) in row_ids.iter().enumerate() {
            if r > 0 {
                write!(f, ",\n{:ROW_INDENT$}", "")?;
            }
            let Some(i) = *row else {
                f.write_str("...")?;
                continue;
            };
            f.write_str("[")?;
            for (c, col) in col_ids.iter().enumerate() {
                if c > 0 {
                    f.write_str(",")?;
                    if c % per_line == 0 {
                        write!(f, "\n{:1$}", "", ROW_INDENT + 1)?;
                    } else {
                        f.write_str(" ")?;
                    }
                }
                match *col {
                    Some(j) => write!(f, "{:>width$}", style.format(at(i, j)))?,
                    None => f.write_str(" ...")?,
                }
            }
            f.write_str("]")?;
        }
        f.write_str("])")
    }
}
