//! The statement-position checks: assignments, `if` statements, `for` and
//! `while` loops, their conditions, and the blocks they run for effect.

use super::{Fence, PREFIX, is_compound_assign};
use syn::visit::Visit;
use syn::{BinOp, Block, Expr, Stmt};

impl Fence<'_> {
    /// An expression in statement position: an assignment, an `if` or a
    /// `for` loop (which yield no value), or a construct with its own message.
    pub(super) fn statement(&mut self, e: &Expr) {
        match e {
            Expr::Assign(a) => match &*a.left {
                Expr::Path(p) if p.path.get_ident().is_some() => self.visit_expr(&a.right),
                Expr::Index(ix) if is_name(&ix.expr) => {
                    self.index(&ix.index);
                    self.visit_expr(&a.right);
                }
                other => self.diag.error(
                    other,
                    format!("only a plain name or an element of one can be assigned {PREFIX}: `x = ..`, `v[i] += ..`"),
                ),
            },
            Expr::Binary(b) if is_compound_assign(&b.op) => {
                let ok_op = matches!(
                    b.op,
                    BinOp::AddAssign(_) | BinOp::SubAssign(_) | BinOp::MulAssign(_) | BinOp::DivAssign(_)
                );
                match &*b.left {
                    _ if !ok_op => self.diag.error(
                        b.op,
                        format!("this compound assignment is not supported {PREFIX}; use `+= -= *= /=` on floats"),
                    ),
                    Expr::Path(p) if p.path.get_ident().is_some() => self.visit_expr(&b.right),
                    Expr::Index(ix) if is_name(&ix.expr) => {
                        self.index(&ix.index);
                        self.visit_expr(&b.right);
                    }
                    other => self.diag.error(
                        other,
                        format!("only a plain name or an element of one can be assigned {PREFIX}: `x = ..`, `v[i] += ..`"),
                    ),
                }
            }
            Expr::If(i) => {
                self.condition(&i.cond, "if");
                self.statements(&i.then_branch);
                match i.else_branch.as_ref().map(|(_, e)| &**e) {
                    Some(Expr::Block(b)) => self.statements(&b.block),
                    Some(e @ Expr::If(_)) => self.statement(e),
                    Some(other) => self.visit_expr(other),
                    None => {}
                }
            }
            Expr::ForLoop(l) => {
                if let Some(label) = &l.label {
                    self.diag.error(label, format!("labeled loops are not supported {PREFIX}"));
                }
                match crate::loops::parse(l) {
                    Ok(form) => match form.source {
                        crate::loops::Source::Range { start, end, .. } => {
                            self.visit_expr(start);
                            self.visit_expr(end);
                        }
                        crate::loops::Source::Elems(vs) => vs.into_iter().for_each(|v| self.visit_expr(v)),
                    },
                    Err((at, msg)) => self.diag.error(at, msg),
                }
                self.loop_body(&l.body);
            }
            Expr::While(w) => {
                if let Some(label) = &w.label {
                    self.diag.error(label, format!("labeled loops are not supported {PREFIX}"));
                }
                self.condition(&w.cond, "while");
                self.loop_body(&w.body);
            }
            // Constructs with their own message say what they are.
            Expr::Return(_)
            | Expr::Macro(_)
            | Expr::Loop(_)
            | Expr::Match(_)
            | Expr::Closure(_)
            | Expr::Break(_)
            | Expr::Continue(_)
            | Expr::Unsafe(_)
            | Expr::Async(_)
            | Expr::Binary(_) => self.visit_expr(e),
            _ => self.diag.error(
                e,
                format!("expression statements are not supported {PREFIX}; bind the value with `let` or make it the tail expression (without `;`)"),
            ),
        }
    }

    /// An index: `i`, or a matrix element's pair `(i, j)`.
    fn index(&mut self, index: &Expr) {
        match index {
            Expr::Tuple(t) if t.elems.len() == 2 => t.elems.iter().for_each(|e| self.visit_expr(e)),
            other => self.visit_expr(other),
        }
    }

    /// The condition of an `if` or a `while` (`kw`): any method may be called
    /// there; `if let` / `while let` are reported.
    pub(super) fn condition(&mut self, cond: &Expr, kw: &str) {
        if let Expr::Let(l) = cond {
            self.diag.error(
                l.let_token,
                format!("`{kw} let` is not supported {PREFIX}; use a plain `{kw}` condition"),
            );
        } else {
            self.in_cond += 1;
            self.visit_expr(cond);
            self.in_cond -= 1;
        }
    }

    /// A block run for its effects (an `if` statement's branch): every
    /// statement, no tail value.
    fn statements(&mut self, b: &Block) {
        self.statement_list(&b.stmts);
    }

    fn statement_list(&mut self, stmts: &[Stmt]) {
        for s in stmts {
            match s {
                Stmt::Expr(e, _) => self.statement(e),
                _ => self.visit_stmt(s),
            }
        }
    }

    /// A loop body, with its `if c { break; }` / `continue` exits made
    /// structured as lowering makes them (see [`crate::loops::desugar`]).
    fn loop_body(&mut self, b: &Block) {
        let flag = proc_macro2::Ident::new("stop", proc_macro2::Span::call_site());
        match crate::loops::desugar(&b.stmts, &flag) {
            Ok((stmts, _)) => self.statement_list(&stmts),
            Err((at, msg)) => self.diag.error(at, msg),
        }
    }
}

/// Whether `e` is a plain name.
fn is_name(e: &Expr) -> bool {
    matches!(e, Expr::Path(p) if p.qself.is_none() && p.path.get_ident().is_some())
}
