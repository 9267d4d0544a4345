//! The day support windows are judged on (`Options::date`): `--date`, else `SLIMFILE_DATE`, else today
//! (UTC, from the system clock). The engine has no clock; the CLI gives it the day, so that `convert`
//! and `check` say what is past its support window now.

use std::time::{SystemTime, UNIX_EPOCH};

/// `--date`'s value parser: a day `YYYY-MM-DD`.
pub fn parse_day(v: &str) -> Result<String, String> {
    if slimfile_core::knowledge::releases::is_day(v) {
        Ok(v.to_owned())
    } else {
        Err(format!("'{v}' is not a day (expected YYYY-MM-DD, e.g. 2026-12-03)"))
    }
}

/// The day to judge on: the flag's, else `SLIMFILE_DATE`'s (an error when it is not a day), else today.
pub fn judged_on(flag: Option<&str>) -> Result<String, String> {
    if let Some(d) = flag {
        return Ok(d.to_owned());
    }
    match std::env::var("SLIMFILE_DATE") {
        Ok(v) if !v.is_empty() => parse_day(&v).map_err(|e| format!("SLIMFILE_DATE: {e}")),
        _ => Ok(today()),
    }
}

/// Today in UTC.
pub fn today() -> String {
    let secs = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    civil(i64::try_from(secs / 86_400).unwrap_or(0))
}

/// The day `days` after 1970-01-01, `YYYY-MM-DD` (Howard Hinnant's civil_from_days).
fn civil(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days() {
        assert_eq!(civil(0), "1970-01-01");
        assert_eq!(civil(20_790), "2026-12-03");
        assert_eq!(civil(11_016), "2000-02-29");
        assert_eq!(civil(-1), "1969-12-31");
        assert!(slimfile_core::knowledge::releases::is_day(&today()));
        assert!(parse_day("2026-02-30").is_err() && parse_day("2026-12-03").is_ok());
    }
}
