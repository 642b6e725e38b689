//! Vector operations for generated code: forward ops and their backward
//! pieces. Inputs are slices; the output type `O` is chosen by the caller
//! (`[T; N]` when every input is an array, so nothing is allocated, else
//! `Vec<T>`).
//!
//! Every op that needs equal lengths panics with a message naming the op
//! and both lengths.
//!
//! Softmax, log-softmax, cross-entropy and `matvec` (and their backwards)
//! call the SIMD kernels of `grad_core::kernels`; elementwise ops and
//! reductions are plain per-element code (the same pieces the macro's fused
//! loops use, so fused and unfused code compute identical values).
//!
//! ```
//! use grad::__private::v;
//!
//! let s: [f64; 2] = v::vv_add(&[1.0, 2.0], &[3.0, 4.0]);
//! assert_eq!(s, [4.0, 6.0]);
//! let p: Vec<f64> = v::softmax(&[0.0, 0.0]);
//! assert_eq!(p, vec![0.5, 0.5]);
//! ```

use grad_core::{Real, scalar};

/// Per-element pieces shared by the helpers below and the fused loops the
/// macro emits, so both compute bit-identical values.
///
/// ```
/// assert_eq!(grad::__private::v::el::mse_term(3.0_f64, 1.0), 4.0);
/// ```
pub mod el {
    use grad_core::{Real, scalar};

    /// `(p − t)²`.
    ///
    /// ```
    /// assert_eq!(grad::__private::v::el::mse_term(1.0_f64, 3.0), 4.0);
    /// ```
    #[inline(always)]
    pub fn mse_term<T: Real>(p: T, t: T) -> T {
        (p - t) * (p - t)
    }

    /// `−(y·ln p + (1 − y)·ln(1 − p))`.
    ///
    /// ```
    /// assert_eq!(grad::__private::v::el::bce_term(0.5_f64, 1.0), 2.0_f64.ln());
    /// ```
    #[inline(always)]
    pub fn bce_term<T: Real>(p: T, y: T) -> T {
        -(y * p.ln() + (T::ONE - y) * (T::ONE - p).ln())
    }

    /// `max(z, 0) − z·y + ln(1 + e^−|z|)`, stable for every `z`.
    ///
    /// ```
    /// assert_eq!(grad::__private::v::el::bce_logits_term(0.0_f64, 1.0), 2.0_f64.ln());
    /// ```
    #[inline(always)]
    pub fn bce_logits_term<T: Real>(z: T, y: T) -> T {
        z.max(T::ZERO) - z * y + (-z.abs()).exp().ln_1p()
    }

    /// `k·(p − t)` (with `k = 2g/n`, the mse backward).
    ///
    /// ```
    /// assert_eq!(grad::__private::v::el::mse_grad(1.0_f64, 3.0, 1.0), 2.0);
    /// ```
    #[inline(always)]
    pub fn mse_grad<T: Real>(k: T, p: T, t: T) -> T {
        k * (p - t)
    }

    /// `k·(p − y) / (p·(1 − p))` (with `k = g/n`).
    ///
    /// ```
    /// assert_eq!(grad::__private::v::el::bce_grad_p(1.0_f64, 0.5, 1.0), -2.0);
    /// ```
    #[inline(always)]
    pub fn bce_grad_p<T: Real>(k: T, p: T, y: T) -> T {
        k * (p - y) / (p * (T::ONE - p))
    }

    /// `k·(ln(1 − p) − ln p)` (with `k = g/n`).
    ///
    /// ```
    /// assert_eq!(grad::__private::v::el::bce_grad_y(1.0_f64, 0.5, 1.0), 0.0);
    /// ```
    #[inline(always)]
    pub fn bce_grad_y<T: Real>(k: T, p: T, _y: T) -> T {
        k * ((T::ONE - p).ln() - p.ln())
    }

    /// `k·(σ(z) − y)` (with `k = g/n`).
    ///
    /// ```
    /// assert_eq!(grad::__private::v::el::bce_logits_grad_z(1.0_f64, 0.0, 1.0), -0.5);
    /// ```
    #[inline(always)]
    pub fn bce_logits_grad_z<T: Real>(k: T, z: T, y: T) -> T {
        k * (scalar::sigmoid(z) - y)
    }

