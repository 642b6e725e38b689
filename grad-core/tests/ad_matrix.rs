//! `grad_core::ad::m`, the matrix runtime of generated code: every forward
//! op gives the bits of the public op on random and extreme inputs (±1000,
//! NaN, ±∞, ±0, subnormals) for f32 and f64, every shape mismatch panics at
//! the caller's line with a message naming the op and both shapes. The
//! backward pieces are checked in `ad_matrix/backward.rs`, the panics in
//! `ad_matrix/panics.rs`.

use std::ops::{Add, Div, Mul, Sub};

use grad_core::ad::{m, v};
use grad_core::{Matrix, Real};

#[path = "ad_matrix/backward.rs"]
mod backward;
#[path = "ad_matrix/panics.rs"]
mod panics;

/// Deterministic values in [lo, hi).
fn values(len: usize, seed: u64, lo: f64, hi: f64) -> Vec<f64> {
    let mut s = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..len)
        .map(|_| {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            lo + (s >> 11) as f64 / (1u64 << 53) as f64 * (hi - lo)
        })
        .collect()
}

/// A `rows × cols` matrix of values in [lo, hi).
fn uniform<T: Real>(rows: usize, cols: usize, seed: u64, lo: f64, hi: f64) -> Matrix<T> {
    let v = values(rows * cols, seed, lo, hi);
    Matrix::from_vec(rows, cols, v.into_iter().map(T::from_f64).collect())
}

/// Values in [−2, 2).
fn random<T: Real>(rows: usize, cols: usize, seed: u64) -> Matrix<T> {
    uniform(rows, cols, seed, -2.0, 2.0)
}

/// Values in [−2, 2) with every third element replaced, in turn, by one of
/// ±1000, NaN, ±∞, ±0 and a subnormal.
fn extreme<T: Real>(rows: usize, cols: usize, seed: u64) -> Matrix<T> {
    const SPECIAL: [f64; 8] = [
        1000.0,
        -1000.0,
        f64::NAN,
        f64::INFINITY,
        f64::NEG_INFINITY,
        0.0,
        -0.0,
        1e-310,
    ];
    let mut x = random::<T>(rows, cols, seed);
    let shift = seed as usize;
    for (i, e) in x.as_mut_slice().iter_mut().enumerate() {
        if i % 3 == shift % 3 {
            *e = T::from_f64(SPECIAL[(i / 3 + shift) % SPECIAL.len()]);
        }
    }
    x
}

/// The shapes every forward op runs on: one element, odd, a batch, no rows.
const SHAPES: [(usize, usize); 5] = [(1, 1), (3, 5), (64, 10), (0, 3), (2, 33)];

/// Both matrices, or fails naming `what` and the first element that differs.
#[track_caller]
fn same_bits<T: Real>(what: &str, got: &Matrix<T>, want: &Matrix<T>) {
    assert_eq!(got.shape(), want.shape(), "{what}: shape");
    for (i, (g, w)) in got.as_slice().iter().zip(want.as_slice()).enumerate() {
        assert!(g.to_bits() == w.to_bits(), "{what}[{i}]: {g} vs {w}");
    }
}

#[track_caller]
fn same_scalar<T: Real>(what: &str, got: T, want: T) {
    assert!(got.to_bits() == want.to_bits(), "{what}: {got} vs {want}");
}

#[track_caller]
fn same_vec<T: Real>(what: &str, got: &[T], want: &[T]) {
    same_bits(
        what,
        &Matrix::from_vec(1, got.len(), got.to_vec()),
        &Matrix::from_vec(1, want.len(), want.to_vec()),
    );
}

/// `m::sm_*` against `s ⊙ &a`, which exists for concrete float types only.
trait ScalarLhs:
    Real
    + for<'a> Add<&'a Matrix<Self>, Output = Matrix<Self>>
    + for<'a> Sub<&'a Matrix<Self>, Output = Matrix<Self>>
    + for<'a> Mul<&'a Matrix<Self>, Output = Matrix<Self>>
    + for<'a> Div<&'a Matrix<Self>, Output = Matrix<Self>>
{
}
impl ScalarLhs for f32 {}
impl ScalarLhs for f64 {}

