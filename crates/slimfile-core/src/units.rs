//! Numbers as text with integer arithmetic only: Rust's float formatting (`{:.1}` on an `f64`) costs
//! about 5 KB gzip of code in the browser's wasm, and every size and percentage the engine and the
//! playground print goes through here instead.

/// `bytes` in decimal units with three significant digits, as `docker images` prints them:
/// `812 B`, `45.1 kB`, `7.26 MB`, `1.20 GB`.
pub fn human(bytes: u64) -> String {
    match bytes {
        1_000_000_000.. => scaled(bytes, 1_000_000_000, "GB"),
        1_000_000.. => scaled(bytes, 1_000_000, "MB"),
        1_000.. => scaled(bytes, 1_000, "kB"),
        _ => format!("{bytes} B"),
    }
}

/// `bytes` in MB with three significant digits (`0.05 MB`, `7.26 MB`, `812 MB`, `1200 MB`).
pub fn mb(bytes: u64) -> String {
    scaled(bytes, 1_000_000, "MB")
}

/// `n / unit` with no decimal from 100 on, one from 10, else two; rounded half up.
fn scaled(n: u64, unit: u64, name: &str) -> String {
    let (digits, step) = if n >= 100 * unit {
        (0, unit)
    } else if n >= 10 * unit {
        (1, unit / 10)
    } else {
        (2, unit / 100)
    };
    let q = n / step + u64::from(n % step >= step - step / 2);
    format!("{} {name}", fixed(q, digits))
}

/// `x` with `digits` decimals (at most 3), rounded half away from zero: `decimal(87.25, 1)` is `87.3`.
pub fn decimal(x: f64, digits: u32) -> String {
    let digits = digits.min(3);
    let q = (x.abs() * 10f64.powi(digits as i32)).round() as u64;
    let sign = if x < 0.0 && q > 0 { "-" } else { "" };
    format!("{sign}{}", fixed(q, digits))
}

/// [`decimal`] without the trailing zeros (`0.8`, `1`), as `{}` prints short decimals.
pub fn short_decimal(x: f64, digits: u32) -> String {
    let s = decimal(x, digits);
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        s
    }
}

/// `q / 10^digits` written out.
fn fixed(q: u64, digits: u32) -> String {
    if digits == 0 {
        return q.to_string();
    }
    let m = 10u64.pow(digits);
    format!("{}.{:0width$}", q / m, q % m, width = digits as usize)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn three_significant_digits() {
        assert_eq!(human(0), "0 B");
        assert_eq!(human(999), "999 B");
        assert_eq!(human(1_000), "1.00 kB");
        assert_eq!(human(45_149), "45.1 kB");
        assert_eq!(human(7_264_999), "7.26 MB");
        assert_eq!(human(7_265_000), "7.27 MB", "half up");
        assert_eq!(human(99_999_999), "100.0 MB", "as {{:.1}} prints 99.999…");
        assert_eq!(human(812_400_000), "812 MB");
        assert_eq!(human(1_204_000_000), "1.20 GB");
        assert_eq!(human(u64::MAX), "18446744074 GB");
        assert_eq!(human(2_430_000), "2.43 MB");
        assert_eq!(human(14_000_000), "14.0 MB");
        assert_eq!(human(809_968_099), "810 MB");
        assert_eq!(human(1_499_835_965), "1.50 GB");
        assert_eq!(mb(50_000), "0.05 MB");
        assert_eq!(mb(1_200_000_000), "1200 MB");
    }

    #[test]
    fn agrees_with_float_formatting_away_from_ties() {
        // The formats this replaced: `{:.0}`, `{:.1}` or `{:.2}` of bytes / 1e6. Ties (an exact 5 in the
        // next digit) may round the other way there; no other value may differ.
        let mut n: u64 = 1;
        while n < 5_000_000_000 {
            let m = n as f64 / 1e6;
            let float = if m >= 100.0 {
                format!("{m:.0} MB")
            } else if m >= 10.0 {
                format!("{m:.1} MB")
            } else {
                format!("{m:.2} MB")
            };
            let step = if m >= 100.0 { 1_000_000 } else if m >= 10.0 { 100_000 } else { 10_000 };
            if n % step != step / 2 {
                assert_eq!(mb(n), float, "{n}");
            }
            n = n * 3 + 7;
        }
    }

    #[test]
    fn decimals() {
        assert_eq!(decimal(87.25, 1), "87.3");
        assert_eq!(decimal(87.0, 1), "87.0");
        assert_eq!(decimal(99.96, 0), "100");
        assert_eq!(decimal(0.0, 2), "0.00");
        assert_eq!(decimal(-1.25, 1), "-1.3");
        assert_eq!(decimal(-0.01, 1), "0.0");
        assert_eq!(decimal(12.345, 3), "12.345");
        assert_eq!(short_decimal(0.8, 2), "0.8");
        assert_eq!(short_decimal(1.0, 2), "1");
        assert_eq!(short_decimal(0.35, 2), "0.35");
        assert_eq!(short_decimal(10.0, 2), "10");
    }
}
