//! Matrix ops (API §6): products, elementwise operators with matrices,
//! scalars and row-broadcast vectors, activations, row-wise softmax, losses
//! and reductions. The public side is `grad::<op>` on `&Matrix`, the
//! `Matrix` operators, or (for `vector ± matrix`, which has no operator
//! outside) the one IEEE operation per element in plain Rust.

use grad::Matrix;

use crate::support::{F, Got, Part, check};

const INF: f64 = f64::INFINITY;
const NAN: f64 = f64::NAN;

/// `Real` for the float types under test, with `F` for the comparison.
trait R: F + grad::Real {}
impl R for f32 {}
impl R for f64 {}

fn from<T: R>(rows: usize, cols: usize, v: &[f64]) -> Matrix<T> {
    Matrix::from_vec(rows, cols, v.iter().map(|&x| T::of(x)).collect())
}

/// `rows × cols` ordinary values (a `sin` formula, |x| ≤ 3).
fn seq<T: R>(rows: usize, cols: usize, k: f64) -> Matrix<T> {
    Matrix::from_fn(rows, cols, |i, j| {
        T::of(((((i * cols + j) as f64) + k) * 0.731).sin() * 3.0)
    })
}

/// The elements, for the comparison.
fn el<T: R>(m: &Matrix<T>) -> Vec<T> {
    m.as_slice().to_vec()
}

/// Matrices: 2×3, 8×5, 3×37 (SIMD chunks and a remainder per row); or
/// rows with `1000, 0, −1000`, NaN, ±∞, −0, and 5×8 with ±1000 inside.
fn matrices<T: R>(extreme: bool) -> Vec<Matrix<T>> {
    if extreme {
        let mut big = seq::<T>(5, 8, 0.0);
        big[(0, 5)] = T::of(1000.0);
        big[(4, 1)] = T::of(-1000.0);
        vec![
            from(2, 3, &[1000.0, 0.0, -1000.0, -1000.0, 0.0, 1000.0]),
            from(2, 3, &[NAN, 1.0, 2.0, 0.5, -0.5, 0.0]),
            from(2, 3, &[INF, 0.0, -INF, -INF, -INF, 1.0]),
            from(2, 2, &[-0.0, -0.0, 0.0, -0.0]),
            from(1, 1, &[-0.0]),
            big,
        ]
    } else {
        vec![seq(2, 3, 0.0), seq(8, 5, 1.0), seq(3, 37, 2.0)]
    }
}

/// Pairs of matrices of equal shape (with `±∞`, `−0`, NaN on the right when extreme).
fn matrix_pairs<T: R>(extreme: bool) -> Vec<(Matrix<T>, Matrix<T>)> {
    let mut out: Vec<(Matrix<T>, Matrix<T>)> = matrices::<T>(extreme)
        .into_iter()
        .map(|a| {
            let b = seq::<T>(a.rows(), a.cols(), 5.0);
            (a, b)
        })
        .collect();
    if extreme {
        out.push((from(1, 3, &[1.0, 2.0, 3.0]), from(1, 3, &[INF, -0.0, NAN])));
        out.push((from(1, 3, &[0.0; 3]), from(1, 3, &[-0.0; 3])));
    }
    out
}

/// Scalars: ordinary, or `±1000, ±0, NaN, ±∞`.
fn scalars<T: R>(extreme: bool) -> Vec<T> {
    let s: &[f64] = if extreme {
        &[1000.0, -1000.0, 0.0, -0.0, NAN, INF, -INF]
    } else {
        &[0.5, -1.5, 2.25]
    };
    s.iter().map(|&x| T::of(x)).collect()
}

/// Every matrix with every scalar.
fn matrix_scalars<T: R>(extreme: bool) -> Vec<(Matrix<T>, T)> {
    let s = scalars::<T>(extreme);
    matrices::<T>(extreme)
        .into_iter()
        .flat_map(|m| s.iter().map(move |&x| (m.clone(), x)))
        .collect()
}

/// A matrix and a vector of length `cols`.
fn matrix_vectors<T: R>(extreme: bool) -> Vec<(Matrix<T>, Vec<T>)> {
    let mut out: Vec<(Matrix<T>, Vec<T>)> = matrices::<T>(extreme)
        .into_iter()
        .map(|m| {
            let v = seq::<T>(1, m.cols(), 3.0).as_slice().to_vec();
            (m, v)
        })
        .collect();
    if extreme {
        let v = [INF, -0.0, NAN].iter().map(|&x| T::of(x)).collect();
        out.push((from(2, 3, &[1.0, 2.0, 3.0, -INF, 0.0, 1000.0]), v));
    }
    out
}

