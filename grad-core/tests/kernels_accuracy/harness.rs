//! The harness: the per-type pieces ([`TReal`]), the [`Report`] of worst
//! errors and failures, [`on_paths`], which runs a kernel on every
//! available path and checks the paths against each other, random
//! [`logits`], and the error metrics shared by the row and reduction
//! checks ([`elem_rel`], [`normwise`]).

use grad_core::Real;
use grad_core::dispatch::{self, Path};
use grad_core::testing::{self, XorShift};
use std::collections::BTreeMap;

/// The per-type pieces of the harness.
pub(crate) trait TReal: Real + core::fmt::LowerExp {
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
pub(crate) struct Report {
    worst: BTreeMap<(String, &'static str, &'static str), f64>,
    tiny_abs: BTreeMap<(String, &'static str, &'static str), f64>,
    /// Largest distance in ulps from the portable path's result.
    cross: BTreeMap<(String, &'static str, &'static str), u64>,
    pub(crate) failures: Vec<String>,
}

impl Report {
    pub(crate) fn record<T: TReal>(
        &mut self,
        op: &str,
        path: Path,
        err: f64,
        what: impl FnOnce() -> String,
    ) {
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
    pub(crate) fn record_tiny<T: TReal>(
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
    pub(crate) fn check(&self) {
        assert!(
            self.failures.is_empty(),
            "{} failures:\n{}",
            self.failures.len(),
            self.failures.join("\n")
        );
    }
    pub(crate) fn print(&self) {
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
        let missing = unavailable_paths();
        if !missing.is_empty() {
            println!(
                "\nPaths not available on this CPU (not run): {}",
                missing.join(", ")
            );
        }
    }
}

pub(crate) fn paths() -> Vec<Path> {
    Path::ALL.into_iter().filter(|p| p.is_available()).collect()
}

/// Distance in ulps between two results (0 for two NaNs, `u64::MAX` for a
/// NaN against a number). Two values both below the tiny threshold count
/// as 0 apart: there the budgets bound the absolute error instead (each
/// path's is checked against the reference), and one path may return +0
/// where another returns 1e−38.
pub(crate) fn ulp_distance<T: TReal>(a: T, b: T) -> u64 {
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
pub(crate) fn on_paths<T: TReal>(
    rep: &mut Report,
    op: &str,
    f: impl Fn() -> Vec<T>,
) -> Vec<(Path, Vec<T>)> {
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

pub(crate) fn f(x: impl Real) -> f64 {
    x.to_f64()
}

pub(crate) fn logits<T: TReal>(r: &mut XorShift, n: usize, spread: f64) -> Vec<T> {
    (0..n)
        .map(|_| T::from_f64(r.uniform(-spread, spread)))
        .collect()
}

pub(crate) fn elem_rel<T: TReal>(rep: &mut Report, op: &str, p: Path, got: &[T], exact: &[f64]) {
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
pub(crate) fn normwise<T: TReal>(
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

/// The dispatch paths this CPU cannot run (skipped, and said so).
pub(crate) fn unavailable_paths() -> Vec<&'static str> {
    Path::ALL
        .iter()
        .filter(|p| !p.is_available())
        .map(|p| p.name())
        .collect()
}