    /// `−k·z` (with `k = g/n`).
    ///
    /// ```
    /// assert_eq!(grad::__private::v::el::bce_logits_grad_y(1.0_f64, 2.0, 1.0), -2.0);
    /// ```
    #[inline(always)]
    pub fn bce_logits_grad_y<T: Real>(k: T, z: T, _y: T) -> T {
        -(k * z)
    }
}

/// Below this length softmax and cross-entropy use plain scalar code: the
/// kernels' dispatch costs more than they save on a handful of elements.
const SMALL: usize = 32;

/// The number of independent accumulators of every sum.
///
/// ```
/// assert_eq!(grad::__private::v::LANES, 8);
/// ```
pub const LANES: usize = 8;

/// `((a₀ + a₁) + (a₂ + a₃)) + ((a₄ + a₅) + (a₆ + a₇))`: how lane sums combine.
///
/// ```
/// assert_eq!(grad::__private::v::lanes_total(&[1.0_f64; 8]), 8.0);
/// ```
#[inline(always)]
pub fn lanes_total<T: Real>(a: &[T; LANES]) -> T {
    ((a[0] + a[1]) + (a[2] + a[3])) + ((a[4] + a[5]) + (a[6] + a[7]))
}

/// `Σ f(i)` for `i < n` in the order every sum here and in the macro's fused
/// loops uses: element `i` of each full block of `LANES` goes to lane
/// `i % LANES`, the lanes combine with [`lanes_total`], then the remainder is
/// added in order.
#[inline]
fn total_by<T: Real>(n: usize, f: impl Fn(usize) -> T) -> T {
    let mut acc = [T::ZERO; LANES];
    for b in 0..n / LANES {
        for (l, a) in acc.iter_mut().enumerate() {
            *a += f(b * LANES + l);
        }
    }
    let mut s = lanes_total(&acc);
    for i in n - n % LANES..n {
        s += f(i);
    }
    s
}

/// An output vector: `Vec<T>` or `[T; N]`.
///
/// ```
/// use grad::__private::v::Out;
///
/// let a: [f64; 2] = Out::build("op", 2, |i| i as f64);
/// assert_eq!(a, [0.0, 1.0]);
/// ```
pub trait Out<T: Real>: AsRef<[T]> + AsMut<[T]> + Sized {
    /// `[f(0), .., f(len − 1)]`; for an array, `len` must be `N` (else panics naming `op`).
    fn build(op: &str, len: usize, f: impl FnMut(usize) -> T) -> Self;
}

impl<T: Real> Out<T> for Vec<T> {
    #[inline]
    fn build(_: &str, len: usize, f: impl FnMut(usize) -> T) -> Self {
        (0..len).map(f).collect()
    }
}

impl<T: Real, const N: usize> Out<T> for [T; N] {
    #[inline]
    fn build(op: &str, len: usize, f: impl FnMut(usize) -> T) -> Self {
        check(op, N, len);
        core::array::from_fn(f)
    }
}

/// Panics unless `a == b`, naming the op and both lengths.
///
/// ```should_panic
/// grad::__private::v::check("dot", 2, 3); // "dot: lengths differ: 2 vs 3"
/// ```
#[inline]
#[track_caller]
pub fn check(op: &str, a: usize, b: usize) {
    if a != b {
        panic!("{op}: lengths differ: {a} vs {b}");
    }
}

/// `[a, b, c]`-style conversion of a slice into an array (the cotangent of an array output).
///
/// ```
/// let a: [f64; 2] = grad::__private::v::to_array("vjp cotangent", &[1.0, 2.0]);
/// assert_eq!(a, [1.0, 2.0]);
/// ```
#[inline]
#[track_caller]
pub fn to_array<T: Real, const N: usize>(op: &str, x: &[T]) -> [T; N] {
    check(op, N, x.len());
    core::array::from_fn(|i| x[i])
}

/// The cotangent of a `_vjp`, checked against the output's length.
///
/// ```
/// assert_eq!(grad::__private::v::cotangent(&[1.0_f64, 2.0], 2), &[1.0, 2.0]);
/// ```
#[inline]
#[track_caller]
pub fn cotangent<T: Real>(c: &[T], len: usize) -> &[T] {
    check("cotangent", len, c.len());
    c
}

