//! Words, key=value pairs and variable expansion, the way BuildKit's shell lexer reads ENV, ARG and
//! LABEL arguments, and a POSIX-ish reading of shell commands good enough to find the programs a RUN
//! line calls. Never fails: unbalanced quotes end at the end of the text.

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

/// One simple command of a shell line: `A=1 B=2 prog arg1 arg2`.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct SimpleCommand {
    /// Leading `NAME=value` assignments.
    pub env: Vec<(String, String)>,
    /// Program and arguments, quotes removed. `$(...)` and backticks are kept as written.
    pub argv: Vec<String>,
    /// Files its output is redirected to (`> f`, `>> f`, `2> f`, `>| f`), quotes removed; not `>&2`.
    pub writes: Vec<String>,
}

impl SimpleCommand {
    pub fn program(&self) -> &str {
        self.argv.first().map(|p| p.rsplit('/').next().unwrap_or(p)).unwrap_or("")
    }

    pub fn arg(&self, i: usize) -> &str {
        self.argv.get(i).map_or("", String::as_str)
    }

    /// The value of `-o X`, `-oX`, `--out X` or `--out=X` style options.
    pub fn option(&self, names: &[&str]) -> Option<&str> {
        let mut it = self.argv.iter().skip(1);
        while let Some(a) = it.next() {
            for n in names {
                if a == n {
                    return it.next().map(String::as_str);
                }
                if let Some(v) = a.strip_prefix(n).and_then(|r| r.strip_prefix('=')) {
                    return Some(v);
                }
            }
        }
        None
    }

    pub fn has_flag(&self, names: &[&str]) -> bool {
        self.argv.iter().skip(1).any(|a| names.iter().any(|n| a == n || a.starts_with(&format!("{n}="))))
    }

    /// Arguments that are not options (`-x`), skipping the program and `skip` leading words.
    pub fn positional(&self, skip: usize) -> impl Iterator<Item = &str> {
        self.argv.iter().skip(1 + skip).map(String::as_str).filter(|a| !a.starts_with('-'))
    }
}

/// Splits a shell command into simple commands at `&&`, `||`, `;`, `|`, `&`, newlines and parentheses.
/// `escape` is the Dockerfile's escape character: `escape` + newline is a line continuation.
/// `sh -c "..."` and `bash -c '...'` are read into as well.
pub fn commands(script: &str, escape: char) -> Vec<SimpleCommand> {
    let mut out = Vec::new();
    commands_into(script, escape, &mut out, 0);
    out
}

