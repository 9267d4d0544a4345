//! Whether the rewritten image did what the original did. Outputs are compared token by token: what
//! differs between the original's own two runs (a timestamp, a hostname, a random id) is masked, so that
//! a timestamp inside an otherwise equal line masks that token, not the line nor the output; `--mask`
//! patterns are replaced in every output first. Everything masked is listed, with why.

use std::ops::Range;
use std::time::{Duration, Instant};

use regex::Regex;
use similar::{capture_diff_slices_deadline, Algorithm, DiffOp};

use super::report::Masked;
use super::run::Behaviour;

/// What `--mask` leaves in place of a match.
pub const MASK: &str = "<masked>";

/// How many masked places the report lists (the count says how many there were).
const LISTED: usize = 20;

/// How long one diff may take before it settles for a coarser answer (large outputs).
const DIFF_TIME: Duration = Duration::from_secs(5);

/// The outcome: what was masked, and each difference left (none: the same behaviour).
#[derive(Debug, Default, PartialEq)]
pub struct Comparison {
    pub masked: Vec<Masked>,
    pub differences: Vec<String>,
}

/// `--mask` patterns.
pub struct UserMasks(Vec<(String, Regex)>);

impl UserMasks {
    pub fn new(patterns: &[String]) -> Result<UserMasks, String> {
        let compiled = patterns.iter().map(|p| Regex::new(p).map(|r| (p.clone(), r)).map_err(|e| format!("--mask {p}: {e}")));
        compiled.collect::<Result<_, _>>().map(UserMasks)
    }

    /// `text` with every match of every pattern replaced by [`MASK`]; what each matched goes to `seen`.
    fn apply(&self, text: &str, seen: &mut [Masked]) -> String {
        let mut out = text.to_owned();
        for ((_, re), m) in self.0.iter().zip(seen.iter_mut()) {
            for found in re.find_iter(&out) {
                m.count += 1;
                if m.text.len() < 3 && !m.text.iter().any(|t| t == found.as_str()) {
                    m.text.push(found.as_str().to_owned());
                }
            }
            out = re.replace_all(&out, MASK).into_owned();
        }
        out
    }
}

/// Compares the rewritten image's run with the original's first run, knowing its second run.
pub fn compare(first: &Behaviour, second: Option<&Behaviour>, rewritten: &Behaviour, masks: &UserMasks) -> Comparison {
    let mut c = Comparison::default();
    let mut seen: Vec<Masked> = masks
        .0
        .iter()
        .map(|(p, _)| Masked { reason: format!("--mask {p}"), line: None, text: vec![], count: 0 })
        .collect();
    let o1 = masks.apply(&first.output, &mut seen);
    let o2 = second.map(|s| masks.apply(&s.output, &mut seen));
    let r = masks.apply(&rewritten.output, &mut seen);
    c.masked.extend(seen.into_iter().filter(|m| m.count > 0));
    let status = |b: &Behaviour| (b.exit, b.http_status);
    if status(first) != status(rewritten) {
        match second.filter(|s| status(s) == status(rewritten)) {
            Some(_) => c.masked.push(Masked {
                reason: "the original's two runs ended differently".to_owned(),
                line: None,
                text: vec![describe(first), describe(second.unwrap_or(first))],
                count: 1,
            }),
            None => c.differences.push(format!("the original {}, the rewritten image {}", describe(first), describe(rewritten))),
        }
    }
    let variance = o2.as_deref().filter(|o2| *o2 != o1).map(|o2| Variance::learn(&o1, o2));
    if let Some(v) = &variance {
        c.masked.extend(v.masked.iter().cloned());
    }
    if r != o1 && Some(&r) != o2.as_ref() {
        let difference = match &variance {
            Some(v) => v.differs(&r),
            None => Variance::learn(&o1, &o1).differs(&r),
        };
        c.differences.extend(difference);
    }
    c
}

fn describe(b: &Behaviour) -> String {
    match (b.http_status, b.exit) {
        (Some(s), _) => format!("answered HTTP {s}"),
        (None, Some(e)) => format!("exited {e}"),
        (None, None) => "was stopped by a signal".to_owned(),
    }
}

/// Words (letters and digits), runs of blanks, line ends, and every other character alone.
fn tokens(text: &str) -> Vec<&str> {
    let class = |c: char| match c {
        '\n' => 0,
        c if c.is_alphanumeric() || c == '_' => 1,
        c if c.is_whitespace() => 2,
        _ => 3,
    };
    let mut out = Vec::new();
    let mut start = 0;
    let mut prev: Option<u8> = None;
    for (i, c) in text.char_indices() {
        let k = class(c);
        // Line ends and punctuation stand alone; words and blanks run on.
        if prev.is_some() && (prev != Some(k) || k == 0 || k == 3) {
            out.push(&text[start..i]);
            start = i;
        }
        prev = Some(k);
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out
}

/// The first run's tokens, and which of them (and which gaps between them) vary between two runs.
struct Variance<'a> {
    tokens: Vec<&'a str>,
    /// The 1-based line of each token.
    lines: Vec<usize>,
    variable: Vec<bool>,
    /// Gap `i` is before token `i`: the second run had more there.
    gap_variable: Vec<bool>,
    masked: Vec<Masked>,
}

