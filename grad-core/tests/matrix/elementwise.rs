//! Elementwise arithmetic (with broadcasting) and activations on matrices.

use super::{assert_rel, random, tol};
use grad_core::{Matrix, Real};

/// `f` of every element in f64.
fn map(m: &Matrix<impl Real>, f: impl Fn(f64) -> f64) -> Vec<f64> {
    m.as_slice().iter().map(|v| f(v.to_f64())).collect()
}

fn zip(a: &Matrix<impl Real>, b: &[f64], cols: usize, f: impl Fn(f64, f64) -> f64) -> Vec<f64> {
    let a = a.as_slice();
    (0..a.len())
        .map(|i| f(a[i].to_f64(), b[i % cols]))
        .collect()
}

fn arithmetic<T: Real>() {
    let (a, b) = (random::<T>(5, 7, 1), random::<T>(5, 7, 2));
    let bv: Vec<f64> = b.as_slice().iter().map(|v| v.to_f64()).collect();
    let n = a.as_slice().len();
    let t = tol::<T>(1e-15, 1e-6);
    assert_rel(
        (&a + &b).as_slice(),
        &zip(&a, &bv, n, |x, y| x + y),
        t,
        "a + b",
    );
    assert_rel(
        (&a - &b).as_slice(),
        &zip(&a, &bv, n, |x, y| x - y),
        t,
        "a - b",
    );
    assert_rel(
        (&a * &b).as_slice(),
        &zip(&a, &bv, n, |x, y| x * y),
        t,
        "a * b",
    );
    assert_rel(
        (&a / &b).as_slice(),
        &zip(&a, &bv, n, |x, y| x / y),
        t,
        "a / b",
    );
    // Owned and borrowed operands give the same bits.
    assert_eq!(a.clone() + b.clone(), &a + &b);
    assert_eq!(a.clone() - &b, &a - b.clone());
    assert_eq!((-&a).as_slice(), (-a.clone()).as_slice());
    assert_rel((-&a).as_slice(), &map(&a, |x| -x), 0.0, "-a");
    // Scalars on either side.
    let s = T::from_f64(1.5);
    assert_rel((&a * s).as_slice(), &map(&a, |x| x * 1.5), t, "a * s");
    assert_rel((&a - s).as_slice(), &map(&a, |x| x - 1.5), t, "a - s");
    assert_rel(
        (a.clone() / s).as_slice(),
        &map(&a, |x| x / 1.5),
        t,
        "a / s",
    );
    assert_rel((&a + s).as_slice(), &map(&a, |x| x + 1.5), t, "a + s");
    // A row vector of length cols applies to every row.
    let row: Vec<T> = (0..7).map(|j| T::from_f64(j as f64 - 3.5)).collect();
    let rv: Vec<f64> = row.iter().map(|v| v.to_f64()).collect();
    assert_rel(
        (&a + &row).as_slice(),
        &zip(&a, &rv, 7, |x, y| x + y),
        t,
        "a + row",
    );
    assert_rel(
        (&a - &row[..]).as_slice(),
        &zip(&a, &rv, 7, |x, y| x - y),
        t,
        "a - row",
    );
    assert_rel(
        (a.clone() * row.clone()).as_slice(),
        &zip(&a, &rv, 7, |x, y| x * y),
        t,
        "a * row",
    );
    assert_rel(
        (&a / &row).as_slice(),
        &zip(&a, &rv, 7, |x, y| x / y),
        t,
        "a / row",
    );
    // Compound assignment.
    let mut c = a.clone();
    c += &b;
    c -= &b;
    c *= s;
    c /= s;
    assert_rel(c.as_slice(), &map(&a, |x| x), t, "assign ops");
}

#[test]
fn arithmetic_matches_f64_f64() {
    arithmetic::<f64>();
}

#[test]
fn arithmetic_matches_f64_f32() {
    arithmetic::<f32>();
}