/// A vector argument of a call to a user fn, in the form the callee's
/// parameter takes: `&[T]`, `Vec<T>`, `[T; N]` or `&[T; N]`.
///
/// ```
/// use grad::__private::v::FromVector;
///
/// let a: [f64; 2] = FromVector::from_vector(&[1.0, 2.0]);
/// assert_eq!(a, [1.0, 2.0]);
/// ```
pub trait FromVector<'a, T: Real>: Sized {
    /// Converts (copying only for owned forms); panics on a wrong array length.
    fn from_vector(v: &'a [T]) -> Self;
}

impl<'a, T: Real> FromVector<'a, T> for &'a [T] {
    #[inline]
    fn from_vector(v: &'a [T]) -> Self {
        v
    }
}

impl<'a, T: Real> FromVector<'a, T> for Vec<T> {
    #[inline]
    fn from_vector(v: &'a [T]) -> Self {
        v.to_vec()
    }
}

impl<'a, T: Real, const N: usize> FromVector<'a, T> for [T; N] {
    #[inline]
    #[track_caller]
    fn from_vector(v: &'a [T]) -> Self {
        to_array("argument", v)
    }
}

impl<'a, T: Real, const N: usize> FromVector<'a, T> for &'a [T; N] {
    #[inline]
    #[track_caller]
    fn from_vector(v: &'a [T]) -> Self {
        check("argument", N, v.len());
        match v.try_into() {
            Ok(a) => a,
            Err(_) => unreachable!("length checked above"),
        }
    }
}

/// Passes a vector to a user fn in the form its parameter takes (see [`FromVector`]).
///
/// ```
/// fn g(v: &[f64]) -> f64 { v[0] }
/// assert_eq!(g(grad::__private::v::arg(&vec![2.0][..])), 2.0);
/// ```
#[inline]
#[track_caller]
pub fn arg<'a, T: Real, P: FromVector<'a, T>>(v: &'a [T]) -> P {
    P::from_vector(v)
}

/// A vector of `len` zeros.
///
/// ```
/// let z: Vec<f32> = grad::__private::v::zeros(2);
/// assert_eq!(z, vec![0.0, 0.0]);
/// ```
#[inline]
pub fn zeros<T: Real, O: Out<T>>(len: usize) -> O {
    O::build("zeros", len, |_| T::ZERO)
}

/// A vector of `len` copies of `s` (the backward of `sum`).
///
/// ```
/// let f: [f64; 2] = grad::__private::v::fill(3.0, 2);
/// assert_eq!(f, [3.0, 3.0]);
/// ```
#[inline]
pub fn fill<T: Real, O: Out<T>>(s: T, len: usize) -> O {
    O::build("fill", len, |_| s)
}

/// `v.len()` as a float.
///
/// ```
/// assert_eq!(grad::__private::v::len_f::<f64>(&[1.0, 2.0]), 2.0);
/// ```
#[inline]
pub fn len_f<T: Real>(v: &[T]) -> T {
    T::from_usize(v.len())
}

macro_rules! binary {
    ($($name:ident $vs:ident $sv:ident $op:tt $sym:literal;)*) => {$(
        #[doc = concat!("Elementwise `a ", $sym, " b` of two vectors of equal length.")]
        ///
        /// ```
        /// let r: Vec<f64> = grad::__private::v::vv_add(&[1.0], &[2.0]);
        /// assert_eq!(r, vec![3.0]);
        /// ```
        #[inline]
        #[track_caller]
        pub fn $name<T: Real, O: Out<T>>(a: &[T], b: &[T]) -> O {
            check(concat!("vector ", $sym, " vector"), a.len(), b.len());
            O::build($sym, a.len(), |i| a[i] $op b[i])
        }

        #[doc = concat!("Elementwise `a ", $sym, " s`: a vector and a scalar.")]
        ///
        /// ```
        /// let r: Vec<f64> = grad::__private::v::vs_mul(&[1.0, 2.0], 2.0);
        /// assert_eq!(r, vec![2.0, 4.0]);
        /// ```
        #[inline]
        pub fn $vs<T: Real, O: Out<T>>(a: &[T], s: T) -> O {
            O::build($sym, a.len(), |i| a[i] $op s)
        }

        #[doc = concat!("Elementwise `s ", $sym, " b`: a scalar and a vector.")]
        ///
        /// ```
        /// let r: Vec<f64> = grad::__private::v::sv_sub(1.0, &[1.0, 2.0]);
        /// assert_eq!(r, vec![0.0, -1.0]);
        /// ```
        #[inline]
        pub fn $sv<T: Real, O: Out<T>>(s: T, b: &[T]) -> O {
            O::build($sym, b.len(), |i| s $op b[i])
        }
    )*};
}

