//! Bit comparison of the three ways to compute an op, and the inputs.

use std::fmt::Debug;

/// `f32` or `f64`.
pub(crate) trait F: Copy + Debug + PartialEq + 'static {
    /// `x` rounded to this type.
    fn of(x: f64) -> Self;
    /// The bits, widened.
    fn bits(self) -> u64;
    /// Is NaN.
    fn nan(self) -> bool;
}

impl F for f32 {
    fn of(x: f64) -> Self {
        x as f32
    }
    fn bits(self) -> u64 {
        self.to_bits().into()
    }
    fn nan(self) -> bool {
        self.is_nan()
    }
}

impl F for f64 {
    fn of(x: f64) -> Self {
        x
    }
    fn bits(self) -> u64 {
        self.to_bits()
    }
    fn nan(self) -> bool {
        self.is_nan()
    }
}

/// Equal bits, or both NaN (payloads may differ).
fn same<T: F>(a: &[T], b: &[T]) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|(x, y)| x.bits() == y.bits() || (x.nan() && y.nan()))
}

fn show<T: F>(v: &[T]) -> String {
    let items: Vec<String> = v
        .iter()
        .map(|x| format!("{x:?} ({:#x})", x.bits()))
        .collect();
    format!("[{}]", items.join(", "))
}

/// One input's results: the annotated fn's, its `_value_and_grad`'s value
/// (scalar-valued fns only), and the public op's (or plain Rust's).
pub(crate) struct Got<T> {
    pub(crate) f: Vec<T>,
    pub(crate) vg: Option<Vec<T>>,
    pub(crate) public: Vec<T>,
}

impl<T> Got<T> {
    /// A scalar-valued fn.
    pub(crate) fn scalar(f: T, vg: T, public: T) -> Self {
        Got {
            f: vec![f],
            vg: Some(vec![vg]),
            public: vec![public],
        }
    }

    /// A vector-valued fn (it has no `_value_and_grad`).
    pub(crate) fn vector(f: Vec<T>, public: Vec<T>) -> Self {
        Got {
            f,
            vg: None,
            public,
        }
    }
}

/// Which result a test compares with the public op's.
#[derive(Clone, Copy)]
pub(crate) enum Part {
    /// The annotated fn's.
    Fn,
    /// Its `_value_and_grad`'s value.
    ValueAndGrad,
}

/// At most 100 characters of `x`'s `Debug`.
fn short(x: &impl Debug) -> String {
    let s = format!("{x:?}");
    match s.char_indices().nth(100) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s,
    }
}

/// Runs every input and panics listing each one whose bits differ.
pub(crate) fn check<I: Debug, T: F>(
    op: &str,
    inputs: &[I],
    part: Part,
    run: impl Fn(&I) -> Got<T>,
) {
    let mut bad = Vec::new();
    for i in inputs {
        let g = run(i);
        let (what, got) = match part {
            Part::Fn => ("fn", Some(&g.f)),
            Part::ValueAndGrad => ("_value_and_grad", g.vg.as_ref()),
        };
        if let Some(got) = got
            && !same(got, &g.public)
        {
            bad.push(format!(
                "{op}{}: {what} {} vs public {}",
                short(i),
                show(got),
                show(&g.public)
            ));
        }
    }
    assert!(
        bad.is_empty(),
        "{} of {} inputs differ:\n{}",
        bad.len(),
        inputs.len(),
        bad.join("\n")
    );
}

const INF: f64 = f64::INFINITY;
const NAN: f64 = f64::NAN;

fn cast<T: F>(v: &[f64]) -> Vec<T> {
    v.iter().map(|&x| T::of(x)).collect()
}

/// `n` ordinary values.
fn seq<T: F>(n: usize, k: f64) -> Vec<T> {
    (0..n)
        .map(|i| T::of(((i as f64 + k) * 0.731).sin() * 3.0))
        .collect()
}

/// Scalars: ordinary, then extreme.
pub(crate) fn scalars<T: F>(extreme: bool) -> Vec<T> {
    if extreme {
        cast(&[
            1000.0, -1000.0, 0.0, -0.0, NAN, INF, -INF, 1e-40, 88.8, -104.0,
        ])
    } else {
        cast(&[0.5, -1.5, 2.25, 1e-3, -7.0, 3.0])
    }
}

