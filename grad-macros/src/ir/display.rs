//! `Display` for the IR: a readable listing for debugging and snapshots.

use super::{Bin, Block, Expo, Op, Operand, Program, Stmt, Un, Var};
use std::fmt;

impl fmt::Display for Un {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.info().name)
    }
}

impl fmt::Display for Bin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.info().name)
    }
}

impl Program {
    fn fmt_block(&self, b: &Block, depth: usize, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pad = "  ".repeat(depth);
        let n = |v: &Var| self.vars.get(*v).name.clone();
        for s in &b.stmts {
            match s {
                Stmt::Let(node) => {
                    let rhs = match &node.op {
                        Op::Lit(x) => format!("{x:?}"),
                        Op::Opaque(ts, _) => format!("const {{ {ts} }}"),
                        Op::TapeRead(t, i, _, false) => format!("tape{t}[{}]", n(i)),
                        Op::TapeRead(t, i, _, true) => format!("tape{t}[{} + 1]", n(i)),
                        Op::Un(u, a) => format!("{u}({})", n(a)),
                        Op::Bin(o, a, b) => format!("{o}({}, {})", n(a), n(b)),
                        Op::Accumulate(a, b) => format!("accumulate({}, {})", n(a), n(b)),
                        Op::SetAt(a, i, d) => format!("set_at({}, {}, {})", n(a), n(i), n(d)),
                        Op::AccumulateOuter(a, g, x) => {
                            format!("accumulate_outer({}, {}, {})", n(a), n(g), n(x))
                        }
                        Op::AccumulateAt(a, i, d) => {
                            format!("accumulate_at({}, {}, {})", n(a), n(i), n(d))
                        }
                        Op::Powi(a, Expo::Lit(k)) => format!("powi({}, {k})", n(a)),
                        Op::Powi(a, Expo::Expr(ts, _)) => format!("powi({}, {ts})", n(a)),
                        Op::Call(p, args) => {
                            let grad = "";
                            let args: Vec<String> = args.iter().map(|a| n(&a.var())).collect();
                            let p: Vec<String> =
                                p.segments.iter().map(|s| s.ident.to_string()).collect();
                            format!("{}{grad}({})", p.join("::"), args.join(", "))
                        }
                        Op::Partial(a, _, k, i) => format!("partial({}; {i} of {k})", n(a)),
                        Op::V(o, vs) => {
                            let vs: Vec<String> = vs.iter().map(n).collect();
                            format!("{}({})", o.helper(), vs.join(", "))
                        }
                        Op::CallVjpJvp(p, args, ..) => {
                            let args: Vec<String> = args.iter().map(|a| n(&a.var())).collect();
                            let p: Vec<String> =
                                p.segments.iter().map(|s| s.ident.to_string()).collect();
                            format!("{}_vjp_jvp({})", p.join("::"), args.join(", "))
                        }
                        Op::CallJvp(p, args, _) => {
                            let args: Vec<String> = args.iter().map(|a| n(&a.var())).collect();
                            let p: Vec<String> =
                                p.segments.iter().map(|s| s.ident.to_string()).collect();
                            format!("{}_jvp({})", p.join("::"), args.join(", "))
                        }
                        Op::CallVjp(p, args, g) => {
                            let args: Vec<String> = args.iter().map(|a| n(&a.var())).collect();
                            let p: Vec<String> =
                                p.segments.iter().map(|s| s.ident.to_string()).collect();
                            format!("{}_vjp({}; {})", p.join("::"), args.join(", "), n(g))
                        }
                    };
                    writeln!(f, "{pad}{} = {rhs}", n(&node.var))?;
                }
                Stmt::If(i) => {
                    let outs: Vec<String> = i.outs.iter().map(n).collect();
                    writeln!(f, "{pad}({}) = if {} {{", outs.join(", "), n(&i.cond))?;
                    self.fmt_block(&i.then, depth + 1, f)?;
                    writeln!(f, "{pad}}} else {{")?;
                    self.fmt_block(&i.els, depth + 1, f)?;
                    writeln!(f, "{pad}}}")?;
                }
                Stmt::Loop(l) => {
                    let outs: Vec<String> = l.carried.iter().map(|c| n(&c.out)).collect();
                    let carried: Vec<String> = l
                        .carried
                        .iter()
                        .map(|c| format!("{} = {}", n(&c.param), n(&c.init)))
                        .collect();
                    let rev = if l.rev { " rev" } else { "" };
                    let tapes: Vec<String> = l
                        .tapes
                        .iter()
                        .map(|(k, v)| format!("tape{k} ← {}", n(v)))
                        .collect();
                    writeln!(
                        f,
                        "{pad}({}) = for{rev} {} in {}..{} [{}] [{}] {{",
                        outs.join(", "),
                        n(&l.index),
                        n(&l.start),
                        n(&l.end),
                        carried.join(", "),
                        tapes.join(", ")
                    )?;
                    self.fmt_block(&l.body, depth + 1, f)?;
                    writeln!(f, "{pad}}}")?;
                }
            }
        }
        let ys: Vec<String> = b
            .yields
            .iter()
            .map(|o| match o {
                Operand::Var(v) => n(v),
                Operand::Zero | Operand::ZeroLike(_) => "0".into(),
            })
            .collect();
        writeln!(f, "{pad}yield ({})", ys.join(", "))
    }
}

impl fmt::Display for Program {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.fmt_block(&self.body, 0, f)
    }
}