binary! {
    vv_add vs_add sv_add + "+";
    vv_sub vs_sub sv_sub - "-";
    vv_mul vs_mul sv_mul * "*";
    vv_div vs_div sv_div / "/";
}

macro_rules! unary {
    ($($name:ident = $f:expr;)*) => {$(
        #[doc = concat!("Elementwise `", stringify!($name), "`.")]
        ///
        /// ```
        /// let r: [f64; 1] = grad::__private::v::neg(&[1.0]);
        /// assert_eq!(r, [-1.0]);
        /// ```
        #[inline]
        pub fn $name<T: Real, O: Out<T>>(x: &[T]) -> O {
            let f = $f;
            O::build(stringify!($name), x.len(), |i| f(x[i]))
        }
    )*};
}

unary! {
    neg = |x: T| -x;
    exp = Real::exp;
    ln = Real::ln;
    sqrt = Real::sqrt;
    sin = Real::sin;
    cos = Real::cos;
    abs = Real::abs;
    sigmoid = scalar::sigmoid;
    tanh = scalar::tanh;
    relu = scalar::relu;
    softplus = scalar::softplus;
    sigmoid_deriv_from_output = scalar::sigmoid_deriv_from_output;
    tanh_deriv_from_output = scalar::tanh_deriv_from_output;
    relu_deriv = scalar::relu_deriv;
    abs_deriv = super::abs_deriv;
}

/// `v[i]`, panicking with the op name when out of range.
///
/// ```
/// assert_eq!(grad::__private::v::index(&[1.0_f64, 2.0], 1), 2.0);
/// ```
#[inline]
#[track_caller]
pub fn index<T: Real>(v: &[T], i: usize) -> T {
    match v.get(i) {
        Some(x) => *x,
        None => panic!(
            "index: {i} is out of range for a vector of length {}",
            v.len()
        ),
    }
}

/// The backward of `v[i]`: `g` at `i`, zero elsewhere.
///
/// ```
/// let d: [f64; 3] = grad::__private::v::index_backward(2.0, 1, 3);
/// assert_eq!(d, [0.0, 2.0, 0.0]);
/// ```
#[inline]
pub fn index_backward<T: Real, O: Out<T>>(g: T, i: usize, len: usize) -> O {
    O::build("index", len, |k| if k == i { g } else { T::ZERO })
}

/// `Σ v`.
///
/// ```
/// assert_eq!(grad::__private::v::sum(&[1.0_f64, 2.0]), 3.0);
/// ```
#[inline]
pub fn sum<T: Real>(v: &[T]) -> T {
    total_by(v.len(), |i| v[i])
}

/// `Σ v / n` (NaN for an empty vector).
///
/// ```
/// assert_eq!(grad::__private::v::mean(&[1.0_f64, 2.0]), 1.5);
/// ```
#[inline]
pub fn mean<T: Real>(v: &[T]) -> T {
    sum(v) / T::from_usize(v.len())
}

/// The backward of `mean`: `g / n` everywhere.
///
/// ```
/// let d: Vec<f64> = grad::__private::v::mean_backward(1.0, 4);
/// assert_eq!(d, vec![0.25; 4]);
/// ```
#[inline]
pub fn mean_backward<T: Real, O: Out<T>>(g: T, len: usize) -> O {
    let s = g / T::from_usize(len);
    O::build("mean", len, |_| s)
}

/// The backward of `dot` for one argument: `g·other`, checking `other`
/// has the length `len` of the argument (as the forward `dot` did).
///
/// ```
/// let d: Vec<f64> = grad::__private::v::dot_backward(2.0, &[1.0, 3.0], 2);
/// assert_eq!(d, vec![2.0, 6.0]);
/// ```
#[inline]
#[track_caller]
pub fn dot_backward<T: Real, O: Out<T>>(g: T, other: &[T], len: usize) -> O {
    check("dot", len, other.len());
    O::build("dot", len, |i| g * other[i])
}

