//! Run-time choice of the instruction set the kernels run on.
//!
//! Every kernel is compiled three times from one generic body: for AVX-512
//! (`avx512f,avx512bw,avx512dq,avx512vl,avx2,fma`), for AVX2+FMA, and for
//! the baseline target (the *portable* path: SSE2 on x86-64, NEON/whatever
//! the target has elsewhere). The CPU is probed once, on first use, with
//! `is_x86_feature_detected!`, and the result cached in an atomic; a default
//! `cargo build` (no `RUSTFLAGS`) therefore runs the fastest path the CPU
//! has.
//!
//! The generic kernels use no fused multiply–add and no instruction whose
//! result differs between instruction sets, so all paths return
//! bit-identical results. The exceptions run hand-written AVX2+FMA code on
//! `Avx2` and `Avx512`, whose last bits may differ from the portable
//! path's: the kernels whose speed `exp`, `ln` or a division bounds, in
//! `f32` (`exp`, `ln`, `sigmoid`, `tanh`, `softplus` and the backward of
//! `ln` and `softplus`, by at most [`crate::testing::cross_path_ulps`];
//! the softmax family and cross-entropy) and in `f64` (`exp`, `ln`,
//! `sigmoid`, `tanh`, `softplus` and `softplus`'s backward, by at most
//! [`crate::testing::cross_path_ulps_f64`]; the softmax family and
//! cross-entropy, whose exponentials and sums come from that code). Every path meets the same
//! error budgets. The tests check both on every path the machine has.
//!
//! Tests and benchmarks can force a path for the current thread with
//! [`with_path`]:
//!
//! ```
//! use grad_core::dispatch::{self, Path};
//! use grad_core::kernels;
//!
//! let y = [0.25_f64; 37];
//! let dy = [3.0_f64; 37];
//! let mut fast = [0.0_f64; 37];
//! let mut portable = [0.0_f64; 37];
//! kernels::sigmoid_backward(&y, &dy, &mut fast);
//! dispatch::with_path(Path::Portable, || {
//!     kernels::sigmoid_backward(&y, &dy, &mut portable)
//! });
//! assert_eq!(fast, portable);
//! ```

use core::cell::Cell;
use core::sync::atomic::{AtomicBool, AtomicU8, Ordering};

/// An instruction-set path the kernels can run on.
///
/// ```
/// use grad_core::dispatch::Path;
/// assert!(Path::Portable.is_available());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Path {
    /// The baseline target features (SSE2 on x86-64); always available.
    Portable,
    /// x86-64 with AVX2 and FMA.
    Avx2,
    /// x86-64 with AVX-512 F/BW/DQ/VL (and AVX2, FMA).
    Avx512,
}

impl Path {
    /// Every path, slowest first.
    ///
    /// ```
    /// use grad_core::dispatch::Path;
    /// assert_eq!(Path::ALL.len(), 3);
    /// ```
    pub const ALL: [Path; 3] = [Path::Portable, Path::Avx2, Path::Avx512];

    /// Whether this CPU can run the path.
    ///
    /// ```
    /// use grad_core::dispatch::Path;
    /// let usable: Vec<Path> = Path::ALL.into_iter().filter(|p| p.is_available()).collect();
    /// assert!(usable.contains(&Path::Portable));
    /// ```
    pub fn is_available(self) -> bool {
        match self {
            Path::Portable => true,
            #[cfg(target_arch = "x86_64")]
            Path::Avx2 => {
                std::arch::is_x86_feature_detected!("avx2")
                    && std::arch::is_x86_feature_detected!("fma")
            }
            #[cfg(target_arch = "x86_64")]
            Path::Avx512 => {
                Path::Avx2.is_available()
                    && std::arch::is_x86_feature_detected!("avx512f")
                    && std::arch::is_x86_feature_detected!("avx512bw")
                    && std::arch::is_x86_feature_detected!("avx512dq")
                    && std::arch::is_x86_feature_detected!("avx512vl")
            }
            #[cfg(not(target_arch = "x86_64"))]
            _ => false,
        }
    }

    /// A short lowercase name (`"portable"`, `"avx2"`, `"avx512"`).
    ///
    /// ```
    /// assert_eq!(grad_core::dispatch::Path::Avx2.name(), "avx2");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            Path::Portable => "portable",
            Path::Avx2 => "avx2",
            Path::Avx512 => "avx512",
        }
    }
}

/// 0 = not probed yet, else 1 + index into [`Path::ALL`].
static DETECTED: AtomicU8 = AtomicU8::new(0);
/// Set once any thread has forced a path; keeps the common case to one load.
static FORCING: AtomicBool = AtomicBool::new(false);

