//! Linux releases images are built on, the knowledge date, and the two orders the image knowledge
//! compares by: versions (natural order) and dates.
//!
//! Tables from `data/support.json` (Debian and Ubuntu, with glibc), `data/official-images.json` and
//! `data/dotnet-images.json` (the other releases their tags name), `data/distroless.json`.

use std::cmp::Ordering;

/// A release an image is built on: `trixie` (Debian 13), `noble` (Ubuntu 24.04), `alpine3.24`,
/// `alpine` (an Alpine tag whose minor release the tables do not keep), `al2023`, `ubi9`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Release {
    /// The word tags use for it.
    pub name: &'static str,
    /// `debian`, `ubuntu`, `alpine`, `amazonlinux`, `oraclelinux`, `ubi`.
    pub distro: &'static str,
    /// `13`, `24.04`, `3.24`; `None` for `alpine`.
    pub version: Option<&'static str>,
    /// The glibc version its libc6 package has (`2.41`), where the knowledge has it (the Debian and
    /// Ubuntu releases current images are built on).
    pub glibc: Option<&'static str>,
}

// AS_OF, TABLE_SINCE, RELEASES.
include!(concat!(env!("OUT_DIR"), "/image_releases.rs"));

/// The fields of one line of a row table (`a|b||c`: an empty field is `None`). The tables the image
/// knowledge embeds are text: pointers to each field would weigh more than the fields.
pub(crate) fn fields(line: &'static str) -> impl Iterator<Item = Option<&'static str>> {
    line.split('|').map(|f| (!f.is_empty()).then_some(f))
}

fn parse(line: &'static str) -> Release {
    let mut f = fields(line);
    let mut next = || f.next().flatten();
    Release { name: next().unwrap_or(""), distro: next().unwrap_or(""), version: next(), glibc: next() }
}

/// The date of the newest upstream commit the image knowledge was read from (`2026-08-22`). A report
/// states it; the engine has no clock, so it is also the default "today" for support windows.
pub fn as_of() -> &'static str {
    AS_OF
}

/// The day the tag tables begin: they keep the versions still published on or after it
/// (`table_since` in the data files); a version all of whose tags were gone before is unknown to them.
pub fn table_since() -> &'static str {
    TABLE_SINCE
}

/// The release tags name by `name` (`bookworm`, `noble`, `alpine3.20`, `al2023`).
pub fn release(name: &str) -> Option<Release> {
    RELEASES.lines().find(|l| l.split('|').next() == Some(name)).map(parse)
}

/// All releases, sorted by name.
pub fn all() -> impl Iterator<Item = Release> {
    RELEASES.lines().map(parse)
}

impl Release {
    /// Whether a program linked on `builder` runs here: glibc's symbol versions only grow, so a
    /// program built against one glibc runs on the same or a newer one. Compared by glibc version
    /// where both are known, by release number within one distribution (Debian's and Ubuntu's glibc
    /// never goes back); `None` where neither says (an Ubuntu builder without a glibc in the data, a
    /// musl or other release).
    pub fn runs_programs_of(&self, builder: &Release) -> Option<bool> {
        if let (Some(mine), Some(theirs)) = (self.glibc, builder.glibc) {
            return Some(version_cmp(mine, theirs) != Ordering::Less);
        }
        if self.distro == builder.distro && matches!(self.distro, "debian" | "ubuntu") {
            if let (Some(mine), Some(theirs)) = (self.version, builder.version) {
                return Some(version_cmp(mine, theirs) != Ordering::Less);
            }
        }
        None
    }

    /// Whether it is a glibc release (Debian, Ubuntu, Amazon Linux, Oracle Linux, UBI).
    pub fn is_glibc(&self) -> bool {
        self.distro != "alpine"
    }
}