/// `Σ aᵢ bᵢ`.
///
/// ```
/// assert_eq!(grad::__private::v::dot(&[1.0_f64, 2.0], &[3.0, 4.0]), 11.0);
/// ```
#[inline]
#[track_caller]
pub fn dot<T: Real>(a: &[T], b: &[T]) -> T {
    check("dot", a.len(), b.len());
    total_by(a.len(), |i| a[i] * b[i])
}

/// The number of rows of the row-major matrix `w` for an input of length `cols`.
#[track_caller]
fn rows(w: usize, cols: usize) -> usize {
    if cols == 0 || !w.is_multiple_of(cols) {
        panic!("matvec: matrix length {w} is not a multiple of the vector length {cols}");
    }
    w / cols
}

/// `W·x` with `W` row-major, `w.len() / x.len()` rows.
///
/// ```
/// let y: Vec<f64> = grad::__private::v::matvec(&[1.0, 0.0, 0.0, 2.0], &[3.0, 4.0]);
/// assert_eq!(y, vec![3.0, 8.0]);
/// ```
#[inline]
#[track_caller]
pub fn matvec<T: Real, O: Out<T>>(w: &[T], x: &[T]) -> O {
    let m = rows(w.len(), x.len());
    let mut out = O::build("matvec", m, |_| T::ZERO);
    grad_core::kernels::matvec(w, x, out.as_mut());
    out
}

/// `∂L/∂W = g·xᵀ` (row-major, `g.len()` rows).
///
/// ```
/// let dw: Vec<f64> = grad::__private::v::matvec_backward_w(&[1.0, 2.0], &[3.0]);
/// assert_eq!(dw, vec![3.0, 6.0]);
/// ```
#[inline]
pub fn matvec_backward_w<T: Real, O: Out<T>>(g: &[T], x: &[T]) -> O {
    let n = x.len();
    O::build("matvec", g.len() * n, |k| g[k / n] * x[k % n])
}

/// `∂L/∂x = Wᵀ·g`.
///
/// ```
/// let dx: Vec<f64> = grad::__private::v::matvec_backward_x(&[1.0, 2.0, 3.0, 4.0], &[1.0, 1.0]);
/// assert_eq!(dx, vec![4.0, 6.0]);
/// ```
#[inline]
#[track_caller]
pub fn matvec_backward_x<T: Real, O: Out<T>>(w: &[T], g: &[T]) -> O {
    let m = g.len();
    if m == 0 || !w.len().is_multiple_of(m) {
        panic!(
            "matvec: matrix length {} is not a multiple of the output length {m}",
            w.len()
        );
    }
    let n = w.len() / m;
    let mut dx = O::build("matvec", n, |_| T::ZERO);
    let d = dx.as_mut();
    for (row, &gr) in w.chunks_exact(n).zip(g) {
        for (dc, &wc) in d.iter_mut().zip(row) {
            *dc += wc * gr;
        }
    }
    dx
}

/// Softmax along the whole vector: `e^(xᵢ − max) / Σ e^(xⱼ − max)`.
///
/// ```
/// let p: [f64; 2] = grad::__private::v::softmax(&[1.0, 1.0]);
/// assert_eq!(p, [0.5, 0.5]);
/// ```
#[inline]
pub fn softmax<T: Real, O: Out<T>>(x: &[T]) -> O {
    if x.len() < SMALL {
        let m = x.iter().copied().fold(T::NEG_INFINITY, Real::max);
        let mut out = O::build("softmax", x.len(), |i| (x[i] - m).exp());
        let o = out.as_ref();
        let inv = T::ONE / total_by(o.len(), |i| o[i]);
        for v in out.as_mut() {
            *v *= inv;
        }
        return out;
    }
    let mut out = O::build("softmax", x.len(), |_| T::ZERO);
    grad_core::kernels::softmax(x, out.as_mut());
    out
}

/// `ln softmax(x)` along the whole vector: `xᵢ − max − ln Σ e^(xⱼ − max)`.
///
/// ```
/// let l: Vec<f64> = grad::__private::v::log_softmax(&[0.0, 0.0]);
/// assert!((l[0] + 2.0_f64.ln()).abs() < 1e-15);
/// ```
#[inline]
pub fn log_softmax<T: Real, O: Out<T>>(x: &[T]) -> O {
    let mut out = O::build("log_softmax", x.len(), |_| T::ZERO);
    grad_core::kernels::log_softmax(x, out.as_mut());
    out
}

