//! Every kernel against an f64 reference, on every dispatch path this CPU
//! has, against the budgets in `grad_core::testing::BUDGETS`; plus
//! bit-identity between paths, every length `0..=3·ACCUMULATORS+1`, special
//! values, empty inputs and NaN propagation.
//!
//! `accuracy_report` (ignored by default) runs a larger sweep and prints the
//! worst error per op, type and path:
//! `cargo test -p grad-core --release --test kernels_accuracy accuracy_report -- --ignored --nocapture`

use grad_core::Real;
use grad_core::dispatch::{self, Path};
use grad_core::kernels as k;
use grad_core::testing::{self, XorShift};
use std::collections::BTreeMap;

/// The per-type pieces of the harness.
trait TReal: Real + core::fmt::LowerExp {
    const NAME: &'static str;
    const TINY: f64;
    const TINY_ABS: f64;
    fn ulp(got: Self, exact: f64) -> f64;
    fn budget(op: &str) -> f64;
    fn random_bits(r: &mut XorShift) -> Self;
    fn cutoffs() -> Vec<f64>;
    fn bits64(self) -> u64;
    /// The bits as a signed integer ordered like the values, so that the
    /// difference of two is their distance in ulps.
    fn ordered(self) -> i64;
    /// The ulps two dispatch paths may differ by ([`testing::cross_path_ulps`]).
    fn cross_path(op: &str) -> u64;
}

impl TReal for f32 {
    const NAME: &'static str = "f32";
    const TINY: f64 = testing::TINY_F32;
    const TINY_ABS: f64 = testing::TINY_ABS_F32;
    fn ulp(got: f32, exact: f64) -> f64 {
        testing::ulp_error_f32(got, exact)
    }
    fn budget(op: &str) -> f64 {
        testing::budget(op).f32
    }
    fn random_bits(r: &mut XorShift) -> f32 {
        f32::from_bits(r.next_u64() as u32)
    }
    fn cutoffs() -> Vec<f64> {
        vec![
            88.722_83,
            88.722_84,
            88.8,
            89.0,
            -87.336_55,
            -87.4,
            -103.97,
            -103.98,
            -104.0,
            -104.1,
            9.01,
            9.1,
            10.0,
            0.625,
            0.624_999_94,
            0.625_000_06,
            0.707_106_77,
            core::f64::consts::SQRT_2,
            16.635_53,
            -16.635_53,
        ]
    }
    fn bits64(self) -> u64 {
        u64::from(self.to_bits())
    }
    fn ordered(self) -> i64 {
        let b = self.to_bits();
        let m = i64::from(b & 0x7fff_ffff);
        if b >> 31 == 1 { -m } else { m }
    }
    fn cross_path(op: &str) -> u64 {
        testing::cross_path_ulps(op)
    }
}

impl TReal for f64 {
    const NAME: &'static str = "f64";
    const TINY: f64 = testing::TINY_F64;
    const TINY_ABS: f64 = testing::TINY_ABS_F64;
    fn ulp(got: f64, exact: f64) -> f64 {
        testing::ulp_error_f64(got, exact)
    }
    fn budget(op: &str) -> f64 {
        testing::budget(op).f64
    }
    fn random_bits(r: &mut XorShift) -> f64 {
        f64::from_bits(r.next_u64())
    }
    fn cutoffs() -> Vec<f64> {
        vec![
            709.782_712_893_384,
            709.782_712_893_385,
            709.9,
            710.0,
            -708.0,
            -707.999_999_999_999_9,
            -708.000_000_000_000_1,
            -708.396_418_532_264,
            -708.5,
            -745.133_219_101_941,
            -745.2,
            -746.0,
            -746.5,
            19.06,
            20.0,
            0.625,
            0.624_999_999_999_999_9,
            0.625_000_000_000_000_1,
            core::f64::consts::FRAC_1_SQRT_2,
            core::f64::consts::SQRT_2,
            36.7,
            -36.7,
        ]
    }
    fn bits64(self) -> u64 {
        self.to_bits()
    }
    fn ordered(self) -> i64 {
        let b = self.to_bits();
        let m = (b & 0x7fff_ffff_ffff_ffff) as i64;
        if b >> 63 == 1 { -m } else { m }
    }
    fn cross_path(op: &str) -> u64 {
        testing::cross_path_ulps_f64(op)
    }
}

