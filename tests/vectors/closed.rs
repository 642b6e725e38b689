//! Closed-form gradients, in f64, of the functions in [`crate::defs`]: each
//! takes the same arguments (vectors as slices) and returns the partials
//! flattened in parameter order (a scalar parameter contributes one entry).

/// σ(x), stable.
pub(crate) fn sg(x: f64) -> f64 {
    if x >= 0.0 {
        1.0 / (1.0 + (-x).exp())
    } else {
        let e = x.exp();
        e / (1.0 + e)
    }
}

/// Softmax, stable.
pub(crate) fn softmax(a: &[f64]) -> Vec<f64> {
    let m = a.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let e: Vec<f64> = a.iter().map(|x| (x - m).exp()).collect();
    let s: f64 = e.iter().sum();
    e.iter().map(|x| x / s).collect()
}

fn zip(a: &[f64], b: &[f64], f: impl Fn(f64, f64) -> f64) -> Vec<f64> {
    assert_eq!(a.len(), b.len());
    a.iter().zip(b).map(|(&x, &y)| f(x, y)).collect()
}

fn map(a: &[f64], f: impl Fn(f64) -> f64) -> Vec<f64> {
    a.iter().map(|&x| f(x)).collect()
}

fn cat(parts: &[&[f64]]) -> Vec<f64> {
    parts.concat()
}

fn sum(a: &[f64]) -> f64 {
    a.iter().sum()
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    zip(a, b, |x, y| x * y).iter().sum()
}

pub(crate) fn e_add_vv(a: &[f64], b: &[f64], w: &[f64]) -> Vec<f64> {
    cat(&[w, w, &zip(a, b, |x, y| x + y)])
}

pub(crate) fn e_sub_vv(a: &[f64], b: &[f64], w: &[f64]) -> Vec<f64> {
    cat(&[w, &map(w, |x| -x), &zip(a, b, |x, y| x - y)])
}

pub(crate) fn e_mul_vv(a: &[f64], b: &[f64], w: &[f64]) -> Vec<f64> {
    cat(&[
        &zip(b, w, |x, y| x * y),
        &zip(a, w, |x, y| x * y),
        &zip(a, b, |x, y| x * y),
    ])
}

pub(crate) fn e_div_vv(a: &[f64], b: &[f64], w: &[f64]) -> Vec<f64> {
    let da = zip(w, b, |w, b| w / b);
    let db: Vec<f64> = (0..a.len()).map(|i| -a[i] * w[i] / (b[i] * b[i])).collect();
    cat(&[&da, &db, &zip(a, b, |x, y| x / y)])
}

pub(crate) fn e_add_vs(a: &[f64], s: f64, w: &[f64]) -> Vec<f64> {
    cat(&[w, &[sum(w)], &map(a, |x| x + s)])
}

pub(crate) fn e_add_sv(a: &[f64], s: f64, w: &[f64]) -> Vec<f64> {
    e_add_vs(a, s, w)
}

pub(crate) fn e_sub_vs(a: &[f64], s: f64, w: &[f64]) -> Vec<f64> {
    cat(&[w, &[-sum(w)], &map(a, |x| x - s)])
}

pub(crate) fn e_sub_sv(a: &[f64], s: f64, w: &[f64]) -> Vec<f64> {
    cat(&[&map(w, |x| -x), &[sum(w)], &map(a, |x| s - x)])
}

pub(crate) fn e_mul_vs(a: &[f64], s: f64, w: &[f64]) -> Vec<f64> {
    cat(&[&map(w, |x| x * s), &[dot(a, w)], &map(a, |x| x * s)])
}

pub(crate) fn e_mul_sv(a: &[f64], s: f64, w: &[f64]) -> Vec<f64> {
    e_mul_vs(a, s, w)
}

pub(crate) fn e_div_vs(a: &[f64], s: f64, w: &[f64]) -> Vec<f64> {
    cat(&[
        &map(w, |x| x / s),
        &[-dot(a, w) / (s * s)],
        &map(a, |x| x / s),
    ])
}

pub(crate) fn e_div_sv(a: &[f64], s: f64, w: &[f64]) -> Vec<f64> {
    let da = zip(a, w, |a, w| -s * w / (a * a));
    let ds = sum(&zip(w, a, |w, a| w / a));
    cat(&[&da, &[ds], &map(a, |x| s / x)])
}

