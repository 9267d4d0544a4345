//! Words, key=value pairs and variable expansion, the way BuildKit's shell lexer reads ENV, ARG and
//! LABEL arguments (and the words of a shell command). Never fails: unbalanced quotes end at the end of
//! the text.

use std::collections::HashMap;

/// Splits on unquoted whitespace and removes quotes (`"a b"` → `a b`). Backslash escapes the next char
/// outside single quotes.
pub fn split_words(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                for c in chars.by_ref() {
                    if c == '\'' {
                        break;
                    }
                    cur.push(c);
                }
            }
            '"' => {
                in_word = true;
                while let Some(c) = chars.next() {
                    match c {
                        '"' => break,
                        '\\' => {
                            if let Some(&n) = chars.peek() {
                                if matches!(n, '"' | '\\' | '$' | '`') {
                                    cur.push(n);
                                    chars.next();
                                    continue;
                                }
                            }
                            cur.push('\\');
                        }
                        c => cur.push(c),
                    }
                }
            }
            '\\' => {
                in_word = true;
                if let Some(n) = chars.next() {
                    if n != '\n' {
                        cur.push(n);
                    }
                }
            }
            c if c.is_whitespace() => {
                if in_word {
                    out.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            c => {
                in_word = true;
                cur.push(c);
            }
        }
    }
    if in_word {
        out.push(cur);
    }
    out
}

/// `ENV`/`LABEL`/`ARG` arguments as key/value pairs. `ENV KEY value with spaces` (the legacy form with
/// no `=` in the first word) is one pair. `ARG NAME` without a value gives `None`.
pub fn key_values(s: &str) -> Vec<(String, Option<String>)> {
    let words = split_words(s);
    let Some(first) = words.first() else { return vec![] };
    if !first.contains('=') && words.len() > 1 {
        // Legacy `ENV KEY value`: the value is the rest of the raw text, quotes removed word by word.
        let rest = s.trim_start();
        let rest = rest[rest.find(char::is_whitespace).unwrap_or(rest.len())..].trim();
        return vec![(first.clone(), Some(split_words(rest).join(" ")))];
    }
    words
        .into_iter()
        .map(|w| match w.split_once('=') {
            Some((k, v)) => (k.to_owned(), Some(v.to_owned())),
            None => (w, None),
        })
        .collect()
}

/// The result of expanding `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR:+alt}`, `${VAR-default}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Expanded {
    pub text: String,
    /// Names referenced but not defined (their expansion was empty).
    pub unresolved: Vec<String>,
}

/// How much longer than its text an expansion may grow. Each `ENV V2=$V1$V1` doubles a value: without a
/// bound, 30 such lines of a 500-byte file would need gigabytes. Longer results are cut at this length.
pub const MAX_EXPANSION_GROWTH: usize = 4096;

pub fn expand(s: &str, vars: &HashMap<String, String>) -> Expanded {
    expand_depth(s, vars, 0)
}

fn expand_depth(s: &str, vars: &HashMap<String, String>, depth: usize) -> Expanded {
    let mut out = String::with_capacity(s.len());
    let mut unresolved = Vec::new();
    let b = s.as_bytes();
    let limit = s.len().saturating_add(MAX_EXPANSION_GROWTH);
    let mut i = 0;
    while i < b.len() {
        if out.len() > limit {
            break;
        }
        let c = b[i];
        if c == b'\\' && i + 1 < b.len() && b[i + 1] == b'$' {
            out.push('$');
            i += 2;
            continue;
        }
        if c != b'$' {
            let ch = s[i..].chars().next().unwrap_or('\u{fffd}');
            out.push(ch);
            i += ch.len_utf8();
            continue;
        }
        // `$`
        if i + 1 < b.len() && b[i + 1] == b'{' {
            let Some(close) = matching_brace(s, i + 1) else {
                out.push_str(&s[i..]);
                break;
            };
            let inner = &s[i + 2..close];
            let name_end = inner.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(inner.len());
            let name = &inner[..name_end];
            let op = &inner[name_end..];
            let value = vars.get(name);
            let (text, missing) = if let Some(word) = op.strip_prefix(":-") {
                match value.filter(|v| !v.is_empty()) {
                    Some(v) => (v.clone(), false),
                    None => (sub(word, vars, depth, &mut unresolved), false),
                }
            } else if let Some(word) = op.strip_prefix('-') {
                match value {
                    Some(v) => (v.clone(), false),
                    None => (sub(word, vars, depth, &mut unresolved), false),
                }
            } else if let Some(word) = op.strip_prefix(":+") {
                match value.filter(|v| !v.is_empty()) {
                    Some(_) => (sub(word, vars, depth, &mut unresolved), false),
                    None => (String::new(), false),
                }
            } else if let Some(word) = op.strip_prefix('+') {
                match value {
                    Some(_) => (sub(word, vars, depth, &mut unresolved), false),
                    None => (String::new(), false),
                }
            } else {
                match value {
                    Some(v) => (v.clone(), false),
                    None => (String::new(), true),
                }
            };
            if missing && !name.is_empty() {
                unresolved.push(name.to_owned());
            }
            out.push_str(&text);
            i = close + 1;
        } else {
            let rest = &s[i + 1..];
            let n = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(rest.len());
            if n == 0 {
                out.push('$');
                i += 1;
                continue;
            }
            let name = &rest[..n];
            match vars.get(name) {
                Some(v) => out.push_str(v),
                None => unresolved.push(name.to_owned()),
            }
            i += 1 + n;
        }
    }
    if out.len() > limit {
        let mut cut = limit;
        while !out.is_char_boundary(cut) {
            cut -= 1;
        }
        out.truncate(cut);
    }
    Expanded { text: out, unresolved }
}

