//! The files a command makes: what it prints into a file (`> f`, `>> f`, `tee f`), a copy (`cp`,
//! `install`) or a download (`curl -o`/`-O`, `wget`). The rewrite carries the ones a final stage makes to
//! the runtime stage (a configuration written into `/etc`, a tool fetched into `/usr/local/bin`): dropping
//! them silently would leave the app without them. The estimate sizes them by how they were made.

use crate::shell::SimpleCommand;

/// How a command made a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Made {
    /// Text the command prints, redirected (`echo … > f`, `cat <<EOF > f`) or through `tee`.
    Written,
    /// `cp` or `install`: a copy of a file already in the image or the build context.
    Copy,
    /// `curl` or `wget`: a download, of any size.
    Download,
    /// A member of an archive, named on the `tar -x` or `unzip` command line.
    Extracted,
    /// The folder a whole archive is unpacked into (what the archive holds is not known before the build).
    Unpacked,
}

/// The files `c` makes, each path as written (a relative one is relative to where the RUN runs). Standard
/// output (`-o -`) and `/dev/…` are not files; folders `install -d` creates are empty and are left out.
pub fn made_files(c: &SimpleCommand) -> Vec<(String, Made)> {
    let program = c.program();
    // What `curl`/`wget` print is the download itself (`curl -fsSL URL > /usr/local/bin/tool`).
    let printed = if matches!(program, "curl" | "wget") { Made::Download } else { Made::Written };
    let mut out: Vec<(String, Made)> = c.writes.iter().filter(|w| is_file(w)).map(|w| (w.clone(), printed)).collect();
    let (paths, how) = match program {
        "tee" => (c.positional(0).map(str::to_owned).collect(), Made::Written),
        "cp" => (copies(c, &["-t", "--target-directory", "-S", "--suffix"], false), Made::Copy),
        "install" => (
            copies(c, &["-t", "--target-directory", "-S", "--suffix", "-m", "--mode", "-o", "--owner", "-g", "--group"], true),
            Made::Copy,
        ),
        "curl" => (curl(c), Made::Download),
        "wget" => (wget(c), Made::Download),
        "tar" | "bsdtar" => tar(c),
        "unzip" => unzip(c),
        _ => (Vec::new(), Made::Written),
    };
    out.extend(paths.into_iter().filter(|p| is_file(p)).map(|p| (p, how)));
    out
}

fn is_file(p: &str) -> bool {
    !p.is_empty() && p != "-" && !p.starts_with("/dev/")
}

/// `cp [OPTION]... SOURCE... DEST`, `cp -t DIR SOURCE...`, and `install`'s same forms: the destination
/// file, or each source's name in the destination folder (`cp a b /etc/app/`, `-t`).
fn copies(c: &SimpleCommand, takes_value: &[&str], install: bool) -> Vec<String> {
    let mut positional = Vec::new();
    let (mut target_dir, mut no_target_dir, mut only_dirs) = (None, false, false);
    let mut args = c.argv.iter().skip(1).map(String::as_str);
    let mut options_done = false;
    while let Some(a) = args.next() {
        if options_done || !a.starts_with('-') || a == "-" {
            positional.push(a);
            continue;
        }
        if a == "--" {
            options_done = true;
            continue;
        }
        let (name, attached) = match a.split_once('=') {
            Some((n, v)) if a.starts_with("--") => (n, Some(v)),
            _ => (a, None),
        };
        if let Some(&flag) = takes_value.iter().find(|f| **f == name || (f.len() == 2 && !a.starts_with("--") && a.starts_with(**f))) {
            let value = match attached {
                Some(v) => Some(v),
                None if name == flag => args.next(),
                None => Some(&a[2..]), // `-tDIR`
            };
            if matches!(flag, "-t" | "--target-directory") {
                target_dir = value;
            }
            continue;
        }
        if a == "-T" || a == "--no-target-directory" {
            no_target_dir = true;
        }
        if install && (a == "--directory" || (!a.starts_with("--") && a.contains('d'))) {
            only_dirs = true;
        }
    }
    if only_dirs {
        return Vec::new();
    }
    let name = |src: &str| src.trim_end_matches('/').rsplit('/').next().unwrap_or_default().to_owned();
    let into = |dir: &str, sources: &[&str]| -> Vec<String> {
        sources.iter().map(|s| format!("{}/{}", dir.trim_end_matches('/'), name(s))).collect()
    };
    if let Some(dir) = target_dir {
        return into(dir, &positional);
    }
    let Some((dest, sources)) = positional.split_last() else { return Vec::new() };
    if sources.is_empty() || !is_file(dest) {
        return Vec::new();
    }
    if !no_target_dir && (dest.ends_with('/') || sources.len() > 1) {
        into(dest, sources)
    } else {
        vec![(*dest).to_owned()]
    }
}

