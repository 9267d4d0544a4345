//! A POSIX-ish reading of a shell script into the simple commands it runs, good enough to find the
//! programs a RUN line calls: `&&`, `||`, `;`, `|`, `&`, newlines and parentheses separate commands,
//! redirections become the files a command writes, `sh -c "…"` is read into, and the commands that only run
//! another one (`sudo`, `env`, `nice`, …) are removed. Never fails: unbalanced quotes end at the end of
//! the text.

use crate::syntax::{Command, Heredoc, Instruction};

/// One simple command of a shell line: `A=1 B=2 prog arg1 arg2`.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct SimpleCommand {
    /// Leading `NAME=value` assignments (and those of the wrappers removed before the program).
    pub env: Vec<(String, String)>,
    /// Program and arguments, quotes removed. `$(...)` and backticks are kept as written.
    pub argv: Vec<String>,
    /// Files its output is redirected to (`> f`, `>> f`, `2> f`, `>| f`), quotes removed; not `>&2`.
    pub writes: Vec<String>,
    /// The commands that only ran this one, removed from `argv` (`sudo`, `env`, `nice`…), in order.
    pub wrappers: Vec<&'static str>,
}

impl SimpleCommand {
    pub fn program(&self) -> &str {
        self.argv.first().map(|p| basename(p)).unwrap_or("")
    }

    /// Whether this command runs `prog`: as its program, or inside an argument's `$(prog …)` or backticks,
    /// which stay in an argument as written.
    pub fn calls(&self, prog: &str) -> bool {
        self.program() == prog || self.argv.iter().any(|a| a.contains(&format!("$({prog} ")) || a.contains(&format!("`{prog} ")))
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

    /// The folder `git clone [options] URL [DIR]` clones into, as written (relative to the command's
    /// directory): DIR, else the URL's last part without `.git`. The value of an option that takes one
    /// (`--branch main`, `-b main`) is not a word.
    pub fn git_clone_dir(&self) -> Option<String> {
        if self.program() != "git" || self.arg(1) != "clone" {
            return None;
        }
        const VALUED: &[&str] = &["-b", "--branch", "--depth", "-o", "--origin", "-c", "--config", "--reference", "--template", "-u", "--upload-pack", "--separate-git-dir", "-j", "--jobs", "--filter", "--shallow-since", "--shallow-exclude"];
        let mut words = Vec::new();
        let mut args = self.argv[2..].iter();
        while let Some(a) = args.next() {
            if !a.starts_with('-') {
                words.push(a.as_str());
            } else if VALUED.contains(&a.as_str()) {
                args.next();
            }
        }
        match words.as_slice() {
            [_, dir, ..] => Some((*dir).to_owned()),
            [url] => Some(url.trim_end_matches('/').rsplit(['/', ':']).next().unwrap_or("").trim_end_matches(".git").to_owned()),
            [] => None,
        }
    }

    /// Arguments that are not options (`-x`), skipping the program and `skip` leading words.
    pub fn positional(&self, skip: usize) -> impl Iterator<Item = &str> {
        self.argv.iter().skip(1 + skip).map(String::as_str).filter(|a| !a.starts_with('-'))
    }
}

/// `/usr/bin/apt-get` → `apt-get`.
pub fn basename(p: &str) -> &str {
    p.rsplit('/').next().unwrap_or(p)
}

pub fn is_shell(program: &str) -> bool {
    matches!(program, "sh" | "bash" | "ash" | "dash" | "zsh")
}

/// `NAME=value`, where NAME is a shell variable name.
fn is_assignment(w: &str) -> bool {
    w.split_once('=').is_some_and(|(n, _)| {
        !n.is_empty()
            && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && !n.starts_with(|c: char| c.is_ascii_digit())
    })
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
    let mut r = Reader { chars: script.chars().collect(), i: 0, words: vec![], writes: vec![], cur: String::new(), in_word: false };
    while r.i < r.chars.len() {
        if r.continuation(escape) {
            continue;
        }
        match r.chars[r.i] {
            '\'' => r.single_quoted(),
            '"' => r.double_quoted(),
            '\\' => {
                r.in_word = true;
                if let Some(&n) = r.chars.get(r.i + 1) {
                    r.cur.push(n);
                }
                r.i += 2;
            }
            '$' if r.chars.get(r.i + 1) == Some(&'(') => r.substitution(),
            '`' => r.backquoted(),
            '#' if !r.in_word => {
                // Comment to end of line.
                while r.i < r.chars.len() && r.chars[r.i] != '\n' {
                    r.i += 1;
                }
            }
            ';' | '&' | '|' | '\n' | '(' | ')' => {
                r.flush_word();
                finish_command(&mut r.words, &mut r.writes, out, depth);
                r.i += 1;
            }
            '>' | '<' => r.redirection(),
            c if c.is_whitespace() => {
                r.flush_word();
                r.i += 1;
            }
            c => {
                r.in_word = true;
                r.cur.push(c);
                r.i += 1;
            }
        }
    }
    r.flush_word();
    finish_command(&mut r.words, &mut r.writes, out, depth);
}

/// The state of [`commands_into`]: the words of the simple command being read, and where it is.
struct Reader {
    chars: Vec<char>,
    i: usize,
    words: Vec<String>,
    /// Output redirection targets of the simple command being read.
    writes: Vec<String>,
    cur: String,
    in_word: bool,
}

impl Reader {
    fn flush_word(&mut self) {
        if self.in_word {
            self.words.push(std::mem::take(&mut self.cur));
            self.in_word = false;
        }
    }

