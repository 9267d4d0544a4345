//! `.slimfile.toml`: settings found upwards from each Dockerfile's folder (the first one wins, no merging),
//! in the spirit of hadolint's `.hadolint.yaml`. Flags on the command line override it.
//!
//! ```toml
//! ignore = ["DL3008", "SF105"]     # rule ids or names (hadolint's `ignored` is accepted too)
//! failure-threshold = "warning"   # error, warning, info, style or none (alias: fail-level)
//! min-savings = "100MB"           # check fails when converting would save more (or "50%")
//! target = "distroless/static"    # the conversion's options: target, non-root, cache-mounts, keep-comments,
//! non-root = true                 # carry-files
//! cache-mounts = false
//! keep-comments = true
//! carry-files = true
//! ```

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use serde::Deserialize;
use slimfile_core::{Options, RuntimeFamily};

use crate::args::{parse_level, parse_target, ConfigFlags, EngineFlags, FailLevel};
use crate::size::Threshold;

pub const FILE_NAME: &str = ".slimfile.toml";

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Raw {
    /// Rule ids or names. hadolint ids slimfile does not have (DL3008, SC2086) are accepted and ignored.
    #[serde(default, alias = "ignored")]
    ignore: Vec<String>,
    #[serde(alias = "fail-level")]
    failure_threshold: Option<String>,
    min_savings: Option<String>,
    target: Option<String>,
    non_root: Option<bool>,
    cache_mounts: Option<bool>,
    keep_comments: Option<bool>,
    carry_files: Option<bool>,
}

/// A read and checked configuration file.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Config {
    /// Where it was read from (None: no file).
    pub path: Option<PathBuf>,
    pub ignore: Vec<String>,
    pub fail_level: Option<FailLevel>,
    pub min_savings: Option<Threshold>,
    pub target: Option<Option<RuntimeFamily>>,
    pub non_root: Option<bool>,
    pub cache_mounts: Option<bool>,
    pub keep_comments: Option<bool>,
    pub carry_files: Option<bool>,
}

impl Config {
    pub fn read(path: &Path) -> Result<Config, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        Config::parse(&text, path)
    }

    pub fn parse(text: &str, path: &Path) -> Result<Config, String> {
        let at = |e: String| format!("{}: {e}", path.display());
        let raw: Raw = toml::from_str(text).map_err(|e| at(e.to_string().trim_end().to_owned()))?;
        for id in &raw.ignore {
            if !crate::rules::known(id) && !crate::rules::is_hadolint_id(id) {
                return Err(at(format!("ignore: unknown rule '{id}' (slimfile explain lists them)")));
            }
        }
        Ok(Config {
            path: Some(path.to_owned()),
            ignore: raw.ignore,
            fail_level: raw.failure_threshold.as_deref().map(parse_level).transpose().map_err(|e| at(format!("failure-threshold: {e}")))?,
            min_savings: raw.min_savings.as_deref().map(str::parse).transpose().map_err(|e| at(format!("min-savings: {e}")))?,
            target: raw.target.as_deref().map(parse_target).transpose().map_err(|e| at(format!("target: {e}")))?,
            non_root: raw.non_root,
            cache_mounts: raw.cache_mounts,
            keep_comments: raw.keep_comments,
            carry_files: raw.carry_files,
        })
    }

    /// The engine options: the flags over this file over the defaults, judged on `date`
    /// ([`crate::today::judged_on`]).
    pub fn options(&self, flags: &EngineFlags, date: &str) -> Options {
        let d = Options::default();
        Options {
            target: flags.target().or(self.target).unwrap_or(d.target),
            non_root: flags.non_root().or(self.non_root).unwrap_or(d.non_root),
            keep_comments: flags.keep_comments().or(self.keep_comments).unwrap_or(d.keep_comments),
            cache_mounts: flags.cache_mounts().or(self.cache_mounts).unwrap_or(d.cache_mounts),
            carry_files: flags.carry_files().or(self.carry_files).unwrap_or(d.carry_files),
            date: Some(date.to_owned()),
        }
    }
}

