//! Generated rustdoc: each partial as a readable formula, e.g.
//! `∂neuron/∂w = σ(z)·(1 − σ(z))·x` where `z = w·x + b`.
//!
//! Forward temporaries are inlined; values the user named with `let` stay
//! names and are defined in a "where" list.

use crate::ir::{Expo, Op, Operand, Program, Stmt, VOp, Var};
use crate::sig::Sig;
use std::collections::{BTreeSet, HashMap};

mod attrs;
mod vector;

/// Longest formula shown before it is elided.
const MAX_LEN: usize = 400;

/// The formulas of one differentiated fn.
pub(crate) struct Docs {
    fn_name: String,
    params: Vec<String>,
    partials: Vec<String>,
    wheres: Vec<String>,
    /// The op table's conventions at non-smooth points, of the ops used.
    conventions: Vec<&'static str>,
}

/// Binding strength of a rendered expression (higher binds tighter).
use crate::ops::{ATOM, NEG, PROD, SUM};

struct Renderer<'a> {
    p: &'a Program,
    defs: HashMap<Var, Def<'a>>,
    named: BTreeSet<Var>,
}

#[derive(Clone, Copy)]
enum Def<'a> {
    Op(&'a Op),
    /// An `if` output: the condition and the two yields.
    If(Var, Operand, Operand),
    /// A loop's value after its last iteration (carried value `k`).
    LoopOut(&'a crate::ir::Loop),
    /// A carried value inside its loop: shown by name.
    LoopParam,
}

fn collect<'a>(stmts: &'a [Stmt], defs: &mut HashMap<Var, Def<'a>>) {
    for s in stmts {
        match s {
            Stmt::Let(n) => {
                defs.insert(n.var, Def::Op(&n.op));
            }
            Stmt::If(i) => {
                for (k, o) in i.outs.iter().enumerate() {
                    let t = i.then.yields.get(k).copied().unwrap_or(Operand::Zero);
                    let e = i.els.yields.get(k).copied().unwrap_or(Operand::Zero);
                    defs.insert(*o, Def::If(i.cond, t, e));
                }
                collect(&i.then.stmts, defs);
                collect(&i.els.stmts, defs);
            }
            Stmt::Loop(l) => {
                defs.insert(l.index, Def::LoopParam);
                for c in &l.carried {
                    defs.insert(c.out, Def::LoopOut(l));
                    defs.insert(c.param, Def::LoopParam);
                }
                if let Some(c) = &l.cond {
                    collect(&c.stmts, defs);
                }
                collect(&l.body.stmts, defs);
            }
        }
    }
}

fn wrap(s: (String, u8), min: u8) -> String {
    if s.1 >= min {
        s.0
    } else {
        format!("({})", s.0)
    }
}

fn num(x: f64) -> String {
    if x == x.trunc() && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}