    /// `escape` + newline: skipped, and true.
    fn continuation(&mut self, escape: char) -> bool {
        let chars = &self.chars;
        if !(chars[self.i] == escape && matches!(chars.get(self.i + 1), Some('\n' | '\r'))) {
            return false;
        }
        self.i += 1;
        while self.i < chars.len() && (chars[self.i] == '\r' || chars[self.i] == '\n') {
            self.i += 1;
            if chars[self.i - 1] == '\n' {
                break;
            }
        }
        true
    }

    fn single_quoted(&mut self) {
        self.in_word = true;
        self.i += 1;
        while self.i < self.chars.len() && self.chars[self.i] != '\'' {
            self.cur.push(self.chars[self.i]);
            self.i += 1;
        }
        self.i += 1;
    }

    fn double_quoted(&mut self) {
        let chars = &self.chars;
        self.in_word = true;
        self.i += 1;
        while self.i < chars.len() && chars[self.i] != '"' {
            if chars[self.i] == '\\' && self.i + 1 < chars.len() {
                if chars[self.i + 1] == '\n' {
                    self.i += 2;
                    continue;
                }
                if matches!(chars[self.i + 1], '"' | '\\' | '$' | '`') {
                    self.cur.push(chars[self.i + 1]);
                    self.i += 2;
                    continue;
                }
            }
            self.cur.push(chars[self.i]);
            self.i += 1;
        }
        self.i += 1;
    }

    /// Command substitution: kept as written, balanced.
    fn substitution(&mut self) {
        self.in_word = true;
        let mut depth = 0;
        while self.i < self.chars.len() {
            let c = self.chars[self.i];
            self.cur.push(c);
            if c == '(' {
                depth += 1;
            } else if c == ')' {
                depth -= 1;
                if depth == 0 {
                    self.i += 1;
                    break;
                }
            }
            self.i += 1;
        }
    }

    fn backquoted(&mut self) {
        self.in_word = true;
        self.cur.push('`');
        self.i += 1;
        while self.i < self.chars.len() && self.chars[self.i] != '`' {
            self.cur.push(self.chars[self.i]);
            self.i += 1;
        }
        self.cur.push('`');
        self.i += 1;
    }