pub(crate) fn e_literals(a: &[f64], w: &[f64]) -> Vec<f64> {
    cat(&[
        &map(w, |x| 4.25 * x),
        &map(a, |x| 2.0 * x + x * 3.0 + (1.0 - x) + x / 4.0),
    ])
}

pub(crate) fn e_neg(a: &[f64], w: &[f64]) -> Vec<f64> {
    cat(&[&map(w, |x| -x), &map(a, |x| -x)])
}

/// `Σ s·((a b + s)² − a/2)`.
pub(crate) fn e_chain(a: &[f64], b: &[f64], s: f64) -> Vec<f64> {
    let u: Vec<f64> = zip(a, b, |a, b| a * b + s);
    let da: Vec<f64> = (0..a.len())
        .map(|i| s * (2.0 * u[i] * b[i] - 0.5))
        .collect();
    let db: Vec<f64> = (0..a.len()).map(|i| s * 2.0 * u[i] * a[i]).collect();
    let ds: f64 = (0..a.len())
        .map(|i| (u[i] * u[i] - a[i] / 2.0) + s * 2.0 * u[i])
        .sum();
    cat(&[&da, &db, &[ds]])
}

/// `dot(f(a), w)` for an elementwise `f` with derivative `df`.
fn unary(a: &[f64], w: &[f64], f: impl Fn(f64) -> f64, df: impl Fn(f64) -> f64) -> Vec<f64> {
    cat(&[&zip(a, w, |a, w| df(a) * w), &map(a, f)])
}

pub(crate) fn u_sigmoid(a: &[f64], w: &[f64]) -> Vec<f64> {
    unary(a, w, sg, |x| sg(x) * (1.0 - sg(x)))
}

pub(crate) fn u_tanh(a: &[f64], w: &[f64]) -> Vec<f64> {
    unary(a, w, f64::tanh, |x| 1.0 - x.tanh() * x.tanh())
}

pub(crate) fn u_relu(a: &[f64], w: &[f64]) -> Vec<f64> {
    unary(a, w, |x| x.max(0.0), |x| if x > 0.0 { 1.0 } else { 0.0 })
}

pub(crate) fn u_exp(a: &[f64], w: &[f64]) -> Vec<f64> {
    unary(a, w, f64::exp, f64::exp)
}

pub(crate) fn u_ln(a: &[f64], w: &[f64]) -> Vec<f64> {
    unary(a, w, f64::ln, |x| 1.0 / x)
}

pub(crate) fn u_sqrt(a: &[f64], w: &[f64]) -> Vec<f64> {
    unary(a, w, f64::sqrt, |x| 0.5 / x.sqrt())
}

pub(crate) fn u_abs(a: &[f64], w: &[f64]) -> Vec<f64> {
    unary(a, w, f64::abs, f64::signum)
}

pub(crate) fn u_softplus(a: &[f64], w: &[f64]) -> Vec<f64> {
    unary(a, w, |x| x.max(0.0) + (-x.abs()).exp().ln_1p(), sg)
}

/// `Σ sin(a)·cos(w)·w`.
pub(crate) fn u_sin_cos(a: &[f64], w: &[f64]) -> Vec<f64> {
    let da = zip(a, w, |a, w| a.cos() * w.cos() * w);
    let dw = zip(a, w, |a, w| a.sin() * (w.cos() - w * w.sin()));
    cat(&[&da, &dw])
}

pub(crate) fn i_index(a: &[f64]) -> Vec<f64> {
    let mut d = vec![0.0; a.len()];
    d[0] = 1.0;
    d[1] = a[3];
    d[3] = a[1];
    d
}

/// Row 1 of the softmax Jacobian: `p₁(δ₁ⱼ − pⱼ)`.
pub(crate) fn i_softmax_1(a: &[f64]) -> Vec<f64> {
    softmax_jacobian(a).swap_remove(1)
}

pub(crate) fn i_index_expr(a: &[f64], _b: &[f64]) -> Vec<f64> {
    let mut d = vec![0.0; a.len()];
    d[2] = 2.0;
    cat(&[&d, &d])
}

