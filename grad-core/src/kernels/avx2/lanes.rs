//! The vector operations [`super::short_rows`] is written in, under the
//! same names for `f32` ([`single`]: 8 lanes a `__m256`) and `f64`
//! ([`double`]: 4 lanes a `__m256d`), so that one body of code serves
//! both.

/// Defines the operations shared by both types from their intrinsics.
macro_rules! common_ops {
    ($t:ty, $v:ty, $set1:ident, $setzero:ident, $add:ident, $sub:ident, $mul:ident,
     $div:ident, $max:ident, $and:ident, $andnot:ident, $cmp:ident, $fnmadd:ident,
     $loadu:ident, $storeu:ident, $movemask:ident) => {
        /// Every lane `v`.
        #[inline]
        #[target_feature(enable = "avx2,fma")]
        pub(crate) fn splat(v: $t) -> $v {
            $set1(v)
        }

        /// Every lane +0.
        #[inline]
        #[target_feature(enable = "avx2,fma")]
        pub(crate) fn zero() -> $v {
            $setzero()
        }

        /// `a + b`.
        #[inline]
        #[target_feature(enable = "avx2,fma")]
        pub(crate) fn add(a: $v, b: $v) -> $v {
            $add(a, b)
        }

        /// `a − b`.
        #[inline]
        #[target_feature(enable = "avx2,fma")]
        pub(crate) fn sub(a: $v, b: $v) -> $v {
            $sub(a, b)
        }

        /// `a · b`.
        #[inline]
        #[target_feature(enable = "avx2,fma")]
        pub(crate) fn mul(a: $v, b: $v) -> $v {
            $mul(a, b)
        }

        /// `a / b`.
        #[inline]
        #[target_feature(enable = "avx2,fma")]
        pub(crate) fn div(a: $v, b: $v) -> $v {
            $div(a, b)
        }

        /// `max(a, b)`, `b` where `a` is NaN.
        #[inline]
        #[target_feature(enable = "avx2,fma")]
        pub(crate) fn max(a: $v, b: $v) -> $v {
            $max(a, b)
        }

        /// Bitwise `a & b`.
        #[inline]
        #[target_feature(enable = "avx2,fma")]
        pub(crate) fn and(a: $v, b: $v) -> $v {
            $and(a, b)
        }

        /// Bitwise `!a & b`.
        #[inline]
        #[target_feature(enable = "avx2,fma")]
        pub(crate) fn andnot(a: $v, b: $v) -> $v {
            $andnot(a, b)
        }

        /// All-ones where `a = b` (ordered), zero elsewhere.
        #[inline]
        #[target_feature(enable = "avx2,fma")]
        pub(crate) fn eq(a: $v, b: $v) -> $v {
            $cmp::<_CMP_EQ_OQ>(a, b)
        }

        /// `c − a·b`, one rounding.
        #[inline]
        #[target_feature(enable = "avx2,fma")]
        pub(crate) fn fnmadd(a: $v, b: $v, c: $v) -> $v {
            $fnmadd(a, b, c)
        }

        /// The `W` elements from `p`.
        ///
        /// # Safety
        ///
        /// `p` must point to `W` contiguous, initialised elements (any
        /// alignment).
        #[inline]
        #[target_feature(enable = "avx2,fma")]
        pub(crate) unsafe fn load_ptr(p: *const $t) -> $v {
            // SAFETY: the caller's contract; `loadu` has no alignment
            // requirement.
            unsafe { $loadu(p) }
        }

        /// Writes `v` to the `W` elements from `p`.
        ///
        /// # Safety
        ///
        /// `p` must point to `W` contiguous elements the caller may write
        /// (any alignment).
        #[inline]
        #[target_feature(enable = "avx2,fma")]
        pub(crate) unsafe fn store_ptr(p: *mut $t, v: $v) {
            // SAFETY: the caller's contract; `storeu` has no alignment
            // requirement.
            unsafe { $storeu(p, v) }
        }

        /// The sign bits of `v`'s lanes, lane `i` in bit `i`.
        #[inline]
        #[target_feature(enable = "avx2,fma")]
        pub(crate) fn sign_bits(v: $v) -> u32 {
            // `movemask` sets only the low `W` bits: non-negative.
            $movemask(v) as u32
        }
    };
}

/// `f32`, 8 lanes a `__m256`.
pub(crate) mod single {
    pub(crate) use super::super::map::store;
    use super::super::vmath;
    use core::arch::x86_64::*;

    /// The element type.
    pub(crate) type T = f32;
    /// The vector type.
    pub(crate) type V = __m256;
    /// Lanes a vector.
    pub(crate) const W: usize = 8;

    common_ops!(
        f32,
        __m256,
        _mm256_set1_ps,
        _mm256_setzero_ps,
        _mm256_add_ps,
        _mm256_sub_ps,
        _mm256_mul_ps,
        _mm256_div_ps,
        _mm256_max_ps,
        _mm256_and_ps,
        _mm256_andnot_ps,
        _mm256_cmp_ps,
        _mm256_fnmadd_ps,
        _mm256_loadu_ps,
        _mm256_storeu_ps,
        _mm256_movemask_ps
    );

