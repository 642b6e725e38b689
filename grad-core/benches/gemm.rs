//! The two GEMM crates `grad_core::Matrix` could run on, `matrixmultiply` and
//! `gemm`, on the products of one training step of the 784-128-10 MLP at
//! batch 64, in f32, one thread, in one criterion group (docs/gemm-choice.md
//! has the numbers and the choice). Each product is also measured through
//! `grad_core::matrix`'s own entry points, which run the chosen crate.
//!
//! Operands are row-major; a transposed operand is the same buffer read
//! with swapped strides, as `grad_core::matrix` passes it.
//!
//! | id | product | shape |
//! |---|---|---|
//! | `fwd_l1` | `x · W` | `64×784 · 784×128` |
//! | `dw_l1` | `xᵀ · dh` (`x` is 64×784) | `784×64 · 64×128` |
//! | `dx_l1` | `dh · Wᵀ` (`W` is 784×128) | `64×128 · 128×784` |
//! | `fwd_l2` | `h · W2` | `64×128 · 128×10` |
//! | `dw_l2` | `hᵀ · dz` (`h` is 64×128) | `128×64 · 64×10` |
//! | `dx_l2` | `dz · W2ᵀ` (`W2` is 128×10) | `64×10 · 10×128` |
//! | `fwd_l1_b256` | `x · W` at batch 256 | `256×784 · 784×128` |
//!
//! With `--features parallel`, `grad_core`'s products of at least
//! `2^20` multiply-adds run on every core (the `gemm` crate's rayon).
//!
//! ```text
//! cargo bench -p grad-core --bench gemm
//! ```

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput};
use grad_core::Matrix;
use grad_core::matrix::{matmul, matmul_nt, matmul_tn};

/// One product `c (m×n) = a (m×k) · b (k×n)`, each operand given by its
/// buffer and its (row, column) strides in elements.
struct Case {
    name: &'static str,
    m: usize,
    k: usize,
    n: usize,
    a: Vec<f32>,
    a_strides: (isize, isize),
    b: Vec<f32>,
    b_strides: (isize, isize),
}

/// Deterministic values in [−1, 1).
fn values(len: usize, seed: u32) -> Vec<f32> {
    let mut s = seed.wrapping_mul(2_654_435_761).wrapping_add(1);
    (0..len)
        .map(|_| {
            s ^= s << 13;
            s ^= s >> 17;
            s ^= s << 5;
            (s >> 8) as f32 / (1 << 23) as f32 - 1.0
        })
        .collect()
}

fn cases() -> Vec<Case> {
    let row = |cols: usize| (cols as isize, 1);
    let transposed = |cols: usize| (1, cols as isize);
    vec![
        Case {
            name: "fwd_l1",
            m: 64,
            k: 784,
            n: 128,
            a: values(64 * 784, 1),
            a_strides: row(784),
            b: values(784 * 128, 2),
            b_strides: row(128),
        },
        Case {
            name: "dw_l1",
            m: 784,
            k: 64,
            n: 128,
            a: values(64 * 784, 3),
            a_strides: transposed(784),
            b: values(64 * 128, 4),
            b_strides: row(128),
        },
        Case {
            name: "dx_l1",
            m: 64,
            k: 128,
            n: 784,
            a: values(64 * 128, 5),
            a_strides: row(128),
            b: values(784 * 128, 6),
            b_strides: transposed(128),
        },
        Case {
            name: "fwd_l1_b256",
            m: 256,
            k: 784,
            n: 128,
            a: values(256 * 784, 13),
            a_strides: row(784),
            b: values(784 * 128, 14),
            b_strides: row(128),
        },
        Case {
            name: "fwd_l2",
            m: 64,
            k: 128,
            n: 10,
            a: values(64 * 128, 7),
            a_strides: row(128),
            b: values(128 * 10, 8),
            b_strides: row(10),
        },
        Case {
            name: "dw_l2",
            m: 128,
            k: 64,
            n: 10,
            a: values(64 * 128, 9),
            a_strides: transposed(128),
            b: values(64 * 10, 10),
            b_strides: row(10),
        },
        Case {
            name: "dx_l2",
            m: 64,
            k: 10,
            n: 128,
            a: values(64 * 10, 11),
            a_strides: row(10),
            b: values(128 * 10, 12),
            b_strides: transposed(10),
        },
    ]
}