#[test]
fn scalar_on_the_left_and_arrays_as_rows() {
    let m = Matrix::from_vec(2, 2, vec![1.0_f64, 2.0, 3.0, 4.0]);
    assert_eq!((2.0 * &m).as_slice(), &[2.0, 4.0, 6.0, 8.0]);
    assert_eq!((1.0 - m.clone()).as_slice(), &[0.0, -1.0, -2.0, -3.0]);
    assert_eq!((12.0 / &m).as_slice(), &[12.0, 6.0, 4.0, 3.0]);
    assert_eq!((&m + [10.0, 20.0]).as_slice(), &[11.0, 22.0, 13.0, 24.0]);
    assert_eq!((m + vec![10.0, 20.0]).as_slice(), &[11.0, 22.0, 13.0, 24.0]);
    let m32 = Matrix::from_vec(1, 2, vec![1.0_f32, 2.0]);
    assert_eq!((3.0_f32 + &m32).as_slice(), &[4.0, 5.0]);
}

#[test]
#[should_panic(expected = "add: a is 2×3 but b is 3×2")]
fn add_names_both_shapes() {
    let _ = Matrix::<f64>::zeros(2, 3) + Matrix::zeros(3, 2);
}

#[test]
#[should_panic(expected = "div: a is 2×3 but b is 2×2")]
fn div_names_both_shapes() {
    let _ = &Matrix::<f32>::zeros(2, 3) / &Matrix::zeros(2, 2);
}

#[test]
#[should_panic(expected = "mul: a is 2×3 but b has length 2")]
fn row_broadcast_names_the_shape_and_the_length() {
    let _ = &Matrix::<f64>::zeros(2, 3) * vec![1.0, 2.0];
}

#[test]
#[should_panic(expected = "sub: a is 1×1 but b is 1×2")]
fn assign_names_both_shapes() {
    let mut a = Matrix::<f64>::zeros(1, 1);
    a -= Matrix::zeros(1, 2);
}

fn activations<T: Real>() {
    let m = random::<T>(9, 11, 5);
    let t = tol::<T>(1e-13, 2e-6);
    let sig = |x: f64| 1.0 / (1.0 + (-x).exp());
    assert_rel(
        grad_core::sigmoid(&m).as_slice(),
        &map(&m, sig),
        t,
        "sigmoid",
    );
    assert_rel(
        grad_core::tanh(&m).as_slice(),
        &map(&m, f64::tanh),
        t,
        "tanh",
    );
    assert_rel(
        grad_core::relu(&m).as_slice(),
        &map(&m, |x| x.max(0.0)),
        0.0,
        "relu",
    );
    assert_rel(grad_core::exp(&m).as_slice(), &map(&m, f64::exp), t, "exp");
    assert_rel(
        grad_core::abs(&m).as_slice(),
        &map(&m, f64::abs),
        0.0,
        "abs",
    );
    let softplus = |x: f64| x.max(0.0) + (-x.abs()).exp().ln_1p();
    assert_rel(
        grad_core::softplus(&m).as_slice(),
        &map(&m, softplus),
        t,
        "softplus",
    );
    let pos = grad_core::abs(&m) + T::from_f64(0.25);
    assert_rel(grad_core::ln(&pos).as_slice(), &map(&pos, f64::ln), t, "ln");
    assert_rel(
        grad_core::sqrt(&pos).as_slice(),
        &map(&pos, f64::sqrt),
        t,
        "sqrt",
    );
    let leaky = grad_core::leaky_relu(&m, T::from_f64(0.125));
    assert_rel(
        leaky.as_slice(),
        &map(&m, |x| if x > 0.0 { x } else { 0.125 * x }),
        t,
        "leaky",
    );
    // By value too, and the shape is kept.
    assert_eq!(grad_core::tanh(m.clone()), grad_core::tanh(&m));
    assert_eq!(grad_core::sigmoid(&m).shape(), (9, 11));
}

#[test]
fn activations_match_f64_f64() {
    activations::<f64>();
}

#[test]
fn activations_match_f64_f32() {
    activations::<f32>();
}
