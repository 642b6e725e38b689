//! The gradient of the 784-128-10 tanh MLP with softmax cross-entropy (mean
//! over the rows) on minibatches of 64 and 256 (f32), on `grad::Matrix`:
//!
//! - `hand/B`: the gradient by hand on grad's public matrix ops and kernels:
//!   forward `h = tanh(x·W1 + b1)` (`W1` stored 784×128, so `x·W1` is a plain
//!   `matmul`), `logits = h·W2 + b2`; backward `dlogits =
//!   kernels::cross_entropy_backward` (the fused `(softmax − onehot)/rows`),
//!   `dW2 = hᵀ·dlogits` (`matmul_tn`), `db2` = column sums, `dh =
//!   dlogits·W2ᵀ` (`matmul_nt`), `dz = kernels::tanh_backward`, `dW1 =
//!   xᵀ·dz` (`matmul_tn`), `db1` = column sums. It allocates the four
//!   returned gradients and three batch-sized temporaries.
//! - `gemm/B`: the five matrix products of `hand/B` alone, on the same
//!   shapes and operands: the GEMM's share of the whole;
//!   `gemm_fwd1/B` (`x·W1`, B×784·784×128), `gemm_dw1/B` (`xᵀ·dz`,
//!   (B×784)ᵀ·B×128) and `gemm_dh/B` (`dlogits·W2ᵀ`, B×10·(128×10)ᵀ) one by one.
//!
//! Before timing, every gradient in [`GRADIENTS`] is checked against central
//! differences of the loss (in f64, on sampled coordinates of every
//! parameter) and its f32 version against its f64 one.
//!
//! Same model and initialization as `benches/mlp.rs` (uniform weights in
//! ±0.05, inputs in ±0.5) with labels `(7·i) mod 10`, as
//! `/work/shared/peers/mlp.py`, which times PyTorch and JAX at these batches.
//!
//! ```text
//! cargo bench -p grad --bench mlp_batch
//! RAYON_NUM_THREADS=2 cargo bench -p grad --bench mlp_batch --features parallel
//! tools/mlp-peers.sh --rounds 1        # with the peers, one sitting
//! ```

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, criterion_group};
use grad::matrix::{matmul, matmul_nt, matmul_tn};
use grad::{Matrix, Real, kernels};

const IN: usize = 784;
const HID: usize = 128;
const OUT: usize = 10;
const BATCHES: [usize; 2] = [64, 256];

/// The gradients of `w1` (784×128), `b1`, `w2` (128×10), `b2`.
type Grads<T> = (Matrix<T>, Vec<T>, Matrix<T>, Vec<T>);

/// A gradient of the batch loss: `(w1, b1, w2, b2, x, labels) → Grads`.
type GradFn<T> = fn(&Matrix<T>, &[T], &Matrix<T>, &[T], &Matrix<T>, &[usize]) -> Grads<T>;

/// Every gradient benched and checked, as `(id prefix, f32 fn, f64 fn)`.
///
/// THE PLACE FOR THE GENERATED GRADIENT: once `#[differentiable]` takes
/// matrices, define `mlp_loss` on `&Matrix<T>` and add its `_grad` here,
/// e.g. `("generated", mlp_loss_grad::<f32>, mlp_loss_grad::<f64>),`: it is
/// then checked against central differences and timed as `generated/64`
/// and `generated/256` beside `hand/64` and `hand/256`.
const GRADIENTS: &[(&str, GradFn<f32>, GradFn<f64>)] = &[
    ("hand", hand_written::<f32>, hand_written::<f64>),
    // ("generated", mlp_loss_grad::<f32>, mlp_loss_grad::<f64>),
];

/// `m += bias` on every row.
fn add_row<T: Real>(m: &mut Matrix<T>, bias: &[T]) {
    for row in m.as_mut_slice().chunks_exact_mut(bias.len()) {
        for (v, &b) in row.iter_mut().zip(bias) {
            *v += b;
        }
    }
}

/// The sum of each column.
fn column_sums<T: Real>(m: &Matrix<T>) -> Vec<T> {
    let mut s = vec![T::ZERO; m.cols()];
    for row in m.as_slice().chunks_exact(m.cols()) {
        for (s, &v) in s.iter_mut().zip(row) {
            *s += v;
        }
    }
    s
}