fn by_matrixmultiply(case: &Case, c: &mut [f32]) {
    assert!(case.a.len() >= case.m * case.k && case.b.len() >= case.k * case.n);
    assert_eq!(c.len(), case.m * case.n);
    // SAFETY: every (i, p) with i < m, p < k reaches a[i·rsa + p·csa] inside
    // `a` (the strides describe a row-major m×k or k×m buffer of that
    // length, asserted above), likewise `b`; `c` is m×n row-major, its own
    // buffer, and β = 0 so it is only written.
    unsafe {
        matrixmultiply::sgemm(
            case.m,
            case.k,
            case.n,
            1.0,
            case.a.as_ptr(),
            case.a_strides.0,
            case.a_strides.1,
            case.b.as_ptr(),
            case.b_strides.0,
            case.b_strides.1,
            0.0,
            c.as_mut_ptr(),
            case.n as isize,
            1,
        );
    }
}

fn by_gemm(case: &Case, c: &mut [f32]) {
    assert!(case.a.len() >= case.m * case.k && case.b.len() >= case.k * case.n);
    assert_eq!(c.len(), case.m * case.n);
    // SAFETY: as in `by_matrixmultiply` (the crate takes column stride
    // first); `read_dst = false`, so `c` is only written.
    unsafe {
        gemm::gemm(
            case.m,
            case.n,
            case.k,
            c.as_mut_ptr(),
            1,
            case.n as isize,
            false,
            case.a.as_ptr(),
            case.a_strides.1,
            case.a_strides.0,
            case.b.as_ptr(),
            case.b_strides.1,
            case.b_strides.0,
            0.0,
            1.0,
            false,
            false,
            false,
            gemm::Parallelism::None,
        );
    }
}

/// The operands as `Matrix` values (a transposed operand is stored as the
/// matrix it is the transpose of) and the product through `grad_core::matrix`,
/// the chosen crate behind its one internal GEMM function; the output is
/// allocated, as users see it.
fn by_grad_core(case: &Case) -> impl Fn() -> Matrix<f32> {
    let (m, k, n) = (case.m, case.k, case.n);
    let (a, b) = (case.a.clone(), case.b.clone());
    let name = case.name;
    let (a, b) = match name {
        "dw_l1" | "dw_l2" => (Matrix::from_vec(k, m, a), Matrix::from_vec(k, n, b)),
        "dx_l1" | "dx_l2" => (Matrix::from_vec(m, k, a), Matrix::from_vec(n, k, b)),
        _ => (Matrix::from_vec(m, k, a), Matrix::from_vec(k, n, b)),
    };
    move || match name {
        "dw_l1" | "dw_l2" => matmul_tn(black_box(&a), black_box(&b)),
        "dx_l1" | "dx_l2" => matmul_nt(black_box(&a), black_box(&b)),
        _ => matmul(black_box(&a), black_box(&b)),
    }
}

fn gemm_f32(c: &mut Criterion) {
    let mut group = c.benchmark_group("gemm_f32");
    for case in cases() {
        let flops = 2 * case.m * case.k * case.n;
        group.throughput(Throughput::Elements(flops as u64));
        let mut out = vec![0.0_f32; case.m * case.n];
        // Both crates compute the same product (up to summation order).
        let mut check = vec![0.0_f32; case.m * case.n];
        by_matrixmultiply(&case, &mut out);
        by_gemm(&case, &mut check);
        let worst = out
            .iter()
            .zip(&check)
            .map(|(x, y)| (x - y).abs())
            .fold(0.0, f32::max);
        assert!(worst < 1e-3, "{}: the crates differ by {worst}", case.name);

        group.bench_function(BenchmarkId::new("matrixmultiply", case.name), |bench| {
            bench.iter(|| by_matrixmultiply(black_box(&case), black_box(&mut out)))
        });
        group.bench_function(BenchmarkId::new("gemm", case.name), |bench| {
            bench.iter(|| by_gemm(black_box(&case), black_box(&mut out)))
        });
        let product = by_grad_core(&case);
        let through = product();
        assert!(
            through
                .as_slice()
                .iter()
                .zip(&check)
                .all(|(x, y)| (x - y).abs() < 1e-3)
        );
        group.bench_function(BenchmarkId::new("grad_core", case.name), |bench| {
            bench.iter(&product)
        });
    }
    group.finish();
}

criterion::criterion_group! {
    name = gemm_benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3))
        .sample_size(30);
    targets = gemm_f32
}
criterion::criterion_main!(gemm_benches);
