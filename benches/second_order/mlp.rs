//! The 784-128-10 tanh MLP with mean cross-entropy of
//! `benches/mlp_batch.rs` on a minibatch of 64, in f32 and f64: the loss
//! with its generated `_grad` and `_hvp`, the parameters, batch and
//! direction from fixed seeds, the central-difference `fd_hvp` baseline,
//! and the check of the `_hvp`s before anything is timed.

use std::hint::black_box;

use grad::prelude::*;

const IN: usize = 784;
const HID: usize = 128;
const OUT: usize = 10;
pub(super) const BATCH: usize = 64;

/// The gradients (and the Hessian-vector products) of `w1`, `b1`, `w2`, `b2`.
type Grads<T> = (Matrix<T>, Vec<T>, Matrix<T>, Vec<T>);

/// `benches/mlp_batch.rs`'s loss, with its Hessian-vector product, in f32
/// and f64.
macro_rules! mlp_loss {
    ($name:ident, $t:ty) => {
        #[allow(dead_code)] // reason: the bench calls the generated fns
        #[differentiable(wrt(w1, b1, w2, b2), hessian)]
        pub(super) fn $name(
            w1: &Matrix<$t>,
            b1: &[$t],
            w2: &Matrix<$t>,
            b2: &[$t],
            x: &Matrix<$t>,
            labels: &[usize],
        ) -> $t {
            let h = tanh(matmul(x, w1) + b1);
            cross_entropy(matmul(&h, w2) + b2, labels)
        }
    };
}
mlp_loss!(mlp_loss_f32, f32);
mlp_loss!(mlp_loss_f64, f64);

/// SplitMix64 (as `benches/mlp.rs`): tiny, seeded, reproducible.
struct Rng(u64);

impl Rng {
    fn uniform(&mut self, half: f64) -> f64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        let u = ((z ^ (z >> 31)) >> 40) as f64 / (1u64 << 24) as f64;
        half * (2.0 * u - 1.0)
    }

    fn vec<T: Real>(&mut self, n: usize, half: f64) -> Vec<T> {
        // Drawn in f32 and widened, so f32 and f64 see the same model.
        (0..n)
            .map(|_| T::from_f64(f64::from(self.uniform(half) as f32)))
            .collect()
    }
}

/// The parameters, one batch and a direction, from fixed seeds (the model
/// and batch are `benches/mlp_batch.rs`'s).
pub(super) struct Mlp<T> {
    w1: Matrix<T>,
    b1: Vec<T>,
    w2: Matrix<T>,
    b2: Vec<T>,
    x: Matrix<T>,
    y: Vec<usize>,
    /// The direction `v`, entries in ±1.
    v: Grads<T>,
}

/// `(w1, b1, w2, b2, x, labels) → Grads`.
type GradFn<T> = fn(&Matrix<T>, &[T], &Matrix<T>, &[T], &Matrix<T>, &[usize]) -> Grads<T>;
/// `(w1, b1, w2, b2, x, labels, v_w1, v_b1, v_w2, v_b2) → Grads`.
type HvpFn<T> = fn(
    &Matrix<T>,
    &[T],
    &Matrix<T>,
    &[T],
    &Matrix<T>,
    &[usize],
    &Matrix<T>,
    &[T],
    &Matrix<T>,
    &[T],
) -> Grads<T>;

impl<T: Real> Mlp<T> {
    pub(super) fn new() -> Self {
        let mut rng = Rng(0x5eed_0784_0128_0010);
        let w1 = Matrix::from_vec(IN, HID, rng.vec(IN * HID, 0.05));
        let b1 = rng.vec(HID, 0.05);
        let w2 = Matrix::from_vec(HID, OUT, rng.vec(HID * OUT, 0.05));
        let b2 = rng.vec(OUT, 0.05);
        let x = Matrix::from_vec(BATCH, IN, rng.vec(BATCH * IN, 0.5));
        let mut rng = Rng(0xd1ec_7104);
        let v = (
            Matrix::from_vec(IN, HID, rng.vec(IN * HID, 1.0)),
            rng.vec(HID, 1.0),
            Matrix::from_vec(HID, OUT, rng.vec(HID * OUT, 1.0)),
            rng.vec(OUT, 1.0),
        );
        Mlp {
            w1,
            b1,
            w2,
            b2,
            x,
            y: (0..BATCH).map(|i| (7 * i) % OUT).collect(),
            v,
        }
    }

    pub(super) fn grad(&self, f: GradFn<T>) -> Grads<T> {
        let m = black_box(self);
        f(&m.w1, &m.b1, &m.w2, &m.b2, &m.x, &m.y)
    }