/// Worst errors seen, keyed by (op, type, path).
#[derive(Default)]
struct Report {
    worst: BTreeMap<(String, &'static str, &'static str), f64>,
    tiny_abs: BTreeMap<(String, &'static str, &'static str), f64>,
    /// Largest distance in ulps from the portable path's result.
    cross: BTreeMap<(String, &'static str, &'static str), u64>,
    failures: Vec<String>,
}

impl Report {
    fn record<T: TReal>(&mut self, op: &str, path: Path, err: f64, what: impl FnOnce() -> String) {
        let key = (op.to_string(), T::NAME, path.name());
        let w = self.worst.entry(key).or_insert(0.0);
        if err > *w || err.is_nan() {
            *w = if err.is_nan() { f64::INFINITY } else { err };
        }
        let budget = T::budget(op);
        if (err.is_nan() || err > budget) && self.room(op) {
            self.failures.push(format!(
                "{op} {} {}: error {err:e} > budget {budget:e}: {}",
                T::NAME,
                path.name(),
                what()
            ));
        }
    }
    fn record_tiny<T: TReal>(
        &mut self,
        op: &str,
        path: Path,
        abs: f64,
        what: impl FnOnce() -> String,
    ) {
        let key = (op.to_string(), T::NAME, path.name());
        let w = self.tiny_abs.entry(key).or_insert(0.0);
        *w = w.max(abs);
        if (abs.is_nan() || abs > T::TINY_ABS) && self.room(op) {
            self.failures.push(format!(
                "{op} {} {}: absolute error {abs:e} > {:e} on a tiny value: {}",
                T::NAME,
                path.name(),
                T::TINY_ABS,
                what()
            ));
        }
    }
    fn mismatch(&mut self, op: &str, ty: &str, path: Path, detail: String) {
        if self.room(op) {
            self.failures.push(format!(
                "{op} {ty}: path {} differs from portable: {detail}",
                path.name()
            ));
        }
    }
    /// Keeps at most 3 failure messages per op.
    fn room(&self, op: &str) -> bool {
        self.failures
            .iter()
            .filter(|f| f.starts_with(&format!("{op} ")))
            .count()
            < 3
    }
    fn check(&self) {
        assert!(
            self.failures.is_empty(),
            "{} failures:\n{}",
            self.failures.len(),
            self.failures.join("\n")
        );
    }
    fn print(&self) {
        println!(
            "\nWorst error per op, type and path (metric and budget from grad_core::testing::BUDGETS)"
        );
        println!(
            "| op | metric | type | budget | {} | tiny-value abs error |",
            paths()
                .iter()
                .map(|p| p.name())
                .collect::<Vec<_>>()
                .join(" | ")
        );
        println!("|---|---|---|---|{}---|", "---|".repeat(paths().len()));
        for b in testing::BUDGETS {
            for ty in ["f32", "f64"] {
                let budget = if ty == "f32" { b.f32 } else { b.f64 };
                let cells: Vec<String> = paths()
                    .iter()
                    .map(|p| {
                        self.worst
                            .get(&(b.op.to_string(), ty, p.name()))
                            .map_or("–".to_string(), |w| format!("{w:.3e}"))
                    })
                    .collect();
                let tiny = paths()
                    .iter()
                    .filter_map(|p| self.tiny_abs.get(&(b.op.to_string(), ty, p.name())))
                    .fold(None, |a: Option<f64>, &v| Some(a.map_or(v, |a| a.max(v))))
                    .map_or("–".to_string(), |v| format!("{v:.1e}"));
                println!(
                    "| {} | {:?} | {ty} | {budget:e} | {} | {tiny} |",
                    b.op,
                    b.metric,
                    cells.join(" | ")
                );
            }
        }
        println!(
            "\nLargest distance from the portable path's result, in ulps (allowed: grad_core::testing::cross_path_ulps)"
        );
        println!("| op | type | path | ulps | allowed |");
        println!("|---|---|---|---|---|");
        for ((op, ty, path), d) in &self.cross {
            if *d > 0 {
                let allowed = match *ty {
                    "f32" => testing::cross_path_ulps(op),
                    _ => testing::cross_path_ulps_f64(op),
                };
                let allowed = match allowed {
                    u64::MAX => "any (budget only)".to_string(),
                    u => u.to_string(),
                };
                println!("| {op} | {ty} | {path} | {d} | {allowed} |");
            }
        }
        let missing: Vec<&str> = Path::ALL
            .iter()
            .filter(|p| !p.is_available())
            .map(|p| p.name())
            .collect();
        if !missing.is_empty() {
            println!(
                "\nPaths not available on this CPU (not run): {}",
                missing.join(", ")
            );
        }
    }
}

