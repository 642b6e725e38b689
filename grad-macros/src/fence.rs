//! The supported subset, as one visitor that reports every unsupported
//! construct with its span, naming it and what to write instead.
//!
//! The fence runs before lowering, so lowering may assume the body's syntax
//! is inside the subset (it still reports type errors, which need inference).

use crate::diag::Diag;
use syn::visit::{self, Visit};
use syn::{BinOp, Block, Expr, Lit, Local, Pat, Stmt, UnOp};

mod statements;

/// Methods a body may call on a float (and `len` on a vector).
/// The op table's primitives, then `len`.
fn methods() -> Vec<&'static str> {
    let mut m: Vec<&str> = crate::ops::PRIMS.iter().map(|p| p.name).collect();
    m.extend(["len", "rows", "cols", "to_vec", "clone"]);
    m
}

const PREFIX: &str = "in #[differentiable] fns";

/// `a` of `a.iter()`, `a.into_iter().copied()`, ... (else `e` itself).
fn iter_base(e: &Expr) -> &Expr {
    match e {
        Expr::MethodCall(m)
            if m.args.is_empty()
                && m.turbofish.is_none()
                && ["iter", "into_iter", "copied", "cloned"]
                    .contains(&m.method.to_string().as_str()) =>
        {
            iter_base(&m.receiver)
        }
        _ => e,
    }
}

/// `a` if `e` is a method chain starting with `a.iter()` / `a.into_iter()` / `a.iter_mut()`.
fn iter_chain_base(e: &Expr) -> Option<&Expr> {
    let Expr::MethodCall(m) = e else { return None };
    if ["iter", "into_iter", "iter_mut"].contains(&m.method.to_string().as_str()) {
        return Some(&m.receiver);
    }
    iter_chain_base(&m.receiver)
}

/// The text of a plain name, else `placeholder`.
fn simple_text(e: &Expr, placeholder: &str) -> String {
    match e {
        Expr::Path(p) if p.qself.is_none() && p.path.get_ident().is_some() => {
            quote::ToTokens::to_token_stream(&p.path).to_string()
        }
        Expr::Reference(r) => simple_text(&r.expr, placeholder),
        Expr::Paren(p) => simple_text(&p.expr, placeholder),
        _ => placeholder.to_string(),
    }
}

/// Checks a fn body, reporting into `diag`.
/// `returns`: whether the fn declares a return type (without one, a missing
/// tail expression is not reported again).
pub(crate) fn check_body(block: &Block, returns: bool, diag: &mut Diag) {
    let mut f = Fence {
        diag,
        in_cond: 0,
        top: Some(returns),
    };
    f.visit_block(block);
}

struct Fence<'a> {
    diag: &'a mut Diag,
    /// > 0 while inside an `if` condition (any method may be called there).
    in_cond: usize,
    /// For the fn body only: whether a tail expression is expected.
    top: Option<bool>,
}

impl Fence<'_> {
    fn loops(&mut self, tokens: impl quote::ToTokens, what: &str) {
        self.diag.error(
            tokens,
            format!(
                "{what} loops are not supported {PREFIX} yet; write a `for` loop over a range (`for i in 0..n`) or a vector (`for x in v.iter()`), or a `while` loop"
            ),
        );
    }
}

