//! A minimal TOML reader for the keys the readers need (Cargo.toml, pyproject.toml, poetry.lock, uv.lock):
//! tables and arrays of tables, keys (bare, quoted, dotted), and the values those files use.
//!
//! What it reads, as the TOML 1.0 specification (<https://toml.io/en/v1.0.0>) defines it: `#` comments;
//! `[table]` and `[[array.of.tables]]` headers; `key = value` with bare, quoted and dotted keys; basic
//! strings (`"…"` with the escapes `\b \t \n \f \r \" \\ \uXXXX \UXXXXXXXX`), literal strings (`'…'`),
//! multi-line basic and literal strings (`"""…"""`, `'''…'''`, a line-ending backslash trims); booleans;
//! arrays (over several lines, with comments and a trailing comma); inline tables.
//!
//! Its limits, on purpose: numbers, dates and times are kept as their text ([`Value::Other`]), never
//! converted; a key defined twice is not an error (the last one wins for [`Doc::get`]); no check that a
//! table is not redefined. Nesting is bounded ([`MAX_DEPTH`]) so no input can exhaust the stack. Anything
//! else is an error with its line and column, and the reader that asked ignores the file and says so.

use std::collections::BTreeMap;

/// Arrays and inline tables nested deeper than this are an error.
pub const MAX_DEPTH: usize = 32;

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Str(String),
    Bool(bool),
    Array(Vec<Value>),
    Table(BTreeMap<String, Value>),
    /// A number, date or time, as written.
    Other(String),
}

impl Value {
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The strings of an array (other items skipped).
    pub fn strings(&self) -> Vec<String> {
        match self {
            Value::Array(items) => items.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect(),
            _ => vec![],
        }
    }
}

/// One `key = value`: the table it is in (`package`, `tool.poetry.dependencies`; `bin#0` for the first
/// `[[bin]]`), and the key as a dotted path from there.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub table: String,
    pub key: String,
    pub value: Value,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Doc {
    pub entries: Vec<Entry>,
    /// How many `[[name]]` headers each array of tables has.
    pub array_tables: BTreeMap<String, usize>,
}

/// A parse error: the message and its 1-based line and column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    pub message: String,
    pub line: u32,
    pub column: u32,
}

impl Doc {
    /// The value of `key` in `table` (a dotted key may be split between the header and the key).
    pub fn get(&self, table: &str, key: &str) -> Option<&Value> {
        let full = if table.is_empty() { key.to_owned() } else { format!("{table}.{key}") };
        self.entries.iter().rev().find(|e| e.table == table && e.key == key || join(&e.table, &e.key) == full && !e.table.contains('#')).map(|e| &e.value)
    }

    pub fn str(&self, table: &str, key: &str) -> Option<&str> {
        self.get(table, key).and_then(Value::as_str)
    }

    /// The keys directly in `table` (`[tool.poetry.dependencies]`'s package names), in order.
    pub fn keys(&self, table: &str) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for e in self.entries.iter().filter(|e| e.table == table) {
            let k = e.key.split('.').next().unwrap_or(&e.key);
            if !out.contains(&k) {
                out.push(k);
            }
        }
        out
    }

    /// The tables of an array of tables (`bin` → `bin#0`, `bin#1`, …).
    pub fn array(&self, name: &str) -> Vec<String> {
        (0..self.array_tables.get(name).copied().unwrap_or(0)).map(|i| format!("{name}#{i}")).collect()
    }
}

fn join(table: &str, key: &str) -> String {
    if table.is_empty() {
        key.to_owned()
    } else {
        format!("{table}.{key}")
    }
}