/// `tar -x`: the members named after the archive, in the folder of `-C`/`--directory` (else where the
/// command runs, `.`); the folder itself when no member is named or `--strip-components` renames them.
/// Short options may be clustered (`-xzf a.tgz`) or, in the old style, have no dash (`tar xzf a.tgz`).
fn tar(c: &SimpleCommand) -> (Vec<String>, Made) {
    let (mut extract, mut dir, mut renamed, mut members) = (false, None::<String>, false, Vec::new());
    let mut args = c.argv.iter().skip(1).map(String::as_str);
    let mut first = true;
    // Long options that take a value as the next word.
    const LONG_VALUE: &[&str] = &["--file", "--directory", "--exclude", "--files-from", "--transform", "--xform",
        "--strip-components", "--owner", "--group", "--mode", "--use-compress-program", "--exclude-from"];
    while let Some(a) = args.next() {
        let old_style = std::mem::take(&mut first) && !a.starts_with('-') && !a.is_empty() && a.chars().all(|ch| ch.is_ascii_alphabetic());
        if let Some(long) = a.strip_prefix("--") {
            let (name, value) = match long.split_once('=') {
                Some((n, v)) => (n, Some(v.to_owned())),
                None => (long, None),
            };
            match name {
                "extract" | "get" => extract = true,
                "to-stdout" | "to-command" => return (Vec::new(), Made::Extracted),
                "directory" => dir = value.or_else(|| args.next().map(str::to_owned)),
                "strip-components" | "transform" | "xform" => {
                    renamed = true;
                    if !a.contains('=') {
                        args.next();
                    }
                }
                _ if LONG_VALUE.contains(&format!("--{name}").as_str()) && !a.contains('=') => {
                    args.next();
                }
                _ => {}
            }
            continue;
        }
        let cluster = if old_style { Some(a) } else { a.strip_prefix('-').filter(|f| !f.is_empty()) };
        let Some(flags) = cluster else {
            members.push(a.to_owned());
            continue;
        };
        // Each letter that takes a value takes the next word (`-xzf a.tgz -C /opt`, old style `xzfC a.tgz /opt`),
        // or, in a dashed cluster, the rest of the cluster (`-C/opt`, `-fa.tgz`).
        for (at, letter) in flags.char_indices() {
            match letter {
                'x' => extract = true,
                // `tar -xOf a.tgz file > out`: to standard output, nothing unpacked.
                'O' => return (Vec::new(), Made::Extracted),
                'f' | 'C' | 'T' | 'X' | 'b' | 'H' | 'K' | 'N' | 'g' | 'F' | 'L' | 'V' => {
                    let rest = &flags[at + 1..];
                    let value = if !old_style && !rest.is_empty() { Some(rest.to_owned()) } else { args.next().map(str::to_owned) };
                    if letter == 'C' {
                        dir = value;
                    }
                    if !old_style && !rest.is_empty() {
                        break;
                    }
                }
                _ => {}
            }
        }
    }
    if !extract {
        return (Vec::new(), Made::Extracted);
    }
    unpacked(dir, if renamed { &[] } else { &members }, false)
}

/// `unzip ARCHIVE [MEMBER…] [-x EXCLUDED…] [-d DIR]`: the members in DIR (by their base name with `-j`), or
/// DIR itself when none is named.
fn unzip(c: &SimpleCommand) -> (Vec<String>, Made) {
    let (mut dir, mut junk, mut archive, mut members) = (None::<String>, false, None::<String>, Vec::new());
    let mut excluding = false;
    let mut args = c.argv.iter().skip(1).map(String::as_str);
    while let Some(a) = args.next() {
        if a == "-d" {
            dir = args.next().map(str::to_owned);
            excluding = false;
        } else if let Some(d) = a.strip_prefix("-d").filter(|d| !d.is_empty() && !a.starts_with("--")) {
            dir = Some(d.to_owned());
        } else if a == "-x" {
            excluding = true;
        } else if a.starts_with('-') {
            junk |= !a.starts_with("--") && a.contains('j');
            // `-l`, `-t`, `-v`, `-Z`, `-p`: list, test, print; nothing is written.
            if !a.starts_with("--") && a.contains(['l', 't', 'v', 'p', 'Z', 'z']) {
                return (Vec::new(), Made::Extracted);
            }
        } else if archive.is_none() {
            archive = Some(a.to_owned());
        } else if !excluding {
            members.push(a.to_owned());
        }
    }
    if archive.is_none() {
        return (Vec::new(), Made::Extracted);
    }
    unpacked(dir, &members, junk)
}

