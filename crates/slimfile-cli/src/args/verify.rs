//! `slimfile verify`'s arguments and the values they take (`--http`, `--mask`, `--health-cmd`). They parse
//! on every platform, so that the help is the same everywhere; the command itself runs on unix only.

use clap::{Args, ValueEnum};

use super::flags::{EngineFlags, ReportFormat};

const VERIFY_AFTER_HELP: &str = "\
The original image runs twice: what differs between its own two runs (a timestamp, a hostname, a random
id) is masked, token by token, before the rewritten image's output is compared, and the report lists what
was masked and why. --mask masks more, in all three outputs.

Health checks (--health-cmd) run in each image with the image's own tools; their exit statuses are compared
(0 passes, anything else fails), and a check that passes in the original but fails in the rewrite makes
the verdict `different`, with the check's output in the report. With --http a check runs while the server
answers: docker and podman exec it in the running container; buildah runs it in the server's working
container (the same files and, with chroot isolation, the host's network) beside the server. Without
--http it runs once the command has ended: buildah in the working container the command ran in, docker
and podman in a new container of the image. So a check of a one-shot command tests what the image holds
(a tool, a file, a program that answers --version), never a process that has exited. A shell command
needs /bin/sh in the image: distroless and scratch images have none, where only the exec form (CMD …)
can pass.

Each image's own HEALTHCHECK (read from the built image's configuration; podman and buildah build
in Docker's format, which keeps it) runs the same way, each image with its own command, since a
rewrite may change the check's form: the verdict is `different` when the rewrite dropped the check,
or when it passes in one image only. A check that cannot run (no such program there) fails.

Exit status: 0 both images built and behaved the same, 1 they differ, a build or run failed, or the
conversion was refused, 2 usage error or no engine.";

/// Build the original and the rewritten image, run both the same way, compare what they do
#[derive(Debug, Args)]
#[command(after_help = VERIFY_AFTER_HELP)]
pub struct VerifyArgs {
    /// The Dockerfile to convert, build and run (only read: the builds use temporary copies)
    #[arg(value_name = "DOCKERFILE", default_value = "Dockerfile")]
    pub file: String,
    /// The build context (default: the Dockerfile's folder)
    #[arg(long, value_name = "DIR")]
    pub context: Option<String>,
    /// Image references to local stand-ins, one 'FROM-REF  STAND-IN' a line ('#' comments; a tag '*'
    /// matches any tag); applied to the temporary copies only
    #[arg(long, value_name = "FILE")]
    pub map: Option<String>,
    /// The container engine (default: the first that works: docker with buildx and a daemon, podman,
    /// buildah)
    #[arg(long, value_enum)]
    pub engine: Option<EngineName>,
    /// The image is a server: start it, GET http://127.0.0.1:PORT/PATH, compare the status and body, stop
    /// it (default: run it to the end, compare exit code and output); /PATH alone uses each image's first
    /// EXPOSEd port
    #[arg(long, value_name = "[PORT]/PATH", value_parser = HttpCheck::parse)]
    pub http: Option<HttpCheck>,
    /// Replace what REGEX matches in the outputs by <masked> before comparing them; repeatable
    #[arg(long, value_name = "REGEX", value_parser = valid_regex)]
    pub mask: Vec<String>,
    /// A health check run in each image, as a compose healthcheck's test: '["CMD", "curl", "-f",
    /// "http://localhost"]', 'CMD curl -f http://localhost', 'CMD-SHELL curl -f http://localhost || exit
    /// 1', or a shell command; repeatable (see below)
    #[arg(long = "health-cmd", value_name = "COMMAND", value_parser = HealthCmd::parse)]
    pub health_cmd: Vec<HealthCmd>,
    /// How long a run (or a server's first answer) may take, in seconds
    #[arg(long, value_name = "SECS", default_value_t = 120)]
    pub timeout: u64,
    /// How long one image's build may take, in seconds
    #[arg(long, value_name = "SECS", default_value_t = 1800)]
    pub build_timeout: u64,
    /// Image names: localhost/slimfile-verify/NAME:original and :rewritten (default: the context
    /// folder's name)
    #[arg(long)]
    pub name: Option<String>,
    /// What to print: the text report, or the result as JSON
    #[arg(short, long, value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,
    /// Arguments for every run, after -- (they replace the image's CMD, as `docker run IMAGE ARG...`)
    #[arg(last = true, value_name = "ARG")]
    pub run_args: Vec<String>,
    #[command(flatten)]
    pub conversion: EngineFlags,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum EngineName {
    Docker,
    Podman,
    Buildah,
}

/// `--http [PORT]/PATH`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpCheck {
    /// 0: each image's first EXPOSEd port.
    pub port: u16,
    /// Starts with `/`.
    pub path: String,
}

impl HttpCheck {
    pub fn parse(v: &str) -> Result<HttpCheck, String> {
        let (port, path) = v.split_once('/').unwrap_or((v, ""));
        let port = if port.is_empty() { Ok(0) } else { port.parse() };
        let port = port.map_err(|_| format!("'{v}' is not [PORT]/PATH"))?;
        Ok(HttpCheck { port, path: format!("/{path}") })
    }
}

fn valid_regex(v: &str) -> Result<String, String> {
    regex::Regex::new(v).map(|_| v.to_owned()).map_err(|e| e.to_string())
}

/// A health check, as a compose file's `healthcheck: test:` gives it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HealthCmd {
    /// As given.
    pub text: String,
    /// The program and its arguments; a shell command is `/bin/sh -c COMMAND`.
    pub argv: Vec<String>,
}

