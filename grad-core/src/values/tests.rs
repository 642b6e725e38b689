//! Value-level ops against f64 references and closed forms, their shapes,
//! empty inputs and panics.

use crate::*;

/// A small deterministic generator (xorshift64*) of floats in `[lo, hi)`.
struct Rng(u64);

impl Rng {
    fn next_f64(&mut self, lo: f64, hi: f64) -> f64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        let u = (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11) as f64 / (1u64 << 53) as f64;
        lo + (hi - lo) * u
    }
    fn vec_f32(&mut self, n: usize, lo: f64, hi: f64) -> Vec<f32> {
        (0..n).map(|_| self.next_f64(lo, hi) as f32).collect()
    }
}

/// Distance in units in the last place between two f32s (0 for equal values,
/// including two NaNs; `u32::MAX` for NaN against a number).
fn ulps(a: f32, b: f32) -> u32 {
    if a.is_nan() || b.is_nan() {
        return if a.is_nan() && b.is_nan() {
            0
        } else {
            u32::MAX
        };
    }
    let key = |x: f32| {
        let i = x.to_bits() as i32;
        if i < 0 { i32::MIN.wrapping_sub(i) } else { i }
    };
    key(a).abs_diff(key(b))
}

/// Relative error of `got` against the f64 reference `want`.
fn rel_err(got: f64, want: f64) -> f64 {
    if got == want {
        0.0
    } else {
        ((got - want) / want).abs()
    }
}

/// Inputs covering the whole f32 range: a random sweep, the saturation
/// regions, ±0, ±1000, ±∞ and a subnormal.
fn sweep() -> Vec<f32> {
    let mut v = Rng(7).vec_f32(2000, -30.0, 30.0);
    v.extend(Rng(8).vec_f32(200, -120.0, 120.0));
    v.extend([
        0.0,
        -0.0,
        1.0e-40,
        -1.0e-40,
        1000.0,
        -1000.0,
        f32::MAX,
        f32::MIN,
    ]);
    v.extend([f32::INFINITY, f32::NEG_INFINITY, 1.0e-8, -1.0e-8]);
    v
}

/// Checks an elementwise op against its f64 reference on every input shape.
fn check_elementwise(
    name: &str,
    op: impl Fn(Vec<f32>) -> Vec<f32>,
    scalar: impl Fn(f32) -> f32,
    reference: impl Fn(f64) -> f64,
    max_ulps: u32,
) {
    let x = sweep();
    let got = op(x.clone());
    assert_eq!(got.len(), x.len());
    for (&xi, &gi) in x.iter().zip(&got) {
        let want = reference(f64::from(xi)) as f32;
        let abs_ok = want.abs() < 1e-30 && (gi - want).abs() <= 1e-7;
        assert!(
            ulps(gi, want) <= max_ulps || abs_ok,
            "{name}({xi:e}) = {gi:e} (slice path), want {want:e}"
        );
        let si = scalar(xi);
        let abs_ok = want.abs() < 1e-30 && (si - want).abs() <= 1e-7;
        assert!(
            ulps(si, want) <= max_ulps || abs_ok,
            "{name}({xi:e}) = {si:e} (scalar path), want {want:e}"
        );
    }
    assert!(scalar(f32::NAN).is_nan(), "{name}(NaN) is not NaN");
    assert!(
        op(vec![1.0, f32::NAN])[1].is_nan(),
        "{name}([.., NaN]) is not NaN"
    );
}

