//! The macro never panics: odd and broken inputs expand to *something*
//! that parses (the fn plus `compile_error!`s, or generated code).

use quote::quote;

#[test]
fn odd_inputs_expand_without_panicking() {
    let cases = vec![
        (
            quote!(),
            quote!(
                fn f() -> f64 {
                    1.0
                }
            ),
        ),
        (
            quote!(),
            quote!(
                fn f(x: f64) -> f64 {}
            ),
        ),
        (
            quote!(),
            quote!(
                fn f(x: f64) -> f64 {
                    let y;
                    y
                }
            ),
        ),
        (
            quote!(),
            quote!(
                fn f(x: f64) -> f64 {
                    x;
                }
            ),
        ),
        (
            quote!(),
            quote!(
                fn f(x: f64) -> f64 {
                    if x > 0.0 {
                        x
                    }
                }
            ),
        ),
        (
            quote!(),
            quote!(
                fn f(x: f64) -> f64 {
                    if x > 0.0 {
                        x
                    } else if x < -1.0 {
                        -x
                    } else {
                        0
                    }
                }
            ),
        ),
        (
            quote!(),
            quote!(
                fn f(x: f64) -> f64 {
                    x.powi()
                }
            ),
        ),
        (
            quote!(),
            quote!(
                fn f(x: f64) -> f64 {
                    powi(x, 2, 3)
                }
            ),
        ),
        (
            quote!(),
            quote!(
                fn f(x: f64) -> f64 {
                    x[0]
                }
            ),
        ),
        (
            quote!(),
            quote!(
                fn f(x: &[f64]) -> f64 {
                    x.exp()
                }
            ),
        ),
        (
            quote!(),
            quote!(
                fn f(x: &[f64]) -> f64 {
                    softmax(x)
                }
            ),
        ),
        (
            quote!(),
            quote!(
                fn f(x: f64) -> f64 {
                    sum(x)
                }
            ),
        ),
        (
            quote!(),
            quote!(
                fn f(x: [f64; 2], y: [f64; 3]) -> f64 {
                    dot(x, y)
                }
            ),
        ),
        (
            quote!(),
            quote!(
                fn f(x: [f64; 2], y: [f64; 3]) -> f64 {
                    sum(x + y)
                }
            ),
        ),
        (
            quote!(),
            quote!(
                fn f(w: [f64; 5], x: [f64; 2]) -> f64 {
                    sum(matvec(w, x))
                }
            ),
        ),
        (
            quote!(),
            quote!(
                fn f(x: &[f64]) -> f64 {
                    cross_entropy(x, 0.5)
                }
            ),
        ),
        (
            quote!(),
            quote!(
                fn f(x: &[f64]) -> f64 {
                    let v = [x, x];
                    0.0
                }
            ),
        ),
        (
            quote!(),
            quote!(
                fn f(x: &[f64], s: f64) -> f64 {
                    let u = if s > 0.0 { x } else { s };
                    0.0
                }
            ),
        ),
        (
            quote!(),
            quote!(
                fn f(x: f64) -> Vec<f64> {
                    x
                }
            ),
        ),
        (
            quote!(),
            quote!(
                fn f(x: &[f64]) -> f64 {
                    x * 2.0
                }
            ),
        ),
        (
            quote!(),
            quote!(
                fn f(x: f64) -> f64 {
                    let v: Vec<f64> = x;
                    v[0]
                }
            ),
        ),
        (
            quote!(),
            quote!(
                fn f(x: f64) -> f64 {
                    1e400 * x
                }
            ),
        ),
        (
            quote!(),
            quote!(
                fn f(x: f64) -> f64 {
                    x * 1.0f32
                }
            ),
        ),
        (
            quote!(wrt()),
            quote!(
                fn f(x: f64) -> f64 {
                    x
                }
            ),
        ),
        (
            quote!(wrt(x) extra),
            quote!(
                fn f(x: f64) -> f64 {
                    x
                }
            ),
        ),
        (
            quote!(with(x)),
            quote!(
                fn f(x: f64) -> f64 {
                    x
                }
            ),
        ),
        (
            quote!(),
            quote!(
                fn f((a, b): (f64, f64)) -> f64 {
                    a
                }
            ),
        ),
        (
            quote!(),
            quote!(
                fn f(x: &mut [f64]) -> f64 {
                    0.0
                }
            ),
        ),
        (quote!(), quote!(impl A {})),
        (
            quote!(),
            quote!(
                fn f(x: f64) -> f64 {
                    <f64 as Foo>::bar(x)
                }
            ),
        ),
        (
            quote!(),
            quote!(
                fn f(x: f64) -> f64 {
                    (|| x)()
                }
            ),
        ),
        (
            quote!(),
            quote!(
                fn f(x: f64) -> f64 {
                    ({
                        let x = x * 2.0;
                        x
                    }) + x
                }
            ),
        ),
        (
            quote!(),
            quote!(
                fn f(x: f64, n: i32) -> f64 {
                    x.powi(n) + x.powi(-2) + x.powi(0)
                }
            ),
        ),
        (
            quote!(),
            quote!(
                fn f(x: f64, p: f64) -> f64 {
                    x.powf(p) + leaky_relu(x, p)
                }
            ),
        ),
        // Generic float types, odd and broken.
        (
            quote!(hessian),
            quote!(
                fn f<T: Real, U: Real>(x: T, y: U) -> U {
                    x * y
                }
            ),
        ),
        (
            quote!(),
            quote!(
                fn f<T: Real>(x: Vec<Vec<T>>, y: &T, z: &mut T) -> T {
                    x as T + T::from_f64(0.5_f32) + <U as Real>::from_f64(1.0)
                }
            ),
        ),
        (
            quote!(jvp),
            quote!(
                fn f<'a, T, const N: usize>(x: [T; N], k: &'a [usize]) -> T
                where
                    T: ::grad::Real + Copy,
                    [T; N]: Sized,
                {
                    let y: T = 0.1 * 3.0 + f64::NAN;
                    if x[k[0]] > 1e400 { y } else { sum(x) * (-0.0) }
                }
            ),
        ),
        (
            quote!(),
            quote!(
                fn f<T: Real>(x: T) -> Matrix<T> {
                    x
                }
            ),
        ),
    ];
    for (args, item) in cases {
        let text = item.to_string();
        let out = crate::expand::expand(args, item);
        assert!(
            syn::parse2::<syn::File>(out.clone()).is_ok(),
            "expansion of `{text}` does not parse:\n{out}"
        );
    }
}