pub fn parse(text: &str) -> Result<Doc, Error> {
    let mut p = Parser { s: text.as_bytes(), text, i: 0 };
    let mut doc = Doc::default();
    let mut table = String::new();
    loop {
        p.skip_blank_lines();
        if p.i >= p.s.len() {
            return Ok(doc);
        }
        if p.peek() == Some(b'[') {
            let array = p.s.get(p.i + 1) == Some(&b'[');
            p.i += if array { 2 } else { 1 };
            p.skip_ws();
            let name = p.key()?.join(".");
            p.skip_ws();
            p.expect(b']')?;
            if array {
                p.expect(b']')?;
                let n = doc.array_tables.entry(name.clone()).or_insert(0);
                table = format!("{name}#{n}");
                *n += 1;
            } else {
                table = name;
            }
        } else {
            let key = p.key()?.join(".");
            p.skip_ws();
            p.expect(b'=')?;
            p.skip_ws();
            let value = p.value(0)?;
            doc.entries.push(Entry { table: table.clone(), key, value });
        }
        p.end_of_line()?;
    }
}

struct Parser<'a> {
    s: &'a [u8],
    text: &'a str,
    i: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn error(&self, message: impl Into<String>) -> Error {
        let before = &self.text[..self.i.min(self.text.len())];
        let line = before.matches('\n').count() as u32 + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u32 + 1;
        Error { message: message.into(), line, column }
    }

    fn expect(&mut self, c: u8) -> Result<(), Error> {
        if self.peek() == Some(c) {
            self.i += 1;
            Ok(())
        } else {
            Err(self.error(format!("expected '{}'", c as char)))
        }
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.i += 1;
        }
    }

    fn skip_comment(&mut self) {
        if self.peek() == Some(b'#') {
            while !matches!(self.peek(), None | Some(b'\n')) {
                self.i += 1;
            }
        }
    }

    /// Blank lines and comment lines.
    fn skip_blank_lines(&mut self) {
        loop {
            self.skip_ws();
            self.skip_comment();
            match self.peek() {
                Some(b'\n') => self.i += 1,
                Some(b'\r') if self.s.get(self.i + 1) == Some(&b'\n') => self.i += 2,
                _ => return,
            }
        }
    }

    /// Whitespace, newlines and comments inside an array.
    fn skip_all(&mut self) {
        loop {
            self.skip_ws();
            self.skip_comment();
            match self.peek() {
                Some(b'\n' | b'\r') => self.i += 1,
                _ => return,
            }
        }
    }

    fn end_of_line(&mut self) -> Result<(), Error> {
        self.skip_ws();
        self.skip_comment();
        match self.peek() {
            None => Ok(()),
            Some(b'\n') => {
                self.i += 1;
                Ok(())
            }
            Some(b'\r') if self.s.get(self.i + 1) == Some(&b'\n') => {
                self.i += 2;
                Ok(())
            }
            Some(_) => Err(self.error("expected the end of the line")),
        }
    }

    /// A key: bare or quoted parts joined by dots.
    fn key(&mut self) -> Result<Vec<String>, Error> {
        let mut parts = Vec::new();
        loop {
            self.skip_ws();
            let part = match self.peek() {
                Some(b'"') => self.basic_string()?,
                Some(b'\'') => self.literal_string()?,
                _ => {
                    let start = self.i;
                    while self.peek().is_some_and(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'-') {
                        self.i += 1;
                    }
                    if start == self.i {
                        return Err(self.error("expected a key"));
                    }
                    self.text[start..self.i].to_owned()
                }
            };
            parts.push(part);
            self.skip_ws();
            if self.peek() == Some(b'.') {
                self.i += 1;
            } else {
                return Ok(parts);
            }
        }
    }

    fn value(&mut self, depth: usize) -> Result<Value, Error> {
        if depth > MAX_DEPTH {
            return Err(self.error(format!("arrays or tables nested more than {MAX_DEPTH} deep")));
        }
        match self.peek() {
            Some(b'"') if self.s[self.i..].starts_with(b"\"\"\"") => self.multiline(b'"').map(Value::Str),
            Some(b'\'') if self.s[self.i..].starts_with(b"'''") => self.multiline(b'\'').map(Value::Str),
            Some(b'"') => self.basic_string().map(Value::Str),
            Some(b'\'') => self.literal_string().map(Value::Str),
            Some(b'[') => {
                self.i += 1;
                let mut items = Vec::new();
                loop {
                    self.skip_all();
                    if self.peek() == Some(b']') {
                        self.i += 1;
                        return Ok(Value::Array(items));
                    }
                    items.push(self.value(depth + 1)?);
                    self.skip_all();
                    match self.peek() {
                        Some(b',') => self.i += 1,
                        Some(b']') => {}
                        _ => return Err(self.error("expected ',' or ']' in an array")),
                    }
                }
            }
            Some(b'{') => {
                self.i += 1;
                let mut table = BTreeMap::new();
                self.skip_ws();
                if self.peek() == Some(b'}') {
                    self.i += 1;
                    return Ok(Value::Table(table));
                }
                loop {
                    let key = self.key()?.join(".");
                    self.skip_ws();
                    self.expect(b'=')?;
                    self.skip_ws();
                    let v = self.value(depth + 1)?;
                    table.insert(key, v);
                    self.skip_ws();
                    match self.peek() {
                        Some(b',') => {
                            self.i += 1;
                            self.skip_ws();
                        }
                        Some(b'}') => {
                            self.i += 1;
                            return Ok(Value::Table(table));
                        }
                        _ => return Err(self.error("expected ',' or '}' in an inline table")),
                    }
                }
            }
            Some(_) => {
                let start = self.i;
                while self.peek().is_some_and(|c| !matches!(c, b',' | b']' | b'}' | b'\n' | b'\r' | b'#')) {
                    self.i += 1;
                }
                let raw = self.text[start..self.i].trim_end();
                match raw {
                    "" => Err(self.error("expected a value")),
                    "true" => Ok(Value::Bool(true)),
                    "false" => Ok(Value::Bool(false)),
                    _ => Ok(Value::Other(raw.to_owned())),
                }
            }
            None => Err(self.error("expected a value")),
        }
    }

    fn literal_string(&mut self) -> Result<String, Error> {
        self.i += 1;
        let start = self.i;
        while !matches!(self.peek(), Some(b'\'' | b'\n') | None) {
            self.i += 1;
        }
        if self.peek() != Some(b'\'') {
            return Err(self.error("unterminated string"));
        }
        let s = self.text[start..self.i].to_owned();
        self.i += 1;
        Ok(s)
    }

    fn basic_string(&mut self) -> Result<String, Error> {
        self.i += 1;
        let mut out = String::new();
        loop {
            match self.peek() {
                None | Some(b'\n') => return Err(self.error("unterminated string")),
                Some(b'"') => {
                    self.i += 1;
                    return Ok(out);
                }
                Some(b'\\') => self.escape(&mut out)?,
                Some(_) => self.push_char(&mut out),
            }
        }
    }

    /// `"""…"""` or `'''…'''`: a newline right after the opening is dropped.
    fn multiline(&mut self, quote: u8) -> Result<String, Error> {
        self.i += 3;
        if self.peek() == Some(b'\n') {
            self.i += 1;
        } else if self.s[self.i..].starts_with(b"\r\n") {
            self.i += 2;
        }
        let mut out = String::new();
        loop {
            match self.peek() {
                None => return Err(self.error("unterminated multi-line string")),
                Some(q) if q == quote && self.s[self.i..].starts_with(&[q, q, q]) => {
                    self.i += 3;
                    // Up to two more quotes belong to the content.
                    while self.peek() == Some(quote) && out.len() < usize::MAX {
                        out.push(quote as char);
                        self.i += 1;
                    }
                    return Ok(out);
                }
                Some(b'\\') if quote == b'"' => {
                    let rest = &self.s[self.i + 1..];
                    let trimmed = rest.iter().take_while(|c| matches!(c, b' ' | b'\t' | b'\r')).count();
                    if rest.get(trimmed) == Some(&b'\n') {
                        // A line-ending backslash: drop it and the whitespace that follows.
                        self.i += 1 + trimmed;
                        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
                            self.i += 1;
                        }
                    } else {
                        self.escape(&mut out)?;
                    }
                }
                Some(_) => self.push_char(&mut out),
            }
        }
    }

    fn push_char(&mut self, out: &mut String) {
        let c = self.text[self.i..].chars().next().expect("inside the text");
        out.push(c);
        self.i += c.len_utf8();
    }

    fn escape(&mut self, out: &mut String) -> Result<(), Error> {
        self.i += 1;
        let c = self.peek().ok_or_else(|| self.error("unterminated escape"))?;
        self.i += 1;
        let simple = match c {
            b'b' => Some('\u{8}'),
            b't' => Some('\t'),
            b'n' => Some('\n'),
            b'f' => Some('\u{c}'),
            b'r' => Some('\r'),
            b'"' => Some('"'),
            b'\\' => Some('\\'),
            _ => None,
        };
        if let Some(ch) = simple {
            out.push(ch);
            return Ok(());
        }
        let len = match c {
            b'u' => 4,
            b'U' => 8,
            _ => return Err(self.error(format!("unknown escape '\\{}'", c as char))),
        };
        let hex = self.text.get(self.i..self.i + len).ok_or_else(|| self.error("short unicode escape"))?;
        let ch = u32::from_str_radix(hex, 16).ok().and_then(char::from_u32).ok_or_else(|| self.error("bad unicode escape"))?;
        out.push(ch);
        self.i += len;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_cargo_and_pyproject_files_hold() {
        let text = r#"
# a comment
[package]
name = "my-app"   # trailing comment
version = "0.1.0"
edition = "2021"
default-run = 'server'
autobins = false
metadata.docs = { all-features = true }

[[bin]]
name = "server"
path = "src/main.rs"

[[bin]]
name = "migrate"

[workspace]
members = [
    "crates/*",   # every crate
    "tools/gen",
]

[dependencies]
serde = { version = "1", features = ["derive"] }
tokio.workspace = true

[project]
dependencies = ["flask>=3", 'gunicorn==22.0.0']
description = """
Multi
line"""
"#;
        let doc = parse(text).unwrap();
        assert_eq!(doc.str("package", "name"), Some("my-app"));
        assert_eq!(doc.str("package", "default-run"), Some("server"));
        assert_eq!(doc.get("package", "autobins").and_then(Value::as_bool), Some(false));
        assert_eq!(doc.array("bin"), ["bin#0", "bin#1"]);
        assert_eq!(doc.str("bin#1", "name"), Some("migrate"));
        assert_eq!(doc.get("workspace", "members").unwrap().strings(), ["crates/*", "tools/gen"]);
        assert_eq!(doc.keys("dependencies"), ["serde", "tokio"]);
        assert_eq!(doc.get("project", "dependencies").unwrap().strings(), ["flask>=3", "gunicorn==22.0.0"]);
        assert_eq!(doc.str("project", "description"), Some("Multi\nline"));
        // A dotted key reaches the same value as a header.
        assert_eq!(parse("package.name = \"x\"\n").unwrap().str("package", "name"), Some("x"));
    }

    #[test]
    fn strings_and_escapes() {
        let doc = parse("a = \"tab\\there \\u00e9 \\\"q\\\"\"\nb = 'C:\\path'\nc = \"\"\"\\\n   joined\"\"\"\n").unwrap();
        assert_eq!(doc.str("", "a"), Some("tab\there é \"q\""));
        assert_eq!(doc.str("", "b"), Some("C:\\path"));
        assert_eq!(doc.str("", "c"), Some("joined"));
    }

    #[test]
    fn errors_have_a_place_and_nesting_is_bounded() {
        let e = parse("[package]\nname = \"unterminated\n").unwrap_err();
        assert_eq!((e.line, e.message.as_str()), (2, "unterminated string"));
        let e = parse("a = [1, 2\nb = 3\n").unwrap_err();
        assert_eq!(e.line, 2, "{e:?}");
        let deep = format!("a = {}{}\n", "[".repeat(100), "]".repeat(100));
        assert!(parse(&deep).unwrap_err().message.contains("nested"));
        assert!(parse("= 1\n").unwrap_err().message.contains("expected a key"));
        assert!(parse("a = 1 2\n").is_ok(), "numbers and dates are kept as text");
    }
}