/// `(a, h, logits)`: the pre-activation `x·W1 + b1`, `h = tanh(a)` and
/// `h·W2 + b2`.
fn forward<T: Real>(
    w1: &Matrix<T>,
    b1: &[T],
    w2: &Matrix<T>,
    b2: &[T],
    x: &Matrix<T>,
) -> (Matrix<T>, Matrix<T>, Matrix<T>) {
    let mut a = matmul(x, w1);
    add_row(&mut a, b1);
    let mut h = Matrix::zeros(x.rows(), HID);
    kernels::tanh(a.as_slice(), h.as_mut_slice());
    let mut logits = matmul(&h, w2);
    add_row(&mut logits, b2);
    (a, h, logits)
}

/// The mean cross-entropy of the batch.
fn loss<T: Real>(
    w1: &Matrix<T>,
    b1: &[T],
    w2: &Matrix<T>,
    b2: &[T],
    x: &Matrix<T>,
    y: &[usize],
) -> T {
    let (_, _, logits) = forward(w1, b1, w2, b2, x);
    kernels::cross_entropy(logits.as_slice(), OUT, y)
}

/// The gradient of [`loss`] by hand on `grad::matrix` and `grad::kernels`.
fn hand_written<T: Real>(
    w1: &Matrix<T>,
    b1: &[T],
    w2: &Matrix<T>,
    b2: &[T],
    x: &Matrix<T>,
    y: &[usize],
) -> Grads<T> {
    let (mut a, h, logits) = forward(w1, b1, w2, b2, x);
    // dlogits = (softmax(logits) − onehot(y)) / rows.
    let mut dlogits = Matrix::zeros(x.rows(), OUT);
    kernels::cross_entropy_backward(logits.as_slice(), OUT, y, T::ONE, dlogits.as_mut_slice());
    let dw2 = matmul_tn(&h, &dlogits);
    let db2 = column_sums(&dlogits);
    let dh = matmul_nt(&dlogits, w2);
    // dz = dh·(1 − h²), into `a` (the pre-activation is not needed any more).
    kernels::tanh_backward(h.as_slice(), dh.as_slice(), a.as_mut_slice());
    let dw1 = matmul_tn(x, &a);
    let db1 = column_sums(&a);
    (dw1, db1, dw2, db2)
}

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

    fn vec(&mut self, n: usize, half: f64) -> Vec<f64> {
        (0..n).map(|_| self.uniform(half)).collect()
    }
}

/// The parameters and one batch, from a fixed seed: drawn in f32, widened
/// exactly to f64 for the checks, so both precisions see the same model.
struct Model<T> {
    w1: Matrix<T>,
    b1: Vec<T>,
    w2: Matrix<T>,
    b2: Vec<T>,
    x: Matrix<T>,
    y: Vec<usize>,
}

impl Model<f32> {
    fn new(batch: usize) -> Self {
        let mut rng = Rng(0x5eed_0784_0128_0010);
        let mut v = |n, half| -> Vec<f32> { rng.vec(n, half).iter().map(|&x| x as f32).collect() };
        Model {
            w1: Matrix::from_vec(IN, HID, v(IN * HID, 0.05)),
            b1: v(HID, 0.05),
            w2: Matrix::from_vec(HID, OUT, v(HID * OUT, 0.05)),
            b2: v(OUT, 0.05),
            x: Matrix::from_vec(batch, IN, v(batch * IN, 0.5)),
            y: (0..batch).map(|i| (7 * i) % OUT).collect(),
        }
    }

    fn to_f64(&self) -> Model<f64> {
        let m = |m: &Matrix<f32>| Matrix::from_fn(m.rows(), m.cols(), |i, j| f64::from(m[(i, j)]));
        let v = |v: &[f32]| v.iter().map(|&x| f64::from(x)).collect();
        Model {
            w1: m(&self.w1),
            b1: v(&self.b1),
            w2: m(&self.w2),
            b2: v(&self.b2),
            x: m(&self.x),
            y: self.y.clone(),
        }
    }
}

impl<T: Real> Model<T> {
    fn grad(&self, f: GradFn<T>) -> Grads<T> {
        let m = black_box(self);
        f(&m.w1, &m.b1, &m.w2, &m.b2, &m.x, &m.y)
    }

    fn loss(&self) -> T {
        loss(&self.w1, &self.b1, &self.w2, &self.b2, &self.x, &self.y)
    }

    /// The four parameters as mutable slices, in the order of `Grads`.
    fn params_mut(&mut self) -> [&mut [T]; 4] {
        [
            self.w1.as_mut_slice(),
            &mut self.b1,
            self.w2.as_mut_slice(),
            &mut self.b2,
        ]
    }
}

fn slices<T: Real>(g: &Grads<T>) -> [&[T]; 4] {
    [g.0.as_slice(), &g.1, g.2.as_slice(), &g.3]
}

