//! Shared bench plumbing: sizes, run-time settings, input data and the
//! `copy_from_slice` baseline.

use std::hint::black_box;
use std::time::Duration;

use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, BenchmarkId, Criterion, SamplingMode, Throughput};
use grad_core::Real;

/// Vector lengths of the elementwise kernels, reductions, `mse` and `matvec`.
pub(crate) const SIZES: [usize; 4] = [1_000, 65_536, 1_048_576, 16_777_216];

/// `rows × cols` shapes of the softmax and cross-entropy kernels.
pub(crate) const SHAPES: [(usize, usize); 4] = [(1, 1000), (4096, 10), (256, 1000), (64, 32000)];

/// A run short enough for a shared 2-core box: 0.5 s warm-up, 1 s of
/// measurement, 20 samples (10 in flat mode for inputs of 1M elements and
/// more, see [`group`]). Command-line flags (`--measurement-time` ...) override.
pub(crate) fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_millis(1000))
        .sample_size(20)
        .nresamples(10_000)
        .without_plots()
}

/// A group named `{op}_{f32|f64}`; its benchmarks are named
/// `{kernel|naive|copy}/{size}`.
pub(crate) fn group<'a, T: Real>(c: &'a mut Criterion, op: &str) -> BenchmarkGroup<'a, WallTime> {
    c.benchmark_group(format!("{op}_{}", type_name::<T>()))
}

/// Sets the per-size options: throughput in elements, and for big inputs 10
/// samples of a fixed iteration count (a linear ramp would take minutes).
pub(crate) fn size_options(g: &mut BenchmarkGroup<'_, WallTime>, elems: usize) {
    g.throughput(Throughput::Elements(elems as u64));
    if elems >= 1 << 20 {
        g.sample_size(10).sampling_mode(SamplingMode::Flat);
    } else {
        g.sample_size(20).sampling_mode(SamplingMode::Auto);
    }
}

/// `f32` or `f64`.
pub(crate) fn type_name<T: Real>() -> &'static str {
    if size_of::<T>() == 4 { "f32" } else { "f64" }
}

/// A buffer of `len` elements placed at a chosen offset within a 4 KiB page.
///
/// Each stream of a benchmark gets its own slot (page offset `slot · 1024`
/// bytes), so no two of its streams alias modulo 4 KiB. Without this, two
/// buffers from the allocator often sit at the same page offset, and on this
/// machine (AMD Zen) `copy_from_slice` (`rep movsb`) then runs up to 20×
/// slower, which would make the copy baseline meaningless.
pub(crate) struct Placed<T> {
    buf: Vec<T>,
    start: usize,
    len: usize,
}

impl<T: Real> Placed<T> {
    /// `len` zeros at page offset `slot · 1024` bytes (`slot` taken mod 4).
    pub(crate) fn zeros(len: usize, slot: usize) -> Self {
        let size = size_of::<T>();
        let buf = vec![T::ZERO; len + 4096 / size];
        let at = buf.as_ptr() as usize % 4096;
        let start = ((slot % 4) * 1024 + 4096 - at) % 4096 / size;
        Self { buf, start, len }
    }
}

impl<T> std::ops::Deref for Placed<T> {
    type Target = [T];
    fn deref(&self) -> &[T] {
        &self.buf[self.start..self.start + self.len]
    }
}

impl<T> std::ops::DerefMut for Placed<T> {
    fn deref_mut(&mut self) -> &mut [T] {
        &mut self.buf[self.start..self.start + self.len]
    }
}

/// `n` pseudo-random values in `[lo, hi)` (xorshift64*, fixed seed) in a
/// buffer at page slot `slot`.
pub(crate) fn data<T: Real>(n: usize, lo: f64, hi: f64, slot: usize, seed: u64) -> Placed<T> {
    let mut s = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut out = Placed::zeros(n, slot);
    for v in out.iter_mut() {
        s ^= s >> 12;
        s ^= s << 25;
        s ^= s >> 27;
        let u = (s.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11) as f64 / (1u64 << 53) as f64;
        *v = T::from_f64(lo + (hi - lo) * u);
    }
    out
}

/// `n` pseudo-random class indices below `classes`.
pub(crate) fn classes(n: usize, classes: usize) -> Vec<usize> {
    (0..n).map(|i| (i * 7919 + 13) % classes).collect()
}

/// Benches `kernel` and `naive` on the same buffers, then the baseline: a
/// `copy_from_slice` of `copy` elements, half the elements the kernel reads
/// plus writes, so the copy moves the same bytes as the kernel (source and
/// destination half a page apart).
///
/// Buffers are built by `make` on first use, so a filtered run allocates
/// only what it measures, and kernel and naive loop share one set.
pub(crate) fn trio<T: Real, B>(
    g: &mut BenchmarkGroup<'_, WallTime>,
    param: &str,
    copy: usize,
    make: impl Fn() -> B,
    mut kernel: impl FnMut(&mut B),
    mut naive: impl FnMut(&mut B),
) {
    let mut bufs: Option<B> = None;
    g.bench_function(BenchmarkId::new("kernel", param), |b| {
        let bufs = bufs.get_or_insert_with(&make);
        b.iter(|| kernel(&mut *bufs));
    });
    g.bench_function(BenchmarkId::new("naive", param), |b| {
        let bufs = bufs.get_or_insert_with(&make);
        b.iter(|| naive(&mut *bufs));
    });
    drop(bufs);
    let mut copy_bufs = None;
    g.bench_function(BenchmarkId::new("copy", param), |b| {
        let (src, dst) = copy_bufs.get_or_insert_with(|| {
            (
                data::<T>(copy, -1.0, 1.0, 0, 99),
                Placed::<T>::zeros(copy, 2),
            )
        });
        b.iter(|| {
            dst.copy_from_slice(black_box(&src[..]));
            black_box(&mut dst[..]);
        });
    });
}