impl HealthCmd {
    /// `["CMD", "curl", "-f", "http://localhost"]` and `["CMD-SHELL", "…"]` (compose's JSON forms),
    /// `CMD curl -f http://localhost` (exec form, split into words as a shell would, quotes kept
    /// together), `CMD-SHELL …`, or a shell command.
    pub fn parse(v: &str) -> Result<HealthCmd, String> {
        let t = v.trim();
        if t.is_empty() {
            return Err("an empty health check".to_owned());
        }
        let shell = |command: &str| vec!["/bin/sh".to_owned(), "-c".to_owned(), command.to_owned()];
        let argv = if t.starts_with('[') {
            let list: Vec<String> =
                serde_json::from_str(t).map_err(|e| format!("'{t}' is not a JSON list of strings: {e}"))?;
            match list.split_first() {
                Some((first, rest)) if first == "CMD" && !rest.is_empty() => rest.to_vec(),
                Some((first, [command])) if first == "CMD-SHELL" => shell(command),
                _ => return Err(format!("'{t}': a list starts with \"CMD\" and a program, or is [\"CMD-SHELL\", COMMAND]")),
            }
        } else if let Some(command) = t.strip_prefix("CMD-SHELL ") {
            shell(command.trim())
        } else if let Some(words) = t.strip_prefix("CMD ") {
            split_words(words)?
        } else {
            shell(t)
        };
        if argv.iter().all(|w| w.trim().is_empty()) || argv.last().is_some_and(|w| w.trim().is_empty()) {
            return Err(format!("'{t}': an empty health check"));
        }
        Ok(HealthCmd { text: t.to_owned(), argv })
    }
}

/// Words as a POSIX shell splits them, without expansion: blanks separate, quotes group, `\` escapes.
fn split_words(s: &str) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut word: Option<String> = None;
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match c {
            c if c.is_whitespace() => words.extend(word.take()),
            '\'' => {
                let w = word.get_or_insert_with(String::new);
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(c) => w.push(c),
                        None => return Err(format!("'{s}': unclosed single quote")),
                    }
                }
            }
            '"' => {
                let w = word.get_or_insert_with(String::new);
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => w.push(chars.next().ok_or_else(|| format!("'{s}': unclosed double quote"))?),
                        Some(c) => w.push(c),
                        None => return Err(format!("'{s}': unclosed double quote")),
                    }
                }
            }
            '\\' => word.get_or_insert_with(String::new).extend(chars.next()),
            c => word.get_or_insert_with(String::new).push(c),
        }
    }
    words.extend(word);
    Ok(words)
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn health_checks_in_compose_forms() {
        let argv = |s: &str| HealthCmd::parse(s).map(|h| h.argv);
        let words = |w: &[&str]| Ok(w.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(argv(r#"["CMD", "curl", "-f", "http://localhost"]"#), words(&["curl", "-f", "http://localhost"]));
        assert_eq!(argv(r#"["CMD-SHELL", "curl -f http://localhost || exit 1"]"#), words(&["/bin/sh", "-c", "curl -f http://localhost || exit 1"]));
        assert_eq!(argv("CMD curl -f 'http://localhost/a b' \"x\\\"y\""), words(&["curl", "-f", "http://localhost/a b", "x\"y"]));
        assert_eq!(argv("CMD-SHELL wget -qO- localhost:8080 | grep ok"), words(&["/bin/sh", "-c", "wget -qO- localhost:8080 | grep ok"]));
        assert_eq!(argv("test -f /etc/app.conf"), words(&["/bin/sh", "-c", "test -f /etc/app.conf"]));
        assert!(argv(r#"["NONE"]"#).unwrap_err().contains("starts with \"CMD\""));
        assert!(argv(r#"["CMD"]"#).is_err());
        assert!(argv("[1, 2]").unwrap_err().contains("not a JSON list of strings"));
        assert!(argv("CMD 'open").unwrap_err().contains("unclosed single quote"));
        assert!(argv("   ").unwrap_err().contains("empty"));
    }
}
