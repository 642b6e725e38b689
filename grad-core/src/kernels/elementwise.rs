//! The public wrapper shape every elementwise forward/backward pair
//! shares: length checks, the AVX2+FMA `f32` hook ([`super::fast`]), then
//! the generic chunk body through `multiversion!`.

/// Defines `pub fn $fwd(x, out)` and `pub fn $bwd($a, dy, dx)` from their
/// docs, their chunk bodies, the `fast::Unary` / `fast::Binary` variant
/// of their hand-written `f32` code, and the driver loop of the backward
/// (`via map2_streamed` for a cheap body, `via map2` for one bound by
/// arithmetic: see `driver::map2_streamed`). The panic messages name the op and
/// the arguments (`"exp: x has length 3 but out has length 4"`).
macro_rules! elementwise_pair {
    (
        $(#[$fdoc:meta])*
        fn $fwd:ident(x) fast $ffast:ident = |$v:ident| $fbody:expr;
        $(#[$bdoc:meta])*
        fn $bwd:ident($a:ident) $(fast $bfast:ident)? via $driver:ident = |$ba:ident, $g:ident| $bbody:expr;
    ) => {
        $(#[$fdoc])*
        pub fn $fwd<T: $crate::Real>(x: &[T], out: &mut [T]) {
            $crate::kernels::check::same_len(stringify!($fwd), "x", x.len(), "out", out.len());
            // On one thread.
            fn serial<T: $crate::Real>(x: &[T], out: &mut [T]) {
                if $crate::kernels::fast::unary($crate::kernels::fast::Unary::$ffast, x, out) {
                    return;
                }
                #[inline(always)]
                fn fwd<T: $crate::Real>(x: &[T], out: &mut [T]) {
                    $crate::kernels::driver::map1(
                        x,
                        out,
                        #[inline(always)]
                        |$v| $fbody,
                    );
                }
                $crate::dispatch::multiversion!(<T> fwd(x: &[T], out: &mut [T]))
            }
            $crate::kernels::par::elements(x, out, serial);
        }

        $(#[$bdoc])*
        pub fn $bwd<T: $crate::Real>($a: &[T], dy: &[T], dx: &mut [T]) {
            let a = stringify!($a);
            $crate::kernels::check::same_len(stringify!($bwd), a, $a.len(), "dy", dy.len());
            $crate::kernels::check::same_len(stringify!($bwd), a, $a.len(), "dx", dx.len());
            // On one thread.
            fn serial<T: $crate::Real>($a: &[T], dy: &[T], dx: &mut [T]) {
                $(
                    let op = $crate::kernels::fast::Binary::$bfast;
                    if $crate::kernels::fast::binary(op, $a, dy, dx) {
                        return;
                    }
                )?
                #[inline(always)]
                fn bwd<T: $crate::Real>($a: &[T], dy: &[T], dx: &mut [T]) {
                    $crate::kernels::driver::$driver(
                        $a,
                        dy,
                        dx,
                        #[inline(always)]
                        |$ba, $g| $bbody,
                    );
                }
                $crate::dispatch::multiversion!(<T> bwd($a: &[T], dy: &[T], dx: &mut [T]))
            }
            $crate::kernels::par::elements2($a, dy, dx, serial);
        }
    };
}
pub(crate) use elementwise_pair;
