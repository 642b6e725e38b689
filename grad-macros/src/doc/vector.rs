//! Vector ops in the generated docs' math notation (`⟨a, b⟩`, `Σ v`,
//! `g·xᵀ`, ...).

use super::{Renderer, wrap};
use crate::ir::{VOp, Var};
use crate::ops::{ATOM, NEG, PROD, SUM};

impl Renderer<'_> {
    /// A vector op in math notation (`⟨a, b⟩`, `Σ v`, `g·xᵀ`, ...).
    pub(super) fn vector_op(&mut self, o: VOp, vs: &[Var]) -> (String, u8) {
        let r: Vec<(String, u8)> = vs.iter().map(|v| self.var(*v)).collect();
        let a = |k: usize| r.get(k).cloned().unwrap_or_default();
        // `g·x` (`x` at binding strength `p`), dropping a factor `g = 1`.
        let times_p = |x: String, p: u8, g: (String, u8)| {
            if g.0 == "1" {
                (x, p)
            } else {
                (format!("{}·{}", wrap(g, PROD), wrap((x, p), PROD)), PROD)
            }
        };
        let times = |x: String, g: (String, u8)| times_p(x, PROD, g);
        // Formulas with a division bind like a sum, so a product parenthesizes them.
        let ratio = |x: String, g: (String, u8)| times_p(x, SUM, g);
        match o {
            VOp::Sum => (format!("Σ{}", wrap(a(0), ATOM)), PROD),
            VOp::Mean => (format!("mean({})", a(0).0), ATOM),
            VOp::Dot => (format!("⟨{}, {}⟩", a(0).0, a(1).0), ATOM),
            VOp::Matvec | VOp::Matmul => {
                (format!("{}·{}", wrap(a(0), ATOM), wrap(a(1), ATOM)), PROD)
            }
            VOp::Transpose => (format!("{}ᵀ", wrap(a(0), ATOM)), ATOM),
            VOp::ColSum => (format!("Σ_rows {}", wrap(a(0), ATOM)), PROD),
            VOp::LogSoftmaxJvp => {
                let (y, d) = (a(0).0, wrap(a(1), PROD));
                (format!("{d} − ⟨exp({y}), {d}⟩"), SUM)
            }
            VOp::SoftmaxBackwardJvpY => {
                let (y, g, d) = (wrap(a(0), PROD), a(1).0, wrap(a(2), PROD));
                (format!("{d}⊙({g} − ⟨{g}, {y}⟩) − {y}⊙⟨{g}, {d}⟩"), SUM)
            }
            VOp::LogSoftmaxBackwardJvpY => {
                let (y, g, d) = (a(0).0, wrap(a(1), PROD), wrap(a(2), PROD));
                (format!("−exp({y})⊙{d}·Σ{g}"), SUM)
            }
            VOp::CrossEntropyBackwardJvpZ => {
                let (z, d) = (a(0).0, wrap(a(2), PROD));
                times(format!("softmax′({z})·{d}"), a(1))
            }
            VOp::MatmulBackwardA => (format!("{}·{}ᵀ", wrap(a(0), ATOM), wrap(a(1), ATOM)), PROD),
            VOp::MatmulBackwardB => (format!("{}ᵀ·{}", wrap(a(0), ATOM), wrap(a(1), ATOM)), PROD),
            VOp::Softmax => (format!("softmax({})", a(0).0), ATOM),
            VOp::LogSoftmax => (format!("log_softmax({})", a(0).0), ATOM),
            VOp::Mse => (format!("mse({}, {})", a(0).0, a(1).0), ATOM),
            VOp::CrossEntropy => (format!("cross_entropy({}, {})", a(0).0, a(1).0), ATOM),
            VOp::Bce => (
                format!("binary_cross_entropy({}, {})", a(0).0, a(1).0),
                ATOM,
            ),
            VOp::BceLogits => (format!("bce_with_logits({}, {})", a(0).0, a(1).0), ATOM),
            VOp::Index => (format!("{}[{}]", wrap(a(0), ATOM), a(1).0), ATOM),
            VOp::ArrayLit => {
                let all: Vec<String> = r.iter().map(|x| x.0.clone()).collect();
                (format!("[{}]", all.join(", ")), ATOM)
            }
            VOp::Fill => a(0),
            VOp::Repeat => (format!("[{}; {}]", a(0).0, a(1).0), ATOM),
            VOp::Zeros => (format!("0 ({}×{})", a(0).0, a(1).0), ATOM),
            VOp::MeanBackward => (format!("{} / n", wrap(a(0), PROD)), SUM),
            VOp::DotBackward => times(wrap(a(1), PROD), a(0)),
            VOp::IndexBackward => times(format!("onehot({})", a(1).0), a(0)),
            VOp::SoftmaxBackward => {
                let (y, g) = (wrap(a(0), ATOM), a(1).0);
                (format!("{y}⊙({g} − ⟨{g}, {y}⟩)"), PROD)
            }
            VOp::LogSoftmaxBackward => {
                let (y, g) = (a(0).0, wrap(a(1), PROD));
                (format!("{g} − exp({y})·Σ{g}"), SUM)
            }
            VOp::MseBackward => ratio(format!("2·({} − {}) / n", a(0).0, wrap(a(1), PROD)), a(2)),
            VOp::CrossEntropyBackward => times_p(
                format!("softmax({}) − onehot({})", a(0).0, a(1).0),
                SUM,
                a(2),
            ),
            VOp::BceBackwardP => {
                let (p, y) = (wrap(a(0), PROD), wrap(a(1), PROD));
                ratio(format!("({p} − {y}) / ({p}·(1 − {p})·n)"), a(2))
            }
            VOp::BceBackwardY => {
                let p = wrap(a(0), PROD);
                ratio(format!("(ln(1 − {p}) − ln {p}) / n"), a(2))
            }
            VOp::BceLogitsBackwardZ => {
                ratio(format!("(σ({}) − {}) / n", a(0).0, wrap(a(1), PROD)), a(2))
            }
            VOp::BceLogitsBackwardY => ratio(format!("−{} / n", wrap(a(0), NEG)), a(2)),
            VOp::MatvecBackwardW => (format!("{}·{}ᵀ", wrap(a(0), ATOM), wrap(a(1), ATOM)), PROD),
            VOp::MatvecBackwardX => (format!("{}ᵀ·{}", wrap(a(0), ATOM), wrap(a(1), ATOM)), PROD),
            VOp::SigmoidBackward => {
                let y = wrap(a(0), PROD);
                times(format!("{y}·(1 − {y})"), a(1))
            }
            VOp::TanhBackward => times(format!("(1 − {}²)", wrap(a(0), ATOM)), a(1)),
            VOp::ReluBackward => times(format!("[{} > 0]", a(0).0), a(1)),
            VOp::SoftplusBackward => times(format!("σ({})", a(0).0), a(1)),
        }
    }
}
