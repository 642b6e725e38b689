//! Expansion goldens: what the macro emits for representative fns, formatted
//! with prettyplease and compared with `tests/expand/NAME.expanded.rs`.
//! Beside each, `NAME.ir` is the IR listing (forward then backward, before
//! simplification), so changes to lowering and the rule table show too.
//! Regenerate with `GRAD_BLESS=1 cargo test -p grad-macros`.

use quote::quote;
use std::path::PathBuf;

fn cases() -> Vec<(
    &'static str,
    proc_macro2::TokenStream,
    proc_macro2::TokenStream,
)> {
    vec![
        (
            "neuron",
            quote!(),
            quote! {
                pub fn neuron(x: f64, w: f64, b: f64) -> f64 {
                    let z = w * x + b;
                    sigmoid(z)
                }
            },
        ),
        (
            "branches",
            quote!(),
            quote! {
                fn branchy(x: f64, y: f64) -> f64 {
                    let a = x * y;
                    if a > 1.0 {
                        let q = a.exp();
                        q * y
                    } else if x < 0.0 {
                        x.powi(3)
                    } else {
                        tanh(a) + y.max(x)
                    }
                }
            },
        ),
        (
            "wrt_and_constants",
            quote!(wrt(w, b)),
            quote! {
                pub(crate) fn scaled(x: f64, w: f64, b: f64, n: usize) -> f64 {
                    let k = n as f64;
                    (w * x + b) * k + core::f64::consts::PI
                }
            },
        ),
        (
            "f32_methods",
            quote!(),
            quote! {
                fn methods(x: f32, y: f32) -> f32 {
                    x.exp() + y.ln() + x.sqrt() * y.sin() - x.cos() / y.abs() + x.powf(y) + x.max(y) - x.min(y)
                }
            },
        ),
        (
            "polynomial",
            quote!(),
            quote! {
                fn poly(x: f64) -> f64 {
                    1.0 + 2.0 * x + 3.0 * x.powi(2) + 4.0 * x.powi(3) + 5.0 * powi(x, 4)
                }
            },
        ),
        (
            "unused_param",
            quote!(),
            quote! {
                fn once(x: f64, y: f64) -> f64 {
                    3.0 * x
                }
            },
        ),
        (
            "composition",
            quote!(),
            quote! {
                fn outer(x: f64, y: f64) -> f64 {
                    let h = inner(x) * layers::dense(x, y, 2);
                    h + neuron(x, y, 1.0)
                }
            },
        ),
        (
            "activations_and_cse",
            quote!(),
            quote! {
                fn acts(x: f64, y: f64) -> f64 {
                    let s = sigmoid(x);
                    softplus(x) + relu(y) * s + leaky_relu(x - y, 0.1) + tanh(y)
                }
            },
        ),
        (
            "shadowing_and_blocks",
            quote!(),
            quote! {
                fn shadow(x: f64) -> f64 {
                    let x = x * x;
                    let y: f64 = {
                        let x = x + 1.0;
                        x * x
                    };
                    -(y / x)
                }
            },
        ),
        (
            "if_constant_condition",
            quote!(),
            quote! {
                fn pick(x: f64, flag: bool, n: i32) -> f64 {
                    if flag && n > 2 {
                        x.powi(n)
                    } else {
                        -x
                    }
                }
            },
        ),
        (
            "error_fallback",
            quote!(),
            quote! {
                pub fn broken(x: f64) -> f64 {
                    let mut acc = 0.0;
                    for _ in 0..3 {
                        acc += x;
                    }
                    let sq = |v: f64| v * v;
                    match acc { _ => sq(acc) }
                }
            },
        ),
        (
            "vector_regression",
            quote!(),
            quote! {
                pub fn regression(w: &[f64], x: &[f64], b: f64, y: &[f64]) -> f64 {
                    mse(w * x + b, y)
                }
            },
        ),
        (
            "vector_cross_entropy",
            quote!(),
            quote! {
                pub fn ce(z: &[f32], class: usize) -> f32 {
                    cross_entropy(z, class)
                }
            },
        ),
        (
            "second_order",
            quote!(jvp, hessian),
            quote! {
                pub fn neuron(x: f64, w: f64, b: f64) -> f64 {
                    let z = w * x + b;
                    sigmoid(z)
                }
            },
        ),
        (
            "second_order_vectors",
            quote!(wrt(w), hessian),
            quote! {
                fn logistic(w: &[f64], x: &[f64], y: &[f64]) -> f64 {
                    bce_with_logits(matvec(x, w), y)
                }
            },
        ),
        (
            "loop_dot",
            quote!(),
            quote! {
                fn dotloop(w: &[f64], x: &[f64]) -> f64 {
                    let mut acc = 0.0;
                    for i in 0..w.len() {
                        acc += w[i] * x[i];
                    }
                    acc
                }
            },
        ),
        (
            "loop_euler",
            quote!(),
            quote! {
                fn euler(x0: f64, k: f64, steps: usize) -> f64 {
                    let dt = 1.0 / steps as f64;
                    let mut x = x0;
                    for _ in 0..steps {
                        x = x - dt * k * x;
                    }
                    x
                }
            },
        ),
        (
            "loop_horner",
            quote!(),
            quote! {
                fn horner(c: &[f64], x: f64) -> f64 {
                    let mut acc = 0.0;
                    for ci in c.iter() {
                        acc = acc * x + ci;
                    }
                    acc
                }
            },
        ),
        (
            "loop_rnn",
            quote!(wrt(w, u)),
            quote! {
                fn rnn(w: &[f64], u: &[f64], xs: &[f64], h0: &[f64]) -> f64 {
                    let mut h = h0.to_vec();
                    for x in xs.iter() {
                        h = tanh(matvec(w, h) + u * x);
                    }
                    sum(h * h)
                }
            },
        ),
        (
            "matrix_mlp",
            quote!(wrt(w1, b1, w2, b2)),
            quote! {
                pub fn loss(w1: &Matrix<f32>, b1: &[f32], w2: &Matrix<f32>, b2: &[f32], x: &Matrix<f32>, labels: &[usize]) -> f32 {
                    let h = tanh(matmul(x, w1) + b1);
                    let logits = matmul(&h, w2) + b2;
                    cross_entropy(&logits, labels)
                }
            },
        ),
        (
            "matrix_output",
            quote!(),
            quote! {
                fn layer(w: Matrix<f64>, x: &Matrix<f64>, s: f64) -> Matrix<f64> {
                    sigmoid(matmul(x, &w) * s - 1.0)
                }
            },
        ),
        (
            "vector_array_output",
            quote!(),
            quote! {
                fn probs(a: [f64; 3]) -> [f64; 3] {
                    softmax(a)
                }
            },
        ),
        (
            "vector_dense_layer",
            quote!(wrt(w, b)),
            quote! {
                fn layer(w: &Vec<f64>, x: Vec<f64>, b: [f64; 2]) -> f64 {
                    let h: Vec<f64> = tanh(matvec(w, &x) + b);
                    sum(h) + h[1] * 2.0
                }
            },
        ),
        (
            "call_wrt_subset_and_const_condition",
            quote!(),
            quote! {
                fn caller<'a>(w: f64, idx: &'a [usize]) -> f64 {
                    let c = 2.0 * 3.0;
                    let d = if c > 3.0 { h(3.0, w) } else { w };
                    d * (idx.len() as f64)
                }
            },
        ),
        (
            "vector_if_untouched_adjoint",
            quote!(),
            quote! {
                fn pick(v: &[f64], w: &[f64], flag: bool) -> f64 {
                    let u = if flag { v * 2.0 } else { w * 1.5 };
                    sum(u) + dot(v, w)
                }
            },
        ),
        (
            "generic_float",
            quote!(),
            quote! {
                pub fn scaled<T>(x: T, v: &[T]) -> T
                where
                    T: grad::Real,
                {
                    let s = sum(v) * 0.5 + 1.5 * 2.0;
                    if x > 0.0 { x * s + 0.1 * 3.0 } else { s - x }
                }
            },
        ),
        (
            "error_signature",
            quote!(wrt(q)),
            quote! {
                async fn sig<T>(x: f64, y: f32) -> f64 {
                    x
                }
            },
        ),
    ]
}