/// Products `(m×k)·(k×n)`: 2×3·3×4, 8×37·37×5 (and extremes on the left).
fn products<T: R>(extreme: bool) -> Vec<(Matrix<T>, Matrix<T>)> {
    if extreme {
        matrices::<T>(true)
            .into_iter()
            .map(|a| {
                let b = seq::<T>(a.cols(), 3, 7.0);
                (a, b)
            })
            .collect()
    } else {
        vec![
            (seq(2, 3, 0.0), seq(3, 4, 1.0)),
            (seq(8, 37, 2.0), seq(37, 5, 3.0)),
        ]
    }
}

/// A matrix and a vector of length `cols` for `matvec`.
fn matvecs<T: R>(extreme: bool) -> Vec<(Matrix<T>, Vec<T>)> {
    matrix_vectors(extreme)
}

/// Logits and labels (first and last class, alternating).
fn classes<T: R>(extreme: bool) -> Vec<(Matrix<T>, Vec<usize>)> {
    matrices::<T>(extreme)
        .into_iter()
        .map(|z| {
            let labels = (0..z.rows())
                .map(|i| if i % 2 == 0 { 0 } else { z.cols() - 1 })
                .collect();
            (z, labels)
        })
        .collect()
}

/// Probabilities and targets for `binary_cross_entropy`: inside `(0, 1)`,
/// or at 0 and 1, tiny, NaN.
fn probabilities<T: R>(extreme: bool) -> Vec<(Matrix<T>, Matrix<T>)> {
    if extreme {
        vec![
            (from(1, 1, &[0.0]), from(1, 1, &[1.0])),
            (from(1, 1, &[1.0]), from(1, 1, &[0.0])),
            (
                from(2, 3, &[0.0, 1.0, 0.5, 1.0, 0.0, 0.25]),
                from(2, 3, &[1.0, 0.0, 1.0, 1.0, 0.0, 0.0]),
            ),
            (
                from(1, 3, &[1e-45, 1.0 - 1e-7, 0.5]),
                from(1, 3, &[1.0, 0.0, 0.5]),
            ),
            (from(1, 3, &[NAN, 0.5, 0.5]), from(1, 3, &[1.0, 1.0, 0.0])),
        ]
    } else {
        [(2, 3), (8, 5), (3, 37)]
            .iter()
            .map(|&(r, c)| {
                let z = seq::<f64>(r, c, 0.0);
                let p: Vec<f64> = z
                    .as_slice()
                    .iter()
                    .map(|x| 1.0 / (1.0 + (-x).exp()))
                    .collect();
                let y: Vec<f64> = (0..r * c).map(|i| (i % 2) as f64).collect();
                (from(r, c, &p), from(r, c, &y))
            })
            .collect()
    }
}

/// `[f(a_ij, v_j)]`: a row-broadcast operator in plain Rust.
fn rows<T: R>(a: &Matrix<T>, v: &[T], f: impl Fn(T, T) -> T) -> Vec<T> {
    let mut out = Vec::new();
    for i in 0..a.rows() {
        out.extend(a.row(i).iter().zip(v).map(|(&x, &y)| f(x, y)));
    }
    out
}

/// `Got` for a matrix-valued fn: the annotated fn `d::f` and `$public`.
macro_rules! matrix_valued {
    ($public:expr; $($arg:expr),*) => {
        Got::vector(el(&d::f($($arg),*)), $public)
    };
}