    /// Redirection: the operator and its target word leave the command's words; an output redirection's
    /// target is kept in `writes`.
    fn redirection(&mut self) {
        self.flush_word();
        // A preceding fd number (`2>`) was already pushed as a word: drop it.
        if self.words.last().is_some_and(|w| w.chars().all(|c| c.is_ascii_digit())) {
            self.words.pop();
        }
        let chars = &self.chars;
        let op_start = self.i;
        self.i += 1;
        while self.i < chars.len() && matches!(chars[self.i], '>' | '<' | '&' | '|') {
            self.i += 1;
        }
        let op: String = chars[op_start..self.i].iter().collect();
        while self.i < chars.len() && chars[self.i] == ' ' {
            self.i += 1;
        }
        let mut target = String::new();
        while self.i < chars.len() && !chars[self.i].is_whitespace() && !matches!(chars[self.i], ';' | '&' | '|' | ')') {
            if matches!(chars[self.i], '"' | '\'') {
                // A quoted part of the word, spaces and all (`> "/etc/my app.conf"`).
                let q = chars[self.i];
                self.i += 1;
                while self.i < chars.len() && chars[self.i] != q {
                    target.push(chars[self.i]);
                    self.i += 1;
                }
            } else {
                target.push(chars[self.i]);
            }
            self.i += 1;
        }
        if op.starts_with('>') && !op.contains(['&', '<']) && !target.is_empty() {
            self.writes.push(target);
        }
    }
}

/// The simple command of `words` (and the files it writes) onto `out`, read as [`commands`] describes.
fn finish_command(words: &mut Vec<String>, writes: &mut Vec<String>, out: &mut Vec<SimpleCommand>, depth: usize) {
    if words.is_empty() {
        // `> f` alone truncates f: it is still written.
        if !writes.is_empty() {
            out.push(SimpleCommand { writes: std::mem::take(writes), ..SimpleCommand::default() });
        }
        return;
    }
    let mut cmd = SimpleCommand { writes: std::mem::take(writes), ..SimpleCommand::default() };
    let k = words.iter().take_while(|w| is_assignment(w)).count();
    cmd.env = words[..k].iter().filter_map(|w| w.split_once('=')).map(|(n, v)| (n.to_owned(), v.to_owned())).collect();
    cmd.argv = words.drain(..).skip(k).collect();
    unwrap(&mut cmd);
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
    // (`sudo` alone is kept: it was run.)
    if !cmd.argv.is_empty() || !cmd.env.is_empty() || !cmd.wrappers.is_empty() {
        out.push(cmd);
    }
}

/// Removes what only starts or runs another command: the shell reserved words that open or close a
/// compound command (`then apt-get update`, `fi`, `done`, `!`, `{`) and the wrappers `sudo [-u x] A=1 …`,
/// `env A=1 …`, `nice -n 5 …`, `nohup …`, `time …`, `exec …`, `command …` (not `command -v`, which only
/// looks a program up), `xargs -r …` (which adds the words it reads). The assignments they carry go to
/// `env`, the wrappers' names to `wrappers`.
fn unwrap(c: &mut SimpleCommand) {
    let argv = &c.argv;
    let mut k = 0;
    while let Some(first) = argv.get(k) {
        if matches!(
            first.as_str(),
            "then" | "do" | "else" | "elif" | "if" | "while" | "until" | "!" | "{" | "}" | "fi" | "done"
        ) {
            k += 1;
            continue;
        }
        let (wrapper, with_value): (&'static str, &[&str]) = match basename(first) {
            "sudo" => ("sudo", &["-u", "-g", "-C", "-D", "-h", "-p", "-r", "-t", "-T", "-U", "--user", "--group"]),
            "env" => ("env", &["-u", "--unset", "-C", "--chdir", "-S"]),
            "nice" => ("nice", &["-n", "--adjustment"]),
            "command" if argv.get(k + 1).is_some_and(|a| a == "-v" || a == "-V") => break,
            "nohup" => ("nohup", &[]),
            "xargs" => ("xargs", &["-n", "-L", "-s", "-P", "-I", "-d", "-a", "-E", "--max-args", "--max-lines", "--max-procs", "--delimiter", "--arg-file"]),
            "time" => ("time", &[]),
            "exec" => ("exec", &[]),
            "command" => ("command", &[]),
            _ => break,
        };
        c.wrappers.push(wrapper);
        k += 1;
        while let Some(a) = argv.get(k) {
            if a == "--" {
                k += 1;
                break;
            }
            if a.starts_with('-') {
                k += if with_value.contains(&a.as_str()) { 2 } else { 1 };
            } else if is_assignment(a) {
                if let Some((n, v)) = a.split_once('=') {
                    c.env.push((n.to_owned(), v.to_owned()));
                }
                k += 1;
            } else {
                break;
            }
        }
    }
    c.argv.drain(..k.min(c.argv.len()));
}

/// The first argument that is not an option (nor the value of one of `value_options`), and the
/// non-option arguments after it.
pub fn subcommand<'c>(c: &'c SimpleCommand, value_options: &[&str]) -> (Option<&'c str>, Vec<&'c str>) {
    let mut sub = None;
    let mut rest = Vec::new();
    let mut it = c.argv.iter().skip(1);
    let mut options_done = false;
    while let Some(a) = it.next() {
        if !options_done && a == "--" {
            options_done = true;
            continue;
        }
        if !options_done && a.starts_with('-') && a.len() > 1 {
            if value_options.contains(&a.as_str()) {
                it.next();
            }
            continue;
        }
        if sub.is_none() {
            sub = Some(a.as_str());
        } else {
            rest.push(a.as_str());
        }
    }
    (sub, rest)
}

