//! Expansion goldens: what the macro emits for representative fns, formatted
//! with prettyplease and compared with `tests/expand/NAME.expanded.rs`.
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
