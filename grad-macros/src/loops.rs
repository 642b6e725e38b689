//! The `for` loops a `#[differentiable]` body may contain, recognized from
//! syntax (shared by the fence, which reports the others, and lowering):
//!
//! - `for i in a..b` and `for i in a..=b` (`_` for an unused index);
//! - `for x in v.iter()`, `&v`, `v.iter().copied()` (also `&x` patterns);
//! - `for (i, x) in v.iter().enumerate()`;
//! - `for (a, b) in u.iter().zip(v.iter())` (or `.zip(&v)`), over the
//!   shorter of the two.

use syn::{Expr, ExprForLoop, Ident, Pat, RangeLimits};

/// Where a loop's values come from.
pub(crate) enum Source<'a> {
    /// `start..end` (`end` included when `inclusive`).
    Range {
        start: &'a Expr,
        end: &'a Expr,
        inclusive: bool,
    },
    /// The elements of vectors, in lockstep (one for `iter`, two for `zip`).
    Elems(Vec<&'a Expr>),
}

/// A recognized `for` loop: the index's name (if bound), one name per
/// element source (`None` for `_`), and the source.
pub(crate) struct For<'a> {
    pub(crate) index: Option<Ident>,
    pub(crate) elems: Vec<Option<Ident>>,
    pub(crate) source: Source<'a>,
}

const FORMS: &str = "the supported loops are `for i in a..b` (or `a..=b`), `for x in v.iter()` (or `&v`, `v.iter().copied()`), `for (i, x) in v.iter().enumerate()` and `for (a, b) in u.iter().zip(v.iter())`";

/// The loop's form, or where it is not supported and why.
pub(crate) fn parse(l: &ExprForLoop) -> Result<For<'_>, (proc_macro2::TokenStream, String)> {
    use quote::ToTokens;
    let bad_pat = |p: &Pat| {
        (
            p.to_token_stream(),
            format!("this loop pattern is not supported in #[differentiable] fns; {FORMS}"),
        )
    };
    if let Expr::Range(r) = strip(&l.expr) {
        let (Some(start), Some(end)) = (&r.start, &r.end) else {
            return Err((
                r.to_token_stream(),
                "a loop range needs both ends in #[differentiable] fns: `a..b` or `a..=b`"
                    .to_string(),
            ));
        };
        let index = name(&l.pat).ok_or_else(|| bad_pat(&l.pat))?;
        return Ok(For {
            index,
            elems: vec![],
            source: Source::Range {
                start,
                end,
                inclusive: matches!(r.limits, RangeLimits::Closed(_)),
            },
        });
    }
    let unsupported = || {
        (
            l.expr.to_token_stream(),
            format!("this loop is not supported in #[differentiable] fns; {FORMS}"),
        )
    };
    // `v.iter().enumerate()` / `u.iter().zip(..)`
    if let Expr::MethodCall(m) = strip(&l.expr) {
        let method = m.method.to_string();
        if method == "enumerate" && m.args.is_empty() {
            let v = vector(&m.receiver).ok_or_else(unsupported)?;
            let Pat::Tuple(t) = &*l.pat else {
                return Err(bad_pat(&l.pat));
            };
            let [i, x] = two(t).ok_or_else(|| bad_pat(&l.pat))?;
            return Ok(For {
                index: name(i).ok_or_else(|| bad_pat(i))?,
                elems: vec![name(x).ok_or_else(|| bad_pat(x))?],
                source: Source::Elems(vec![v]),
            });
        }
        if method == "zip" && m.args.len() == 1 {
            let u = vector(&m.receiver).ok_or_else(unsupported)?;
            let v = vector(&m.args[0]).ok_or_else(unsupported)?;
            let Pat::Tuple(t) = &*l.pat else {
                return Err(bad_pat(&l.pat));
            };
            let [a, b] = two(t).ok_or_else(|| bad_pat(&l.pat))?;
            return Ok(For {
                index: None,
                elems: vec![
                    name(a).ok_or_else(|| bad_pat(a))?,
                    name(b).ok_or_else(|| bad_pat(b))?,
                ],
                source: Source::Elems(vec![u, v]),
            });
        }
    }
    let v = vector(&l.expr).ok_or_else(unsupported)?;
    Ok(For {
        index: None,
        elems: vec![name(&l.pat).ok_or_else(|| bad_pat(&l.pat))?],
        source: Source::Elems(vec![v]),
    })
}

/// `v` of `v.iter()`, `v.iter().copied()`, `v.iter().cloned()` or `&v`.
fn vector(e: &Expr) -> Option<&Expr> {
    match strip(e) {
        Expr::Reference(r) if r.mutability.is_none() => Some(&r.expr),
        Expr::MethodCall(m) if m.args.is_empty() => match m.method.to_string().as_str() {
            "iter" => Some(&m.receiver),
            "copied" | "cloned" => match strip(&m.receiver) {
                Expr::MethodCall(inner) if inner.method == "iter" && inner.args.is_empty() => {
                    Some(&inner.receiver)
                }
                _ => None,
            },
            _ => None,
        },
        _ => None,
    }
}