    /// An 8×8 transpose: lane `j` of vector `i` ↔ lane `i` of vector `j`.
    #[inline]
    #[target_feature(enable = "avx2,fma")]
    pub(crate) fn transpose(r: [V; W]) -> [V; W] {
        let t0 = _mm256_unpacklo_ps(r[0], r[1]);
        let t1 = _mm256_unpackhi_ps(r[0], r[1]);
        let t2 = _mm256_unpacklo_ps(r[2], r[3]);
        let t3 = _mm256_unpackhi_ps(r[2], r[3]);
        let t4 = _mm256_unpacklo_ps(r[4], r[5]);
        let t5 = _mm256_unpackhi_ps(r[4], r[5]);
        let t6 = _mm256_unpacklo_ps(r[6], r[7]);
        let t7 = _mm256_unpackhi_ps(r[6], r[7]);
        let s0 = _mm256_shuffle_ps::<0x44>(t0, t2);
        let s1 = _mm256_shuffle_ps::<0xEE>(t0, t2);
        let s2 = _mm256_shuffle_ps::<0x44>(t1, t3);
        let s3 = _mm256_shuffle_ps::<0xEE>(t1, t3);
        let s4 = _mm256_shuffle_ps::<0x44>(t4, t6);
        let s5 = _mm256_shuffle_ps::<0xEE>(t4, t6);
        let s6 = _mm256_shuffle_ps::<0x44>(t5, t7);
        let s7 = _mm256_shuffle_ps::<0xEE>(t5, t7);
        [
            _mm256_permute2f128_ps::<0x20>(s0, s4),
            _mm256_permute2f128_ps::<0x20>(s1, s5),
            _mm256_permute2f128_ps::<0x20>(s2, s6),
            _mm256_permute2f128_ps::<0x20>(s3, s7),
            _mm256_permute2f128_ps::<0x31>(s0, s4),
            _mm256_permute2f128_ps::<0x31>(s1, s5),
            _mm256_permute2f128_ps::<0x31>(s2, s6),
            _mm256_permute2f128_ps::<0x31>(s3, s7),
        ]
    }

    /// `e^x` ([`vmath::exp`]).
    #[inline]
    #[target_feature(enable = "avx2,fma")]
    pub(crate) fn exp(x: V) -> V {
        vmath::exp(x)
    }

    /// `ln x` ([`vmath::ln`]).
    #[inline]
    #[target_feature(enable = "avx2,fma")]
    pub(crate) fn ln(x: V) -> V {
        vmath::ln(x)
    }

    /// `e^{v − m}` with the rounding error of `v − m` added back (TwoSum),
    /// flushed to +0 below `vmath::EXP_LO`, as `super::super::rows` does
    /// far from the maximum.
    #[inline]
    #[target_feature(enable = "avx2,fma")]
    pub(crate) fn exp_shift(v: V, m: V) -> V {
        super::super::rows::exp_two_sum(v, sub(v, m), _mm256_xor_ps(m, splat(-0.0)))
    }
}

/// `f64`, 4 lanes a `__m256d`.
pub(crate) mod double {
    pub(crate) use super::super::map64::store;
    use super::super::vmath64;
    use core::arch::x86_64::*;

    /// The element type.
    pub(crate) type T = f64;
    /// The vector type.
    pub(crate) type V = __m256d;
    /// Lanes a vector.
    pub(crate) const W: usize = 4;

    common_ops!(
        f64,
        __m256d,
        _mm256_set1_pd,
        _mm256_setzero_pd,
        _mm256_add_pd,
        _mm256_sub_pd,
        _mm256_mul_pd,
        _mm256_div_pd,
        _mm256_max_pd,
        _mm256_and_pd,
        _mm256_andnot_pd,
        _mm256_cmp_pd,
        _mm256_fnmadd_pd,
        _mm256_loadu_pd,
        _mm256_storeu_pd,
        _mm256_movemask_pd
    );

    /// A 4×4 transpose: lane `j` of vector `i` ↔ lane `i` of vector `j`.
    #[inline]
    #[target_feature(enable = "avx2,fma")]
    pub(crate) fn transpose(r: [V; W]) -> [V; W] {
        let t0 = _mm256_unpacklo_pd(r[0], r[1]);
        let t1 = _mm256_unpackhi_pd(r[0], r[1]);
        let t2 = _mm256_unpacklo_pd(r[2], r[3]);
        let t3 = _mm256_unpackhi_pd(r[2], r[3]);
        [
            _mm256_permute2f128_pd::<0x20>(t0, t2),
            _mm256_permute2f128_pd::<0x20>(t1, t3),
            _mm256_permute2f128_pd::<0x31>(t0, t2),
            _mm256_permute2f128_pd::<0x31>(t1, t3),
        ]
    }

    /// `e^x` ([`vmath64::exp`]).
    #[inline]
    #[target_feature(enable = "avx2,fma")]
    pub(crate) fn exp(x: V) -> V {
        vmath64::exp(x)
    }

    /// `ln x` ([`vmath64::ln`]).
    #[inline]
    #[target_feature(enable = "avx2,fma")]
    pub(crate) fn ln(x: V) -> V {
        vmath64::ln(x)
    }

    /// `e^{v − m}` with `v − m` evaluated exactly (TwoSum), flushed to +0
    /// far below ([`vmath64::exp_diff`], as on the portable path).
    #[inline]
    #[target_feature(enable = "avx2,fma")]
    pub(crate) fn exp_shift(v: V, m: V) -> V {
        vmath64::exp_diff(v, m)
    }
}
