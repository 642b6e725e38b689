//! IR → tokens. Every node becomes one `let`, spanned at the user's source
//! expression it came from; temporaries are hygienic (`Span::mixed_site`),
//! and runtime functions are reached through `::grad::__private`.

use crate::ir::{Bin, Block, Expo, Op, Operand, Program, Stmt, Ty, Un, Var, Vars};
use crate::sig::FloatTy;
use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};

/// The identifier a var is emitted under.
pub(crate) fn ident_of(vars: &Vars, v: Var) -> Ident {
    let info = vars.get(v);
    match &info.param {
        Some(id) => id.clone(),
        None => Ident::new(&info.name, Span::mixed_site()),
    }
}

/// A float literal of the fn's float type.
pub(crate) fn float_lit(x: f64, float: FloatTy) -> TokenStream {
    let ty = float;
    if x.is_nan() {
        return quote!(#ty::NAN);
    }
    if x.is_infinite() {
        return if x > 0.0 {
            quote!(#ty::INFINITY)
        } else {
            quote!(#ty::NEG_INFINITY)
        };
    }
    let text = match float {
        FloatTy::F64 => format!("{:?}_f64", x.abs()),
        FloatTy::F32 => format!("{:?}_f32", x.abs() as f32),
    };
    let lit = text.parse::<Literal>().unwrap_or_else(|_| match float {
        FloatTy::F64 => Literal::f64_suffixed(x.abs()),
        FloatTy::F32 => Literal::f32_suffixed(x.abs() as f32),
    });
    if x.is_sign_negative() {
        quote!((-#lit))
    } else {
        quote!(#lit)
    }
}

/// Emits IR as statements.
pub(crate) struct Emitter<'a> {
    pub(crate) p: &'a Program,
    pub(crate) float: FloatTy,
}

impl Emitter<'_> {
    /// The tokens reading `v`: its name, or the literal itself.
    pub(crate) fn operand(&self, v: Var) -> TokenStream {
        let info = self.p.vars.get(v);
        match info.lit {
            Some(x) => float_lit(x, self.float),
            None => {
                let id = ident_of(&self.p.vars, v);
                quote!(#id)
            }
        }
    }

    fn zero(&self, ty: &Ty) -> TokenStream {
        match ty {
            Ty::Scalar => float_lit(0.0, self.float),
            _ => quote!(::core::default::Default::default()),
        }
    }

    fn yielded(&self, o: Operand, ty: &Ty) -> TokenStream {
        match o {
            Operand::Var(v) => self.operand(v),
            Operand::Zero => self.zero(ty),
        }
    }

    /// The statements of a block, without its yields.
    pub(crate) fn stmts(&self, b: &Block) -> TokenStream {
        let mut out = TokenStream::new();
        for s in &b.stmts {
            match s {
                Stmt::Let(n) => {
                    if matches!(n.op, Op::Lit(_)) {
                        continue;
                    }
                    let span = self.p.vars.get(n.var).span;
                    let name = ident_of(&self.p.vars, n.var);
                    let rhs = self.op(&n.op, span);
                    out.extend(quote_spanned!(span=> let #name = #rhs;));
                }
                Stmt::If(i) => {
                    let cond = self.operand(i.cond);
                    let tys: Vec<Ty> = i
                        .outs
                        .iter()
                        .map(|o| self.p.vars.get(*o).ty.clone())
                        .collect();
                    let then = self.branch(&i.then, &tys);
                    let els = self.branch(&i.els, &tys);
                    let outs: Vec<Ident> =
                        i.outs.iter().map(|o| ident_of(&self.p.vars, *o)).collect();
                    let pat = if outs.len() == 1 {
                        quote!(#(#outs)*)
                    } else {
                        quote!((#(#outs),*))
                    };
                    out.extend(quote!(let #pat = if #cond { #then } else { #els };));
                }
            }
        }
        out
    }

    fn branch(&self, b: &Block, tys: &[Ty]) -> TokenStream {
        let stmts = self.stmts(b);
        let ys: Vec<TokenStream> = b
            .yields
            .iter()
            .zip(tys)
            .map(|(o, t)| self.yielded(*o, t))
            .collect();
        let tail = if ys.len() == 1 {
            quote!(#(#ys)*)
        } else {
            quote!((#(#ys),*))
        };
        quote!(#stmts #tail)
    }

    /// The top block's yields as a tail expression: a bare value or a tuple.
    pub(crate) fn yields(&self, ys: &[Operand]) -> Vec<TokenStream> {
        ys.iter().map(|o| self.yielded(*o, &Ty::Scalar)).collect()
    }

    fn op(&self, op: &Op, span: Span) -> TokenStream {
        let pr = quote_spanned!(span=> ::grad::__private);
        match op {
            Op::Lit(x) => float_lit(*x, self.float),
            Op::Opaque(ts, _) => ts.clone(),
            Op::Un(u, a) => {
                let a = self.operand(*a);
                let f = match u {
                    Un::Neg => return quote_spanned!(span=> -#a),
                    Un::Exp => quote_spanned!(span=> #pr::Real::exp),
                    Un::Ln => quote_spanned!(span=> #pr::Real::ln),
                    Un::Sqrt => quote_spanned!(span=> #pr::Real::sqrt),
                    Un::Sin => quote_spanned!(span=> #pr::Real::sin),
                    Un::Cos => quote_spanned!(span=> #pr::Real::cos),
                    Un::Abs => quote_spanned!(span=> #pr::Real::abs),
                    Un::Sigmoid => quote_spanned!(span=> #pr::sigmoid),
                    Un::Tanh => quote_spanned!(span=> #pr::tanh),
                    Un::Relu => quote_spanned!(span=> #pr::relu),
                    Un::Softplus => quote_spanned!(span=> #pr::softplus),
                    Un::SigmoidDerivFromOutput => {
                        quote_spanned!(span=> #pr::sigmoid_deriv_from_output)
                    }
                    Un::TanhDerivFromOutput => quote_spanned!(span=> #pr::tanh_deriv_from_output),
                    Un::ReluDeriv => quote_spanned!(span=> #pr::relu_deriv),
                    Un::AbsDeriv => quote_spanned!(span=> #pr::abs_deriv),
                };
                quote_spanned!(span=> #f(#a))
            }
            Op::Bin(b, x, y) => {
                let (x, y) = (self.operand(*x), self.operand(*y));
                let f = match b {
                    Bin::Add => return quote_spanned!(span=> #x + #y),
                    Bin::Sub => return quote_spanned!(span=> #x - #y),
                    Bin::Mul => return quote_spanned!(span=> #x * #y),
                    Bin::Div => return quote_spanned!(span=> #x / #y),
                    Bin::Max => quote_spanned!(span=> #pr::Real::max),
                    Bin::Min => quote_spanned!(span=> #pr::Real::min),
                    Bin::Powf => quote_spanned!(span=> #pr::Real::powf),
                    Bin::LeakyRelu => quote_spanned!(span=> #pr::leaky_relu),
                    Bin::LeakyReluDeriv => quote_spanned!(span=> #pr::leaky_relu_deriv),
                    Bin::MaxDerivFirst => quote_spanned!(span=> #pr::max_deriv_first),
                    Bin::MaxDerivSecond => quote_spanned!(span=> #pr::max_deriv_second),
                    Bin::MinDerivFirst => quote_spanned!(span=> #pr::min_deriv_first),
                    Bin::MinDerivSecond => quote_spanned!(span=> #pr::min_deriv_second),
                };
                quote_spanned!(span=> #f(#x, #y))
            }
            Op::Powi(a, e) => {
                let a = self.operand(*a);
                let n = match e {
                    Expo::Lit(k) => {
                        let k = Literal::i32_unsuffixed(*k);
                        quote!(#k)
                    }
                    Expo::Expr(ts, _) => ts.clone(),
                };
                quote_spanned!(span=> #pr::Real::powi(#a, #n))
            }
            Op::Call(path, args) => {
                let args = args.iter().map(|a| match a {
                    crate::ir::Arg::Float(v) | crate::ir::Arg::Other(v) => self.operand(*v),
                });
                quote_spanned!(span=> #path(#(#args),*))
            }
            Op::CallGrad(path, args) => {
                let mut path = path.clone();
                if let Some(last) = path.segments.last_mut() {
                    last.ident = format_ident!("{}_grad", last.ident, span = last.ident.span());
                }
                let args = args.iter().map(|a| match a {
                    crate::ir::Arg::Float(v) | crate::ir::Arg::Other(v) => self.operand(*v),
                });
                quote_spanned!(span=> #path(#(#args),*))
            }
            Op::Field(t, i) => {
                let t = self.operand(*t);
                let i = syn::Index::from(*i);
                quote_spanned!(span=> #t.#i)
            }
        }
    }
}