/// The backward of `y = softmax(x)`: `yᵢ (gᵢ − Σ gⱼ yⱼ)`.
///
/// ```
/// let d: Vec<f64> = grad::__private::v::softmax_backward(&[0.5, 0.5], &[1.0, 1.0]);
/// assert_eq!(d, vec![0.0, 0.0]);
/// ```
#[inline]
#[track_caller]
pub fn softmax_backward<T: Real, O: Out<T>>(y: &[T], g: &[T]) -> O {
    let mut dx = O::build("softmax", y.len(), |_| T::ZERO);
    grad_core::kernels::softmax_backward(y, g, dx.as_mut());
    dx
}

/// The backward of `y = log_softmax(x)`: `gᵢ − e^(yᵢ) Σ gⱼ`.
///
/// ```
/// let d: Vec<f64> = grad::__private::v::log_softmax_backward(&[0.5_f64.ln(), 0.5_f64.ln()], &[1.0, 0.0]);
/// assert!((d[0] - 0.5).abs() < 1e-15 && (d[1] + 0.5).abs() < 1e-15);
/// ```
#[inline]
#[track_caller]
pub fn log_softmax_backward<T: Real, O: Out<T>>(y: &[T], g: &[T]) -> O {
    let mut dx = O::build("log_softmax", y.len(), |_| T::ZERO);
    grad_core::kernels::log_softmax_backward(y, g, dx.as_mut());
    dx
}

/// Mean squared error `Σ (pᵢ − tᵢ)² / n` (like PyTorch `mse_loss`).
///
/// ```
/// assert_eq!(grad::__private::v::mse(&[1.0_f64, 2.0], &[1.0, 0.0]), 2.0);
/// ```
#[inline]
#[track_caller]
pub fn mse<T: Real>(p: &[T], t: &[T]) -> T {
    check("mse", p.len(), t.len());
    let s = total_by(p.len(), |i| el::mse_term(p[i], t[i]));
    s / T::from_usize(p.len())
}

/// The backward of `mse` w.r.t. the prediction: `2 g (pᵢ − tᵢ) / n` (negate for the target).
///
/// ```
/// let d: Vec<f64> = grad::__private::v::mse_backward(&[1.0, 2.0], &[1.0, 0.0], 1.0);
/// assert_eq!(d, vec![0.0, 2.0]);
/// ```
#[inline]
#[track_caller]
pub fn mse_backward<T: Real, O: Out<T>>(p: &[T], t: &[T], g: T) -> O {
    check("mse", p.len(), t.len());
    let k = (g + g) / T::from_usize(p.len());
    O::build("mse", p.len(), |i| el::mse_grad(k, p[i], t[i]))
}

/// Cross-entropy of one row of logits against a class: `−log_softmax(z)[class]`.
///
/// ```
/// let l = grad::__private::v::cross_entropy(&[0.0_f64, 0.0], 1);
/// assert!((l - 2.0_f64.ln()).abs() < 1e-15);
/// ```
#[inline]
#[track_caller]
pub fn cross_entropy<T: Real>(z: &[T], class: usize) -> T {
    if class >= z.len() {
        panic!(
            "cross_entropy: class {class} is out of range for {} logits",
            z.len()
        );
    }
    if z.len() < SMALL {
        let m = z.iter().copied().fold(T::NEG_INFINITY, Real::max);
        let s = total_by(z.len(), |i| (z[i] - m).exp());
        return m + s.ln() - z[class];
    }
    grad_core::kernels::cross_entropy(z, z.len(), &[class])
}

/// The fused backward of `cross_entropy(z, class)`: `g (softmax(z) − onehot(class))`.
///
/// ```
/// let d: Vec<f64> = grad::__private::v::cross_entropy_backward(&[0.0, 0.0], 1, 1.0);
/// assert_eq!(d, vec![0.5, -0.5]);
/// ```
#[inline]
#[track_caller]
pub fn cross_entropy_backward<T: Real, O: Out<T>>(z: &[T], class: usize, g: T) -> O {
    if class >= z.len() {
        panic!(
            "cross_entropy: class {class} is out of range for {} logits",
            z.len()
        );
    }
    if z.len() < SMALL {
        let mut d: O = softmax(z);
        for v in d.as_mut().iter_mut() {
            *v *= g;
        }
        d.as_mut()[class] -= g;
        return d;
    }
    let mut d = O::build("cross_entropy", z.len(), |_| T::ZERO);
    grad_core::kernels::cross_entropy_backward(z, z.len(), &[class], g, d.as_mut());
    d
}