fn commands_into(script: &str, escape: char, out: &mut Vec<SimpleCommand>, depth: usize) {
    let mut words: Vec<String> = Vec::new();
    // Output redirection targets of the simple command being read.
    let mut pending_writes: Vec<String> = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let chars: Vec<char> = script.chars().collect();
    let mut i = 0;
    let flush_word = |words: &mut Vec<String>, cur: &mut String, in_word: &mut bool| {
        if *in_word {
            words.push(std::mem::take(cur));
            *in_word = false;
        }
    };
    let flush_cmd = |words: &mut Vec<String>, writes: &mut Vec<String>, out: &mut Vec<SimpleCommand>| {
        if words.is_empty() {
            // `> f` alone truncates f: it is still written.
            if !writes.is_empty() {
                out.push(SimpleCommand { writes: std::mem::take(writes), ..SimpleCommand::default() });
            }
            return;
        }
        let mut cmd = SimpleCommand { writes: std::mem::take(writes), ..SimpleCommand::default() };
        let mut k = 0;
        while k < words.len() {
            let w = &words[k];
            match w.split_once('=') {
                Some((n, v))
                    if !n.is_empty()
                        && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                        && !n.starts_with(|c: char| c.is_ascii_digit()) =>
                {
                    cmd.env.push((n.to_owned(), v.to_owned()));
                    k += 1;
                }
                _ => break,
            }
        }
        cmd.argv = words.drain(..).skip(k).collect();
        // Shell reserved words start a compound command; the simple command follows them.
        while cmd.argv.first().is_some_and(|w| matches!(w.as_str(), "then" | "do" | "else" | "elif" | "if" | "while" | "until" | "!" | "{" | "}" | "fi" | "done" | "time")) {
            cmd.argv.remove(0);
        }
        // `export A=1` / `env A=1 prog`
        if cmd.program() == "env" {
            let mut j = 1;
            while j < cmd.argv.len() {
                if let Some((n, v)) = cmd.argv[j].split_once('=') {
                    cmd.env.push((n.to_owned(), v.to_owned()));
                    j += 1;
                } else if cmd.argv[j].starts_with('-') {
                    j += 1;
                } else {
                    break;
                }
            }
            cmd.argv.drain(..j);
        }
        // `sh -c "script"`: read the inner script as commands too.
        if matches!(cmd.program(), "sh" | "bash" | "ash" | "dash") && depth < 4 {
            // `-c`, `-ec`, `-xe`, `-euxc`, `-lc`, `-e -c`: any short-option word ending in c.
            if let Some(pos) = cmd.argv.iter().position(|a| a.starts_with('-') && !a.starts_with("--") && a.ends_with('c')) {
                if let Some(inner) = cmd.argv.get(pos + 1) {
                    let inner = inner.clone();
                    out.push(cmd);
                    commands_into(&inner, '\\', out, depth + 1);
                    return;
                }
            }
        }
        if !cmd.argv.is_empty() || !cmd.env.is_empty() {
            out.push(cmd);
        }
    };
    while i < chars.len() {
        let c = chars[i];
        if c == escape && i + 1 < chars.len() && (chars[i + 1] == '\n' || chars[i + 1] == '\r') {
            // Line continuation.
            i += 1;
            while i < chars.len() && (chars[i] == '\r' || chars[i] == '\n') {
                i += 1;
                if chars[i - 1] == '\n' {
                    break;
                }
            }
            continue;
        }
        match c {
            '\'' => {
                in_word = true;
                i += 1;
                while i < chars.len() && chars[i] != '\'' {
                    cur.push(chars[i]);
                    i += 1;
                }
                i += 1;
            }
            '"' => {
                in_word = true;
                i += 1;
                while i < chars.len() && chars[i] != '"' {
                    if chars[i] == '\\' && i + 1 < chars.len() {
                        if chars[i + 1] == '\n' {
                            i += 2;
                            continue;
                        }
                        if matches!(chars[i + 1], '"' | '\\' | '$' | '`') {
                            cur.push(chars[i + 1]);
                            i += 2;
                            continue;
                        }
                    }
                    cur.push(chars[i]);
                    i += 1;
                }
                i += 1;
            }
            '\\' => {
                in_word = true;
                if i + 1 < chars.len() {
                    cur.push(chars[i + 1]);
                }
                i += 2;
            }
            '$' if chars.get(i + 1) == Some(&'(') => {
                // Command substitution: keep as written, balanced.
                in_word = true;
                let mut depth = 0;
                while i < chars.len() {
                    cur.push(chars[i]);
                    if chars[i] == '(' {
                        depth += 1;
                    } else if chars[i] == ')' {
                        depth -= 1;
                        if depth == 0 {
                            i += 1;
                            break;
                        }
                    }
                    i += 1;
                }
            }
            '`' => {
                in_word = true;
                cur.push('`');
                i += 1;
                while i < chars.len() && chars[i] != '`' {
                    cur.push(chars[i]);
                    i += 1;
                }
                cur.push('`');
                i += 1;
            }
            '#' if !in_word => {
                // Comment to end of line.
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
            }
            ';' | '&' | '|' | '\n' | '(' | ')' => {
                flush_word(&mut words, &mut cur, &mut in_word);
                flush_cmd(&mut words, &mut pending_writes, out);
                i += 1;
            }
            '>' | '<' => {
                // Redirection: the operator and its target word leave the command's words; an output
                // redirection's target is kept in `writes`.
                flush_word(&mut words, &mut cur, &mut in_word);
                // A preceding fd number (`2>`) was already pushed as a word: drop it.
                if words.last().is_some_and(|w| w.chars().all(|c| c.is_ascii_digit())) {
                    words.pop();
                }
                let op_start = i;
                i += 1;
                while i < chars.len() && matches!(chars[i], '>' | '<' | '&' | '|') {
                    i += 1;
                }
                let op: String = chars[op_start..i].iter().collect();
                while i < chars.len() && chars[i] == ' ' {
                    i += 1;
                }
                let mut target = String::new();
                while i < chars.len() && !chars[i].is_whitespace() && !matches!(chars[i], ';' | '&' | '|' | ')') {
                    if matches!(chars[i], '"' | '\'') {
                        // A quoted part of the word, spaces and all (`> "/etc/my app.conf"`).
                        let q = chars[i];
                        i += 1;
                        while i < chars.len() && chars[i] != q {
                            target.push(chars[i]);
                            i += 1;
                        }
                    } else {
                        target.push(chars[i]);
                    }
                    i += 1;
                }
                if op.starts_with('>') && !op.contains(['&', '<']) && !target.is_empty() {
                    pending_writes.push(target);
                }
            }
            c if c.is_whitespace() => {
                flush_word(&mut words, &mut cur, &mut in_word);
                i += 1;
            }
            c => {
                in_word = true;
                cur.push(c);
                i += 1;
            }
        }
    }
    flush_word(&mut words, &mut cur, &mut in_word);
    flush_cmd(&mut words, &mut pending_writes, out);
}