pub(crate) fn i_index_param(a: &[f64], k: usize) -> Vec<f64> {
    let mut d = vec![0.0; a.len()];
    d[k] = 2.0 * a[k];
    d
}

/// `softmax([x, 2y, xz])[0]`: chain rule through row 0 of the Jacobian.
pub(crate) fn i_array_literal(x: f64, y: f64, z: f64) -> Vec<f64> {
    let j = softmax_jacobian(&[x, 2.0 * y, x * z]).swap_remove(0);
    vec![j[0] + j[2] * z, 2.0 * j[1], j[2] * x]
}

pub(crate) fn i_array_dot(x: f64, y: f64, w: &[f64]) -> Vec<f64> {
    vec![w[0] + w[2] * y, w[1] + w[2] * x, x, y, x * y]
}

pub(crate) fn r_sum(a: &[f64]) -> Vec<f64> {
    map(a, |x| 2.0 * x)
}

pub(crate) fn r_mean(a: &[f64]) -> Vec<f64> {
    let n = a.len() as f64;
    map(a, |x| 2.0 * x / n)
}

pub(crate) fn r_dot(a: &[f64], b: &[f64]) -> Vec<f64> {
    cat(&[b, a])
}

/// `matvec(w, x)` in f64.
pub(crate) fn matvec(w: &[f64], x: &[f64]) -> Vec<f64> {
    w.chunks(x.len()).map(|row| dot(row, x)).collect()
}

/// `∂(c·Wx)/∂W = c xᵀ`, `∂/∂x = Wᵀc`, `∂/∂c = Wx`.
pub(crate) fn r_matvec(w: &[f64], x: &[f64], c: &[f64]) -> Vec<f64> {
    let n = x.len();
    let dw: Vec<f64> = (0..w.len()).map(|k| c[k / n] * x[k % n]).collect();
    let dx: Vec<f64> = (0..n)
        .map(|j| (0..c.len()).map(|i| w[i * n + j] * c[i]).sum())
        .collect();
    cat(&[&dw, &dx, &matvec(w, x)])
}

pub(crate) fn r_dense(w: &[f64], x: &[f64], b: &[f64], c: &[f64]) -> Vec<f64> {
    let m = r_matvec(w, x, c);
    let (dwx, _) = m.split_at(w.len() + x.len());
    let z = zip(&matvec(w, x), b, |z, b| z + b);
    cat(&[dwx, c, &z])
}

/// `p_j (w_j − p·w)` and `p`.
pub(crate) fn r_softmax(a: &[f64], w: &[f64]) -> Vec<f64> {
    let p = softmax(a);
    let pw = dot(&p, w);
    cat(&[&zip(&p, w, |p, w| p * (w - pw)), &p])
}

/// `w_j − p_j Σw` and `log p`.
pub(crate) fn r_log_softmax(a: &[f64], w: &[f64]) -> Vec<f64> {
    let p = softmax(a);
    let sw = sum(w);
    cat(&[&zip(w, &p, |w, p| w - p * sw), &map(&p, f64::ln)])
}

/// `dot(a, b) + sum(a)·mean(b) + dot(softmax(a), b) + mse(a, b)`.
pub(crate) fn r_ampersand(a: &[f64], b: &[f64]) -> Vec<f64> {
    let n = a.len() as f64;
    let (sa, mb) = (sum(a), sum(b) / n);
    let soft = r_softmax(a, b);
    let (dsoft_a, p) = soft.split_at(a.len());
    let da: Vec<f64> = (0..a.len())
        .map(|i| b[i] + mb + dsoft_a[i] + 2.0 * (a[i] - b[i]) / n)
        .collect();
    let db: Vec<f64> = (0..a.len())
        .map(|i| a[i] + sa / n + p[i] - 2.0 * (a[i] - b[i]) / n)
        .collect();
    cat(&[&da, &db])
}

/// `2(p − t)/n`, `−2(p − t)/n`.
pub(crate) fn l_mse(p: &[f64], t: &[f64]) -> Vec<f64> {
    let n = p.len() as f64;
    let d = zip(p, t, |p, t| 2.0 * (p - t) / n);
    cat(&[&d, &map(&d, |x| -x)])
}

