//! `Debug` for [`Matrix`]: the way PyTorch prints a 2-D float tensor
//! (`torch/_tensor_str.py`, default print options).
//!
//! One style for the whole matrix ([`crate::print::Style`]). Every element
//! is right-aligned to the widest; a row
//! wraps at 80 columns; past 1000 elements only the first and last 3 rows
//! and columns are shown, with `...` between (and the style is chosen from
//! those). The dtype suffix PyTorch adds for f64 is left out.

use core::fmt;

use super::Matrix;
use crate::Real;
use crate::print::{LINE_WIDTH, Style};

/// PyTorch summarizes tensors with more elements than this.
const THRESHOLD: usize = 1000;
/// Rows and columns shown at each end of a summarized tensor.
const EDGE: usize = 3;
/// Rows start after `tensor([`.
const ROW_INDENT: usize = "tensor([".len();

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
