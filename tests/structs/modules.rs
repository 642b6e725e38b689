//! Where the struct is defined: another module (imported with `use`, or
//! named by its path), or later in the same module.

use super::check::{assert_close, central};
use grad::prelude::*;

mod model {
    use grad::prelude::*;

    /// A layer, defined away from the fns that take it.
    #[derive(Differentiable, Clone, Debug, PartialEq)]
    pub(crate) struct Layer {
        pub(crate) w: Vec<f64>,
        pub(crate) b: f64,
    }

    pub(crate) mod deeper {
        use grad::prelude::*;

        /// A struct two modules down.
        #[derive(Differentiable, Clone, Debug, PartialEq)]
        pub(crate) struct Scale(pub(crate) f64);
    }
}

mod user {
    use super::model::Layer;
    use grad::prelude::*;

    /// `Layer` imported with `use`: its fields' macro comes with it.
    #[differentiable(wrt(l))]
    pub(crate) fn out(l: &Layer, x: &[f64]) -> f64 {
        tanh(dot(&l.w, x) + l.b)
    }

    /// A struct named by its path.
    #[differentiable]
    pub(crate) fn scaled(s: &super::model::deeper::Scale, x: f64) -> f64 {
        s.0 * x * x
    }
}

/// The struct is defined below the fn.
#[differentiable(wrt(p))]
fn later(p: &Later, x: f64) -> f64 {
    p.a * x + p.b.exp()
}

#[derive(Differentiable, Clone, Debug, PartialEq)]
struct Later {
    a: f64,
    b: f64,
}

#[test]
fn a_struct_from_another_module_imported_with_use() {
    let l = model::Layer {
        w: vec![0.5, -1.0],
        b: 0.25,
    };
    let g: model::Layer = user::out_grad(&l, &[2.0, 0.5]);
    assert_close(&g, &central(&l, 1e-6, |q| user::out(q, &[2.0, 0.5])), 1e-8);
}

#[test]
fn a_struct_named_by_its_path() {
    let s = model::deeper::Scale(3.0);
    let (g, gx) = user::scaled_grad(&s, 2.0);
    assert_eq!((g.0, gx), (4.0, 12.0));
}

#[test]
fn a_struct_defined_after_the_fn() {
    let p = Later { a: 2.0, b: 0.5 };
    let g: Later = later_grad(&p, 3.0);
    assert_eq!(g.a, 3.0);
    assert_eq!(g.b, 0.5f64.exp());
}