/// Where an archive's `members` land in `dir` (`.` when none is given), by their base name when `junk`;
/// the folder itself ([`Made::Unpacked`]) when no member is named.
fn unpacked(dir: Option<String>, members: &[String], junk: bool) -> (Vec<String>, Made) {
    let dir = dir.unwrap_or_else(|| ".".to_owned());
    let dir = match dir.trim_end_matches('/') {
        "" => "/",
        d => d,
    };
    // A pattern (`tar --wildcards … '*.so'`, `unzip a.zip 'bin/*'`) names no one path: the folder.
    if members.is_empty() || members.iter().any(|m| m.contains(['*', '?', '['])) {
        return (vec![dir.to_owned()], Made::Unpacked);
    }
    let join = |member: &str| {
        let member = member.trim_start_matches("./").trim_end_matches('/');
        let member = if junk { member.rsplit('/').next().unwrap_or(member) } else { member };
        if member.starts_with('/') || dir == "." {
            member.to_owned()
        } else {
            format!("{dir}/{member}")
        }
    };
    (members.iter().map(|m| join(m)).collect(), Made::Extracted)
}

/// The file name a URL is saved under by `curl -O` and a plain `wget`: its path's last segment.
fn url_name(url: &str) -> Option<&str> {
    let rest = url.split_once("://")?.1;
    let path = rest.split(['?', '#']).next()?;
    let (_, path) = path.split_once('/')?;
    path.rsplit('/').next().filter(|n| !n.is_empty() && *n != "." && *n != "..")
}

fn urls(c: &SimpleCommand) -> impl Iterator<Item = &str> {
    c.argv.iter().skip(1).map(String::as_str).filter(|a| ["http://", "https://", "ftp://"].iter().any(|p| a.starts_with(p)))
}

/// A short-option cluster's value for `letter` (`-fsSLo FILE`, `-qO-`, `-oFILE`): `Some(None)` when the
/// value is the next argument.
fn cluster_value(arg: &str, letter: char) -> Option<Option<&str>> {
    let flags = arg.strip_prefix('-').filter(|f| !f.starts_with('-') && !f.is_empty())?;
    let at = flags.find(letter)?;
    let rest = &flags[at + 1..];
    Some((!rest.is_empty()).then_some(rest))
}

/// `curl -o FILE` (or `--output`, as often as it is given), and `-O`/`--remote-name` (the URL's name, in
/// `--output-dir` if given).
fn curl(c: &SimpleCommand) -> Vec<String> {
    let (mut out, mut remote, mut dir) = (Vec::new(), false, None);
    let mut args = c.argv.iter().skip(1).map(String::as_str);
    while let Some(a) = args.next() {
        if let Some(v) = a.strip_prefix("--output=") {
            out.push(v.to_owned());
        } else if a == "--output" {
            out.extend(args.next().map(str::to_owned));
        } else if let Some(v) = a.strip_prefix("--output-dir=") {
            dir = Some(v.to_owned());
        } else if a == "--output-dir" {
            dir = args.next().map(str::to_owned);
        } else if a == "--remote-name" || a == "--remote-name-all" {
            remote = true;
        } else if let Some(v) = cluster_value(a, 'o') {
            // `-O` before `-o` in one cluster (`-Oo`) is not something anyone writes.
            remote |= a[..a.find('o').unwrap_or(0)].contains('O');
            out.extend(v.or_else(|| args.next()).map(str::to_owned));
        } else if cluster_value(a, 'O').is_some() {
            remote = true;
        }
    }
    if remote {
        out.extend(urls(c).filter_map(url_name).map(str::to_owned));
    }
    let prefix = |p: String| match &dir {
        Some(d) if !p.starts_with('/') => format!("{}/{p}", d.trim_end_matches('/')),
        _ => p,
    };
    out.into_iter().filter(|p| is_file(p)).map(prefix).collect()
}