impl<'a> Variance<'a> {
    fn learn(first: &'a str, second: &str) -> Variance<'a> {
        let tokens = tokens(first);
        let other = self::tokens(second);
        let mut lines = Vec::with_capacity(tokens.len());
        let mut line = 1;
        for t in &tokens {
            lines.push(line);
            line += usize::from(*t == "\n");
        }
        let mut v = Variance { variable: vec![false; tokens.len()], gap_variable: vec![false; tokens.len() + 1], tokens, lines, masked: vec![] };
        let mut count = 0;
        let mut last: Option<Range<usize>> = None;
        for op in diff(&v.tokens, &other) {
            if matches!(op, DiffOp::Equal { .. }) {
                continue;
            }
            // The whole field a varying token is part of: `10:00:02.117`, not `117`.
            let old = widen(&v.tokens, op.old_range());
            let new = widen(&other, op.new_range());
            if last.as_ref().is_some_and(|l| l.end > old.start || (l.is_empty() && *l == old)) {
                continue;
            }
            v.variable[old.clone()].iter_mut().for_each(|x| *x = true);
            if old.is_empty() {
                v.gap_variable[old.start] = true;
            }
            count += 1;
            if v.masked.len() < LISTED {
                v.masked.push(Masked {
                    reason: "differs between the original's two runs".to_owned(),
                    line: Some(v.line_at(old.start)),
                    text: vec![v.tokens[old.clone()].concat(), other[new].concat()],
                    count: 1,
                });
            }
            last = Some(old);
        }
        if count > LISTED {
            v.masked.push(Masked {
                reason: format!("and {} more places that differ between the original's two runs", count - LISTED),
                line: None,
                text: vec![],
                count: count - LISTED,
            });
        }
        v
    }

    fn line_at(&self, token: usize) -> usize {
        self.lines.get(token).or(self.lines.last()).copied().unwrap_or(1)
    }

    /// The first place where `other` differs from the first run outside what varies, said for a report.
    fn differs(&self, other: &str) -> Option<String> {
        let theirs = tokens(other);
        for op in diff(&self.tokens, &theirs) {
            let (old, new) = (op.old_range(), op.new_range());
            let allowed = match op {
                DiffOp::Equal { .. } => true,
                DiffOp::Insert { old_index: k, .. } => {
                    self.gap_variable[k] || (k > 0 && self.variable[k - 1]) || self.variable.get(k).copied().unwrap_or(false)
                }
                DiffOp::Delete { .. } | DiffOp::Replace { .. } => self.variable[old.clone()].iter().all(|x| *x),
            };
            if !allowed {
                // From the first token that does not vary, which is where the difference is.
                let mut from = old.clone().find(|i| !self.variable[*i]).unwrap_or(old.start);
                if self.tokens.get(from) == Some(&"\n") && from + 1 < old.end {
                    from += 1;
                }
                let shown = |t: &[&str]| t.concat().chars().take(200).collect::<String>();
                return Some(format!(
                    "the output differs at line {}: the original printed {:?} where the rewritten image printed {:?}",
                    self.line_at(from),
                    shown(&self.tokens[from..old.end]),
                    shown(&theirs[new])
                ));
            }
        }
        None
    }
}

/// `range` grown over its neighbours while they are letters, digits or `_ : . - + /`: the field a
/// timestamp, a version, an address or an id makes.
fn widen(tokens: &[&str], range: Range<usize>) -> Range<usize> {
    let joins = |t: &str| t.chars().all(|c| c.is_alphanumeric() || "_:.-+/".contains(c));
    if range.is_empty() || !tokens[range.clone()].iter().all(|t| joins(t)) {
        return range;
    }
    let (mut start, mut end) = (range.start, range.end);
    while start > 0 && joins(tokens[start - 1]) {
        start -= 1;
    }
    while end < tokens.len() && joins(tokens[end]) {
        end += 1;
    }
    start..end
}

fn diff(a: &[&str], b: &[&str]) -> Vec<DiffOp> {
    capture_diff_slices_deadline(Algorithm::Myers, a, b, Some(Instant::now() + DIFF_TIME))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ran(output: &str) -> Behaviour {
        Behaviour { exit: Some(0), output: output.to_owned(), http_status: None, port: None }
    }

    fn cmp(first: &str, second: &str, rewritten: &str, masks: &[&str]) -> Comparison {
        let masks = UserMasks::new(&masks.iter().map(|s| s.to_string()).collect::<Vec<_>>()).unwrap();
        compare(&ran(first), Some(&ran(second)), &ran(rewritten), &masks)
    }

    #[test]
    fn tokens_split_words_from_punctuation() {
        assert_eq!(tokens("at 2026-12-03T10:00:01Z ok\n"), ["at", " ", "2026", "-", "12", "-", "03T10", ":", "00", ":", "01Z", " ", "ok", "\n"]);
        assert_eq!(tokens(""), Vec::<&str>::new());
        assert_eq!(tokens("\n\nä-ü"), ["\n", "\n", "ä", "-", "ü"]);
    }

    #[test]
    fn a_timestamp_is_masked_not_its_line() {
        let first = "starting\nready at 10:00:01 on host-a1\nserved 3 files\n";
        let second = "starting\nready at 10:00:02 on host-b7\nserved 3 files\n";
        let c = cmp(first, second, "starting\nready at 10:00:09 on host-c3\nserved 3 files\n", &[]);
        assert_eq!(c.differences, Vec::<String>::new());
        let masked: Vec<(Option<usize>, Vec<String>)> = c.masked.iter().map(|m| (m.line, m.text.clone())).collect();
        let texts = |a: &str, b: &str| vec![a.to_owned(), b.to_owned()];
        assert_eq!(masked, [(Some(2), texts("10:00:01", "10:00:02")), (Some(2), texts("host-a1", "host-b7"))]);
        assert!(c.masked.iter().all(|m| m.reason == "differs between the original's two runs"));
        // The rest of the line still counts: a changed word next to the timestamp is a difference.
        let c = cmp(first, second, "starting\nfailed at 10:00:09 on host-c3\nserved 3 files\n", &[]);
        assert_eq!(c.differences, ["the output differs at line 2: the original printed \"ready\" where the rewritten image printed \"failed\""]);
        // So is a line that is missing.
        let c = cmp(first, second, "starting\nready at 10:00:09 on host-c3\n", &[]);
        assert!(c.differences[0].starts_with("the output differs at line 3: the original printed \"served"), "{:?}", c.differences);
    }

    #[test]
    fn without_variance_outputs_compare_exactly() {
        let c = cmp("a 1\n", "a 1\n", "a 1\n", &[]);
        assert_eq!(c, Comparison::default());
        let c = cmp("a 1\n", "a 1\n", "a 2\n", &[]);
        assert_eq!(c.differences, ["the output differs at line 1: the original printed \"1\" where the rewritten image printed \"2\""]);
        assert!(c.masked.is_empty());
        // The field a varying token belongs to varies: a third run may differ in another of its digits.
        let c = cmp("at 10:00:01.250 ok\n", "at 10:00:01.731 ok\n", "at 10:00:02.004 ok\n", &[]);
        assert!(c.differences.is_empty(), "{c:?}");
        assert_eq!(c.masked[0].text, ["10:00:01.250", "10:00:01.731"]);
        let masks = UserMasks::new(&[]).unwrap();
        assert_eq!(compare(&ran("x"), None, &ran("y"), &masks).differences.len(), 1, "one run of the original: exact");
    }

    #[test]
    fn a_longer_value_in_the_second_run_masks_its_place() {
        // The second run prints one more token where the first had none: the rewrite may print anything there.
        let c = cmp("id=\nend\n", "id=abc\nend\n", "id=xyz\nend\n", &[]);
        assert_eq!(c.differences, Vec::<String>::new());
        assert_eq!(c.masked[0].text, ["", "abc"]);
    }

    #[test]
    fn user_masks_apply_to_every_output() {
        let c = cmp("took 12ms\nok\n", "took 12ms\nok\n", "took 40ms\nok\n", &[r"\d+ms"]);
        assert_eq!(c.differences, Vec::<String>::new());
        assert_eq!(c.masked, [Masked { reason: r"--mask \d+ms".to_owned(), line: None, text: vec!["12ms".to_owned(), "40ms".to_owned()], count: 3 }]);
        let c = cmp("took 12ms\nok\n", "took 12ms\nok\n", "took 40ms\nKO\n", &[r"\d+ms"]);
        assert_eq!(c.differences.len(), 1);
        assert!(UserMasks::new(&["(".to_owned()]).is_err());
    }

    #[test]
    fn exit_statuses() {
        let masks = UserMasks::new(&[]).unwrap();
        let exit = |e: i32| Behaviour { exit: Some(e), ..ran("x") };
        assert_eq!(compare(&exit(0), Some(&exit(0)), &exit(1), &masks).differences, ["the original exited 0, the rewritten image exited 1"]);
        // An original that ends differently on its own: the rewrite may end either way.
        let c = compare(&exit(0), Some(&exit(3)), &exit(3), &masks);
        assert!(c.differences.is_empty() && c.masked[0].reason == "the original's two runs ended differently", "{c:?}");
        let http = |s: u16| Behaviour { http_status: Some(s), exit: None, ..ran("x") };
        assert_eq!(compare(&http(200), None, &http(500), &masks).differences, ["the original answered HTTP 200, the rewritten image answered HTTP 500"]);
    }

    #[test]
    fn many_varying_places_are_counted_not_all_listed() {
        let first: String = (0..30).map(|i| format!("line {i} at {}\n", 1000 + i)).collect();
        let second: String = (0..30).map(|i| format!("line {i} at {}\n", 2000 + i)).collect();
        let c = cmp(&first, &second, &first.replace("at 1", "at 3"), &[]);
        assert!(c.differences.is_empty(), "{:?}", c.differences);
        assert_eq!(c.masked.len(), LISTED + 1);
        assert_eq!(c.masked[LISTED].count, 10);
    }
}