fn paths() -> Vec<Path> {
    Path::ALL.into_iter().filter(|p| p.is_available()).collect()
}

/// Distance in ulps between two results (0 for two NaNs, `u64::MAX` for a
/// NaN against a number). Two values both below the tiny threshold count
/// as 0 apart: there the budgets bound the absolute error instead (each
/// path's is checked against the reference), and one path may return +0
/// where another returns 1e−38.
fn ulp_distance<T: TReal>(a: T, b: T) -> u64 {
    let tiny = |v: T| v.to_f64().abs() < T::TINY;
    match (a.is_nan(), b.is_nan()) {
        (true, true) => 0,
        (false, false) if tiny(a) && tiny(b) => 0,
        (false, false) => a.ordered().abs_diff(b.ordered()),
        _ => u64::MAX,
    }
}

/// Runs `f` on every available path; checks every output is within
/// [`testing::cross_path_ulps`] (f32) or [`testing::cross_path_ulps_f64`]
/// of the portable one (identical bits for the ops without a hand-written
/// fast path); returns
/// (path, output) pairs.
fn on_paths<T: TReal>(rep: &mut Report, op: &str, f: impl Fn() -> Vec<T>) -> Vec<(Path, Vec<T>)> {
    let outs: Vec<(Path, Vec<T>)> = paths()
        .into_iter()
        .map(|p| (p, dispatch::with_path(p, &f)))
        .collect();
    let base = &outs[0].1;
    let allowed = T::cross_path(op);
    for (p, o) in &outs[1..] {
        let worst = o
            .iter()
            .zip(base)
            .enumerate()
            .map(|(i, (&a, &b))| (ulp_distance(a, b), i))
            .max();
        let key = (op.to_string(), T::NAME, p.name());
        let d = worst.map_or(0, |w| w.0);
        let w = rep.cross.entry(key).or_insert(0);
        *w = (*w).max(d);
        if o.len() != base.len() || d > allowed {
            rep.mismatch(
                op,
                T::NAME,
                *p,
                format!(
                    "{d} ulps apart (allowed {allowed}) at index {:?} (len {})",
                    worst.map(|w| w.1),
                    o.len()
                ),
            );
        }
    }
    outs
}

fn f(x: impl Real) -> f64 {
    x.to_f64()
}

// ---------------------------------------------------------------- elementwise

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

fn check_elementwise<T: TReal>(rep: &mut Report, n: usize) {
    check_unary_on(rep, &elementwise_inputs::<T>(n, 42), |_| true);
}