fn arithmetic<T: ScalarLhs>(a: &Matrix<T>, b: &Matrix<T>, what: &str) {
    same_bits(&format!("mm_add {what}"), &m::mm_add(a, b), &(a + b));
    same_bits(&format!("mm_sub {what}"), &m::mm_sub(a, b), &(a - b));
    same_bits(&format!("mm_mul {what}"), &m::mm_mul(a, b), &(a * b));
    same_bits(&format!("mm_div {what}"), &m::mm_div(a, b), &(a / b));
    for s in [1.5, -0.0, 1000.0, f64::NAN, f64::INFINITY].map(T::from_f64) {
        same_bits(&format!("ms_add {what}"), &m::ms_add(a, s), &(a + s));
        same_bits(&format!("ms_sub {what}"), &m::ms_sub(a, s), &(a - s));
        same_bits(&format!("ms_mul {what}"), &m::ms_mul(a, s), &(a * s));
        same_bits(&format!("ms_div {what}"), &m::ms_div(a, s), &(a / s));
        same_bits(&format!("sm_add {what}"), &m::sm_add(s, a), &(s + a));
        same_bits(&format!("sm_sub {what}"), &m::sm_sub(s, a), &(s - a));
        same_bits(&format!("sm_mul {what}"), &m::sm_mul(s, a), &(s * a));
        same_bits(&format!("sm_div {what}"), &m::sm_div(s, a), &(s / a));
    }
    let row = b.as_slice()[..b.cols().min(b.as_slice().len())].to_vec();
    let row = if row.len() == a.cols() {
        row
    } else {
        vec![T::from_f64(0.75); a.cols()]
    };
    same_bits(
        &format!("mv_add {what}"),
        &m::mv_add(a, &row),
        &(a + &row[..]),
    );
    same_bits(
        &format!("mv_sub {what}"),
        &m::mv_sub(a, &row),
        &(a - &row[..]),
    );
    // No public `vector ⊙ matrix`: the definition, element by element.
    let by_def =
        |f: fn(T, T) -> T| Matrix::from_fn(a.rows(), a.cols(), |i, j| f(row[j], a[(i, j)]));
    same_bits(
        &format!("vm_add {what}"),
        &m::vm_add(&row, a),
        &by_def(|x, y| x + y),
    );
    same_bits(
        &format!("vm_sub {what}"),
        &m::vm_sub(&row, a),
        &by_def(|x, y| x - y),
    );
}

/// An elementwise op of `ad::m`.
type Op<T> = fn(&Matrix<T>) -> Matrix<T>;

fn unary<T: Real>(x: &Matrix<T>, what: &str) {
    let cases: [(&str, Op<T>, Matrix<T>); 11] = [
        ("neg", m::neg, -x),
        ("exp", m::exp, grad_core::exp(x)),
        ("ln", m::ln, grad_core::ln(x)),
        ("sqrt", m::sqrt, grad_core::sqrt(x)),
        ("sin", m::sin, grad_core::sin(x)),
        ("cos", m::cos, grad_core::cos(x)),
        ("abs", m::abs, grad_core::abs(x)),
        ("sigmoid", m::sigmoid, grad_core::sigmoid(x)),
        ("tanh", m::tanh, grad_core::tanh(x)),
        ("relu", m::relu, grad_core::relu(x)),
        ("softplus", m::softplus, grad_core::softplus(x)),
    ];
    for (name, f, want) in cases {
        same_bits(&format!("{name} {what}"), &f(x), &want);
    }
    // The derivative helpers are ad::v's, element by element.
    let xs = x.as_slice();
    let like = |v: Vec<T>| Matrix::from_vec(x.rows(), x.cols(), v);
    let helpers: [(&str, Op<T>, Vec<T>); 4] = [
        (
            "sigmoid_deriv_from_output",
            m::sigmoid_deriv_from_output,
            v::sigmoid_deriv_from_output(xs),
        ),
        (
            "tanh_deriv_from_output",
            m::tanh_deriv_from_output,
            v::tanh_deriv_from_output(xs),
        ),
        ("relu_deriv", m::relu_deriv, v::relu_deriv(xs)),
        ("abs_deriv", m::abs_deriv, v::abs_deriv(xs)),
    ];
    for (name, f, want) in helpers {
        same_bits(&format!("{name} {what}"), &f(x), &like(want));
    }
    same_bits(
        &format!("softmax {what}"),
        &m::softmax(x),
        &grad_core::softmax(x),
    );
    same_bits(
        &format!("log_softmax {what}"),
        &m::log_softmax(x),
        &grad_core::log_softmax(x),
    );
    same_scalar(&format!("sum {what}"), m::sum(x), grad_core::sum(x));
    same_scalar(&format!("mean {what}"), m::mean(x), grad_core::mean(x));
    same_bits(
        &format!("transpose {what}"),
        &m::transpose(x),
        &grad_core::transpose(x),
    );
}