/// Why a shell-form command cannot be turned into exec form exactly (None when it can).
/// Exact means: no expansion, quoting, operators, redirects, globs or escapes for a shell to interpret.
pub fn shell_syntax(s: &str) -> Option<&'static str> {
    for c in s.chars() {
        let why = match c {
            '$' => "it expands a variable ($)",
            '\'' | '"' => "it uses quotes",
            '&' | '|' | ';' => "it chains commands (&&, ||, ;, |)",
            '<' | '>' => "it redirects output",
            '*' | '?' | '[' | ']' => "it uses a glob",
            '\\' => "it uses a backslash escape",
            '~' => "it uses ~ (home directory expansion)",
            '(' | ')' | '`' => "it runs a subshell or command substitution",
            '{' | '}' => "it uses braces",
            '#' => "it has a comment",
            '\n' | '\r' => "it spans several lines",
            _ => continue,
        };
        return Some(why);
    }
    let words: Vec<&str> = s.split_whitespace().collect();
    if words.first().is_some_and(|w| w.contains('=')) {
        return Some("it sets an environment variable before the command");
    }
    None
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

    #[test]
    fn output_redirections_are_the_files_a_command_writes() {
        let c = commands("echo \"$V\" > /etc/app/version && cat <<EOF >>'/etc/app.yaml' 2>/dev/null; make 2>&1 >&2 | tee -a log", '\\');
        let writes: Vec<Vec<&str>> = c.iter().map(|c| c.writes.iter().map(String::as_str).collect()).collect();
        assert_eq!(writes, vec![vec!["/etc/app/version"], vec!["/etc/app.yaml", "/dev/null"], vec![], vec![]]);
        assert_eq!(c[1].argv, ["cat"], "the heredoc marker and the targets are not arguments");
        assert_eq!(commands("> /var/log/app.log", '\\')[0].writes, ["/var/log/app.log"]);
        assert_eq!(commands("sort < in >| out", '\\')[0].writes, ["out"]);
        let c = commands("echo hi > \"/etc/my app.conf\" && true", '\\');
        assert_eq!(c[0].writes, ["/etc/my app.conf"]);
        assert_eq!(c[1].argv, ["true"], "the quoted target is one word: nothing of it leaks into the next command");
    }

    #[test]
    fn shell_commands() {
        let cmds = commands("apt-get update && \\\n  apt-get install -y --no-install-recommends gcc git \\\n && rm -rf /var/lib/apt/lists/*", '\\');
        assert_eq!(cmds.len(), 3);
        assert_eq!(cmds[1].argv, ["apt-get", "install", "-y", "--no-install-recommends", "gcc", "git"]);
        let cmds = commands("CGO_ENABLED=0 GOOS=linux go build -o /app . 2>&1 | tee log", '\\');
        assert_eq!(cmds[0].env, vec![("CGO_ENABLED".into(), "0".into()), ("GOOS".into(), "linux".into())]);
        assert_eq!(cmds[0].argv, ["go", "build", "-o", "/app", "."]);
        assert_eq!(cmds[0].option(&["-o"]), Some("/app"));
        let cmds = commands("sh -c 'npm ci && npm run build'", '\\');
        assert_eq!(cmds.iter().map(|c| c.program()).collect::<Vec<_>>(), ["sh", "npm", "npm"]);
        let cmds = commands("pip install -r requirements.txt # the deps", '\\');
        assert_eq!(cmds[0].argv, ["pip", "install", "-r", "requirements.txt"]);
        let cmds = commands("if [ -f x ]; then apt-get update; fi", '\\');
        assert_eq!(cmds.iter().map(|c| c.program()).collect::<Vec<_>>(), ["[", "apt-get"]);
        let cmds = commands("sh -euxc 'go build -o /app .'", '\\');
        assert_eq!(cmds[1].argv, ["go", "build", "-o", "/app", "."]);
        let cmds = commands("dir `\n  c:", '`');
        assert_eq!(cmds[0].argv, ["dir", "c:"]);
    }

    #[test]
    fn exactness_of_exec_form() {
        assert_eq!(shell_syntax("./app --port 8080"), None);
        assert_eq!(shell_syntax("java -jar app.jar"), None);
        assert!(shell_syntax("./app --port $PORT").is_some());
        assert!(shell_syntax("cd /x && ./app").is_some());
        assert!(shell_syntax("FOO=1 ./app").is_some());
        assert!(shell_syntax("echo \"hi\"").is_some());
    }
}