/// Every op of [`unary_ops`] that `wanted` selects, on every path, over
/// the inputs `x`.
fn check_unary_on<T: TReal>(rep: &mut Report, x: &[T], wanted: impl Fn(&str) -> bool) {
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

fn check_backward<T: TReal>(rep: &mut Report, n: usize) {
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
fn check_lengths<T: TReal>(rep: &mut Report) {
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

// ---------------------------------------------------------------- rows

/// `x − m` as an unevaluated sum `hi + lo` (TwoSum), so the f64 reference
/// of an f64 kernel is not limited by the rounding of the subtraction.
fn diff(x: f64, m: f64) -> (f64, f64) {
    let s = x - m;
    let bp = s - x;
    let ap = s - bp;
    let lo = (x - ap) + (-m - bp);
    (s, if lo.is_nan() { 0.0 } else { lo })
}

/// `(m, ln Σ e^{x − m})` with `ln S = ln c + ln_1p(T/c)` (c maximal
/// elements, T the sum of the others), accurate when `T ≪ ε`.
fn ref_lse(x: &[f64]) -> (f64, f64) {
    let m = x.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    let c = x.iter().filter(|&&v| v == m).count() as f64;
    let t: f64 = x
        .iter()
        .filter(|&&v| v != m)
        .map(|&v| {
            let (h, l) = diff(v, m);
            h.exp() * (1.0 + l)
        })
        .sum();
    (m, c.ln() + (t / c).ln_1p())
}

fn ref_softmax(x: &[f64]) -> Vec<f64> {
    let (_, lse) = ref_lse(x);
    let m = x.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    x.iter()
        .map(|&v| {
            let (h, l) = diff(v, m);
            ((h - lse) + l).exp()
        })
        .collect()
}

fn ref_log_softmax(x: &[f64]) -> Vec<f64> {
    let (m, lse) = ref_lse(x);
    x.iter()
        .map(|&v| {
            let (h, l) = diff(v, m);
            (h - lse) + l
        })
        .collect()
}

fn row_lengths() -> Vec<usize> {
    let mut v: Vec<usize> = (0..=3 * k::ACCUMULATORS + 1).collect();
    v.extend([1000, 1031, 4099]);
    v
}

fn logits<T: TReal>(r: &mut XorShift, n: usize, spread: f64) -> Vec<T> {
    (0..n)
        .map(|_| T::from_f64(r.uniform(-spread, spread)))
        .collect()
}

fn elem_rel<T: TReal>(rep: &mut Report, op: &str, p: Path, got: &[T], exact: &[f64]) {
    for (&g, &e) in got.iter().zip(exact) {
        if e.abs() < T::TINY {
            rep.record_tiny::<T>(op, p, (f(g) - e).abs(), || format!("exact {e:e}"));
        } else {
            rep.record::<T>(op, p, testing::relative_error(f(g), e, T::TINY), || {
                format!("len {}: got {g:e}, exact {e:e}", got.len())
            });
        }
    }
}

/// `max_i |got_i − exact_i| / max_i scale_i`, `scale_i` = the sum of the
/// magnitudes of the terms making up `exact_i`.
fn normwise<T: TReal>(
    rep: &mut Report,
    op: &str,
    p: Path,
    got: &[T],
    exact: &[f64],
    scales: &[f64],
) {
    let scale = scales.iter().fold(0.0_f64, |a, v| a.max(v.abs()));
    let err = got
        .iter()
        .zip(exact)
        .fold(0.0_f64, |a, (g, e)| a.max((f(*g) - e).abs()));
    let rel = if scale == 0.0 { err } else { err / scale };
    rep.record::<T>(op, p, rel, || format!("len {}", got.len()));
}

fn check_rows<T: TReal>(rep: &mut Report, reps: usize) {
    let mut r = XorShift::new(5);
    for n in row_lengths() {
        for spread in [3.0, 50.0] {
            for _ in 0..reps {
                let x: Vec<T> = logits(&mut r, n, spread);
                let xf: Vec<f64> = x.iter().map(|v| f(*v)).collect();
                let dy: Vec<T> = logits(&mut r, n, 1.0);
                let dyf: Vec<f64> = dy.iter().map(|v| f(*v)).collect();
                // softmax
                let sm = ref_softmax(&xf);
                for (p, o) in on_paths(rep, "softmax", || {
                    let mut o = vec![T::ZERO; n];
                    k::softmax(&x, &mut o);
                    o
                }) {
                    elem_rel(rep, "softmax", p, &o, &sm);
                }
                // log_softmax
                let ls = ref_log_softmax(&xf);
                for (p, o) in on_paths(rep, "log_softmax", || {
                    let mut o = vec![T::ZERO; n];
                    k::log_softmax(&x, &mut o);
                    o
                }) {
                    elem_rel(rep, "log_softmax", p, &o, &ls);
                }
                // backward, from the f32/f64 outputs of the kernels
                let mut y = vec![T::ZERO; n];
                k::softmax(&x, &mut y);
                let yf: Vec<f64> = y.iter().map(|v| f(*v)).collect();
                let s: f64 = yf.iter().zip(&dyf).map(|(a, b)| a * b).sum();
                let want: Vec<f64> = yf.iter().zip(&dyf).map(|(a, g)| a * (g - s)).collect();
                let sa: f64 = yf.iter().zip(&dyf).map(|(a, b)| (a * b).abs()).sum();
                let scales: Vec<f64> = yf
                    .iter()
                    .zip(&dyf)
                    .map(|(a, g)| a * (g.abs() + sa))
                    .collect();
                for (p, o) in on_paths(rep, "softmax_backward", || {
                    let mut o = vec![T::ZERO; n];
                    k::softmax_backward(&y, &dy, &mut o);
                    o
                }) {
                    normwise(rep, "softmax_backward", p, &o, &want, &scales);
                }
                let mut l = vec![T::ZERO; n];
                k::log_softmax(&x, &mut l);
                let lf: Vec<f64> = l.iter().map(|v| f(*v)).collect();
                let sd: f64 = dyf.iter().sum();
                let want: Vec<f64> = lf.iter().zip(&dyf).map(|(a, g)| g - a.exp() * sd).collect();
                let sda: f64 = dyf.iter().map(|v| v.abs()).sum();
                let scales: Vec<f64> = lf
                    .iter()
                    .zip(&dyf)
                    .map(|(a, g)| g.abs() + a.exp() * sda)
                    .collect();
                for (p, o) in on_paths(rep, "log_softmax_backward", || {
                    let mut o = vec![T::ZERO; n];
                    k::log_softmax_backward(&l, &dy, &mut o);
                    o
                }) {
                    normwise(rep, "log_softmax_backward", p, &o, &want, &scales);
                }
            }
        }
    }
    // Batches.
    for (rows, cols) in [
        (7, 13),
        (3, 97),
        (5, 1),
        (4, 33),
        (2, 1000),
        (64, 10),
        (40, 2),
        (17, 8),
        (19, 9),
        (9, 16),
        (33, 31),
    ] {
        let x: Vec<T> = logits(&mut r, rows * cols, 20.0);
        let dy: Vec<T> = logits(&mut r, rows * cols, 1.0);
        let want: Vec<f64> = x
            .chunks(cols)
            .flat_map(|c| ref_softmax(&c.iter().map(|v| f(*v)).collect::<Vec<_>>()))
            .collect();
        for (p, o) in on_paths(rep, "softmax_rows", || {
            let mut o = vec![T::ZERO; rows * cols];
            k::softmax_rows(&x, cols, &mut o);
            o
        }) {
            elem_rel(rep, "softmax_rows", p, &o, &want);
        }
        let mut y = vec![T::ZERO; rows * cols];
        k::softmax_rows(&x, cols, &mut y);
        let want: Vec<f64> = y
            .chunks(cols)
            .zip(dy.chunks(cols))
            .flat_map(|(yr, gr)| {
                let s: f64 = yr.iter().zip(gr).map(|(a, b)| f(*a) * f(*b)).sum();
                yr.iter()
                    .zip(gr)
                    .map(move |(a, g)| f(*a) * (f(*g) - s))
                    .collect::<Vec<_>>()
            })
            .collect();
        let scales: Vec<f64> = y
            .chunks(cols)
            .zip(dy.chunks(cols))
            .flat_map(|(yr, gr)| {
                let s: f64 = yr.iter().zip(gr).map(|(a, b)| (f(*a) * f(*b)).abs()).sum();
                yr.iter()
                    .zip(gr)
                    .map(move |(a, g)| f(*a) * (f(*g).abs() + s))
                    .collect::<Vec<_>>()
            })
            .collect();
        for (p, o) in on_paths(rep, "softmax_rows_backward", || {
            let mut o = vec![T::ZERO; rows * cols];
            k::softmax_rows_backward(&y, &dy, cols, &mut o);
            o
        }) {
            normwise(rep, "softmax_rows_backward", p, &o, &want, &scales);
        }
        // log_softmax over the same batch, forward and backward
        let want: Vec<f64> = x
            .chunks(cols)
            .flat_map(|c| ref_log_softmax(&c.iter().map(|v| f(*v)).collect::<Vec<_>>()))
            .collect();
        for (p, o) in on_paths(rep, "log_softmax_rows", || {
            let mut o = vec![T::ZERO; rows * cols];
            k::log_softmax_rows(&x, cols, &mut o);
            o
        }) {
            elem_rel(rep, "log_softmax_rows", p, &o, &want);
        }
        let mut l = vec![T::ZERO; rows * cols];
        k::log_softmax_rows(&x, cols, &mut l);
        let lf: Vec<f64> = l.iter().map(|v| f(*v)).collect();
        let dyf: Vec<f64> = dy.iter().map(|v| f(*v)).collect();
        let want: Vec<f64> = lf
            .chunks(cols)
            .zip(dyf.chunks(cols))
            .flat_map(|(lr, gr)| {
                let s: f64 = gr.iter().sum();
                lr.iter()
                    .zip(gr)
                    .map(move |(a, g)| g - a.exp() * s)
                    .collect::<Vec<_>>()
            })
            .collect();
        let scales: Vec<f64> = lf
            .chunks(cols)
            .zip(dyf.chunks(cols))
            .flat_map(|(lr, gr)| {
                let s: f64 = gr.iter().map(|v| v.abs()).sum();
                lr.iter()
                    .zip(gr)
                    .map(move |(a, g)| g.abs() + a.exp() * s)
                    .collect::<Vec<_>>()
            })
            .collect();
        for (p, o) in on_paths(rep, "log_softmax_rows_backward", || {
            let mut o = vec![T::ZERO; rows * cols];
            k::log_softmax_rows_backward(&l, &dy, cols, &mut o);
            o
        }) {
            normwise(rep, "log_softmax_rows_backward", p, &o, &want, &scales);
        }
        // cross-entropy over the same batch
        let targets: Vec<usize> = (0..rows)
            .map(|_| (r.next_u64() % cols as u64) as usize)
            .collect();
        let want: f64 = x
            .chunks(cols)
            .zip(&targets)
            .map(|(c, &t)| -ref_log_softmax(&c.iter().map(|v| f(*v)).collect::<Vec<_>>())[t])
            .sum::<f64>()
            / rows as f64;
        for (p, o) in on_paths(rep, "cross_entropy", || {
            vec![k::cross_entropy(&x, cols, &targets)]
        }) {
            elem_rel(rep, "cross_entropy", p, &o, &[want]);
        }
        let g = 0.7;
        let want: Vec<f64> = x
            .chunks(cols)
            .zip(&targets)
            .flat_map(|(c, &t)| {
                let mut s = ref_softmax(&c.iter().map(|v| f(*v)).collect::<Vec<_>>());
                s[t] -= 1.0;
                s.into_iter()
                    .map(|v| v * g / rows as f64)
                    .collect::<Vec<_>>()
            })
            .collect();
        let scales: Vec<f64> = x
            .chunks(cols)
            .zip(&targets)
            .flat_map(|(c, &t)| {
                let mut s = ref_softmax(&c.iter().map(|v| f(*v)).collect::<Vec<_>>());
                s[t] += 1.0;
                s.into_iter()
                    .map(|v| v * g / rows as f64)
                    .collect::<Vec<_>>()
            })
            .collect();
        for (p, o) in on_paths(rep, "cross_entropy_backward", || {
            let mut o = vec![T::ZERO; rows * cols];
            k::cross_entropy_backward(&x, cols, &targets, T::from_f64(g), &mut o);
            o
        }) {
            normwise(rep, "cross_entropy_backward", p, &o, &want, &scales);
        }
    }
    // Cross-entropy with one row of every length.
    for n in 1..=3 * k::ACCUMULATORS + 1 {
        let x: Vec<T> = logits(&mut r, n, 30.0);
        let t = (r.next_u64() % n as u64) as usize;
        let want = -ref_log_softmax(&x.iter().map(|v| f(*v)).collect::<Vec<_>>())[t];
        for (p, o) in on_paths(rep, "cross_entropy", || vec![k::cross_entropy(&x, n, &[t])]) {
            elem_rel(rep, "cross_entropy", p, &o, &[want]);
        }
    }
}

// ---------------------------------------------------------------- reductions

fn reduction_lengths() -> Vec<usize> {
    let mut v: Vec<usize> = (0..=3 * k::ACCUMULATORS + 1).collect();
    v.extend([1023, 1024, 1025, 5000, 65_537, 140_000]);
    v
}

fn scaled<T: TReal>(rep: &mut Report, op: &str, p: Path, got: T, exact: f64, scale: f64) {
    let err = if got.is_nan() || exact.is_nan() {
        if got.is_nan() && exact.is_nan() {
            0.0
        } else {
            f64::INFINITY
        }
    } else if scale == 0.0 {
        (f(got) - exact).abs()
    } else {
        (f(got) - exact).abs() / scale
    };
    rep.record::<T>(op, p, err, || format!("got {got:e}, exact {exact:e}"));
}

fn check_reductions<T: TReal>(rep: &mut Report) {
    let mut r = XorShift::new(11);
    for n in reduction_lengths() {
        let a: Vec<T> = logits(&mut r, n, 10.0);
        let b: Vec<T> = logits(&mut r, n, 10.0);
        let af: Vec<f64> = a.iter().map(|v| f(*v)).collect();
        let bf: Vec<f64> = b.iter().map(|v| f(*v)).collect();
        let s: f64 = af.iter().sum();
        let sabs: f64 = af.iter().map(|v| v.abs()).sum();
        for (p, o) in on_paths(rep, "sum", || vec![k::sum(&a)]) {
            scaled(rep, "sum", p, o[0], s, sabs);
        }
        for (p, o) in on_paths(rep, "mean", || vec![k::mean(&a)]) {
            scaled(rep, "mean", p, o[0], s / n as f64, sabs / n as f64);
        }
        let d: f64 = af.iter().zip(&bf).map(|(x, y)| x * y).sum();
        let dabs: f64 = af.iter().zip(&bf).map(|(x, y)| (x * y).abs()).sum();
        for (p, o) in on_paths(rep, "dot", || vec![k::dot(&a, &b)]) {
            scaled(rep, "dot", p, o[0], d, dabs);
        }
        let m = af.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
        for (p, o) in on_paths(rep, "max", || vec![k::max(&a)]) {
            rep.record::<T>(
                "max",
                p,
                if f(o[0]) == m { 0.0 } else { f64::INFINITY },
                || format!("len {n}"),
            );
        }
        let mse: f64 = af
            .iter()
            .zip(&bf)
            .map(|(x, y)| (x - y) * (x - y))
            .sum::<f64>()
            / n as f64;
        for (p, o) in on_paths(rep, "mse", || vec![k::mse(&a, &b)]) {
            if n == 0 {
                rep.record::<T>(
                    "mse",
                    p,
                    if o[0].is_nan() { 0.0 } else { f64::INFINITY },
                    || "empty".into(),
                );
            } else {
                elem_rel(rep, "mse", p, &o, &[mse]);
            }
        }
        if n <= 5000 {
            let g = 1.3;
            let want: Vec<f64> = af
                .iter()
                .zip(&bf)
                .map(|(x, y)| (x - y) * (2.0 * g / n as f64))
                .collect();
            for (p, o) in on_paths(rep, "mse_backward", || {
                let mut o = vec![T::ZERO; n];
                k::mse_backward(&a, &b, T::from_f64(g), &mut o);
                o
            }) {
                for (&gv, &e) in o.iter().zip(&want) {
                    rep.record::<T>("mse_backward", p, T::ulp(gv, e), || format!("len {n}"));
                }
            }
        }
    }
    // matvec
    for (rows, cols) in [
        (0, 3),
        (1, 0),
        (3, 1),
        (4, 17),
        (5, 97),
        (2, 1000),
        (17, 33),
    ] {
        let w: Vec<T> = logits(&mut r, rows * cols, 2.0);
        let x: Vec<T> = logits(&mut r, cols, 2.0);
        let dy: Vec<T> = logits(&mut r, rows, 2.0);
        for (p, o) in on_paths(rep, "matvec", || {
            let mut o = vec![T::from_f64(5.0); rows];
            k::matvec(&w, &x, &mut o);
            o
        }) {
            for (ri, &got) in o.iter().enumerate() {
                let row = &w[ri * cols..(ri + 1) * cols];
                let e: f64 = row.iter().zip(&x).map(|(a, b)| f(*a) * f(*b)).sum();
                let sc: f64 = row.iter().zip(&x).map(|(a, b)| (f(*a) * f(*b)).abs()).sum();
                scaled(rep, "matvec", p, got, e, sc);
            }
        }
        let mut want: Vec<f64> = (0..rows * cols)
            .map(|i| f(dy[i / cols.max(1)]) * f(x[i % cols.max(1)]))
            .collect();
        want.extend((0..cols).map(|c| {
            (0..rows)
                .map(|ri| f(dy[ri]) * f(w[ri * cols + c]))
                .sum::<f64>()
        }));
        let mut scales: Vec<f64> = want[..rows * cols].iter().map(|v| v.abs()).collect();
        scales.extend((0..cols).map(|c| {
            (0..rows)
                .map(|ri| (f(dy[ri]) * f(w[ri * cols + c])).abs())
                .sum::<f64>()
        }));
        for (p, o) in on_paths(rep, "matvec_backward", || {
            let mut dw = vec![T::from_f64(5.0); rows * cols];
            let mut dx = vec![T::from_f64(5.0); cols];
            k::matvec_backward(&w, &x, &dy, &mut dw, &mut dx);
            dw.extend(dx);
            dw
        }) {
            normwise(rep, "matvec_backward", p, &o, &want, &scales);
        }
    }
}

fn run_all(n: usize, reps: usize) -> Report {
    let mut rep = Report::default();
    check_elementwise::<f32>(&mut rep, n);
    check_elementwise::<f64>(&mut rep, n);
    check_backward::<f32>(&mut rep, n);
    check_backward::<f64>(&mut rep, n);
    check_lengths::<f32>(&mut rep);
    check_lengths::<f64>(&mut rep);
    check_rows::<f32>(&mut rep, reps);
    check_rows::<f64>(&mut rep, reps);
    check_reductions::<f32>(&mut rep);
    check_reductions::<f64>(&mut rep);
    rep
}

#[test]
fn every_kernel_within_budget_on_every_path() {
    let missing: Vec<&str> = Path::ALL
        .iter()
        .filter(|p| !p.is_available())
        .map(|p| p.name())
        .collect();
    if !missing.is_empty() {
        eprintln!(
            "note: paths not available on this CPU, skipped: {}",
            missing.join(", ")
        );
    }
    run_all(3000, 1).check();
}

/// Every `f32` bit pattern (2^32 inputs) through the elementwise forward
/// kernels on every path, with the checks of [`check_elementwise`]. About
/// 14 minutes per op in release on a 2.9 GHz core (most of it the f64
/// references); `GRAD_EXHAUSTIVE_OPS=tanh,exp` limits the ops:
/// `GRAD_EXHAUSTIVE_OPS=tanh cargo test -p grad-core --release --test kernels_accuracy every_f32_input -- --ignored --nocapture`
#[test]
#[ignore = "2^32 inputs per op; run with --release --ignored --nocapture"]
fn every_f32_input_of_the_elementwise_kernels() {
    let ops = std::env::var("GRAD_EXHAUSTIVE_OPS").ok();
    let wanted = |op: &str| ops.as_ref().is_none_or(|l| l.split(',').any(|o| o == op));
    let mut rep = Report::default();
    let chunk: u32 = 1 << 22;
    let mut x = vec![0.0_f32; chunk as usize];
    for start in (0..=u32::MAX).step_by(chunk as usize) {
        for (i, xi) in x.iter_mut().enumerate() {
            *xi = f32::from_bits(start + i as u32);
        }
        check_unary_on(&mut rep, &x, wanted);
    }
    rep.print();
    rep.check();
}

#[test]
#[ignore = "large sweep; run with --release --ignored --nocapture to print the table"]
fn accuracy_report() {
    let rep = run_all(400_000, 4);
    rep.print();
    rep.check();
}