/// The release a tag (or a directory) names in one of its words: a Debian or Ubuntu codename
/// (`3.12-slim-bookworm`), `alpine3.20` or `alpine-3.20` (Alpine releases missing from the table give
/// `alpine`), `al2023`, `oraclelinux9`, `ubi9-minimal`. The same reading as the script's.
pub fn named_in(tag: &str) -> Option<Release> {
    if let Some(i) = tag.find("alpine") {
        let rest = tag[i + 6..].trim_start_matches('-');
        let major = rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len());
        let minor = rest[major..].strip_prefix('.').map_or(0, |m| m.find(|c: char| !c.is_ascii_digit()).unwrap_or(m.len()));
        if major > 0 && minor > 0 {
            let v = &rest[..major + 1 + minor];
            return all().find(|r| r.name.strip_prefix("alpine") == Some(v)).or_else(|| release("alpine"));
        }
    }
    tag.split(['-', '/', '_', '.'])
        .map(|w| match w {
            "amazonlinux2023" => "al2023",
            "amazonlinux2" => "al2",
            w => w,
        })
        .find_map(|w| release(w).filter(|r| r.distro != "alpine"))
}

/// The natural order of versions the tables use: numbers compare as numbers, words after numbers,
/// a version that starts with a word after every one that starts with a digit (`1.9` < `1.10` <
/// `1.10.1` < `1.10rc1` < `latest`). The same order as the script's `nat_key`.
pub fn version_cmp(a: &str, b: &str) -> Ordering {
    let digit = |s: &str| s.as_bytes().first().is_some_and(u8::is_ascii_digit);
    (!digit(a)).cmp(&!digit(b)).then_with(|| parts_cmp(a, b)).then_with(|| a.cmp(b))
}

/// The words of a version: runs of digits and runs of ASCII letters (anything else separates them).
fn parts(s: &str) -> impl Iterator<Item = &str> {
    let b = s.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < b.len() && !b[i].is_ascii_alphanumeric() {
            i += 1;
        }
        if i == b.len() {
            return None;
        }
        let start = i;
        let num = b[i].is_ascii_digit();
        while i < b.len() && b[i].is_ascii_alphanumeric() && b[i].is_ascii_digit() == num {
            i += 1;
        }
        Some(&s[start..i])
    })
}

fn parts_cmp(a: &str, b: &str) -> Ordering {
    let (mut x, mut y) = (parts(a), parts(b));
    loop {
        match (x.next(), y.next()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(p), Some(q)) => {
                let (pn, qn) = (p.as_bytes()[0].is_ascii_digit(), q.as_bytes()[0].is_ascii_digit());
                let o = match (pn, qn) {
                    (true, true) => {
                        let (p, q) = (p.trim_start_matches('0'), q.trim_start_matches('0'));
                        p.len().cmp(&q.len()).then_with(|| p.cmp(q))
                    }
                    (true, false) => Ordering::Less,
                    (false, true) => Ordering::Greater,
                    (false, false) => p.cmp(q),
                };
                if o != Ordering::Equal {
                    return o;
                }
            }
        }
    }
}

/// Whether a window that ends on `end` is over on the day `on` (both `YYYY-MM-DD`; `end` may be a month,
/// `YYYY-MM`, which ends with its last day). The end day itself is still inside the window.
pub fn ended(end: &str, on: &str) -> bool {
    if end.len() == 7 {
        on.get(..7).is_some_and(|m| m > end)
    } else {
        on > end
    }
}

/// Whether `s` is a day as the knowledge writes them: `YYYY-MM-DD`, a month 01 to 12 and a day that
/// month has.
pub fn is_day(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' || !s.bytes().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit()) {
        return false;
    }
    let num = |r: std::ops::Range<usize>| s[r].parse::<u32>().unwrap_or(0);
    let (year, month, day) = (num(0..4), num(5..7), num(8..10));
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