impl Renderer<'_> {
    fn name(&self, v: Var) -> String {
        let info = self.p.vars.get(v);
        match &info.param {
            Some(id) => id.to_string(),
            None => info.name.clone(),
        }
    }

    fn operand(&mut self, o: Operand) -> (String, u8) {
        match o {
            Operand::Var(v) => self.var(v),
            Operand::Zero | Operand::ZeroLike(_) => ("0".into(), ATOM),
        }
    }

    /// `v` as an expression: a name for params and user-named values, else inlined.
    fn var(&mut self, v: Var) -> (String, u8) {
        let info = self.p.vars.get(v);
        if let Some(x) = info.lit {
            return if x < 0.0 {
                (format!("−{}", num(-x)), NEG)
            } else {
                (num(x), ATOM)
            };
        }
        if info.param.is_some() {
            return (self.name(v), ATOM);
        }
        if matches!(self.defs.get(&v), Some(Def::LoopParam)) {
            return (self.name(v), ATOM);
        }
        if info.user_named
            || matches!(
                self.defs.get(&v),
                Some(Def::If(..) | Def::LoopOut(_)) | None
            )
        {
            self.named.insert(v);
            return (self.name(v), ATOM);
        }
        self.def(v)
    }

    /// The definition of `v`, one level deep.
    fn def(&mut self, v: Var) -> (String, u8) {
        let Some(d) = self.defs.get(&v).copied() else {
            return (self.name(v), ATOM);
        };
        match d {
            Def::If(c, t, e) => {
                let c = self.var(c).0;
                let t = self.operand(t).0;
                let e = self.operand(e).0;
                (format!("{t} if {c}, else {e}"), 0)
            }
            Def::Op(op) => self.op(op),
            Def::LoopParam => (self.name(v), ATOM),
            Def::LoopOut(l) => self.loop_out(l, v),
        }
    }

    /// The value after a loop, with the loop's per-iteration formulas:
    /// `x after i ∈ 0..n: x ← x − dt·k·x (from x = x0)`.
    fn loop_out(&mut self, l: &crate::ir::Loop, v: Var) -> (String, u8) {
        let Some(k) = l.carried.iter().position(|c| c.out == v) else {
            return (self.name(v), ATOM);
        };
        let index = self.name(l.index);
        let range = match &l.cond {
            Some(c) => {
                let cond = c.yields.first().copied().map(|o| self.operand(o).0);
                format!("while {}", cond.unwrap_or_default())
            }
            None => {
                let (s, e) = (self.var(l.start).0, self.var(l.end).0);
                let rev = if l.rev { ", backwards" } else { "" };
                format!("{index} ∈ {s}..{e}{rev}")
            }
        };
        let steps: Vec<String> = l
            .carried
            .iter()
            .zip(&l.body.yields)
            .map(|(c, y)| {
                let (p, next) = (self.name(c.param), self.operand(*y).0);
                let init = self.var(c.init).0;
                format!("{p} ← {next} (from {p} = {init})")
            })
            .collect();
        let p = self.name(l.carried[k].param);
        (format!("{p} after {range}: {}", steps.join("; ")), 0)
    }

    fn op(&mut self, op: &Op) -> (String, u8) {
        match op {
            Op::Lit(x) => (num(*x), ATOM),
            Op::TapeRead(k, _, _, false) => (self.name(crate::ir::Var(*k)), ATOM),
            // The value the iteration yields: the carried value's next one.
            Op::TapeRead(k, _, _, true) => (format!("{}⁺", self.name(crate::ir::Var(*k))), ATOM),
            Op::Opaque(ts, _) => {
                let text = ts.to_string();
                if text.contains("cotangent") {
                    ("cotangent".into(), ATOM)
                } else if text
                    .chars()
                    .all(|c| c.is_alphanumeric() || c == '_' || c == '.')
                {
                    (text, ATOM)
                } else {
                    (format!("({text})"), ATOM)
                }
            }
            Op::Un(u, a) => {
                let (form, arg, prec) = u.info().doc;
                let x = wrap(self.var(*a), arg);
                (form.replace("{}", &x), prec)
            }
            Op::SetAt(a, i, d) => {
                let (a, i, d) = (self.var(*a).0, self.var(*i).0, self.var(*d).0);
                (format!("{a} with [{i}] = {d}"), SUM)
            }
            Op::AccumulateOuter(a, g, x) => {
                let (a, g, x) = (
                    self.var(*a).0,
                    wrap(self.var(*g), ATOM),
                    wrap(self.var(*x), ATOM),
                );
                (format!("{a} + {g}·{x}ᵀ"), SUM)
            }
            Op::AccumulateAt(a, i, d) => {
                let (a, i, d) = (self.var(*a).0, self.var(*i).0, wrap(self.var(*d), PROD));
                (format!("{a} + {d}·onehot({i})"), SUM)
            }
            Op::Accumulate(l, r) => {
                let (form, lp, rp, prec) = crate::ir::Bin::Add.info().doc;
                let (l, r) = (wrap(self.var(*l), lp), wrap(self.var(*r), rp));
                (form.replace("{a}", &l).replace("{b}", &r), prec)
            }
            Op::Bin(b, l, r) => {
                let (form, lp, rp, prec) = b.info().doc;
                let (l, r) = (wrap(self.var(*l), lp), wrap(self.var(*r), rp));
                (form.replace("{a}", &l).replace("{b}", &r), prec)
            }
            Op::Powi(a, e) => {
                let x = wrap(self.var(*a), ATOM);
                match e {
                    Expo::Lit(k) => (format!("{x}^{k}"), ATOM),
                    Expo::Expr(ts, _) => (format!("{x}^({ts})"), ATOM),
                }
            }
            Op::Call(path, args) => {
                let (name, args) = self.call_parts(path, args, true);
                (format!("{name}({args})"), ATOM)
            }
            Op::Partial(t, _, k, i) => {
                let t = self.var(*t);
                if *k == 1 {
                    t
                } else {
                    (format!("{}[{}]", wrap(t, ATOM), i + 1), ATOM)
                }
            }
            Op::V(o, vs) => {
                let args: Vec<String> = vs.iter().map(|v| self.var(*v).0).collect();
                match o {
                    VOp::Index => (
                        format!("{}[{}]", wrap(self.var(vs[0]), ATOM), args[1]),
                        ATOM,
                    ),
                    VOp::ArrayLit => (format!("[{}]", args.join(", ")), ATOM),
                    _ => self.vector_op(*o, vs),
                }
            }
            Op::CallVjpJvp(path, args, ..) => {
                let (name, args) = self.call_parts(path, args, false);
                (format!("∇²{name}({args})"), ATOM)
            }
            Op::CallJvp(path, args, _) => {
                let (name, args) = self.call_parts(path, args, false);
                (format!("{name}′({args})"), ATOM)
            }
            Op::CallVjp(path, args, g) => {
                let (name, args) = self.call_parts(path, args, true);
                // A scalar cotangent reads as a product with the callee's gradient `g′`.
                if self.p.vars.get(*g).ty == crate::ir::Ty::Scalar {
                    let call = format!("{name}′({args})");
                    if self.p.vars.get(*g).lit == Some(1.0) {
                        return (call, ATOM);
                    }
                    let g = wrap(self.var(*g), ATOM);
                    return (format!("{g}·{call}"), PROD);
                }
                let g = self.var(*g).0;
                (format!("{name}_vjp({args}; {g})"), ATOM)
            }
        }
    }

    /// A callee's name (its whole path, or with `full` false its last
    /// segment) and its arguments rendered, comma-separated.
    fn call_parts(
        &mut self,
        path: &syn::Path,
        args: &[crate::ir::Arg],
        full: bool,
    ) -> (String, String) {
        let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        let name = if full {
            segments.join("::")
        } else {
            segments.last().cloned().unwrap_or_default()
        };
        let args: Vec<String> = args.iter().map(|a| self.var(a.var()).0).collect();
        (name, args.join(", "))
    }
}

