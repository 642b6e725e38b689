//! SplitMix64, shared by the test binaries (included with `#[path]`): tiny,
//! seeded, reproducible. Each binary adds the `uniform` it needs.

/// SplitMix64: tiny, seeded, reproducible.
pub(crate) struct Rng(u64);

impl Rng {
    /// A generator seeded from a test's name, so every test has its own stream.
    pub(crate) fn for_test(name: &str) -> Self {
        // FNV-1a of the name.
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in name.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        Rng(h)
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `[lo, hi)`, in f64.
    pub(crate) fn uniform_f64(&mut self, lo: f64, hi: f64) -> f64 {
        let u = (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        lo + (hi - lo) * u
    }
}