/// Finds and caches the configuration of each input.
pub struct Configs {
    flags: ConfigFlags,
    fixed: Option<Rc<Config>>,
    by_dir: HashMap<PathBuf, Rc<Config>>,
}

impl Configs {
    pub fn new(flags: &ConfigFlags) -> Result<Configs, String> {
        let fixed = match (&flags.file, flags.no_config) {
            (Some(_), true) => return Err("--config and --no-config exclude each other".to_owned()),
            (Some(f), false) => Some(Rc::new(Config::read(Path::new(f))?)),
            (None, true) => Some(Rc::new(Config::default())),
            (None, false) => None,
        };
        Ok(Configs { flags: flags.clone(), fixed, by_dir: HashMap::new() })
    }

    /// The configuration for the file `name` (`-`: standard input, looked up from the working directory).
    pub fn for_file(&mut self, name: &str) -> Result<Rc<Config>, String> {
        if let Some(c) = &self.fixed {
            return Ok(c.clone());
        }
        debug_assert!(!self.flags.no_config);
        let dir = if name == "-" {
            PathBuf::from(".")
        } else {
            match Path::new(name).parent() {
                Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
                _ => PathBuf::from("."),
            }
        };
        let dir = std::path::absolute(&dir).unwrap_or(dir);
        self.lookup(&dir)
    }

    fn lookup(&mut self, dir: &Path) -> Result<Rc<Config>, String> {
        if let Some(c) = self.by_dir.get(dir) {
            return Ok(c.clone());
        }
        let candidate = dir.join(FILE_NAME);
        let found = if candidate.is_file() {
            Rc::new(Config::read(&candidate)?)
        } else {
            match dir.parent() {
                Some(parent) => self.lookup(parent)?,
                None => Rc::new(Config::default()),
            }
        };
        self.by_dir.insert(dir.to_owned(), found.clone());
        Ok(found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use slimfile_core::Severity;

    #[test]
    fn parses_and_checks() {
        let c = Config::parse(
            "ignore = ['DL3008', 'apt-lists-left-behind']\nfailure-threshold = 'warning'\nmin-savings = '100MB'\ntarget = 'distroless/static'\nnon-root = false\n",
            Path::new(".slimfile.toml"),
        );
        // DL3008 is hadolint's (version pinning), which slimfile does not have: accepted, so that a
        // .hadolint.yaml's list can be copied; an unknown name or SF id is a typo.
        assert!(c.is_ok());
        let e = Config::parse("ignore = ['SF999', 'apt-list']\n", Path::new("c.toml")).unwrap_err();
        assert!(e.contains("unknown rule 'SF999'"), "{e}");
        let c = Config::parse(
            "ignored = ['DL3009', 'no-user']\nfail-level = 'warning'\nmin-savings = '100MB'\ntarget = 'distroless/static'\nnon-root = false\n",
            Path::new("x/.slimfile.toml"),
        )
        .unwrap();
        assert_eq!(c.ignore, ["DL3009", "no-user"]);
        assert_eq!(c.fail_level, Some(Some(Severity::Warning)));
        assert_eq!(c.min_savings, Some(Threshold::Bytes(100_000_000)));
        let o = c.options(&EngineFlags::with_non_root(true), "2026-12-03");
        assert_eq!(o.target, Some(RuntimeFamily::DistrolessStatic));
        assert!(o.non_root, "the flag wins over the file");
        let e = Config::parse("colour = 'red'\n", Path::new(".slimfile.toml")).unwrap_err();
        assert!(e.starts_with(".slimfile.toml: ") && e.contains("colour"), "{e}");
        let e = Config::parse("target = 'alpine'\n", Path::new("c.toml")).unwrap_err();
        assert!(e.contains("target: unknown target 'alpine'"), "{e}");
    }

    #[test]
    fn carry_files_from_the_file_unless_a_flag_says_otherwise() {
        let c = Config::parse("carry-files = false\n", Path::new(".slimfile.toml")).unwrap();
        assert!(!c.options(&EngineFlags::default(), "2026-12-03").carry_files);
        assert!(Config::default().options(&EngineFlags::default(), "2026-12-03").carry_files, "on by default");
    }
}
