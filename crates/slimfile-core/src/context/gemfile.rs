//! `Gemfile.lock`: every gem Bundler installs.
//!
//! The facts it relies on (Bundler's lockfile, <https://bundler.io/guides/bundler_setup.html> and the
//! format `bundle lock` writes): sections start at the first column (`GEM`, `GIT`, `PATH`,
//! `PLATFORMS`, `DEPENDENCIES`, `RUBY VERSION`, `BUNDLED WITH`); under a source's `specs:` each gem is a
//! line indented four spaces, `name (version)`, and its own dependencies follow indented six. A version
//! with a platform suffix (`1.16.7-x86_64-linux-gnu`) is a precompiled native gem: its extension was
//! built by the gem's authors, against the libraries the gem ships. Which gems compile against system
//! libraries is data (`data/project-packages.json`).

use super::BuildContext;

#[derive(Clone, Debug, Default)]
pub struct Gems {
    pub path: String,
    /// (name, version) of every gem.
    pub gems: Vec<(String, String)>,
}

pub fn read(ctx: &BuildContext, root: &str) -> Option<Gems> {
    let path = format!("{root}Gemfile.lock");
    let text = ctx.files.get(&path)?;
    let mut g = Gems { path, gems: vec![] };
    let mut in_specs = false;
    for line in text.lines() {
        if !line.starts_with(' ') {
            in_specs = false;
            continue;
        }
        if line.trim() == "specs:" {
            in_specs = true;
            continue;
        }
        let Some(entry) = line.strip_prefix("    ").filter(|l| in_specs && !l.starts_with(' ')) else { continue };
        let (name, version) = match entry.split_once(" (") {
            Some((n, v)) => (n, v.trim_end_matches(')')),
            None => (entry, ""),
        };
        g.gems.push((name.trim().to_owned(), version.to_owned()));
    }
    Some(g)
}

impl Gems {
    /// Whether the locked version of a gem is a precompiled platform gem.
    pub fn precompiled(version: &str) -> bool {
        version.split_once('-').is_some_and(|(_, platform)| {
            ["x86_64-linux", "aarch64-linux", "arm64-darwin", "x86_64-darwin", "java", "arm-linux", "x86-linux"].iter().any(|p| platform.starts_with(p))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_specs() {
        let lock = "GEM\n  remote: https://rubygems.org/\n  specs:\n    mustermann (3.0.3)\n      ruby2_keywords (~> 0.0.1)\n    nokogiri (1.16.7-x86_64-linux)\n      racc (~> 1.4)\n    pg (1.5.8)\n    rack (3.1.8)\n\nPLATFORMS\n  x86_64-linux\n\nDEPENDENCIES\n  pg\n  sinatra\n\nBUNDLED WITH\n   2.5.16\n";
        let mut ctx = BuildContext::default();
        ctx.files.insert("Gemfile.lock".into(), lock.into());
        let g = read(&ctx, "").unwrap();
        let names: Vec<&str> = g.gems.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["mustermann", "nokogiri", "pg", "rack"]);
        assert!(Gems::precompiled("1.16.7-x86_64-linux"));
        assert!(Gems::precompiled("1.17.0-x86_64-linux-gnu"));
        assert!(!Gems::precompiled("1.5.8"));
        assert!(!Gems::precompiled("7.1.0.beta1"));
    }
}