impl Docs {
    /// Renders every partial of `grad_prog` (whose yields are the gradients).
    pub(crate) fn new(fn_name: &syn::Ident, sig: &Sig, grad_prog: &Program) -> Docs {
        let mut defs = HashMap::new();
        collect(&grad_prog.body.stmts, &mut defs);
        let mut r = Renderer {
            p: grad_prog,
            defs,
            named: BTreeSet::new(),
        };
        let mut partials = Vec::new();
        for y in &grad_prog.body.yields {
            let s = r.operand(*y).0;
            partials.push(elide(s));
        }
        // Definitions of the named values, transitively.
        let mut wheres = Vec::new();
        let mut done = BTreeSet::new();
        while let Some(&v) = r.named.iter().find(|v| !done.contains(*v)) {
            done.insert(v);
            let d = r.def(v).0;
            wheres.push((v, format!("{} = {}", r.name(v), elide(d))));
        }
        wheres.sort_by_key(|(v, _)| *v);
        let mut conventions = Vec::new();
        for d in r.defs.values() {
            let c = match d {
                Def::Op(Op::Un(u, _)) => u.info().convention,
                Def::Op(Op::Bin(b, ..)) => b.info().convention,
                Def::Op(_) | Def::If(..) | Def::LoopOut(_) | Def::LoopParam => None,
            };
            if let Some(c) = c.filter(|c| !conventions.contains(c)) {
                conventions.push(c);
            }
        }
        conventions.sort_unstable();
        Docs {
            fn_name: fn_name.to_string(),
            params: sig.diff_params().map(|p| p.ident.to_string()).collect(),
            partials,
            wheres: wheres.into_iter().map(|(_, s)| s).collect(),
            conventions,
        }
    }

    /// The partials, then [`Self::tail`].
    fn lines(&self) -> Vec<String> {
        let mut out = Vec::new();
        for (p, f) in self.params.iter().zip(&self.partials) {
            out.push(format!(" - `∂{}/∂{p} = {f}`", self.fn_name));
        }
        out.extend(self.tail());
        out
    }

    /// The named values' definitions and the conventions at non-smooth points.
    fn tail(&self) -> Vec<String> {
        let mut out = Vec::new();
        if !self.wheres.is_empty() {
            out.push(String::new());
            out.push(" where".into());
            out.push(String::new());
            for w in &self.wheres {
                out.push(format!(" - `{w}`"));
            }
        }
        if !self.conventions.is_empty() {
            out.push(String::new());
            out.push(format!(
                " At non-smooth points (like PyTorch): {}.",
                self.conventions.join("; ")
            ));
        }
        out
    }
}

fn elide(s: String) -> String {
    if s.chars().count() <= MAX_LEN {
        s
    } else {
        let cut: String = s.chars().take(MAX_LEN).collect();
        format!("{cut} …")
    }
}