impl<'ast> Visit<'ast> for Fence<'_> {
    fn visit_block(&mut self, b: &'ast Block) {
        let n = b.stmts.len();
        for (i, s) in b.stmts.iter().enumerate() {
            let last = i + 1 == n;
            match s {
                Stmt::Expr(e, semi) if !last || semi.is_some() => self.statement(e),
                _ => self.visit_stmt(s),
            }
        }
        let needs_tail = self.top.take().unwrap_or(true);
        match b.stmts.last() {
            _ if !needs_tail => {}
            Some(Stmt::Expr(_, None)) => {}
            Some(Stmt::Expr(Expr::Return(_), Some(_))) => {}
            _ => self.diag.error_at(
                b.brace_token.span.close(),
                "this block has no tail expression; end it with the value to return (an expression without `;`)".to_string(),
            ),
        }
    }

    fn visit_stmt(&mut self, s: &'ast Stmt) {
        match s {
            Stmt::Item(item) => self.diag.error(
                item,
                "items are not supported inside #[differentiable] fns; move this item out of the fn".to_string(),
            ),
            Stmt::Macro(m) => self.diag.error(
                &m.mac,
                format!("macro calls are not supported {PREFIX}; write the expression without a macro"),
            ),
            _ => visit::visit_stmt(self, s),
        }
    }

    fn visit_local(&mut self, l: &'ast Local) {
        let pat_ok = match &l.pat {
            Pat::Wild(_) => true,
            Pat::Ident(p) => p.subpat.is_none() && p.by_ref.is_none(),
            Pat::Type(t) => {
                matches!(&*t.pat, Pat::Ident(p) if p.subpat.is_none() && p.by_ref.is_none())
            }
            _ => false,
        };
        if !pat_ok {
            self.diag.error(
                &l.pat,
                format!("destructuring patterns are not supported {PREFIX}; bind one value to one name: `let name = ...;`"),
            );
        }
        match &l.init {
            None => self.diag.error(
                l,
                format!(
                    "`let` without a value is not supported {PREFIX}; write `let name = value;`"
                ),
            ),
            Some(init) => {
                if let Some((else_token, _)) = &init.diverge {
                    self.diag.error(
                        else_token,
                        format!("`let ... else` is not supported {PREFIX}; use `if`/`else`"),
                    );
                }
                self.visit_expr(&init.expr);
            }
        }
    }

    fn visit_expr(&mut self, e: &'ast Expr) {
        match e {
            Expr::Lit(l) => match &l.lit {
                Lit::Float(_) | Lit::Int(_) | Lit::Bool(_) => {}
                _ => self.diag.error(
                    l,
                    format!("this literal is not supported {PREFIX}; only numbers (and `true`/`false` in conditions) are"),
                ),
            },
            Expr::Path(p) => {
                if p.qself.is_some() {
                    self.diag.error(
                        p,
                        format!("qualified paths `<T as Trait>::..` are not supported {PREFIX}"),
                    );
                }
            }
            // `m[(i, j)]`: a matrix element (the pair is not a tuple value).
            Expr::Index(ix) if matches!(&*ix.index, Expr::Tuple(t) if t.elems.len() == 2) => {
                self.visit_expr(&ix.expr);
                if let Expr::Tuple(t) = &*ix.index {
                    t.elems.iter().for_each(|e| self.visit_expr(e));
                }
            }
            Expr::Paren(_) | Expr::Group(_) | Expr::Array(_) | Expr::Index(_) => {
                visit::visit_expr(self, e)
            }
            Expr::Cast(c) => self.visit_expr(&c.expr),
            Expr::Binary(b) => {
                if is_compound_assign(&b.op) {
                    self.diag.error(
                        b,
                        format!("a compound assignment has no value {PREFIX}; assign in a statement (`x += ..;`) and use `x` after it"),
                    );
                    return;
                }
                match b.op {
                    BinOp::Add(_) | BinOp::Sub(_) | BinOp::Mul(_) | BinOp::Div(_) => {}
                    BinOp::Eq(_)
                    | BinOp::Ne(_)
                    | BinOp::Lt(_)
                    | BinOp::Le(_)
                    | BinOp::Gt(_)
                    | BinOp::Ge(_)
                    | BinOp::And(_)
                    | BinOp::Or(_) => {}
                    BinOp::Rem(_) => self.diag.error(
                        b.op,
                        format!("the `%` operator is not supported {PREFIX}; compute the remainder outside the fn and pass it in as a parameter"),
                    ),
                    _ => self.diag.error(
                        b.op,
                        format!("this operator is not supported {PREFIX}; use `+ - * /` on floats"),
                    ),
                }
                visit::visit_expr(self, e);
            }
            Expr::Unary(u) => {
                match u.op {
                    UnOp::Neg(_) | UnOp::Not(_) => {}
                    _ => self.diag.error(
                        u.op,
                        format!("dereferencing with `*` is not supported {PREFIX}; pass floats by value"),
                    ),
                }
                visit::visit_expr(self, e);
            }
            Expr::Reference(r) => {
                if let Some(m) = &r.mutability {
                    self.diag.error(
                        m,
                        format!("`&mut` is not supported {PREFIX}; use `&` or pass by value"),
                    );
                }
                self.visit_expr(&r.expr);
            }
            Expr::Call(c) => {
                match &*c.func {
                    Expr::Path(p) if p.qself.is_none() => {}
                    // `<T as Real>::from_f64(x)` in a fn generic over `T`.
                    Expr::Path(_) if crate::generic::is_conversion(c) => {}
                    other => self.diag.error(
                        other,
                        format!("only calls of named fns are supported {PREFIX}; call a fn by its path, e.g. `g(x)`"),
                    ),
                }
                for a in &c.args {
                    self.visit_expr(a);
                }
            }
            Expr::MethodCall(m)
                if self.in_cond == 0
                    && crate::ops::vector_op(&m.method.to_string()).is_some()
                    && iter_chain_base(iter_base(&m.receiver)).is_none() =>
            {
                // `a.iter().sum()`, `a.dot(b)`: the built-in is a free fn.
                let base = iter_base(&m.receiver);
                let mut args = vec![simple_text(base, "v")];
                args.extend(m.args.iter().map(|a| simple_text(a, "w")));
                let name = m.method.to_string();
                self.diag.error(
                    &m.method,
                    format!(
                        "`.{name}()` is not supported as a method {PREFIX}; write the built-in `{name}({})`",
                        args.join(", ")
                    ),
                );
                self.visit_expr(base);
                for a in &m.args {
                    self.visit_expr(a);
                }
            }
            Expr::MethodCall(m) if self.in_cond == 0 && iter_chain_base(e).is_some() => {
                // `a.iter().map(..).sum()`: one error for the whole chain.
                let base = iter_chain_base(e).unwrap_or(e);
                let a = simple_text(base, "v");
                self.diag.error(
                    &m.method,
                    format!(
                        "iterators are not supported {PREFIX} (they are loops); work on the vector whole: `sum({a})`, `mean({a})`, `dot({a}, b)`, elementwise `exp({a})` or `{a} * b`, or index it: `{a}[i]`"
                    ),
                );
                self.visit_expr(base);
            }
            Expr::MethodCall(m) => {
                let name = m.method.to_string();
                let methods = methods();
                if self.in_cond == 0 && !methods.contains(&name.as_str()) {
                    let mut args = vec![simple_text(&m.receiver, "x")];
                    let extra = ["y", "z", "w"];
                    args.extend(
                        m.args
                            .iter()
                            .enumerate()
                            .map(|(k, a)| simple_text(a, extra.get(k).copied().unwrap_or("a"))),
                    );
                    let args = args.join(", ");
                    self.diag.error(
                        &m.method,
                        format!(
                            "unknown method `{name}` {PREFIX}: the supported methods are `{}`; for anything else write a fn `{name}` with a hand-written `{name}_vjp` and call it as `{name}({args})`",
                            methods.join("`, `")
                        ),
                    );
                } else if let Some(t) = &m.turbofish {
                    self.diag.error(
                        t,
                        format!("turbofish `::<..>` is not supported {PREFIX}"),
                    );
                }
                visit::visit_expr(self, e);
            }
            Expr::If(i) => {
                self.condition(&i.cond, "if");
                self.visit_block(&i.then_branch);
                match &i.else_branch {
                    Some((_, els)) => self.visit_expr(els),
                    None => self.diag.error(
                        i.if_token,
                        format!("`if` without `else` has no value {PREFIX}; add an `else` branch"),
                    ),
                }
            }
            Expr::Block(b) => {
                if let Some(l) = &b.label {
                    self.diag.error(l, format!("labeled blocks are not supported {PREFIX}"));
                }
                self.visit_block(&b.block);
            }
            Expr::ForLoop(l) => self.diag.error(
                l.for_token,
                format!("a `for` loop has no value {PREFIX}; run it as a statement and make the value the tail expression"),
            ),
            Expr::While(l) => self.diag.error(
                l.while_token,
                format!("a `while` loop has no value {PREFIX}; run it as a statement and make the value the tail expression"),
            ),
            Expr::Loop(l) => self.loops(l.loop_token, "`loop`"),
            Expr::Break(b) => self.diag.error(
                b,
                format!("`break` is supported {PREFIX} only in a `for` or `while` loop, as the last statement of an `if`: `if done {{ break; }}`"),
            ),
            Expr::Continue(c) => self.diag.error(
                c,
                format!("`continue` is supported {PREFIX} only in a `for` or `while` loop, as the last statement of an `if`: `if skip {{ continue; }}`"),
            ),
            Expr::Match(m) => self.diag.error(
                m.match_token,
                format!("`match` is not supported {PREFIX}; use `if`/`else if`/`else`"),
            ),
            Expr::Closure(c) => self.diag.error(
                c,
                format!("closures are not supported {PREFIX}; write a separate fn (with #[differentiable] or a hand-written `_vjp`) and call it"),
            ),
            Expr::Macro(m) if m.mac.path.is_ident("vec") => {
                let tokens = &m.mac.tokens;
                match syn::parse2::<syn::ExprRepeat>(quote::quote!([#tokens])) {
                    Ok(r) => {
                        self.visit_expr(&r.expr);
                        self.visit_expr(&r.len);
                    }
                    Err(_) => self.diag.error(
                        &m.mac,
                        format!("`vec!` takes the form `vec![value; n]` {PREFIX}; for a list of values write an array literal `[a, b, c]`"),
                    ),
                }
            }
            Expr::Macro(m) => {
                let name = m
                    .mac
                    .path
                    .segments
                    .last()
                    .map(|s| s.ident.to_string())
                    .unwrap_or_default();
                self.diag.error(
                    &m.mac,
                    format!("macro calls (`{name}!`) are not supported {PREFIX}; write the expression without a macro"),
                );
            }
            Expr::Assign(a) => self.diag.error(
                a,
                format!("an assignment has no value {PREFIX}; assign in a statement (`x = ..;`) and use `x` after it"),
            ),
            Expr::Return(r) => self.diag.error(
                r.return_token,
                format!("`return` is not supported {PREFIX}; make the value the tail expression (use `if`/`else` to choose it)"),
            ),
            Expr::Try(t) => self.diag.error(
                t.question_token,
                format!("the `?` operator is not supported {PREFIX}; a differentiable fn returns a plain float"),
            ),
            Expr::Async(a) => self.diag.error(a, format!("async blocks are not supported {PREFIX}")),
            Expr::Await(a) => self.diag.error(a, format!("`.await` is not supported {PREFIX}")),
            Expr::Unsafe(u) => self.diag.error(
                u.unsafe_token,
                format!("unsafe blocks are not supported {PREFIX}; remove `unsafe`, or move the call into a fn with a hand-written `_vjp` and call that"),
            ),
            Expr::Struct(s) => self.diag.error(
                s,
                format!("struct literals are not supported {PREFIX}; a differentiable fn computes floats"),
            ),
            Expr::Field(f) => self.diag.error(
                f,
                format!("field access is not supported {PREFIX}; pass the field as a float parameter instead"),
            ),
            Expr::Tuple(t) => self.diag.error(
                t,
                format!("tuples are not supported {PREFIX}; return one float (or one vector)"),
            ),
            Expr::Repeat(r) => self.diag.error(
                r,
                format!("array repeat expressions `[x; n]` are not supported {PREFIX}; write the elements out: `[a, b, c]`"),
            ),
            Expr::Range(r) => self.diag.error(
                r,
                format!("ranges are not supported {PREFIX}; index with a constant: `v[0]`"),
            ),
            Expr::Let(l) => self.diag.error(
                l.let_token,
                format!("`let` expressions are not supported {PREFIX}"),
            ),
            other => self.diag.error(
                other,
                format!("this expression is not supported {PREFIX}; see the `grad` docs for the supported subset"),
            ),
        }
    }
}

pub(crate) fn is_compound_assign(op: &BinOp) -> bool {
    matches!(
        op,
        BinOp::AddAssign(_)
            | BinOp::SubAssign(_)
            | BinOp::MulAssign(_)
            | BinOp::DivAssign(_)
            | BinOp::RemAssign(_)
            | BinOp::BitXorAssign(_)
            | BinOp::BitAndAssign(_)
            | BinOp::BitOrAssign(_)
            | BinOp::ShlAssign(_)
            | BinOp::ShrAssign(_)
    )
}