/// Struct parameters and methods: the second step, given odd definitions
/// and odd bodies, expands to something that parses (or, in an `impl`,
/// to associated items that parse inside one).
#[test]
fn odd_struct_inputs_expand_without_panicking() {
    let defs = [
        quote!(
            struct P {
                w: Vec<f64>,
                b: f64,
            }
        ),
        quote!(
            struct P(f64, [f64; 2]);
        ),
        quote!(
            struct P;
        ),
        quote!(
            struct P<T: Real, const N: usize> {
                w: [T; N],
                pair: (T, T),
                #[differentiable(skip)]
                n: usize,
            }
        ),
        quote!(
            struct P {
                inner: Q,
                v: Vec<Q>,
                g: fn(f64) -> f64,
            }
        ),
    ];
    let fns = [
        (
            quote!(wrt(p)),
            quote!(
                fn f(p: &P, x: f64) -> f64 {
                    p.b * x + p.w[0]
                }
            ),
        ),
        (
            quote!(),
            quote!(
                fn f(p: P) -> f64 {
                    p.0 + p.1[1] + p.missing
                }
            ),
        ),
        (
            quote!(wrt(p, q)),
            quote!(
                fn f(p: &P<f64, 2>) -> f64 {
                    p.pair.0 + p.n as f64
                }
            ),
        ),
        (
            quote!(hessian),
            quote!(
                fn f(p: &P) -> f64 {
                    p.inner.w[0] * p
                }
            ),
        ),
        (
            quote!(wrt(self)),
            quote!(
                fn f(self: &P, x: f64) -> f64 {
                    self.b * self.f(x)
                }
            ),
        ),
        (
            quote!(),
            quote!(
                fn f(p: &P) -> Vec<f64> {
                    p.w * g(p, p.inner)
                }
            ),
        ),
    ];
    for def in &defs {
        for (args, item) in &fns {
            let input = quote!([#def] [] [#args] #item);
            let text = input.to_string();
            let out = crate::structs::differentiable_struct(input);
            let ok = syn::parse2::<syn::File>(out.clone()).is_ok()
                || syn::parse2::<syn::ItemImpl>(quote!(impl P { #out })).is_ok();
            assert!(ok, "expansion of `{text}` does not parse:\n{out}");
        }
    }
    let odd = [
        quote!(),
        quote!([struct P { w: f64 }]),
        quote!([struct P { w: f64 }] [[not a struct]] [] fn f() {}),
        quote!([struct P { w: f64 }] [] [wrt(1)] fn f(p: &P) -> f64 { p.w }),
    ];
    for input in odd {
        let out = crate::structs::differentiable_struct(input);
        assert!(syn::parse2::<syn::File>(out).is_ok());
    }
    let imp = quote!(impl P { #[differentiable(wrt(self))] fn f(&self, x: f64) -> f64 { self.b * x } fn g() {} });
    let out = crate::structs::differentiable_struct(
        quote!([struct P { w: Vec<f64>, b: f64 }] [] [] #imp),
    );
    assert!(syn::parse2::<syn::ItemImpl>(out.clone()).is_ok(), "{out}");
}
