//! What a conversion would save, from the report's size estimate (`Report::estimate`, uncompressed bytes
//! as `docker images` shows them), against `--min-savings`.

use slimfile_core::Report;

use crate::size::Threshold;

/// The saving of converting, in bytes: the typical figure and its range, the original image's size, and
/// the saving as a percentage of it (typical and low end).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Savings {
    pub bytes: u64,
    pub low: u64,
    pub high: u64,
    pub original: u64,
    pub rewritten: u64,
    pub percent: f64,
    pub percent_low: f64,
}

impl Savings {
    pub fn percent(&self) -> f64 {
        self.percent
    }

    /// Whether the saving is above `t`. The low end of the range is compared, so that a check fails only on
    /// a saving the estimate is sure of.
    pub fn exceeds(&self, t: Threshold) -> bool {
        match t {
            Threshold::Bytes(b) => self.low > b,
            Threshold::Percent(p) => self.percent_low > p,
        }
    }
}

/// The saving of the report's conversion (None when it did not convert or has no estimate).
pub fn of(report: &Report) -> Option<Savings> {
    let e = report.estimate.as_ref()?;
    let s = e.savings.as_ref()?;
    Some(Savings {
        bytes: s.bytes.typical,
        low: s.bytes.low,
        high: s.bytes.high,
        original: e.original.total.typical,
        rewritten: e.rewritten.as_ref().map_or(0, |r| r.total.typical),
        percent: s.percent,
        percent_low: s.percent_low,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thresholds() {
        let s = Savings {
            bytes: 800_000_000,
            low: 700_000_000,
            high: 900_000_000,
            original: 1_000_000_000,
            rewritten: 200_000_000,
            percent: 80.0,
            percent_low: 70.0,
        };
        assert!(s.exceeds(Threshold::Bytes(100_000_000)));
        assert!(!s.exceeds(Threshold::Bytes(750_000_000)), "the low end decides");
        assert!(s.exceeds(Threshold::Percent(50.0)));
        assert!(!s.exceeds(Threshold::Percent(75.0)));

        // From the engine's estimate: the classic single-stage Go build saves hundreds of MB.
        let classic = "FROM ubuntu\nRUN apt-get update && apt-get install -y golang-go\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /app .\nENTRYPOINT [\"/app\"]\n";
        let s = of(&slimfile_core::convert(classic, &slimfile_core::Options::default())).unwrap();
        assert!(s.low <= s.bytes && s.bytes <= s.high && s.low > 100_000_000, "{s:?}");
        assert!(s.original > s.rewritten && s.percent > 50.0, "{s:?}");
        assert!(of(&slimfile_core::convert("FROM scratch\nCOPY app /app\n", &Default::default())).is_none());
    }
}