std::thread_local! {
    static FORCED: Cell<Option<Path>> = const { Cell::new(None) };
}

/// The fastest path this CPU supports (probed once, then cached).
///
/// ```
/// let p = grad_core::dispatch::detected();
/// assert!(p.is_available());
/// ```
pub fn detected() -> Path {
    match DETECTED.load(Ordering::Relaxed) {
        0 => {
            let best = Path::ALL
                .into_iter()
                .rev()
                .find(|p| p.is_available())
                .unwrap_or(Path::Portable);
            let idx = Path::ALL.iter().position(|&p| p == best).unwrap_or(0);
            DETECTED.store(idx as u8 + 1, Ordering::Relaxed);
            best
        }
        v => Path::ALL[usize::from(v - 1)],
    }
}

/// The path kernels called from this thread run on now: the one forced by
/// an enclosing [`with_path`], else [`detected`].
///
/// ```
/// use grad_core::dispatch::{self, Path};
/// assert_eq!(dispatch::with_path(Path::Portable, dispatch::active), Path::Portable);
/// ```
#[inline]
pub fn active() -> Path {
    if FORCING.load(Ordering::Relaxed)
        && let Some(p) = FORCED.with(Cell::get)
    {
        return p;
    }
    detected()
}

/// Runs `f` with every kernel on this thread forced onto `path`, then
/// restores the previous choice (also when `f` panics).
///
/// # Panics
///
/// If this CPU cannot run `path` (see [`Path::is_available`]): "dispatch:
/// path avx512 is not available on this CPU".
///
/// ```
/// use grad_core::dispatch::{self, Path};
/// use grad_core::kernels;
///
/// let mut out = [0.0_f64; 3];
/// dispatch::with_path(Path::Portable, || kernels::tanh(&[0.0, 1.0, -1.0], &mut out));
/// assert_eq!(out[0], 0.0);
/// ```
pub fn with_path<R>(path: Path, f: impl FnOnce() -> R) -> R {
    assert!(
        path.is_available(),
        "dispatch: path {} is not available on this CPU",
        path.name()
    );
    struct Restore(Option<Path>);
    impl Drop for Restore {
        fn drop(&mut self) {
            FORCED.with(|c| c.set(self.0));
        }
    }
    FORCING.store(true, Ordering::Relaxed);
    let _restore = Restore(FORCED.with(|c| c.replace(Some(path))));
    f()
}

/// Calls the `#[inline(always)]` generic kernel body `$imp` through a copy
/// compiled for the active [`Path`].
///
/// `multiversion!(<T> body(a: &[T], out: &mut [T]) -> R)` expands to three
/// nested functions with the same signature (one per path, the x86 ones
/// with `#[target_feature]`) and a `match` on [`active`].
macro_rules! multiversion {
    (<$T:ident> $imp:ident($($arg:ident : $ty:ty),* $(,)?) $(-> $ret:ty)?) => {{
        #[cfg(target_arch = "x86_64")]
        #[target_feature(enable = "avx512f,avx512bw,avx512dq,avx512vl,avx2,fma")]
        fn avx512<$T: $crate::Real>($($arg: $ty),*) $(-> $ret)? {
            $imp::<$T>($($arg),*)
        }
        #[cfg(target_arch = "x86_64")]
        #[target_feature(enable = "avx2,fma")]
        fn avx2<$T: $crate::Real>($($arg: $ty),*) $(-> $ret)? {
            $imp::<$T>($($arg),*)
        }
        fn portable<$T: $crate::Real>($($arg: $ty),*) $(-> $ret)? {
            $imp::<$T>($($arg),*)
        }
        match $crate::dispatch::active() {
            #[cfg(target_arch = "x86_64")]
            $crate::dispatch::Path::Avx512 => {
                // SAFETY: `active()` returns `Avx512` only when
                // `Path::Avx512.is_available()` held (probed with
                // `is_x86_feature_detected!` for exactly the features
                // enabled on `avx512`): `detected()` picks only available
                // paths and `with_path` asserts availability.
                unsafe { avx512::<$T>($($arg),*) }
            }
            #[cfg(target_arch = "x86_64")]
            $crate::dispatch::Path::Avx2 => {
                // SAFETY: as above, `Avx2` is returned only when avx2 and
                // fma were detected on this CPU.
                unsafe { avx2::<$T>($($arg),*) }
            }
            _ => portable::<$T>($($arg),*),
        }
    }};
}
pub(crate) use multiversion;