/// Whether something that starts on `start` (a day, or a month: its first day) has started on `on`.
pub fn begun(start: &str, on: &str) -> bool {
    if start.len() == 7 {
        on.get(..7).is_some_and(|m| m >= start)
    } else {
        on >= start
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn natural_order() {
        let mut v = vec!["latest", "1.10", "1.9", "1.10.1", "", "1", "1.10rc1", "lts", "1.10.0", "10", "9"];
        v.sort_by(|a, b| version_cmp(a, b));
        assert_eq!(v, ["1", "1.9", "1.10", "1.10.0", "1.10.1", "1.10rc1", "9", "10", "", "latest", "lts"]);
        assert_eq!(version_cmp("8u302", "8u41"), Ordering::Greater);
        assert_eq!(version_cmp("21.0.4_7", "21.0.4"), Ordering::Greater);
        assert_eq!(version_cmp("007", "7"), Ordering::Less); // equal numbers: the text decides
        assert_eq!(version_cmp("20260815", "9"), Ordering::Greater);
    }

    #[test]
    fn dates() {
        assert!(ended("2026-04-30", "2026-05-01"));
        assert!(!ended("2026-04-30", "2026-04-30"));
        assert!(!ended("2026-09", "2026-09-30"));
        assert!(ended("2026-09", "2026-10-01"));
        assert!(begun("2026-09", "2026-09-01") && !begun("2026-09", "2026-08-31"));
        assert!(begun("2026-05-05", "2026-05-05") && !begun("2026-05-05", "2026-05-04"));
        assert!(as_of().len() == 10 && as_of() >= "2026-08-21", "{}", as_of());
        assert!(is_day(as_of()) && is_day("2028-02-29") && is_day("2026-12-31"));
        for bad in ["2026-02-29", "2026-13-01", "2026-00-10", "2026-04-31", "2026-12-3", "26-12-03", "2026/12/03", "2026-12-03T00", ""] {
            assert!(!is_day(bad), "{bad}");
        }
    }

    #[test]
    fn releases_and_glibc() {
        let trixie = release("trixie").unwrap();
        let bookworm = release("bookworm").unwrap();
        assert_eq!((trixie.distro, trixie.version, trixie.glibc), ("debian", Some("13"), Some("2.41")));
        assert_eq!(bookworm.glibc, Some("2.36"));
        assert_eq!(trixie.runs_programs_of(&bookworm), Some(true));
        assert_eq!(bookworm.runs_programs_of(&trixie), Some(false));
        // Ubuntu 26.04's glibc is newer than Debian 13's: its programs do not run there.
        let resolute = release("resolute").unwrap();
        assert_eq!((resolute.distro, resolute.version), ("ubuntu", Some("26.04")));
        assert_eq!(trixie.runs_programs_of(&resolute), Some(false));
        assert_eq!(trixie.runs_programs_of(&release("noble").unwrap()), Some(true));
        // Debian releases without a glibc in the data compare by number.
        assert_eq!(trixie.runs_programs_of(&release("buster").unwrap()), Some(true));
        assert_eq!(release("alpine").unwrap().runs_programs_of(&bookworm), None);
        assert!(all().count() > 50 && all().all(|r| !r.name.is_empty() && !r.distro.is_empty()));
    }

    #[test]
    fn releases_named_in_tags() {
        assert_eq!(named_in("3.12-slim-bookworm").unwrap().name, "bookworm");
        assert_eq!(named_in("24-trixie-slim").unwrap().name, "trixie");
        assert_eq!(named_in("21-jre-noble").unwrap().name, "noble");
        assert_eq!(named_in("1.22-alpine3.20").unwrap().name, "alpine3.20");
        assert_eq!(named_in("8-alpine-3.21").unwrap().name, "alpine3.21");
        assert_eq!(named_in("alpine3.20.1").unwrap().name, "alpine3.20");
        assert_eq!(named_in("21-al2023-jdk").unwrap().name, "al2023");
        assert!(named_in("1.22").is_none());
        assert!(named_in("3.12-slim").is_none());
        assert!(named_in("lts-alpine").is_none());
    }
}