fn expand_pretty(args: proc_macro2::TokenStream, item: proc_macro2::TokenStream) -> String {
    let out = crate::expand::expand(args, item);
    match syn::parse2::<syn::File>(out.clone()) {
        Ok(file) => prettyplease::unparse(&file),
        Err(e) => format!("// does not parse as a file: {e}\n{out}\n"),
    }
}

#[test]
fn expansions_match_goldens() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/expand");
    let bless = std::env::var_os("GRAD_BLESS").is_some();
    let mut failures = Vec::new();
    for (name, args, item) in cases() {
        if let Some(ir) = crate::expand::ir_listing(args.clone(), item.clone()) {
            check(&dir, &format!("{name}.ir"), &ir, bless, &mut failures);
        }
        let got = expand_pretty(args, item);
        let path = dir.join(format!("{name}.expanded.rs"));
        if bless {
            std::fs::create_dir_all(&dir).expect("create tests/expand");
            std::fs::write(&path, &got).expect("write golden");
            continue;
        }
        match std::fs::read_to_string(&path) {
            Ok(want) if want == got => {}
            Ok(_) => failures.push(format!("{name}: expansion changed:\n{got}")),
            Err(_) => failures.push(format!("{name}: missing golden {}", path.display())),
        }
    }
    assert!(
        failures.is_empty(),
        "{}\n(run with GRAD_BLESS=1 to accept)",
        failures.join("\n\n")
    );
}