/// `wget -O FILE` (or `--output-document`); without it, each URL's name, in `-P`/`--directory-prefix` if
/// given.
fn wget(c: &SimpleCommand) -> Vec<String> {
    let (mut document, mut dir) = (None, None);
    let mut args = c.argv.iter().skip(1).map(String::as_str);
    while let Some(a) = args.next() {
        if let Some(v) = a.strip_prefix("--output-document=") {
            document = Some(v);
        } else if a == "--output-document" {
            document = args.next();
        } else if let Some(v) = a.strip_prefix("--directory-prefix=") {
            dir = Some(v);
        } else if a == "--directory-prefix" {
            dir = args.next();
        } else if let Some(v) = cluster_value(a, 'O') {
            document = v.or_else(|| args.next());
        } else if let Some(v) = cluster_value(a, 'P') {
            dir = v.or_else(|| args.next());
        }
    }
    match document {
        Some(d) => is_file(d).then(|| d.to_owned()).into_iter().collect(),
        None => urls(c)
            .filter_map(url_name)
            .map(|n| match dir {
                Some(d) => format!("{}/{n}", d.trim_end_matches('/')),
                None => n.to_owned(),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shell::commands;

    fn made(script: &str) -> Vec<(String, Made)> {
        commands(script, '\\').iter().flat_map(made_files).collect()
    }

    fn paths(script: &str) -> Vec<String> {
        made(script).into_iter().map(|(p, _)| p).collect()
    }

    #[test]
    fn copies_name_the_destination_file_or_each_source_in_the_folder() {
        assert_eq!(made("cp config.example.json /etc/app.json"), [("/etc/app.json".to_owned(), Made::Copy)]);
        assert_eq!(paths("cp -r conf /etc/app"), ["/etc/app"]);
        assert_eq!(paths("cp a.pem b.pem /etc/ssl/private/"), ["/etc/ssl/private/a.pem", "/etc/ssl/private/b.pem"]);
        assert_eq!(paths("cp build/tool /usr/local/bin/"), ["/usr/local/bin/tool"]);
        assert_eq!(paths("cp -t /opt/app bin/a lib/"), ["/opt/app/a", "/opt/app/lib"]);
        assert_eq!(paths("cp --target-directory=/opt x"), ["/opt/x"]);
        assert_eq!(paths("cp -T dir /opt/dir2/"), ["/opt/dir2/"]);
        assert_eq!(paths("cp -- -weird /etc/x"), ["/etc/x"]);
        assert_eq!(paths("install -m 0755 tool /usr/local/bin/tool"), ["/usr/local/bin/tool"]);
        assert_eq!(paths("install -m755 -o root tool /usr/local/bin/"), ["/usr/local/bin/tool"]);
        assert_eq!(paths("install -D -m 644 app.conf /etc/app/app.conf"), ["/etc/app/app.conf"]);
        assert!(paths("install -d /var/log/app /run/app").is_empty(), "empty folders");
        assert!(paths("cp onlyone").is_empty());
        assert!(paths("cp a /dev/null").is_empty());
    }

    #[test]
    fn printed_text_is_written_and_a_printed_download_is_a_download() {
        assert_eq!(made("echo 'a=1' > /etc/app.conf"), [("/etc/app.conf".to_owned(), Made::Written)]);
        assert_eq!(paths("printf x | tee -a /etc/a /etc/b"), ["/etc/a", "/etc/b"]);
        assert_eq!(made("tee /etc/x").remove(0).1, Made::Written);
        assert_eq!(made("curl -fsSL https://e.com/tool > /usr/local/bin/tool"), [("/usr/local/bin/tool".to_owned(), Made::Download)]);
        assert!(paths("echo hi > /dev/null").is_empty());
    }

    #[test]
    fn downloads_name_their_output_or_the_urls_name() {
        assert_eq!(
            made("curl -fsSL -o /usr/local/bin/wait-for-it https://raw.githubusercontent.com/x/y/master/wait-for-it.sh"),
            [("/usr/local/bin/wait-for-it".to_owned(), Made::Download)]
        );
        assert_eq!(paths("curl -fsSLo /usr/local/share/tz.zip https://e.com/tz.zip"), ["/usr/local/share/tz.zip"]);
        assert_eq!(paths("curl -sSLoapp.tgz https://e.com/a.tgz"), ["app.tgz"]);
        assert_eq!(paths("curl --output /opt/x.bin https://e.com/x"), ["/opt/x.bin"]);
        assert_eq!(paths("curl --output=/opt/y https://e.com/y"), ["/opt/y"]);
        assert_eq!(paths("curl -fsSLO https://e.com/dl/tool-1.2.tar.gz?sig=abc"), ["tool-1.2.tar.gz"]);
        assert_eq!(paths("curl -O --output-dir /opt https://e.com/a/b.jar"), ["/opt/b.jar"]);
        assert_eq!(paths("curl -H 'Accept: x' -o out.json https://api.e.com/v1"), ["out.json"]);
        assert!(paths("curl -fsSL https://e.com/install.sh").is_empty(), "to standard output");
        assert!(paths("curl -o - https://e.com/x").is_empty());
        assert!(paths("curl -fsS -o /dev/null https://e.com/health").is_empty());
        assert_eq!(made("wget -O /opt/geo.mmdb https://e.com/geo.mmdb"), [("/opt/geo.mmdb".to_owned(), Made::Download)]);
        assert_eq!(paths("wget --output-document=/opt/a https://e.com/a"), ["/opt/a"]);
        assert_eq!(paths("wget -q https://e.com/files/data.csv"), ["data.csv"]);
        assert_eq!(paths("wget -P /opt/models https://e.com/m/model.bin"), ["/opt/models/model.bin"]);
        assert!(paths("wget -qO- https://e.com/install.sh").is_empty(), "to standard output");
        assert!(paths("wget -q -O - https://e.com/key.asc").is_empty());
        assert!(paths("wget https://e.com/").is_empty(), "no name to save under is known");
    }

    #[test]
    fn archives_unpack_their_members_or_into_their_folder() {
        assert_eq!(made("tar -xzf migrate.tar.gz -C /usr/local/bin migrate"), [("/usr/local/bin/migrate".to_owned(), Made::Extracted)]);
        assert_eq!(paths("tar xzf /tmp/a.tgz -C /opt/app"), ["/opt/app"]);
        assert_eq!(paths("tar -C /opt -xf a.tar ./bin/tool share/"), ["/opt/bin/tool", "/opt/share"]);
        assert_eq!(paths("tar --extract --file=a.tar --directory /srv/www"), ["/srv/www"]);
        assert_eq!(paths("tar -xz -C /usr/local/bin --strip-components=1 x/tool"), ["/usr/local/bin"], "renamed members");
        assert_eq!(paths("tar -xJf node.tar.xz --strip-components 1 -C /usr/local"), ["/usr/local"]);
        assert_eq!(paths("tar -xvzf site.tgz"), ["."]);
        assert_eq!(paths("tar -xzf a.tgz -C/opt/x"), ["/opt/x"]);
        assert!(paths("tar -czf backup.tgz /data").is_empty(), "creating an archive unpacks nothing");
        assert!(paths("tar -tzf a.tgz").is_empty());
        assert!(paths("tar -xOzf a.tgz etc/x.conf").is_empty(), "to standard output");
        assert!(paths("tar --extract --to-stdout -f a.tar x").is_empty());
        assert_eq!(made("tar -xzf a.tgz -C /opt/lib --wildcards '*.so'"), [("/opt/lib".to_owned(), Made::Unpacked)], "a pattern");
        assert_eq!(paths("unzip a.zip 'bin/*' -d /opt/x"), ["/opt/x"]);
        assert_eq!(made("unzip -q assets.zip -d /srv/assets"), [("/srv/assets".to_owned(), Made::Unpacked)]);
        assert_eq!(made("tar -xf a.tar -C /opt/a")[0].1, Made::Unpacked);
        assert_eq!(paths("unzip -o tool.zip tool -d /usr/local/bin"), ["/usr/local/bin/tool"]);
        assert_eq!(paths("unzip -j dist.zip 'dist/bin/app' -d /usr/local/bin"), ["/usr/local/bin/app"]);
        assert_eq!(paths("unzip -d/opt/x a.zip -x '*.md'"), ["/opt/x"]);
        assert!(paths("unzip -l a.zip").is_empty(), "a listing");
        assert!(paths("unzip").is_empty());
    }
}
