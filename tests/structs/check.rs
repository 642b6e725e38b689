//! Central differences over every float of a `Differentiable` value.

use grad::Differentiable;

/// The central-difference gradient of `f` at `p`, in the shape of `p`
/// (step `h` on each float in turn).
pub(crate) fn central<P: Differentiable<Float = f64> + Clone>(
    p: &P,
    h: f64,
    f: impl Fn(&P) -> f64,
) -> P {
    let mut g = p.zeros_like();
    let n = p.n_floats();
    let mut grads = Vec::with_capacity(n);
    for k in 0..n {
        let shifted = |d: f64| {
            let mut q = p.clone();
            set(&mut q, k, d);
            f(&q)
        };
        grads.push((shifted(h) - shifted(-h)) / (2.0 * h));
    }
    let mut i = 0;
    for leaf in g.leaves_mut() {
        for x in leaf.iter_mut() {
            *x = grads[i];
            i += 1;
        }
    }
    g
}

/// Adds `d` to float `k` (in visit order) of `q`.
fn set<P: Differentiable<Float = f64>>(q: &mut P, k: usize, d: f64) {
    let mut i = 0;
    for leaf in q.leaves_mut() {
        for x in leaf.iter_mut() {
            if i == k {
                *x += d;
            }
            i += 1;
        }
    }
}

/// The floats of `p` in visit order.
pub(crate) fn floats<P: Differentiable>(p: &P) -> Vec<P::Float> {
    p.leaves().flat_map(|l| l.iter().copied()).collect()
}

/// Asserts `got` and `want` agree float by float within `tol` (relative to
/// max(1, |want|)).
#[track_caller]
pub(crate) fn assert_close<P: Differentiable<Float = f64>>(got: &P, want: &P, tol: f64) {
    let (g, w) = (floats(got), floats(want));
    assert_eq!(g.len(), w.len(), "float counts differ");
    for (i, (a, b)) in g.iter().zip(&w).enumerate() {
        assert!(
            (a - b).abs() <= tol * b.abs().max(1.0),
            "float {i}: got {a}, want {b} (tolerance {tol})"
        );
    }
}
