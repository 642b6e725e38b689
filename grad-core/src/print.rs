//! PyTorch's print style for float tensors (`torch/_tensor_str.py`,
//! `_Formatter`, default print options), shared by [`Matrix`](crate::Matrix)'s
//! `Debug` and the facade's `grad::display`.
//!
//! One style for the whole tensor: whole numbers as `2.` when every finite
//! value is one, scientific (`1.6655e-34`) when the nonzero finite magnitudes
//! span more than a factor of 1000, exceed 1e8 or go below 1e-4, else fixed
//! with four decimals (`0.1107`).

/// Line width PyTorch wraps at (`torch.set_printoptions(linewidth=80)`).
pub const LINE_WIDTH: usize = 80;
/// Digits after the point (`torch.set_printoptions(precision=4)`).
pub const PRECISION: usize = 4;

/// How every element of one tensor is written.
///
/// ```
/// use grad_core::print::Style;
///
/// let style = Style::choose([0.5, 2.0].into_iter());
/// assert_eq!(style, Style::Fixed);
/// assert_eq!(style.format(0.5), "0.5000");
/// assert_eq!(Style::choose([1e-5].into_iter()).format(1e-5), "1.0000e-05");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// Whole numbers: `2.`
    Integer,
    /// Four decimals: `0.1107`
    Fixed,
    /// Scientific with four decimals: `1.6655e-34`
    Scientific,
}

impl Style {
    /// PyTorch's choice, from the nonzero finite magnitudes of `values`.
    pub fn choose(values: impl Iterator<Item = f64>) -> Style {
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

    /// `v` in this style (`nan`, `inf` and `-inf` by name).
    pub fn format(self, v: f64) -> String {
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
