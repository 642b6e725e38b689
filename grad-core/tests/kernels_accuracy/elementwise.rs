//! The elementwise kernels and their backwards against f64 references:
//! random, special and cut-off inputs, and every length up to
//! `3·ACCUMULATORS + 1`.

use grad_core::dispatch::{self, Path};
use grad_core::kernels as k;
use grad_core::testing::XorShift;

use super::harness::{Report, TReal, f, on_paths, paths};

type Unary<T> = fn(&[T], &mut [T]);

fn sigmoid_ref(x: f64) -> f64 {
    if x >= 0.0 {
        1.0 / (1.0 + (-x).exp())
    } else {
        x.exp() / (1.0 + x.exp())
    }
}
fn softplus_ref(x: f64) -> f64 {
    x.max(0.0) + (-x.abs()).exp().ln_1p()
}

type UnaryCase<T> = (&'static str, Unary<T>, fn(f64) -> f64);

fn unary_ops<T: TReal>() -> Vec<UnaryCase<T>> {
    vec![
        ("exp", k::exp::<T> as Unary<T>, f64::exp as fn(f64) -> f64),
        ("ln", k::ln::<T>, f64::ln),
        ("sigmoid", k::sigmoid::<T>, sigmoid_ref),
        ("tanh", k::tanh::<T>, f64::tanh),
        ("softplus", k::softplus::<T>, softplus_ref),
        ("relu", k::relu::<T>, |x| {
            if x > 0.0 || x.is_nan() { x } else { 0.0 }
        }),
    ]
}

fn special_values<T: TReal>() -> Vec<T> {
    let mut v: Vec<f64> = vec![
        0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 2.0, 1000.0, -1000.0, 1e-300, -1e-300,
    ];
    v.extend(T::cutoffs());
    v.extend(T::cutoffs().iter().map(|c| -c));
    let mut out: Vec<T> = v.into_iter().map(T::from_f64).collect();
    out.extend([
        T::INFINITY,
        T::NEG_INFINITY,
        T::NAN,
        -T::NAN,
        T::MIN_POSITIVE,
        -T::MIN_POSITIVE,
        T::from_bits(<T::Bits as grad_core::real::Bits>::from_u32(1)),
        T::from_bits(<T::Bits as grad_core::real::Bits>::from_u32(12345)),
        T::MIN_POSITIVE * T::from_f64(0.5),
        T::EPSILON,
        T::ONE + T::EPSILON,
        T::ONE - T::EPSILON * T::from_f64(0.5),
    ]);
    out
}

fn elementwise_inputs<T: TReal>(n: usize, seed: u64) -> Vec<T> {
    let mut r = XorShift::new(seed);
    let mut x = special_values::<T>();
    for _ in 0..n {
        x.push(T::random_bits(&mut r));
    }
    for (lo, hi) in [
        (-1.0, 1.0),
        (-20.0, 20.0),
        (-120.0, 120.0),
        (-800.0, 800.0),
        (0.0, 4.0),
    ] {
        for _ in 0..n {
            x.push(T::from_f64(r.uniform(lo, hi)));
        }
    }
    x
}

pub(crate) fn check_elementwise<T: TReal>(rep: &mut Report, n: usize) {
    check_unary_on(rep, &elementwise_inputs::<T>(n, 42), |_| true);
}

/// Every op of [`unary_ops`] that `wanted` selects, on every path, over
/// the inputs `x`.
pub(crate) fn check_unary_on<T: TReal>(rep: &mut Report, x: &[T], wanted: impl Fn(&str) -> bool) {
    for (op, kern, reference) in unary_ops::<T>().into_iter().filter(|c| wanted(c.0)) {
        let outs = on_paths(rep, op, || {
            let mut o = vec![T::ZERO; x.len()];
            kern(x, &mut o);
            o
        });
        for (p, o) in &outs {
            for (&xi, &yi) in x.iter().zip(o) {
                let exact = reference(f(xi));
                if exact.abs() < T::TINY && exact != 0.0
                    || exact == 0.0 && yi != T::ZERO && f(yi).abs() < T::TINY
                {
                    rep.record_tiny::<T>(op, *p, (f(yi) - exact).abs(), || format!("x = {xi:e}"));
                } else {
                    let e = T::ulp(yi, exact);
                    rep.record::<T>(op, *p, e, || {
                        format!("x = {xi:e}: got {yi:e}, exact {exact:e}")
                    });
                }
            }
        }
    }
}

type Backward<T> = fn(&[T], &[T], &mut [T]);

/// (op, kernel, reference(first, dy), how to make `first` from a random x)
type BackwardCase<T> = (
    &'static str,
    Backward<T>,
    fn(f64, f64) -> f64,
    fn(f64) -> f64,
);

fn backward_ops<T: TReal>() -> Vec<BackwardCase<T>> {
    // (op, kernel, reference(first, dy), how to make `first` from a random x)
    vec![
        (
            "exp_backward",
            k::exp_backward::<T> as Backward<T>,
            (|y, g| g * y) as fn(f64, f64) -> f64,
            f64::exp as fn(f64) -> f64,
        ),
        (
            "ln_backward",
            k::ln_backward::<T>,
            |x, g| g / x,
            |x| x.abs() + 1e-3,
        ),
        (
            "sigmoid_backward",
            k::sigmoid_backward::<T>,
            |y, g| g * y * (1.0 - y),
            sigmoid_ref,
        ),
        (
            "tanh_backward",
            k::tanh_backward::<T>,
            |y, g| g * ((1.0 - y) * (1.0 + y)),
            f64::tanh,
        ),
        (
            "softplus_backward",
            k::softplus_backward::<T>,
            |x, g| g * sigmoid_ref(x),
            |x| x,
        ),
        (
            "relu_backward",
            k::relu_backward::<T>,
            |x, g| if x > 0.0 { g } else { 0.0 },
            |x| x,
        ),
    ]
}

pub(crate) fn check_backward<T: TReal>(rep: &mut Report, n: usize) {
    let mut r = XorShift::new(7);
    for (op, kern, reference, make) in backward_ops::<T>() {
        let mut first = special_values::<T>()
            .into_iter()
            .filter(|v| !v.is_nan() && v.is_finite())
            .map(|v| T::from_f64(make(f(v))))
            .filter(|v| v.is_finite())
            .collect::<Vec<T>>();
        for _ in 0..6 * n {
            first.push(T::from_f64(make(r.uniform(-30.0, 30.0))));
        }
        let dy: Vec<T> = (0..first.len())
            .map(|_| T::from_f64(r.uniform(-3.0, 3.0)))
            .collect();
        let outs = on_paths(rep, op, || {
            let mut o = vec![T::ZERO; first.len()];
            kern(&first, &dy, &mut o);
            o
        });
        for (p, o) in &outs {
            for ((&a, &g), &got) in first.iter().zip(&dy).zip(o) {
                let exact = reference(f(a), f(g));
                if exact.abs() < T::TINY {
                    rep.record_tiny::<T>(op, *p, (f(got) - exact).abs(), || format!("in = {a:e}"));
                } else {
                    rep.record::<T>(op, *p, T::ulp(got, exact), || {
                        format!("in = {a:e}, dy = {g:e}: got {got:e}, exact {exact:e}")
                    });
                }
            }
        }
    }
}

/// Every elementwise kernel at every length 0..=3·ACCUMULATORS+1 agrees with
/// itself on a long input (same element, same bits) on every path.
pub(crate) fn check_lengths<T: TReal>(rep: &mut Report) {
    let maxn = 3 * k::ACCUMULATORS + 1;
    let mut r = XorShift::new(99);
    let x: Vec<T> = (0..maxn)
        .map(|_| T::from_f64(r.uniform(-30.0, 30.0)))
        .collect();
    let dy: Vec<T> = (0..maxn)
        .map(|_| T::from_f64(r.uniform(-2.0, 2.0)))
        .collect();
    let compare = |rep: &mut Report, op: &str, run: &dyn Fn(usize) -> Vec<T>| {
        let full: Vec<(Path, Vec<T>)> = paths()
            .into_iter()
            .map(|p| (p, dispatch::with_path(p, || run(maxn))))
            .collect();
        for n in 0..=maxn {
            for (p, o) in on_paths(rep, op, || run(n)) {
                let whole = &full.iter().find(|(q, _)| *q == p).expect("same paths").1;
                if o.iter().zip(whole).any(|(a, b)| a.bits64() != b.bits64()) {
                    rep.failures.push(format!(
                        "{op} {} {}: length {n} gives different bits than length {maxn}",
                        T::NAME,
                        p.name()
                    ));
                }
            }
        }
    };
    for (op, kern, _) in unary_ops::<T>() {
        compare(rep, op, &|n| {
            let mut o = vec![T::from_f64(7.0); n];
            kern(&x[..n], &mut o);
            o
        });
    }
    for (op, kern, _, _) in backward_ops::<T>() {
        compare(rep, op, &|n| {
            let mut o = vec![T::from_f64(7.0); n];
            kern(&x[..n], &dy[..n], &mut o);
            o
        });
    }
}