/// Whether any `rm` among `cmds` removes a path that passes `path`.
pub fn removes(cmds: &[SimpleCommand], path: impl Fn(&str) -> bool) -> bool {
    cmds.iter().any(|c| c.program() == "rm" && c.positional(0).any(&path))
}

/// `pip`, `pip3`, `pip3.12`.
fn is_pip(p: &str) -> bool {
    p.strip_prefix("pip").is_some_and(|v| v.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

/// `python`, `python3`, `python3.12`.
fn is_python(p: &str) -> bool {
    p.strip_prefix("python").is_some_and(|v| v.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

/// `pip install …` or `python -m pip install …`.
pub fn is_pip_install(c: &SimpleCommand) -> bool {
    let p = c.program();
    if is_pip(p) {
        return subcommand(c, &[]).0 == Some("install");
    }
    if is_python(p) {
        if let Some(m) = c.argv.iter().position(|a| a == "-m") {
            if c.argv.get(m + 1).is_some_and(|a| is_pip(a)) {
                return c.argv[m + 2..].iter().find(|a| !a.starts_with('-')).is_some_and(|a| a == "install");
            }
        }
    }
    false
}

/// The simple commands a RUN runs: the shell form read as shell, the exec form as its argv (and the script
/// of `["sh", "-c", "…"]`), and heredoc bodies when they are the script (`RUN <<EOF`, `RUN bash <<EOF`).
pub fn run_commands(inst: &Instruction, escape: char) -> Vec<SimpleCommand> {
    let mut out = Vec::new();
    match inst.command() {
        Some(Command::Shell(s)) => out = commands(s, escape),
        Some(Command::Exec(argv)) => {
            let script = (argv.len() >= 3 && is_shell(basename(&argv[0])) && argv[1].starts_with('-') && argv[1].contains('c'))
                .then(|| argv[2].clone());
            out.push(SimpleCommand { argv: argv.clone(), ..SimpleCommand::default() });
            if let Some(s) = script {
                out.extend(commands(&s, '\\'));
            }
        }
        None => {}
    }
    let scripts: Vec<&Heredoc> = script_heredocs(inst, &out).collect();
    for h in scripts {
        out.extend(commands(&h.body, '\\'));
    }
    out
}

/// The heredocs a RUN runs as shell scripts: all of them when the command is only heredocs (`RUN <<EOF`)
/// or a shell reading its standard input (`RUN bash <<EOF`), unless a `#!` line names another interpreter;
/// none when they are data (`RUN cat <<EOF > /etc/app.yaml`, `RUN python3 <<EOF`).
pub fn script_heredocs<'a>(inst: &'a Instruction, cmds: &[SimpleCommand]) -> impl Iterator<Item = &'a Heredoc> {
    let reads_script = cmds.is_empty()
        || cmds
            .iter()
            .any(|c| is_shell(c.program()) && !c.argv.iter().skip(1).any(|a| a.starts_with('-') && a.contains('c')));
    inst.heredocs().iter().filter(move |h| {
        let first = h.body.lines().next().unwrap_or("");
        let foreign =
            first.starts_with("#!") && !["sh", "bash", "ash", "dash"].iter().any(|s| first.trim_end().ends_with(s));
        reads_script && !foreign
    })
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

/// The words of a shell command line when exec form means the same: quotes only group words (nothing
/// the shell would expand inside double quotes: `$`, backquotes, backslashes), and outside quotes no
/// shell syntax ([`shell_syntax`]). `node -e "process.exit(0)"` → `["node", "-e", "process.exit(0)"]`.
pub fn exact_words(s: &str) -> Option<Vec<String>> {
    let s = s.trim();
    let mut quote: Option<char> = None;
    let mut outside = String::new();
    for c in s.chars() {
        match quote {
            Some('\'') if c == '\'' => quote = None,
            Some('\'') => {}
            Some(_) if c == '"' => quote = None,
            Some(_) if matches!(c, '$' | '`' | '\\') => return None,
            Some(_) => {}
            None if c == '\'' || c == '"' => {
                quote = Some(c);
                // A quoted word stands for a plain word in the check below.
                outside.push('q');
            }
            None => outside.push(c),
        }
    }
    if quote.is_some() || shell_syntax(&outside).is_some() {
        return None;
    }
    let words = crate::shell::split_words(s);
    (!words.is_empty()).then_some(words)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn git_clone_dir_is_the_folder_it_clones_into() {
        let dir = |s: &str| commands(s, '\\').remove(0).git_clone_dir();
        assert_eq!(dir("git clone --depth 1 -b main https://example.com/app.git /usr/src/app"), Some("/usr/src/app".to_owned()));
        assert_eq!(dir("git clone --branch=v2 git@example.com:team/tool.git"), Some("tool".to_owned()));
        assert_eq!(dir("git clone https://example.com/site/"), Some("site".to_owned()));
        assert_eq!(dir("git checkout main"), None);
    }

    #[test]
    fn exact_words_only_where_exec_form_means_the_same() {
        assert_eq!(exact_words("node healthcheck.js").unwrap(), ["node", "healthcheck.js"]);
        assert_eq!(
            exact_words("node -e \"require('http').get('http://localhost:3000/', r => process.exit(r.statusCode < 400 ? 0 : 1))\"").unwrap(),
            ["node", "-e", "require('http').get('http://localhost:3000/', r => process.exit(r.statusCode < 400 ? 0 : 1))"]
        );
        assert_eq!(exact_words("python -c 'import sys; sys.exit(0)'").unwrap(), ["python", "-c", "import sys; sys.exit(0)"]);
        for not_exact in ["curl $URL", "a && b", "node -e \"$X\"", "echo \"unclosed", "A=1 node x.js", "a > f", "ls *.js", "x \"a\\\"b\""] {
            assert_eq!(exact_words(not_exact), None, "{not_exact}");
        }
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

    #[test]
    fn wrappers_are_removed() {
        let c = commands("sudo -u root DEBIAN_FRONTEND=noninteractive apt-get install -y gcc", '\\').remove(0);
        assert_eq!(c.argv, ["apt-get", "install", "-y", "gcc"]);
        assert_eq!(c.env, vec![("DEBIAN_FRONTEND".to_owned(), "noninteractive".to_owned())]);
        assert_eq!(c.wrappers, ["sudo"]);
        assert_eq!(commands("nice -n 5 make", '\\')[0].argv, ["make"]);
        assert_eq!(commands("env -u HOME A=1 make", '\\')[0].argv, ["make"], "-u takes a value");
        assert_eq!(commands("command -v git", '\\')[0].argv, ["command", "-v", "git"], "a look-up runs nothing");
        let programs: Vec<String> = commands("sudo sh -c 'apt-get update'", '\\').iter().map(|c| c.program().to_owned()).collect();
        assert_eq!(programs, ["sh", "apt-get"], "the script of a wrapped shell is read too");
        let programs: Vec<String> = commands("if [ -f x ]; then apt-get update; fi; for d in a; do rm -rf $d; done", '\\')
            .iter()
            .map(|c| c.program().to_owned())
            .collect();
        assert_eq!(programs, ["[", "apt-get", "for", "rm"]);
        assert_eq!(commands("sudo", '\\')[0].wrappers, ["sudo"], "a wrapper alone is still a command");
        let c = commands("xargs -r -n 20 apt-get install -y curl < /tmp/list", '\\').remove(0);
        assert_eq!((c.argv, c.wrappers), (vec!["apt-get".to_owned(), "install".to_owned(), "-y".to_owned(), "curl".to_owned()], vec!["xargs"]));
    }

    #[test]
    fn pip() {
        let one = |s: &str| commands(s, '\\').remove(0);
        assert!(is_pip_install(&one("pip3.12 install -r req.txt")));
        assert!(is_pip_install(&one("python3 -m pip install --upgrade pip")));
        assert!(!is_pip_install(&one("pip download x")));
        assert!(!is_pip_install(&one("pipx install x")));
    }
}