fn check(dir: &std::path::Path, file: &str, got: &str, bless: bool, failures: &mut Vec<String>) {
    let path = dir.join(file);
    if bless {
        std::fs::create_dir_all(dir).expect("create tests/expand");
        std::fs::write(&path, got).expect("write golden");
        return;
    }
    match std::fs::read_to_string(&path) {
        Ok(want) if want == got => {}
        Ok(_) => failures.push(format!("{file}: changed:\n{got}")),
        Err(_) => failures.push(format!("{file}: missing golden {}", path.display())),
    }
}

/// A fn taking a struct, in its two steps: the request for the struct's
/// definition, then (given it, as `#[derive(Differentiable)]`'s macro does)
/// the flat fn, its generated fns and the wrappers.
#[test]
fn struct_expansion_matches_golden() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/expand");
    let bless = std::env::var_os("GRAD_BLESS").is_some();
    let item = quote! {
        pub fn loss(p: &Mlp, x: &Matrix<f32>, labels: &[usize]) -> f32 {
            let h = tanh(matmul(x, transpose(&p.w1)) + &p.b1);
            cross_entropy(matmul(h, transpose(&p.w2)) + &p.b2, labels)
        }
    };
    let request = crate::expand::expand(quote!(wrt(p)), item.clone());
    let def = quote! {
        struct Mlp { w1: Matrix<f32>, b1: Vec<f32>, w2: Matrix<f32>, b2: Vec<f32>, #[differentiable(skip)] classes: usize }
    };
    let resolved = crate::structs::differentiable_struct(quote!([#def] [] [wrt(p)] #item));
    let pretty = |t: proc_macro2::TokenStream| match syn::parse2::<syn::File>(t.clone()) {
        Ok(file) => prettyplease::unparse(&file),
        Err(e) => format!("// does not parse as a file: {e}\n{t}\n"),
    };
    let got = format!(
        "// Step 1: #[differentiable(wrt(p))] asks for `Mlp`'s definition.\n{}\n// Step 2: `Mlp!` answers with it.\n{}",
        pretty(request),
        pretty(resolved)
    );
    let mut failures = Vec::new();
    check(&dir, "struct_mlp.expanded.rs", &got, bless, &mut failures);
    assert!(
        failures.is_empty(),
        "{}\n(run with GRAD_BLESS=1 to accept)",
        failures.join("\n\n")
    );
}