/// The name bound by `x`, `&x`, `mut x` (`None` for `_`); not a name: `Err`.
fn name(p: &Pat) -> Option<Option<Ident>> {
    match p {
        Pat::Ident(i) if i.by_ref.is_none() && i.subpat.is_none() => Some(Some(i.ident.clone())),
        Pat::Wild(_) => Some(None),
        Pat::Reference(r) if r.mutability.is_none() => name(&r.pat),
        Pat::Paren(p) => name(&p.pat),
        _ => None,
    }
}

/// The two patterns of `(a, b)`.
fn two(t: &syn::PatTuple) -> Option<[&Pat; 2]> {
    let mut it = t.elems.iter();
    match (it.next(), it.next(), it.next()) {
        (Some(a), Some(b), None) => Some([a, b]),
        _ => None,
    }
}

fn strip(e: &Expr) -> &Expr {
    match e {
        Expr::Paren(p) => strip(&p.expr),
        Expr::Group(g) => strip(&g.expr),
        _ => e,
    }
}

/// The names assigned (`x = ..`, `x += ..`) anywhere in `stmts`, in order of
/// first assignment.
pub(crate) fn assigned(stmts: &[syn::Stmt]) -> Vec<String> {
    struct Find(Vec<String>);
    impl<'a> syn::visit::Visit<'a> for Find {
        fn visit_expr(&mut self, e: &'a Expr) {
            let target = match e {
                Expr::Assign(a) => Some(&*a.left),
                Expr::Binary(b) if crate::fence::is_compound_assign(&b.op) => Some(&*b.left),
                _ => None,
            };
            // `v[i] = ..` assigns `v`.
            let target = target.map(strip).map(|t| match t {
                Expr::Index(ix) => strip(&ix.expr),
                other => other,
            });
            if let Some(Expr::Path(p)) = target
                && let Some(id) = p.path.get_ident()
            {
                let n = id.to_string();
                if !self.0.contains(&n) {
                    self.0.push(n);
                }
            }
            syn::visit::visit_expr(self, e);
        }
    }
    let mut f = Find(Vec::new());
    for s in stmts {
        syn::visit::Visit::visit_stmt(&mut f, s);
    }
    f.0
}

/// A loop body with its early exits made structured: `if c { ..; continue; }`
/// runs the rest of the body only when `c` is false, and
/// `if c { ..; break; }` also sets `flag` (the caller makes the loop stop
/// once it is set). Whether `flag` is used. `break`/`continue` anywhere
/// else (not the last statement of an `if` without `else` at the top of
/// the body) is reported with the form to write.
pub(crate) fn desugar(
    stmts: &[syn::Stmt],
    flag: &Ident,
) -> Result<(Vec<syn::Stmt>, bool), (proc_macro2::TokenStream, String)> {
    let mut out = Vec::new();
    for (k, s) in stmts.iter().enumerate() {
        if let syn::Stmt::Expr(Expr::If(i), _) = s
            && i.else_branch.is_none()
            && let Some((last, then)) = i.then_branch.stmts.split_last()
            && let Some(exit) = exit(last)
        {
            for t in then {
                stray(t)?;
            }
            let (rest, rest_flag) = desugar(&stmts[k + 1..], flag)?;
            let cond = &i.cond;
            let mut then: Vec<syn::Stmt> = then.to_vec();
            let breaks = exit == Exit::Break;
            if breaks {
                then.push(syn::parse_quote!(#flag = true;));
            }
            out.push(syn::parse_quote!(if #cond { #(#then)* } else { #(#rest)* }));
            return Ok((out, breaks || rest_flag));
        }
        stray(s)?;
        out.push(s.clone());
    }
    Ok((out, false))
}

#[derive(PartialEq)]
enum Exit {
    Break,
    Continue,
}

/// `break;` or `continue;` without a label or a value.
fn exit(s: &syn::Stmt) -> Option<Exit> {
    match s {
        syn::Stmt::Expr(Expr::Break(b), _) if b.label.is_none() && b.expr.is_none() => {
            Some(Exit::Break)
        }
        syn::Stmt::Expr(Expr::Continue(c), _) if c.label.is_none() => Some(Exit::Continue),
        _ => None,
    }
}

/// Reports a `break`/`continue` of this loop in a position `desugar` does
/// not take (those of nested loops are theirs).
fn stray(s: &syn::Stmt) -> Result<(), (proc_macro2::TokenStream, String)> {
    struct Find(Option<proc_macro2::TokenStream>);
    impl<'a> syn::visit::Visit<'a> for Find {
        fn visit_expr(&mut self, e: &'a Expr) {
            if self.0.is_some() {
                return;
            }
            match e {
                Expr::Break(_) | Expr::Continue(_) => {
                    self.0 = Some(quote::ToTokens::to_token_stream(e));
                }
                Expr::ForLoop(_) | Expr::While(_) | Expr::Loop(_) | Expr::Closure(_) => {}
                _ => syn::visit::visit_expr(self, e),
            }
        }
    }
    let mut f = Find(None);
    syn::visit::Visit::visit_stmt(&mut f, s);
    match f.0 {
        None => Ok(()),
        Some(at) => Err((
            at,
            "`break` and `continue` are supported in #[differentiable] fns as the last statement of an `if` (without `else`) at the top of a loop body: `if done { break; }`; move it there".to_string(),
        )),
    }
}