fn sub(word: &str, vars: &HashMap<String, String>, depth: usize, unresolved: &mut Vec<String>) -> String {
    if depth > 8 {
        return word.to_owned();
    }
    let e = expand_depth(word, vars, depth + 1);
    unresolved.extend(e.unresolved);
    e.text
}

fn matching_brace(s: &str, open: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (i, c) in s[open..].char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(open + i);
                }
            }
            _ => {}
        }
    }
    None
}

/// Names of the variables a text refers to (`$A`, `${B:-x}` → A, B).
pub fn referenced_vars(s: &str) -> Vec<String> {
    let mut names: Vec<String> = expand(s, &HashMap::new()).unresolved;
    // `${X:-default}` does not report X as unresolved; find those too.
    let b = s.as_bytes();
    let mut i = 0;
    while i + 1 < b.len() {
        if b[i] == b'$' && b[i + 1] == b'{' {
            let rest = &s[i + 2..];
            let n = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(rest.len());
            if n > 0 {
                names.push(rest[..n].to_owned());
            }
        }
        i += 1;
    }
    names.sort();
    names.dedup();
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
    }

    #[test]
    fn key_values_forms() {
        assert_eq!(
            key_values(r#"A=1 B="x y" C"#),
            vec![("A".into(), Some("1".into())), ("B".into(), Some("x y".into())), ("C".into(), None)]
        );
        assert_eq!(key_values("PATH /go/bin:$PATH"), vec![("PATH".into(), Some("/go/bin:$PATH".into()))]);
        assert_eq!(key_values("GO_VERSION"), vec![("GO_VERSION".into(), None)]);
    }

    #[test]
    fn expansion() {
        let v = vars(&[("V", "1.22"), ("E", "")]);
        assert_eq!(expand("golang:${V}-alpine", &v).text, "golang:1.22-alpine");
        assert_eq!(expand("golang:$V", &v).text, "golang:1.22");
        assert_eq!(expand("x${E:-d}", &v).text, "xd");
        assert_eq!(expand("x${E-d}", &v).text, "x");
        assert_eq!(expand("x${V:+set}", &v).text, "xset");
        let e = expand("a:${MISSING}", &v);
        assert_eq!(e.text, "a:");
        assert_eq!(e.unresolved, vec!["MISSING".to_owned()]);
        assert_eq!(expand(r"\$V", &v).text, "$V");
        assert_eq!(referenced_vars("${A:-x} $B"), vec!["A".to_owned(), "B".to_owned()]);
    }

    #[test]
    fn expansion_growth_is_bounded() {
        // `ENV V1=$V0$V0`, `ENV V2=$V1$V1`, …: each value twice the last, cut at the bound.
        let mut v = vars(&[("V0", "abcdefgh")]);
        for i in 1..40 {
            let e = expand(&format!("$V{0}${{V{0}}}", i - 1), &v);
            assert!(e.text.len() <= 12 + MAX_EXPANSION_GROWTH, "{i}: {}", e.text.len());
            v.insert(format!("V{i}"), e.text);
        }
        // Text without variables is never cut, however long.
        let long = "é".repeat(10_000);
        assert_eq!(expand(&long, &v).text, long);
    }
}