/// Binary cross-entropy of probabilities `p` against targets `y`, mean over elements.
///
/// ```
/// let l = grad::__private::v::binary_cross_entropy(&[0.5_f64], &[1.0]);
/// assert!((l - 2.0_f64.ln()).abs() < 1e-15);
/// ```
#[inline]
#[track_caller]
pub fn binary_cross_entropy<T: Real>(p: &[T], y: &[T]) -> T {
    check("binary_cross_entropy", p.len(), y.len());
    let s = total_by(p.len(), |i| el::bce_term(p[i], y[i]));
    s / T::from_usize(p.len())
}

/// The backward of `binary_cross_entropy` w.r.t. `p`: `g (pᵢ − yᵢ) / (pᵢ (1 − pᵢ) n)`.
///
/// ```
/// let d: Vec<f64> = grad::__private::v::bce_backward_p(&[0.5], &[1.0], 1.0);
/// assert_eq!(d, vec![-2.0]);
/// ```
#[inline]
#[track_caller]
pub fn bce_backward_p<T: Real, O: Out<T>>(p: &[T], y: &[T], g: T) -> O {
    check("binary_cross_entropy", p.len(), y.len());
    let k = g / T::from_usize(p.len());
    O::build("binary_cross_entropy", p.len(), |i| {
        el::bce_grad_p(k, p[i], y[i])
    })
}

/// The backward of `binary_cross_entropy` w.r.t. `y`: `g (ln(1 − pᵢ) − ln pᵢ) / n`.
///
/// ```
/// let d: Vec<f64> = grad::__private::v::bce_backward_y(&[0.5], &[1.0], 1.0);
/// assert_eq!(d, vec![0.0]);
/// ```
#[inline]
#[track_caller]
pub fn bce_backward_y<T: Real, O: Out<T>>(p: &[T], y: &[T], g: T) -> O {
    check("binary_cross_entropy", p.len(), y.len());
    let k = g / T::from_usize(p.len());
    O::build("binary_cross_entropy", p.len(), |i| {
        el::bce_grad_y(k, p[i], y[i])
    })
}

/// Binary cross-entropy on logits, mean over elements, stable:
/// `max(z, 0) − z·y + ln(1 + e^−|z|)`.
///
/// ```
/// let l = grad::__private::v::bce_with_logits(&[0.0_f64], &[1.0]);
/// assert!((l - 2.0_f64.ln()).abs() < 1e-15);
/// ```
#[inline]
#[track_caller]
pub fn bce_with_logits<T: Real>(z: &[T], y: &[T]) -> T {
    check("bce_with_logits", z.len(), y.len());
    let s = total_by(z.len(), |i| el::bce_logits_term(z[i], y[i]));
    s / T::from_usize(z.len())
}

/// The backward of `bce_with_logits` w.r.t. `z`: `g (σ(zᵢ) − yᵢ) / n`.
///
/// ```
/// let d: Vec<f64> = grad::__private::v::bce_logits_backward_z(&[0.0], &[1.0], 1.0);
/// assert_eq!(d, vec![-0.5]);
/// ```
#[inline]
#[track_caller]
pub fn bce_logits_backward_z<T: Real, O: Out<T>>(z: &[T], y: &[T], g: T) -> O {
    check("bce_with_logits", z.len(), y.len());
    let k = g / T::from_usize(z.len());
    O::build("bce_with_logits", z.len(), |i| {
        el::bce_logits_grad_z(k, z[i], y[i])
    })
}

/// The backward of `bce_with_logits` w.r.t. `y`: `−g zᵢ / n`.
///
/// ```
/// let d: Vec<f64> = grad::__private::v::bce_logits_backward_y(&[2.0], &[1.0], 1.0);
/// assert_eq!(d, vec![-2.0]);
/// ```
#[inline]
#[track_caller]
pub fn bce_logits_backward_y<T: Real, O: Out<T>>(z: &[T], y: &[T], g: T) -> O {
    check("bce_with_logits", z.len(), y.len());
    let k = g / T::from_usize(z.len());
    O::build("bce_with_logits", z.len(), |i| {
        el::bce_logits_grad_y(k, z[i], y[i])
    })
}