/// `f`'s gradient against central differences of the f64 loss on 24
/// sampled coordinates of each parameter, and its f32 version against its
/// f64 version everywhere. Panics on a mismatch.
fn check(name: &str, f32_fn: GradFn<f32>, f64_fn: GradFn<f64>, batch: usize) {
    const NAMES: [&str; 4] = ["w1", "b1", "w2", "b2"];
    let m32 = Model::new(batch);
    let mut m = m32.to_f64();
    let g = m.grad(f64_fn);
    let shapes = [(IN, HID), (HID, 1), (HID, OUT), (OUT, 1)];
    let lens = slices(&g).map(<[f64]>::len);
    assert_eq!(g.0.shape(), shapes[0], "{name}: dw1 shape");
    assert_eq!(g.2.shape(), shapes[2], "{name}: dw2 shape");
    assert_eq!(lens, shapes.map(|(r, c)| r * c), "{name}: gradient lengths");
    let mut rng = Rng(17);
    let eps = 1e-5;
    for p in 0..4 {
        let scale = slices(&g)[p].iter().fold(0.0_f64, |s, v| s.max(v.abs()));
        assert!(scale > 0.0, "{name}: d{} is all zeros", NAMES[p]);
        for _ in 0..24 {
            let i = ((rng.uniform(0.5) + 0.5) * lens[p] as f64) as usize % lens[p];
            let orig = m.params_mut()[p][i];
            m.params_mut()[p][i] = orig + eps;
            let up = m.loss();
            m.params_mut()[p][i] = orig - eps;
            let down = m.loss();
            m.params_mut()[p][i] = orig;
            let fd = (up - down) / (2.0 * eps);
            let got = slices(&g)[p][i];
            assert!(
                (got - fd).abs() <= 1e-6 * scale + 1e-5 * fd.abs(),
                "{name}/{batch}: d{}[{i}] = {got:e} but central differences give {fd:e}",
                NAMES[p]
            );
        }
    }
    let g32 = m32.grad(f32_fn);
    for (p, (a, b)) in slices(&g32).into_iter().zip(slices(&g)).enumerate() {
        let scale = b.iter().fold(0.0_f64, |s, v| s.max(v.abs()));
        let worst = a
            .iter()
            .zip(b)
            .fold(0.0_f64, |s, (&a, &b)| s.max((f64::from(a) - b).abs()));
        assert!(
            worst <= 1e-5 * scale,
            "{name}/{batch}: f32 d{} is {worst:e} from f64 (scale {scale:e})",
            NAMES[p]
        );
    }
}

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .sample_size(30)
}

fn mlp_batch(c: &mut Criterion) {
    let mut g = c.benchmark_group("mlp_batch");
    for batch in BATCHES {
        let m = Model::new(batch);
        for &(name, f, _) in GRADIENTS {
            g.bench_function(BenchmarkId::new(name, batch), |b| b.iter(|| m.grad(f)));
        }
        // The operands of the products, as `hand_written` sees them.
        let (a, h, _) = forward(&m.w1, &m.b1, &m.w2, &m.b2, &m.x);
        let dz = a;
        let dlogits = Matrix::from_fn(batch, OUT, |i, j| (i + j) as f32 * 1e-3);
        g.bench_function(BenchmarkId::new("gemm", batch), |b| {
            b.iter(|| {
                let x = black_box(&m.x);
                (
                    matmul(x, &m.w1),
                    matmul(&h, &m.w2),
                    matmul_tn(&h, &dlogits),
                    matmul_nt(&dlogits, &m.w2),
                    matmul_tn(x, &dz),
                )
            })
        });
        g.bench_function(BenchmarkId::new("gemm_fwd1", batch), |b| {
            b.iter(|| matmul(black_box(&m.x), &m.w1))
        });
        g.bench_function(BenchmarkId::new("gemm_dw1", batch), |b| {
            b.iter(|| matmul_tn(black_box(&m.x), &dz))
        });
        g.bench_function(BenchmarkId::new("gemm_dh", batch), |b| {
            b.iter(|| matmul_nt(black_box(&dlogits), &m.w2))
        });
    }
    g.finish();
}

criterion_group! {
    name = group_all;
    config = config();
    targets = mlp_batch
}

fn main() {
    for &(name, f32_fn, f64_fn) in GRADIENTS {
        for batch in [3, 64] {
            check(name, f32_fn, f64_fn, batch);
        }
    }
    group_all();
    Criterion::default().configure_from_args().final_summary();
}
