//! Command-line arguments, read by hand (no dependency): `slimfile convert [FILE|-] [options]`.

use slimfile_core::{Options, RuntimeFamily};

pub const USAGE: &str = "\
usage: slimfile convert [FILE|-] [options]

Rewrites a Dockerfile into a multi-stage build with a minimal final image.
FILE defaults to ./Dockerfile; - reads standard input.

options:
  --format dockerfile|diff|json   what to print (default: dockerfile)
  --target FAMILY                 the final image family: auto, scratch, distroless/static, distroless/base,
                                  distroless/cc, distroless/python3, distroless/java, distroless/nodejs,
                                  nginx, dotnet/aspnet, dotnet/runtime, slim (default: auto)
  --root                          keep running as root (default: a non-root user where the app allows)
  --no-comments                   drop the comments of the original
  --cache-mounts                  add RUN --mount=type=cache to go, cargo, npm, pip and maven steps
  -h, --help                      this text

exit status: 0 converted or unchanged, 1 refused (reasons on stderr), 2 usage or I/O error
";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Dockerfile,
    Diff,
    Json,
}

#[derive(Debug)]
pub struct Args {
    pub file: String,
    pub format: Format,
    pub options: Options,
}

/// `Ok(None)`: help was asked for.
pub fn parse(argv: &[String]) -> Result<Option<Args>, String> {
    let mut it = argv.iter().peekable();
    match it.next().map(String::as_str) {
        Some("convert") => {}
        Some("-h" | "--help" | "help") | None => return Ok(None),
        Some(other) => return Err(format!("unknown command '{other}' (expected: convert)")),
    }
    let mut args = Args { file: "Dockerfile".to_owned(), format: Format::Dockerfile, options: Options::default() };
    let mut file_set = false;
    while let Some(a) = it.next() {
        let (flag, inline) = match a.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_owned())),
            _ => (a.as_str(), None),
        };
        let mut value = |name: &str| -> Result<String, String> {
            inline.clone().or_else(|| it.next().cloned()).ok_or_else(|| format!("{name} needs a value"))
        };
        match flag {
            "-h" | "--help" => return Ok(None),
            "--format" | "-f" => {
                args.format = match value("--format")?.as_str() {
                    "dockerfile" => Format::Dockerfile,
                    "diff" => Format::Diff,
                    "json" => Format::Json,
                    other => return Err(format!("unknown format '{other}' (expected dockerfile, diff or json)")),
                }
            }
            "--target" => {
                let v = value("--target")?;
                args.options.target = if v == "auto" {
                    None
                } else {
                    Some(RuntimeFamily::parse(&v).ok_or_else(|| format!("unknown target '{v}'"))?)
                };
            }
            "--root" => args.options.non_root = false,
            "--no-comments" => args.options.keep_comments = false,
            "--cache-mounts" => args.options.cache_mounts = true,
            f if f.starts_with('-') && f != "-" => return Err(format!("unknown option '{f}'")),
            path => {
                if file_set {
                    return Err(format!("one FILE at a time (got '{}' and '{path}')", args.file));
                }
                args.file = path.to_owned();
                file_set = true;
            }
        }
    }
    Ok(Some(args))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Result<Option<Args>, String> {
        parse(&s.split_whitespace().map(str::to_owned).collect::<Vec<_>>())
    }

    #[test]
    fn parses() {
        let a = p("convert x --format=json --target distroless/static --root --cache-mounts").unwrap().unwrap();
        assert_eq!(a.file, "x");
        assert_eq!(a.format, Format::Json);
        assert_eq!(a.options.target, Some(RuntimeFamily::DistrolessStatic));
        assert!(!a.options.non_root && a.options.cache_mounts);
        assert!(p("convert --format yaml").unwrap_err().contains("unknown format"));
        assert!(p("convert --bogus").unwrap_err().contains("unknown option"));
        assert!(p("--help").unwrap().is_none());
        assert_eq!(p("convert -").unwrap().unwrap().file, "-");
    }
}
