//! Sizes on the command line and in reports: `--min-savings 100MB`, `1.5GB`, `200MiB`, `50%`.
//!
//! Units are decimal as `docker images` prints them (1 MB = 1,000,000 bytes); `KiB`, `MiB` and `GiB` are
//! binary. A bare number is bytes.

use std::str::FromStr;

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Threshold {
    Bytes(u64),
    /// Percent of the original image's size.
    Percent(f64),
}

impl FromStr for Threshold {
    type Err = String;

    fn from_str(s: &str) -> Result<Threshold, String> {
        let bad = || format!("'{s}' is not a size (expected e.g. 100MB, 1.5GB, 200MiB or 50%)");
        let t = s.trim();
        if let Some(p) = t.strip_suffix('%') {
            let v: f64 = p.trim().parse().map_err(|_| bad())?;
            if !(0.0..=100.0).contains(&v) {
                return Err(format!("'{s}': a percentage is between 0% and 100%"));
            }
            return Ok(Threshold::Percent(v));
        }
        let split = t.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(t.len());
        let (num, unit) = t.split_at(split);
        let v: f64 = num.parse().map_err(|_| bad())?;
        let mult: f64 = match unit.trim().to_ascii_lowercase().as_str() {
            "" | "b" => 1.0,
            "k" | "kb" => 1e3,
            "m" | "mb" => 1e6,
            "g" | "gb" => 1e9,
            "kib" => 1024.0,
            "mib" => 1024.0 * 1024.0,
            "gib" => 1024.0 * 1024.0 * 1024.0,
            _ => return Err(bad()),
        };
        if !v.is_finite() || v < 0.0 {
            return Err(bad());
        }
        Ok(Threshold::Bytes((v * mult).round() as u64))
    }
}

impl std::fmt::Display for Threshold {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Threshold::Bytes(b) => f.write_str(&human(*b)),
            Threshold::Percent(p) => write!(f, "{p}%"),
        }
    }
}

/// `812 MB`, `1.2 GB`, `45 kB`: decimal units, as `docker images` prints them.
pub fn human(bytes: u64) -> String {
    let b = bytes as f64;
    if b >= 1e9 {
        format!("{:.1} GB", b / 1e9)
    } else if b >= 1e6 {
        format!("{:.0} MB", b / 1e6)
    } else if b >= 1e3 {
        format!("{:.0} kB", b / 1e3)
    } else {
        format!("{bytes} B")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses() {
        assert_eq!("100MB".parse(), Ok(Threshold::Bytes(100_000_000)));
        assert_eq!("1.5 GB".parse(), Ok(Threshold::Bytes(1_500_000_000)));
        assert_eq!("200MiB".parse(), Ok(Threshold::Bytes(200 * 1024 * 1024)));
        assert_eq!("512".parse(), Ok(Threshold::Bytes(512)));
        assert_eq!("50%".parse(), Ok(Threshold::Percent(50.0)));
        assert!("150%".parse::<Threshold>().is_err());
        assert!("lots".parse::<Threshold>().unwrap_err().contains("not a size"));
        assert!("10 parsecs".parse::<Threshold>().is_err());
        assert_eq!(human(812_400_000), "812 MB");
        assert_eq!(human(1_240_000_000), "1.2 GB");
    }
}