    pub(super) fn hvp(&self, f: HvpFn<T>) -> Grads<T> {
        let m = black_box(self);
        let v = &m.v;
        f(
            &m.w1, &m.b1, &m.w2, &m.b2, &m.x, &m.y, &v.0, &v.1, &v.2, &v.3,
        )
    }

    /// `(grad(w + εv) − grad(w − εv)) / 2ε`: two gradients at shifted
    /// copies of the parameters, and the difference.
    pub(super) fn fd_hvp(&self, f: GradFn<T>, eps: T) -> Grads<T> {
        let m = black_box(self);
        let v = &m.v;
        let shift = |p: &[T], d: &[T], e: T| -> Vec<T> {
            p.iter().zip(d).map(|(&p, &d)| p + e * d).collect()
        };
        let shift_m = |p: &Matrix<T>, d: &Matrix<T>, e: T| {
            Matrix::from_vec(p.rows(), p.cols(), shift(p.as_slice(), d.as_slice(), e))
        };
        let up = f(
            &shift_m(&m.w1, &v.0, eps),
            &shift(&m.b1, &v.1, eps),
            &shift_m(&m.w2, &v.2, eps),
            &shift(&m.b2, &v.3, eps),
            &m.x,
            &m.y,
        );
        let down = f(
            &shift_m(&m.w1, &v.0, -eps),
            &shift(&m.b1, &v.1, -eps),
            &shift_m(&m.w2, &v.2, -eps),
            &shift(&m.b2, &v.3, -eps),
            &m.x,
            &m.y,
        );
        let inv = T::ONE / (eps + eps);
        let diff = |a: &[T], b: &[T]| -> Vec<T> {
            a.iter().zip(b).map(|(&a, &b)| (a - b) * inv).collect()
        };
        let diff_m = |a: &Matrix<T>, b: &Matrix<T>| {
            Matrix::from_vec(a.rows(), a.cols(), diff(a.as_slice(), b.as_slice()))
        };
        (
            diff_m(&up.0, &down.0),
            diff(&up.1, &down.1),
            diff_m(&up.2, &down.2),
            diff(&up.3, &down.3),
        )
    }
}

fn slices<T: Real>(g: &Grads<T>) -> [&[T]; 4] {
    [g.0.as_slice(), &g.1, g.2.as_slice(), &g.3]
}

/// The largest `|a − b|` over each of the four parts, and the largest `|b|`.
fn worst<A: Real, B: Real>(a: &Grads<A>, b: &Grads<B>) -> [(f64, f64); 4] {
    let (a, b) = (slices(a), slices(b));
    std::array::from_fn(|p| {
        assert_eq!(a[p].len(), b[p].len());
        a[p].iter()
            .zip(b[p])
            .fold((0.0_f64, 0.0_f64), |(w, s), (&x, &y)| {
                let (x, y) = (x.to_f64(), y.to_f64());
                (w.max((x - y).abs()), s.max(y.abs()))
            })
    })
}

/// The f64 `_hvp` against central differences of the f64 gradient (ε =
/// 1e-5: truncation ~ε², rounding ~1e-16/ε, both far below 1e-6 of the
/// scale), the f32 one against the f64 one; each part non-zero.
pub(super) fn check_mlp(m32: &Mlp<f32>, m64: &Mlp<f64>) {
    const NAMES: [&str; 4] = ["w1", "b1", "w2", "b2"];
    let hvp = m64.hvp(mlp_loss_f64_hvp);
    let fd = m64.fd_hvp(mlp_loss_f64_grad, 1e-5);
    for (p, (w, s)) in worst(&hvp, &fd).into_iter().enumerate() {
        assert!(s > 0.0, "hvp {}: all zeros", NAMES[p]);
        assert!(
            w <= 1e-6 * s,
            "hvp {} (f64) is {w:e} from central differences (scale {s:e})",
            NAMES[p]
        );
    }
    for (p, (w, s)) in worst(&m32.hvp(mlp_loss_f32_hvp), &hvp)
        .into_iter()
        .enumerate()
    {
        assert!(
            w <= 1e-4 * s,
            "hvp {} (f32) is {w:e} from f64 (scale {s:e})",
            NAMES[p]
        );
    }
    // The f32 central differences are only approximate: report, don't assert.
    let fd32 = m32.fd_hvp(mlp_loss_f32_grad, 1e-2);
    let rel = worst(&fd32, &hvp).map(|(w, s)| format!("{:.1e}", w / s));
    println!(
        "mlp_hvp: f32 central differences (ε = 1e-2) are off the exact hvp by {} \
         (w1, b1, w2, b2; worst ÷ largest)",
        rel.join(", ")
    );
}
