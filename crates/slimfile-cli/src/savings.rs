//! What a conversion would save, from the report's size estimate, against `--min-savings`.

use slimfile_core::Report;

use crate::size::Threshold;

/// Whether this engine's reports carry a size estimate (`Report::estimate`).
pub const AVAILABLE: bool = false;

/// The saving of converting, in bytes: the point figure and its range, and the original image's size.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Savings {
    pub bytes: u64,
    pub low: u64,
    pub high: u64,
    pub original: u64,
}

impl Savings {
    pub fn percent(&self) -> f64 {
        if self.original == 0 {
            0.0
        } else {
            self.bytes as f64 * 100.0 / self.original as f64
        }
    }

    /// Whether the saving is above `t`. The low end of the range is compared, so that a check fails only on
    /// a saving the estimate is sure of.
    pub fn exceeds(&self, t: Threshold) -> bool {
        match t {
            Threshold::Bytes(b) => self.low > b,
            Threshold::Percent(p) => self.original > 0 && (self.low as f64 * 100.0 / self.original as f64) > p,
        }
    }
}

/// The saving of the report's conversion (None when it did not convert or has no estimate).
pub fn of(_report: &Report) -> Option<Savings> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thresholds() {
        let s = Savings { bytes: 800_000_000, low: 700_000_000, high: 900_000_000, original: 1_000_000_000 };
        assert!(s.exceeds(Threshold::Bytes(100_000_000)));
        assert!(!s.exceeds(Threshold::Bytes(750_000_000)), "the low end decides");
        assert!(s.exceeds(Threshold::Percent(50.0)));
        assert!(!s.exceeds(Threshold::Percent(75.0)));
        assert_eq!(s.percent(), 80.0);
    }
}