same! {
    m_matmul(products) |(a, b)| matrix_valued!(el(&grad::matmul(a, b)); a, b);
        fn [] [] [] [];
    m_transpose(matrices) |a| matrix_valued!(el(&grad::transpose(a)); a);
        fn [] [] [] [];
    m_matvec(matvecs) |(w, x)| vector_valued!(grad::matvec(w, x); w, x);
        fn [] [] [] [];
    m_add_mm(matrix_pairs) |(a, b)| matrix_valued!(el(&(a + b)); a, b);
        fn [] [] [] [];
    m_sub_mm(matrix_pairs) |(a, b)| matrix_valued!(el(&(a - b)); a, b);
        fn [] [] [] [];
    m_mul_mm(matrix_pairs) |(a, b)| matrix_valued!(el(&(a * b)); a, b);
        fn [] [] [] [];
    m_div_mm(matrix_pairs) |(a, b)| matrix_valued!(el(&(a / b)); a, b);
        fn [] [] [] [];
    m_add_ms(matrix_scalars) |(a, s)| matrix_valued!(el(&(a + *s)); a, *s);
        fn [] [] [] [];
    m_sub_ms(matrix_scalars) |(a, s)| matrix_valued!(el(&(a - *s)); a, *s);
        fn [] [] [] [];
    m_mul_ms(matrix_scalars) |(a, s)| matrix_valued!(el(&(a * *s)); a, *s);
        fn [] [] [] [];
    m_div_ms(matrix_scalars) |(a, s)| matrix_valued!(el(&(a / *s)); a, *s);
        fn [] [] [] [];
    m_add_sm(matrix_scalars) |(a, s)| matrix_valued!(el(&(*s + a)); a, *s);
        fn [] [] [] [];
    m_sub_sm(matrix_scalars) |(a, s)| matrix_valued!(el(&(*s - a)); a, *s);
        fn [] [] [] [];
    m_mul_sm(matrix_scalars) |(a, s)| matrix_valued!(el(&(*s * a)); a, *s);
        fn [] [] [] [];
    m_div_sm(matrix_scalars) |(a, s)| matrix_valued!(el(&(*s / a)); a, *s);
        fn [] [] [] [];
    m_add_mv(matrix_vectors) |(a, v)| matrix_valued!(el(&(a + &v[..])); a, v);
        fn [] [] [] [];
    m_sub_mv(matrix_vectors) |(a, v)| matrix_valued!(el(&(a - &v[..])); a, v);
        fn [] [] [] [];
    m_add_vm(matrix_vectors) |(a, v)| matrix_valued!(rows(a, v, |x, y| y + x); a, v);
        fn [] [] [] [];
    m_sub_vm(matrix_vectors) |(a, v)| matrix_valued!(rows(a, v, |x, y| y - x); a, v);
        fn [] [] [] [];
    m_neg(matrices) |a| matrix_valued!(el(&(-a)); a);
        fn [] [] [] [];
    m_sigmoid(matrices) |a| matrix_valued!(el(&grad::sigmoid(a)); a);
        fn [] [] [] [];
    m_tanh(matrices) |a| matrix_valued!(el(&grad::tanh(a)); a);
        fn [] [] [] [];
    m_relu(matrices) |a| matrix_valued!(el(&grad::relu(a)); a);
        fn [] [] [] [];
    m_exp(matrices) |a| matrix_valued!(el(&grad::exp(a)); a);
        fn [] [] [] [];
    m_ln(matrices) |a| matrix_valued!(el(&grad::ln(a)); a);
        fn [] [] [] [];
    m_sqrt(matrices) |a| matrix_valued!(el(&grad::sqrt(a)); a);
        fn [] [] [] [];
    m_abs(matrices) |a| matrix_valued!(el(&grad::abs(a)); a);
        fn [] [] [] [];
    m_softplus(matrices) |a| matrix_valued!(el(&grad::softplus(a)); a);
        fn [] [] [] [];
    m_sin(matrices) |a| matrix_valued!(el(&grad::sin(a)); a);
        fn [] [] [] [];
    m_cos(matrices) |a| matrix_valued!(el(&grad::cos(a)); a);
        fn [] [] [] [];
    m_softmax(matrices) |a| matrix_valued!(el(&grad::softmax(a)); a);
        fn [] [] [] [];
    m_log_softmax(matrices) |a| matrix_valued!(el(&grad::log_softmax(a)); a);
        fn [] [] [] [];
    m_sum(matrices) |a| scalar_valued!(grad::sum(a); a);
        fn [] [] [] [] value_and_grad [] [] [] [];
    m_mean(matrices) |a| scalar_valued!(grad::mean(a); a);
        fn [] [] [] [] value_and_grad [] [] [] [];
    m_mse(matrix_pairs) |(a, b)| scalar_valued!(grad::mse(a, b); a, b);
        fn [] [] [] [] value_and_grad [] [] [] [];
    m_cross_entropy(classes) |(z, y)| scalar_valued!(grad::cross_entropy(z, &y[..]); z, y);
        fn [] [] [] [] value_and_grad [] [] [] [];
    m_binary_cross_entropy(probabilities) |(p, y)| scalar_valued!(grad::binary_cross_entropy(p, y); p, y);
        fn [] [] [] [] value_and_grad [] [] [] [];
    m_bce_with_logits(matrix_pairs) |(z, y)| scalar_valued!(grad::bce_with_logits(z, y); z, y);
        fn [] [] [] [] value_and_grad [] [] [] [];
}