fn losses<T: Real>(a: &Matrix<T>, b: &Matrix<T>, seed: u64, what: &str) {
    same_scalar(&format!("mse {what}"), m::mse(a, b), grad_core::mse(a, b));
    let z = a;
    let y = uniform::<T>(a.rows(), a.cols(), seed + 7, 0.0, 1.0);
    let p = m::sigmoid(b);
    same_scalar(
        &format!("bce_with_logits {what}"),
        m::bce_with_logits(z, &y),
        grad_core::bce_with_logits(z, &y),
    );
    same_scalar(
        &format!("binary_cross_entropy {what}"),
        m::binary_cross_entropy(&p, &y),
        grad_core::binary_cross_entropy(&p, &y),
    );
    let labels: Vec<usize> = (0..a.rows())
        .map(|i| (i * 7 + seed as usize) % a.cols())
        .collect();
    same_scalar(
        &format!("cross_entropy {what}"),
        m::cross_entropy(a, &labels),
        grad_core::cross_entropy(a, &labels),
    );
}

fn products<T: Real>(a: &Matrix<T>, seed: u64, what: &str) {
    let (r, c) = a.shape();
    for n in [1, 4, 17] {
        let b = random::<T>(c, n, seed + n as u64);
        same_bits(
            &format!("matmul {what}·{n}"),
            &m::matmul(a, &b),
            &grad_core::matmul(a, &b),
        );
    }
    let x: Vec<T> = random::<T>(1, c, seed + 3).into_vec();
    let y: Vec<T> = m::matvec(a, &x);
    same_vec(&format!("matvec {what}"), &y, &grad_core::matvec(a, &x));
    assert_eq!(y.len(), r);
}

fn forwards<T: ScalarLhs>() {
    for (k, &(r, c)) in SHAPES.iter().enumerate() {
        let seed = 10 * k as u64;
        for (kind, a, b) in [
            (
                "random",
                random::<T>(r, c, seed),
                random::<T>(r, c, seed + 1),
            ),
            (
                "extreme",
                extreme::<T>(r, c, seed),
                extreme::<T>(r, c, seed + 1),
            ),
            (
                "mixed",
                random::<T>(r, c, seed + 2),
                extreme::<T>(r, c, seed + 2),
            ),
        ] {
            let what = format!("{kind} {r}×{c} {}", core::any::type_name::<T>());
            arithmetic(&a, &b, &what);
            arithmetic(&b, &a, &what);
            unary(&a, &what);
            losses(&a, &b, seed, &what);
            products(&a, seed, &what);
        }
    }
}

#[test]
fn forward_ops_give_the_public_ops_bits_f32() {
    forwards::<f32>();
}

#[test]
fn forward_ops_give_the_public_ops_bits_f64() {
    forwards::<f64>();
}

#[test]
fn matvec_into_an_array_gives_the_bits_of_the_public_op() {
    let w = extreme::<f32>(3, 40, 5);
    let x = random::<f32>(1, 40, 6).into_vec();
    let y: [f32; 3] = m::matvec(&w, &x);
    same_vec("matvec", &y, &grad_core::matvec(&w, &x));
}