/// Pairs of scalars.
pub(crate) fn pairs<T: F>(extreme: bool) -> Vec<(T, T)> {
    if extreme {
        let s = scalars::<T>(true);
        s.iter()
            .flat_map(|&x| s.iter().map(move |&y| (x, y)))
            .collect()
    } else {
        let s = scalars::<T>(false);
        s.iter()
            .zip(s.iter().rev())
            .map(|(&x, &y)| (x, y))
            .collect()
    }
}

/// Vectors: lengths 3, 8 and 37 (a SIMD chunk and lanes plus a remainder),
/// or `[1000, 0, −1000]`, NaN, ±∞, −0.
pub(crate) fn vectors<T: F>(extreme: bool) -> Vec<Vec<T>> {
    if extreme {
        let mut big = seq::<T>(40, 0.0);
        big[5] = T::of(1000.0);
        big[33] = T::of(-1000.0);
        vec![
            cast(&[1000.0, 0.0, -1000.0]),
            cast(&[NAN, 1.0, 2.0]),
            cast(&[INF, 0.0, -INF]),
            cast(&[-INF, -INF]),
            cast(&[-0.0, -0.0, -0.0]),
            cast(&[-0.0]),
            big,
        ]
    } else {
        vec![seq(3, 0.0), seq(8, 1.0), seq(37, 2.0)]
    }
}

/// Pairs of vectors of equal length.
pub(crate) fn vector_pairs<T: F>(extreme: bool) -> Vec<(Vec<T>, Vec<T>)> {
    vectors::<T>(extreme)
        .into_iter()
        .map(|a| {
            let b = seq::<T>(a.len(), 5.0);
            (a, b)
        })
        .chain(if extreme {
            vec![
                (cast(&[1.0, 2.0, 3.0]), cast(&[INF, -0.0, NAN])),
                (cast(&[0.0; 3]), cast(&[-0.0; 3])),
            ]
        } else {
            Vec::new()
        })
        .collect()
}

/// A vector and a scalar.
pub(crate) fn vector_scalars<T: F>(extreme: bool) -> Vec<(Vec<T>, T)> {
    let s = scalars::<T>(extreme);
    vectors::<T>(extreme)
        .into_iter()
        .zip(s.into_iter().cycle())
        .collect()
}

/// Probabilities and targets for `binary_cross_entropy`: inside `(0, 1)`,
/// or at 0 and 1, tiny, NaN.
pub(crate) fn probabilities<T: F>(extreme: bool) -> Vec<(Vec<T>, Vec<T>)> {
    if extreme {
        vec![
            (cast(&[0.0]), cast(&[1.0])),
            (cast(&[1.0]), cast(&[0.0])),
            (
                cast(&[0.0, 1.0, 0.5, 1.0, 0.0]),
                cast(&[1.0, 0.0, 1.0, 1.0, 0.0]),
            ),
            (cast(&[1e-45, 1.0 - 1e-7, 0.5]), cast(&[1.0, 0.0, 0.5])),
            (cast(&[NAN, 0.5, 0.5]), cast(&[1.0, 1.0, 0.0])),
        ]
    } else {
        [3, 8, 37]
            .iter()
            .map(|&n| {
                let p = seq::<f64>(n, 0.0)
                    .iter()
                    .map(|x| 1.0 / (1.0 + (-x).exp()))
                    .collect::<Vec<_>>();
                let y = (0..n).map(|i| (i % 2) as f64).collect::<Vec<_>>();
                (cast(&p), cast(&y))
            })
            .collect()
    }
}

/// Logits and a class.
pub(crate) fn classes<T: F>(extreme: bool) -> Vec<(Vec<T>, usize)> {
    vectors::<T>(extreme)
        .into_iter()
        .flat_map(|z| [(z.clone(), 0), (z.clone(), z.len() - 1)])
        .collect()
}

/// A row-major matrix and a vector: 2×3, 5×37, or with `±1000`, NaN, ±∞.
pub(crate) fn matvecs<T: F>(extreme: bool) -> Vec<(Vec<T>, Vec<T>)> {
    if extreme {
        vec![
            (
                cast(&[1000.0, 0.0, -1000.0, 1.0, 2.0, 3.0]),
                cast(&[1000.0, 1.0, -1000.0]),
            ),
            (cast(&[NAN, 1.0, 2.0, 3.0]), cast(&[1.0, 2.0])),
            (cast(&[INF, 1.0, -INF, 0.0]), cast(&[1.0, 0.0])),
            (cast(&[-0.0; 4]), cast(&[0.0, -0.0])),
        ]
    } else {
        vec![(seq(6, 0.0), seq(3, 1.0)), (seq(5 * 37, 0.0), seq(37, 3.0))]
    }
}
