//! The digits (`data/digits.csv.gz`) as matrices, and the seeded generator
//! of the split, the initial weights and the minibatch order.

use std::io::Read;

use flate2::read::GzDecoder;
use grad::Matrix;

use super::PIXELS;

/// Images (one per row, pixels scaled to [0, 1]) and their digits.
#[derive(Clone, Debug)]
pub(crate) struct Images {
    pub(crate) x: Matrix<f32>,
    pub(crate) labels: Vec<usize>,
}

impl Images {
    /// The images at `rows`, in that order.
    pub(crate) fn select(&self, rows: &[usize]) -> Images {
        Images {
            x: Matrix::from_fn(rows.len(), PIXELS, |i, j| self.x[(rows[i], j)]),
            labels: rows.iter().map(|&i| self.labels[i]).collect(),
        }
    }
}

/// Parses the gzipped CSV: 64 pixels in 0..=16 and the digit per line.
pub(crate) fn load_digits(gz: &[u8]) -> Images {
    let mut csv = String::new();
    GzDecoder::new(gz)
        .read_to_string(&mut csv)
        .expect("digits.csv.gz: not a gzipped UTF-8 file");
    let (mut pixels, mut labels) = (Vec::new(), Vec::new());
    for line in csv.lines().filter(|l| !l.trim().is_empty()) {
        let fields: Vec<f32> = line
            .split(',')
            .map(|f| {
                f.trim()
                    .parse()
                    .expect("digits.csv: a field is not a number")
            })
            .collect();
        assert_eq!(
            fields.len(),
            PIXELS + 1,
            "digits.csv: a row without 65 fields"
        );
        pixels.extend(fields[..PIXELS].iter().map(|p| p / 16.0));
        labels.push(fields[PIXELS] as usize);
    }
    Images {
        x: Matrix::from_vec(labels.len(), PIXELS, pixels),
        labels,
    }
}

/// SplitMix64: enough for a reproducible shuffle and init.
pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [-1, 1).
    pub(crate) fn symmetric(&mut self) -> f32 {
        (self.next_u64() >> 40) as f32 / (1u64 << 23) as f32 - 1.0
    }

    pub(crate) fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = (self.next_u64() % (i as u64 + 1)) as usize;
            items.swap(i, j);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::CLASSES;
    use super::*;

    #[test]
    fn loads_every_image() {
        let all = load_digits(include_bytes!("../../data/digits.csv.gz"));
        assert_eq!(all.x.shape(), (1797, PIXELS));
        assert!(all.x.as_slice().iter().all(|&p| (0.0..=1.0).contains(&p)));
        for digit in 0..CLASSES {
            let n = all.labels.iter().filter(|&&l| l == digit).count();
            assert!((174..=183).contains(&n), "{n} images of {digit}");
        }
    }
}