fn sigmoid_ref(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

#[test]
fn elementwise_ops_match_f64_reference_within_4_ulp() {
    check_elementwise("sigmoid", sigmoid, sigmoid, sigmoid_ref, 4);
    check_elementwise("tanh", |v| tanh(&v), tanh, f64::tanh, 4);
    check_elementwise("relu", |v| relu(&v[..]), relu, |x| x.max(0.0), 0);
    check_elementwise("exp", exp, exp, f64::exp, 4);
    let softplus_ref = |x: f64| x.max(0.0) + (-x.abs()).exp().ln_1p();
    check_elementwise("softplus", softplus, softplus, softplus_ref, 4);
    let leaky = |x: f64| if x > 0.0 { x } else { 0.01 * x };
    let slope = 0.01_f32;
    let leaky_f32 = |x: f32| leaky_relu(x, slope);
    check_elementwise("leaky_relu", |v| leaky_relu(v, slope), leaky_f32, leaky, 1);
}

#[test]
fn ln_matches_f64_reference_on_positive_inputs_and_edges() {
    let x: Vec<f32> = Rng(3).vec_f32(2000, 0.0, 50.0);
    for (xi, gi) in x.iter().zip(ln(&x)) {
        assert!(
            ulps(gi, f64::from(*xi).ln() as f32) <= 4,
            "ln({xi:e}) = {gi:e}"
        );
    }
    assert_eq!(
        ln([0.0_f32, 1.0, f32::INFINITY]),
        [f32::NEG_INFINITY, 0.0, f32::INFINITY]
    );
    assert!(ln(-1.0_f64).is_nan());
    assert!(ln([f32::NAN])[0].is_nan());
}

#[test]
fn elementwise_ops_keep_the_container_shape() {
    let arr: [f64; 3] = sigmoid([0.0, 1000.0, -1000.0]);
    assert_eq!(arr, [0.5, 1.0, 0.0]);
    let by_ref: [f32; 2] = tanh(&[0.0_f32, 1000.0]);
    assert_eq!(by_ref, [0.0, 1.0]);
    let v = vec![-1.0_f32, 0.0, 2.0];
    let from_ref: Vec<f32> = relu(&v);
    let from_slice: Vec<f32> = relu(&v[..]);
    let from_owned: Vec<f32> = relu(v);
    assert_eq!(from_ref, [0.0, 0.0, 2.0]);
    assert_eq!(from_ref, from_slice);
    assert_eq!(from_ref, from_owned);
    assert!(exp(Vec::<f64>::new()).is_empty());
    assert_eq!(exp([0.0_f32; 0]), [0.0_f32; 0]);
}

#[test]
fn array_slice_and_scalar_paths_agree_within_4_ulp() {
    let x: Vec<f32> = Rng(11).vec_f32(1003, -20.0, 20.0);
    type Op = (&'static str, fn(&[f32]) -> Vec<f32>, fn(f32) -> f32);
    let ops: [Op; 3] = [
        ("sigmoid", |v| sigmoid(v), |x| sigmoid(x)),
        ("tanh", |v| tanh(v), |x| tanh(x)),
        ("exp", |v| exp(v), |x| exp(x)),
    ];
    for (name, slice_op, scalar_op) in ops {
        for (xi, gi) in x.iter().zip(slice_op(&x)) {
            assert!(ulps(gi, scalar_op(*xi)) <= 4, "{name}({xi:e})");
        }
    }
}

/// f64 softmax straight from the definition (no max shift): a reference
/// independent of the implementation, for inputs where it cannot overflow.
fn softmax_ref(x: &[f32]) -> Vec<f64> {
    let e: Vec<f64> = x.iter().map(|&v| f64::from(v).exp()).collect();
    let s: f64 = e.iter().sum();
    e.iter().map(|v| v / s).collect()
}

#[test]
fn softmax_and_log_softmax_match_f64_reference_within_1e6() {
    let mut rng = Rng(5);
    for n in [1, 2, 3, 7, 8, 9, 16, 17, 31, 33, 100, 1000] {
        let x = rng.vec_f32(n, -20.0, 20.0);
        let want = softmax_ref(&x);
        let p = softmax(&x);
        let lp = log_softmax(&x);
        for i in 0..n {
            let e = rel_err(f64::from(p[i]), want[i]);
            assert!(e <= 1e-6, "softmax n={n} i={i}: rel err {e:e}");
            let e = rel_err(f64::from(lp[i]), want[i].ln());
            assert!(e <= 1e-6, "log_softmax n={n} i={i}: rel err {e:e}");
        }
    }
}

#[test]
fn softmax_is_stable_for_huge_logits() {
    let x = [1000.0_f32, 0.0, -1000.0];
    assert_eq!(softmax(x), [1.0, 0.0, 0.0]);
    assert_eq!(log_softmax(x), [0.0, -1000.0, -2000.0]);
    let x64 = [1000.0_f64, 1000.0];
    assert_eq!(softmax(x64), [0.5, 0.5]);
    assert_eq!(log_softmax(x64), [-std::f64::consts::LN_2; 2]);
    let shifted = softmax([f32::MAX, f32::MAX]);
    assert_eq!(shifted, [0.5, 0.5]);
}

#[test]
fn softmax_of_nothing_is_empty_and_nan_propagates() {
    assert!(softmax(Vec::<f32>::new()).is_empty());
    assert!(log_softmax([0.0_f64; 0]).is_empty());
    assert!(softmax([1.0_f32, f32::NAN]).iter().all(|v| v.is_nan()));
    assert!(log_softmax([f64::NAN, 1.0]).iter().all(|v| v.is_nan()));
    assert!(cross_entropy([1.0_f32, f32::NAN], 0).is_nan());
}

#[test]
fn reductions_match_closed_forms() {
    let n = 1000_usize;
    let v: Vec<f32> = (1..=n).map(|i| i as f32).collect();
    assert_eq!(sum(&v), 500_500.0);
    assert_eq!(mean(&v), 500.5);
    // Σ i² = n(n+1)(2n+1)/6
    assert_eq!(dot(&v, &v), 333_833_500.0);
    assert_eq!(sum([0.1_f64; 10]), 0.1 * 10.0);
    assert_eq!(sum(Vec::<f64>::new()), 0.0);
    assert_eq!(dot(Vec::<f32>::new(), Vec::new()), 0.0);
    assert!(mean([0.0_f32; 0]).is_nan());
    assert!(sum([1.0, f64::NAN]).is_nan());
}

#[test]
fn reductions_match_f64_reference_on_random_data() {
    let mut rng = Rng(9);
    for n in [1, 5, 8, 13, 64, 999, 10_000] {
        let a = rng.vec_f32(n, -1.0, 1.0);
        let b = rng.vec_f32(n, -1.0, 1.0);
        let s: f64 = a.iter().map(|&x| f64::from(x)).sum();
        let d: f64 = a
            .iter()
            .zip(&b)
            .map(|(&x, &y)| f64::from(x) * f64::from(y))
            .sum();
        // Relative to Σ|terms|: the sums may cancel.
        let s_scale: f64 = a.iter().map(|&x| f64::from(x).abs()).sum();
        let d_scale: f64 = a
            .iter()
            .zip(&b)
            .map(|(&x, &y)| f64::from(x * y).abs())
            .sum();
        assert!(
            (f64::from(sum(&a)) - s).abs() <= 1e-6 * s_scale,
            "sum n={n}"
        );
        assert!((f64::from(mean(&a)) - s / n as f64).abs() <= 1e-6 * s_scale / n as f64);
        assert!(
            (f64::from(dot(&a, &b)) - d).abs() <= 1e-6 * d_scale,
            "dot n={n}"
        );
    }
}

#[test]
fn matvec_matches_rows_of_dot_products() {
    // [[1, 2, 3], [4, 5, 6]] · [1, 0, -1]
    assert_eq!(
        matvec([1.0_f64, 2.0, 3.0, 4.0, 5.0, 6.0], [1.0, 0.0, -1.0]),
        [-2.0, -2.0]
    );
    let mut rng = Rng(13);
    let (rows, cols) = (7, 33);
    let w = rng.vec_f32(rows * cols, -1.0, 1.0);
    let x = rng.vec_f32(cols, -1.0, 1.0);
    let y = matvec(&w, &x);
    assert_eq!(y.len(), rows);
    for (r, yr) in y.iter().enumerate() {
        let want = dot(&w[r * cols..(r + 1) * cols], &x);
        assert!(rel_err(f64::from(*yr), f64::from(want)) <= 1e-6, "row {r}");
    }
    assert!(matvec(Vec::<f32>::new(), [1.0_f32]).is_empty());
}

#[test]
#[should_panic(expected = "matvec: w.len() = 5 is not a multiple of x.len() = 2")]
fn matvec_panics_when_rows_do_not_divide() {
    matvec([1.0_f32; 5], [1.0; 2]);
}

#[test]
#[should_panic(expected = "matvec: x is empty (x.len() = 0)")]
fn matvec_panics_on_empty_x() {
    matvec([1.0_f32; 3], [0.0_f32; 0]);
}

#[test]
#[should_panic(expected = "dot: length mismatch: a.len() = 3 but b.len() = 2")]
fn dot_panics_on_length_mismatch() {
    dot([1.0_f64; 3], [1.0; 2]);
}

#[test]
fn mse_matches_closed_form_and_reference() {
    // The tutorial's §4: pred = x·w = 2, target 1.
    assert_eq!(mse([2.0_f32], [1.0]), 1.0);
    assert_eq!(mse(vec![1.0_f64, 2.0, 3.0], vec![3.0, 2.0, 1.0]), 8.0 / 3.0);
    let mut rng = Rng(17);
    let (p, t) = (rng.vec_f32(1001, -3.0, 3.0), rng.vec_f32(1001, -3.0, 3.0));
    let want: f64 = p
        .iter()
        .zip(&t)
        .map(|(&a, &b)| (f64::from(a) - f64::from(b)).powi(2))
        .sum::<f64>()
        / 1001.0;
    assert!(rel_err(f64::from(mse(&p, &t)), want) <= 1e-6);
    assert!(mse(Vec::<f32>::new(), Vec::new()).is_nan());
    assert!(mse([f32::NAN], [0.0]).is_nan());
}

#[test]
#[should_panic(expected = "mse: length mismatch: pred.len() = 2 but target.len() = 3")]
fn mse_panics_on_length_mismatch() {
    mse([1.0_f32; 2], [1.0; 3]);
}

#[test]
fn cross_entropy_is_minus_log_softmax_and_stable() {
    let mut rng = Rng(19);
    for n in [1, 2, 10, 1000] {
        let x = rng.vec_f32(n, -10.0, 10.0);
        let want = softmax_ref(&x);
        for c in [0, n / 2, n - 1] {
            let got = f64::from(cross_entropy(&x, c));
            assert!(rel_err(got, -want[c].ln()) <= 1e-6 || n == 1, "n={n} c={c}");
        }
    }
    assert_eq!(cross_entropy([3.0_f32], 0), 0.0);
    let big = [1000.0_f32, 0.0, -1000.0];
    assert_eq!(
        [0, 1, 2].map(|c| cross_entropy(big, c)),
        [0.0, 1000.0, 2000.0]
    );
    assert_eq!(cross_entropy(vec![0.0_f64; 4], 3), 4.0_f64.ln());
}

#[test]
#[should_panic(expected = "cross_entropy: class = 3 is out of range for logits.len() = 3")]
fn cross_entropy_panics_on_class_out_of_range() {
    cross_entropy([0.0_f32; 3], 3);
}

#[test]
#[should_panic(expected = "cross_entropy: class = 0 is out of range for logits.len() = 0")]
fn cross_entropy_panics_on_empty_logits() {
    cross_entropy(Vec::<f64>::new(), 0);
}

#[test]
fn binary_cross_entropy_matches_closed_form_and_clamps_like_pytorch() {
    let (p, y) = ([0.9_f64, 0.2, 0.6], [1.0, 0.0, 1.0]);
    let want = -(0.9_f64.ln() + 0.8_f64.ln() + 0.6_f64.ln()) / 3.0;
    assert!(rel_err(binary_cross_entropy(p, y), want) <= 1e-15);
    // Soft targets: y·ln p + (1 − y)·ln(1 − p) at p = y = 0.25.
    let soft = -(0.25 * 0.25_f64.ln() + 0.75 * 0.75_f64.ln());
    assert!(rel_err(binary_cross_entropy([0.25], [0.25]), soft) <= 1e-15);
    // ln 0 = −∞ is clamped at −100: the loss is 100, not ∞, and a zero
    // weight times the clamped log is 0, not NaN.
    assert_eq!(binary_cross_entropy([0.0_f32, 1.0], [1.0, 0.0]), 100.0);
    assert_eq!(binary_cross_entropy([0.0_f32, 1.0], [0.0, 1.0]), 0.0);
    assert_eq!(binary_cross_entropy([1e-50_f64], [1.0]), 100.0);
    assert!(binary_cross_entropy([1.5_f32], [1.0]).is_nan());
    assert!(binary_cross_entropy([f64::NAN], [1.0]).is_nan());
    assert!(binary_cross_entropy(Vec::<f32>::new(), Vec::new()).is_nan());
}

#[test]
#[should_panic(expected = "binary_cross_entropy: length mismatch: p.len() = 1 but y.len() = 2")]
fn binary_cross_entropy_panics_on_length_mismatch() {
    binary_cross_entropy([0.5_f32], [1.0, 0.0]);
}

#[test]
fn bce_with_logits_equals_bce_of_sigmoid_and_is_stable() {
    let mut rng = Rng(23);
    let z: Vec<f64> = (0..500).map(|_| rng.next_f64(-15.0, 15.0)).collect();
    let y: Vec<f64> = (0..500).map(|_| rng.next_f64(0.0, 1.0)).collect();
    let p: Vec<f64> = z.iter().map(|&v| sigmoid_ref(v)).collect();
    let (fused, split) = (bce_with_logits(&z, &y), binary_cross_entropy(&p, &y));
    assert!(rel_err(fused, split) <= 1e-12, "{fused} vs {split}");
    let zf: Vec<f32> = z.iter().map(|&v| v as f32).collect();
    let yf: Vec<f32> = y.iter().map(|&v| v as f32).collect();
    let want: f64 = zf
        .iter()
        .zip(&yf)
        .map(|(&zi, &yi)| {
            let (zi, yi) = (f64::from(zi), f64::from(yi));
            -(yi * sigmoid_ref(zi).ln() + (1.0 - yi) * sigmoid_ref(-zi).ln())
        })
        .sum::<f64>()
        / 500.0;
    assert!(rel_err(f64::from(bce_with_logits(&zf, &yf)), want) <= 1e-6);
    // Where σ(z) rounds to 0 or 1 the fused form stays exact: no clamp.
    let l = bce_with_logits([1000.0_f32, 0.0, -1000.0], [0.0, 1.0, 1.0]);
    assert_eq!(l, ((1000.0 + std::f64::consts::LN_2 + 1000.0) / 3.0) as f32);
    assert!(bce_with_logits([f32::NAN], [1.0]).is_nan());
    assert!(bce_with_logits(Vec::<f64>::new(), Vec::new()).is_nan());
}

#[test]
#[should_panic(expected = "bce_with_logits: length mismatch: z.len() = 0 but y.len() = 1")]
fn bce_with_logits_panics_on_length_mismatch() {
    bce_with_logits([0.0_f32; 0], [1.0]);
}