/// `softmax(z) − onehot(class)`.
pub(crate) fn l_cross_entropy(z: &[f64], class: usize) -> Vec<f64> {
    let mut d = softmax(z);
    d[class] -= 1.0;
    d
}

pub(crate) fn l_ce_by_hand(z: &[f64], class: usize) -> Vec<f64> {
    l_cross_entropy(z, class)
}

/// `(p − y)/(p(1 − p))/n` and `(ln(1 − p) − ln p)/n`.
pub(crate) fn l_bce(p: &[f64], y: &[f64]) -> Vec<f64> {
    let n = p.len() as f64;
    let dp = zip(p, y, |p, y| (p - y) / (p * (1.0 - p)) / n);
    let dy = map(p, |p| ((1.0 - p).ln() - p.ln()) / n);
    cat(&[&dp, &dy])
}

/// `(σ(z) − y)/n` and `−z/n`.
pub(crate) fn l_bce_with_logits(z: &[f64], y: &[f64]) -> Vec<f64> {
    let n = z.len() as f64;
    cat(&[&zip(z, y, |z, y| (sg(z) - y) / n), &map(z, |z| -z / n)])
}

/// `mse(w x + b, y)`: with `r = 2(w x + b − y)/n`, `(r x, r w, Σr, −r)`.
pub(crate) fn l_regression(w: &[f64], x: &[f64], b: f64, y: &[f64]) -> Vec<f64> {
    let n = w.len() as f64;
    let r: Vec<f64> = (0..w.len())
        .map(|i| 2.0 * (w[i] * x[i] + b - y[i]) / n)
        .collect();
    cat(&[
        &zip(&r, x, |r, x| r * x),
        &zip(&r, w, |r, w| r * w),
        &[sum(&r)],
        &map(&r, |r| -r),
    ])
}

/// `∇(dot(softmax(a), a) + dot(a, a))`.
fn p_any(a: &[f64]) -> Vec<f64> {
    let p = softmax(a);
    let pa = dot(&p, a);
    (0..a.len())
        .map(|j| p[j] * (a[j] - pa) + p[j] + 2.0 * a[j])
        .collect()
}

pub(crate) fn p_slice(a: &[f64]) -> Vec<f64> {
    p_any(a)
}

pub(crate) fn p_vec(a: &[f64]) -> Vec<f64> {
    p_any(a)
}

pub(crate) fn p_vec_ref(a: &[f64]) -> Vec<f64> {
    p_any(a)
}

pub(crate) fn p_array(a: &[f64]) -> Vec<f64> {
    p_any(a)
}

pub(crate) fn p_array_ref(a: &[f64]) -> Vec<f64> {
    p_any(a)
}

/// `z = W x + b`; `L = CE(s z, class) + c·z`; `g = ∂L/∂z = s (softmax(s z) − e_class) + c`.
pub(crate) fn p_mixed(
    w: &[f64],
    x: &[f64],
    b: &[f64],
    c: &[f64],
    s: f64,
    class: usize,
) -> Vec<f64> {
    let z = zip(&matvec(w, x), b, |z, b| z + b);
    let sz = map(&z, |z| s * z);
    let dce = l_cross_entropy(&sz, class);
    let g: Vec<f64> = (0..z.len()).map(|i| s * dce[i] + c[i]).collect();
    let m = r_matvec(w, x, &g);
    let (dw, rest) = m.split_at(w.len());
    let dx = &rest[..x.len()];
    let ds = dot(&dce, &z);
    cat(&[dw, dx, &g, &z, &[ds]])
}

/// The softmax Jacobian `p_i(δ_ij − p_j)`.
pub(crate) fn softmax_jacobian(a: &[f64]) -> Vec<Vec<f64>> {
    let p = softmax(a);
    (0..p.len())
        .map(|i| {
            (0..p.len())
                .map(|j| p[i] * (f64::from(u8::from(i == j)) - p[j]))
                .collect()
        })
        .collect()
}

/// The log-softmax Jacobian `δ_ij − p_j`.
pub(crate) fn log_softmax_jacobian(a: &[f64]) -> Vec<Vec<f64>> {
    let p = softmax(a);
    (0..p.len())
        .map(|i| {
            (0..p.len())
                .map(|j| f64::from(u8::from(i == j)) - p[j])
                .collect()
        })
        .collect()
}
