//! The knowledge data files and the tables build.rs generates from them.
//!
//! The library embeds only what the engine reads at run time; the documentation (each entry's source, the
//! reasoning behind a judgement, how a figure was derived) stays in `data/`. These tests read the files
//! themselves: every entry has its source, and the generated tables say what the files say.

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::path::PathBuf;

use serde_json::Value;
use slimfile_core::findings::sf102_toolchain_base_image::TOOLCHAIN_IMAGES;
use slimfile_core::knowledge::tags::{alias, alpine_minor, resolves_to, tag_current, tag_published, Published};
use slimfile_core::knowledge::{artifacts, carry, debian, distroless, images, images_roles, packages, project_packages, releases, runtimes, support};

const FILES: &[&str] = &[
    "artifacts.json",
    "carry.json",
    "images.json",
    "images-roles.json",
    "packages.json",
    "packages-approx.json",
    "runtimes.json",
    "toolchain-images.json",
    "runtime-siblings.json",
    "project-packages.json",
    "debian/bookworm-closure.json",
];

fn load(file: &str) -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data").join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{file}: {e}"))
}

fn str_of<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key].as_str().unwrap_or_else(|| panic!("{key} is not a string in {v}"))
}

fn opt_str<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

fn strs(v: &Value, key: &str) -> Vec<String> {
    v.get(key)
        .and_then(Value::as_array)
        .map(|a| a.iter().map(|x| x.as_str().unwrap().to_owned()).collect())
        .unwrap_or_default()
}

fn has_source(v: &Value) -> bool {
    v.get("source").and_then(Value::as_str).is_some_and(|s| !s.trim().is_empty())
}

/// Every object in a list of a data file is an entry, and every entry names its source; so does every
/// section that is one object (`nginx`, `dotnet`) and every map with a `source` key's siblings.
fn entries_without_source(file: &str, v: &Value, path: &str, out: &mut Vec<String>) {
    match v {
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                if item.is_object() && !has_source(item) {
                    out.push(format!("{file}: {path}[{i}] has no source"));
                }
                entries_without_source(file, item, &format!("{path}[{i}]"), out);
            }
        }
        Value::Object(m) => {
            for (k, item) in m {
                entries_without_source(file, item, &format!("{path}.{k}"), out);
            }
        }
        _ => {}
    }
}

#[test]
fn every_entry_has_a_source() {
    let mut missing = Vec::new();
    for file in FILES {
        entries_without_source(file, &load(file), "", &mut missing);
    }
    // Sections and maps that document themselves with one `source`.
    let images = load("images.json");
    for r in images["ratios"].as_object().unwrap().values() {
        assert!(has_source(r), "images.json: a ratio has no source");
    }
    for key in ["defaults", "repository_aliases"] {
        assert!(has_source(&images[key]), "images.json: {key} has no source");
    }
    for (repo, ch) in images["channels"].as_object().unwrap() {
        assert!(has_source(ch), "images.json: channels.{repo} has no source");
    }
    assert!(has_source(&load("carry.json")["root_entries"]), "carry.json: root_entries has no source");
    let roles = load("images-roles.json");
    for key in ["nginx", "dotnet"] {
        assert!(has_source(&roles[key]), "images-roles.json: {key} has no source");
    }
    assert!(has_source(&load("debian/bookworm-closure.json")));
    assert!(missing.is_empty(), "entries without a source:\n{}", missing.join("\n"));
}

#[test]
fn judgements_say_why() {
    for a in load("artifacts.json")["artifacts"].as_array().unwrap() {
        assert!(!str_of(a, "reasoning").trim().is_empty(), "artifacts.json: {} has no reasoning", a["id"]);
    }
    let approx = load("packages-approx.json");
    for e in approx["packages"].as_array().unwrap().iter().chain(approx["managers"].as_array().unwrap()) {
        assert!(!str_of(e, "reasoning").trim().is_empty() && e["approximate"] == true, "packages-approx.json: {e}");
    }
    for e in load("toolchain-images.json")["images"].as_array().unwrap() {
        assert!(str_of(e, "source").starts_with("https://"), "toolchain-images.json: {}", e["repository"]);
    }
    for e in load("images.json")["images"].as_array().unwrap() {
        let name = format!("{}:{}", str_of(e, "repository"), str_of(e, "tag"));
        let measured = strs(e, "measured");
        for m in &measured {
            assert!(m == "compressed" || m == "uncompressed", "images.json: {name}: measured {m}");
        }
        let derived = ["compressed", "uncompressed"].iter().any(|k| !e[*k].is_null() && !measured.iter().any(|m| m == k));
        assert_eq!(e["approximate"] == true, derived, "images.json: {name}: approximate must say whether a figure is derived");
        if derived {
            assert!(opt_str(e, "derivation").is_some_and(|d| !d.is_empty()), "images.json: {name} is approximate without derivation");
        }
    }
    let closure = load("debian/bookworm-closure.json");
    for (b, set) in closure["bases"].as_object().unwrap() {
        assert!(!set["images"].as_array().unwrap().is_empty(), "{b}");
        assert!(set["packages"].as_u64().unwrap() > 0 && set["bytes"].as_u64().unwrap() > 0, "{b}");
    }
}

#[test]
fn artifacts_table_is_the_file() {
    let file = load("artifacts.json");
    let entries = file["artifacts"].as_array().unwrap();
    assert_eq!(artifacts::all().len(), entries.len());
    for e in entries {
        let a = artifacts::get(str_of(e, "id")).unwrap();
        assert_eq!(a.description, str_of(e, "description"));
        let kind = if a.kind == artifacts::ArtifactKind::Cache { "cache" } else { "output" };
        assert_eq!(kind, str_of(e, "kind"));
        assert_eq!([a.low, a.typical, a.high], ["low", "typical", "high"].map(|k| e[k].as_u64().unwrap()));
        assert_eq!(a.approximate, e["approximate"] == true);
    }
}

#[test]
fn images_table_is_the_file() {
    let file = load("images.json");
    let entries = file["images"].as_array().unwrap();
    assert_eq!(images::all().len(), entries.len());
    for (g, e) in images::all().iter().zip(entries) {
        assert_eq!((g.registry, g.repository, g.tag), (str_of(e, "registry"), str_of(e, "repository"), str_of(e, "tag")));
        assert_eq!(g.aliases, strs(e, "aliases"));
        assert_eq!(g.version, opt_str(e, "version"));
        assert_eq!(g.variant, opt_str(e, "variant").unwrap_or(""));
        assert_eq!(g.compressed, e["compressed"].as_u64());
        assert_eq!(g.uncompressed, e["uncompressed"].as_u64());
        let measured = strs(e, "measured");
        assert_eq!(g.compressed_measured(), measured.iter().any(|m| m == "compressed"));
        assert_eq!(g.uncompressed_measured(), measured.iter().any(|m| m == "uncompressed"));
        assert_eq!(g.source, str_of(e, "source"));
    }
    for (k, r) in file["ratios"].as_object().unwrap() {
        assert_eq!(images::ratio(k), r["ratio"].as_f64(), "{k}");
    }
    assert_eq!(images::ratio("os"), Some(2.482));
    // A sample: an exact entry, a repository alias, a channel word and a default variant.
    let m = images::lookup("docker.io", "library/python", Some("3.12-slim")).unwrap();
    assert_eq!(m.entry.compressed, Some(43_178_734));
    let m = images::lookup("gcr.io", "distroless/static", Some("nonroot")).unwrap();
    assert_eq!(m.entry.repository, file["repository_aliases"]["distroless/static"].as_str().unwrap());
    let m = images::lookup("docker.io", "library/node", Some("lts")).unwrap();
    assert_eq!(m.entry.version, file["channels"]["library/node"]["lts"].as_str());
    let m = images::lookup("docker.io", "library/golang", Some("1.22.3")).unwrap();
    assert_eq!(m.entry.variant, file["defaults"]["library/golang"].as_str().unwrap());
}

#[test]
fn roles_and_runtimes_are_the_files() {
    let file = load("images-roles.json");
    let entries = file["images"].as_array().unwrap();
    assert_eq!(images_roles::IMAGES.len(), entries.len());
    for (g, e) in images_roles::IMAGES.iter().zip(entries) {
        assert_eq!((g.repository, g.registry, g.ecosystem), (str_of(e, "repository"), opt_str(e, "registry"), opt_str(e, "ecosystem")));
        assert_eq!((g.distro, g.toolchain), (str_of(e, "distro"), e["toolchain"] == true));
        assert_eq!((g.slim, g.slim_alpine, g.gem_home), (opt_str(e, "slim"), opt_str(e, "slim_alpine"), opt_str(e, "gem_home")));
        assert_eq!(g.workdir, opt_str(e, "workdir"));
        let ships: Vec<&str> = e["ships"].as_array().map_or(vec![], |a| a.iter().map(|p| p.as_str().unwrap()).collect());
        assert_eq!(g.ships, ships.as_slice(), "{}", g.repository);
        let local: Vec<&str> = e["local_libraries"].as_array().map_or(vec![], |a| a.iter().map(|p| p.as_str().unwrap()).collect());
        assert_eq!(g.local_libraries, local.as_slice(), "{}", g.repository);
        assert!(local.iter().all(|p| p.starts_with('/') && !p.contains(['|', ')', ' '])), "a shell pattern of a path: {local:?}");
    }
    let codenames = file["codenames"].as_array().unwrap();
    assert_eq!(images_roles::CODENAMES.len(), codenames.len());
    for (g, e) in images_roles::CODENAMES.iter().zip(codenames) {
        assert_eq!((g.codename, g.distro, g.version), (str_of(e, "codename"), str_of(e, "distro"), str_of(e, "version")));
    }
    let n = &images_roles::NGINX;
    assert_eq!(
        [n.root, n.nonroot, n.root_port, n.nonroot_port, n.html],
        ["root", "nonroot", "root_port", "nonroot_port", "html"].map(|k| str_of(&file["nginx"], k))
    );
    assert_eq!([images_roles::DOTNET.aspnet, images_roles::DOTNET.runtime], ["aspnet", "runtime"].map(|k| str_of(&file["dotnet"], k)));

    let file = load("runtimes.json");
    let entries = file["images"].as_array().unwrap();
    assert_eq!(runtimes::IMAGES.len(), entries.len());
    for (g, e) in runtimes::IMAGES.iter().zip(entries) {
        assert_eq!((g.family, g.release, g.version, g.image), (str_of(e, "family"), str_of(e, "release"), opt_str(e, "version"), str_of(e, "image")));
        let libraries: Option<Vec<&str>> = e["libraries"].as_array().map(|a| a.iter().map(|l| l.as_str().unwrap()).collect());
        assert_eq!(g.libraries, libraries.as_deref(), "{}", g.image);
        // No libc, no shared library: an empty list, not a missing one.
        assert_eq!(str_of(e, "libc") == "none", g.libraries == Some(&[][..]), "{}", g.image);
        assert_eq!(g.entrypoint, strs(e, "entrypoint"), "{}", g.image);
    }
    // Every glibc image's libraries start with glibc's; cc and the images built on it (nodejs) have base's
    // and libgcc_s, libstdc++.
    for g in runtimes::IMAGES.iter() {
        let Some(libraries) = g.libraries.filter(|l| !l.is_empty()) else { continue };
        assert!(libraries.starts_with(&["libc.so.6", "libm.so.6"]), "{}", g.image);
        assert!(libraries.iter().all(|l| l.starts_with("lib") && l.contains(".so.")), "sonames: {libraries:?}");
        let base = runtimes::IMAGES.iter().find(|b| b.family == "distroless/base" && b.release == g.release).and_then(|b| b.libraries).unwrap();
        assert!(base.iter().all(|l| libraries.contains(l)), "{} has what base has", g.image);
        if matches!(g.family, "distroless/cc" | "distroless/nodejs") {
            assert!(libraries.contains(&"libgcc_s.so.1") && libraries.contains(&"libstdc++.so.6"), "{}", g.image);
        }
    }
    let system = file["system_libraries"].as_array().unwrap();
    assert_eq!(runtimes::SYSTEM_LIBRARIES.len(), system.len());
    for (g, e) in runtimes::SYSTEM_LIBRARIES.iter().zip(system) {
        let sonames: Vec<&str> = e["sonames"].as_array().unwrap().iter().map(|l| l.as_str().unwrap()).collect();
        assert_eq!((g.manager, g.sonames), (str_of(e, "manager"), sonames.as_slice()));
        assert!(sonames.iter().all(|p| !p.contains(['|', ')', ' ', '/'])), "shell patterns of sonames: {sonames:?}");
    }

    let file = load("toolchain-images.json");
    let entries = file["images"].as_array().unwrap();
    assert_eq!(TOOLCHAIN_IMAGES.len(), entries.len());
    for (g, e) in TOOLCHAIN_IMAGES.iter().zip(entries) {
        assert_eq!((g.registry, g.repository, g.what, g.runtime), (str_of(e, "registry"), str_of(e, "repository"), str_of(e, "what"), str_of(e, "runtime")));
        assert_eq!(g.except_tags, strs(e, "except_tags"));
    }
}

#[test]
fn carry_tables_are_the_file() {
    let file = load("carry.json");
    let entries = file["build_only"].as_array().unwrap();
    assert_eq!(carry::BUILD_ONLY.len(), entries.len());
    for (g, e) in carry::BUILD_ONLY.iter().zip(entries) {
        let kind = match g.kind {
            carry::Match::Name => "name",
            carry::Match::Path => "path",
            carry::Match::Subpath => "subpath",
        };
        assert_eq!((g.group, kind, g.pattern, g.what), (str_of(e, "group"), str_of(e, "kind"), str_of(e, "pattern"), str_of(e, "what")));
        assert_eq!(g.category, str_of(e, "category"));
    }
    assert_eq!(carry::ROOT_ENTRIES, strs(&file["root_entries"], "entries"));
    let writable = file["writable"].as_array().unwrap();
    assert_eq!(carry::WRITABLE.len(), writable.len());
    for (g, e) in carry::WRITABLE.iter().zip(writable) {
        assert_eq!((g.ecosystem, g.framework, g.why), (str_of(e, "ecosystem"), str_of(e, "framework"), str_of(e, "why")));
        assert_eq!(g.paths, strs(e, "paths"));
        assert_eq!(g.env, strs(e, "env"));
    }
}

#[test]
fn other_builders_table_is_the_file() {
    let file = load("packages.json");
    let entries = file["other_builders"].as_array().unwrap();
    assert!(!entries.is_empty());
    for e in entries {
        let (cmd, what, subs) = (str_of(e, "command"), str_of(e, "what"), strs(e, "subcommands"));
        let call = |args: &[&str]| packages::other_builder(cmd, &args.iter().map(|a| (*a).to_owned()).collect::<Vec<_>>());
        match subs.first() {
            // Options before the subcommand are skipped (`bazel --batch build`); other subcommands do not build.
            Some(sub) => {
                assert_eq!(call(&["--flag", sub, "//x"]), Some(what), "{cmd} {sub}");
                assert_eq!(call(&["--version"]), None, "{cmd} --version");
                assert_eq!(call(&["help"]), None, "{cmd} help");
            }
            None => assert_eq!(call(&[]), Some(what), "{cmd}"),
        }
    }
    assert_eq!(packages::other_builder("curl", &[]), None);
}

#[test]
fn apk_no_cache_is_the_file() {
    let file = load("packages.json");
    let since = str_of(&file["apk_no_cache"], "since");
    assert!(!str_of(&file["apk_no_cache"], "source").is_empty());
    let (major, minor) = since.split_once('.').unwrap();
    assert_eq!(packages::APK_NO_CACHE_SINCE, (major.parse().unwrap(), minor.parse().unwrap()));
    // Tags of releases before it have no --no-cache; the release itself, later ones and names do.
    for (tag, has) in [("3.1", false), ("3.2.3", false), ("2", false), ("3.3", true), ("3.22", true), ("3", true), ("latest", true), ("edge", true)] {
        assert_eq!(packages::apk_has_no_cache(tag), has, "alpine:{tag}");
    }
}

#[test]
fn packages_table_is_the_file() {
    let file = load("packages.json");
    let entries = file["packages"].as_array().unwrap();
    assert_eq!(packages::all().len(), entries.len());
    for e in entries {
        let (role, found) = packages::lookup(str_of(e, "manager"), str_of(e, "name"));
        let g = found.unwrap_or_else(|| panic!("{e} is not in the table"));
        assert_eq!((g.manager, g.name), (str_of(e, "manager"), str_of(e, "name")));
        assert_eq!(role.as_str(), str_of(e, "role"));
        assert_eq!(g.runtime, strs(e, "runtime"));
        assert_eq!((g.toolchain, g.provided_by), (opt_str(e, "toolchain"), opt_str(e, "provided_by")));
        assert_eq!(g.header_only, e.get("header_only") == Some(&Value::Bool(true)));
        let by_release: BTreeMap<String, Vec<String>> =
            g.runtime_by_release.iter().map(|(k, v)| ((*k).to_owned(), v.iter().map(|s| (*s).to_owned()).collect())).collect();
        let want: BTreeMap<String, Vec<String>> = e
            .get("runtime_by_release")
            .and_then(Value::as_object)
            .map(|m| m.keys().map(|k| (k.clone(), strs(&e["runtime_by_release"], k))).collect())
            .unwrap_or_default();
        assert_eq!(by_release, want, "{}", g.name);
    }
    let patterns = file["patterns"].as_array().unwrap();
    assert_eq!(packages::patterns().len(), patterns.len());
    for (g, e) in packages::patterns().iter().zip(patterns) {
        assert_eq!((g.manager, g.suffix, g.prefix), (str_of(e, "manager"), opt_str(e, "suffix"), opt_str(e, "prefix")));
        assert_eq!(g.role.as_str(), str_of(e, "role"));
    }
    // A sample.
    assert_eq!(packages::lookup("apt", "libpq-dev").1.unwrap().runtime, ["libpq5"]);
    assert_eq!(packages::lookup("yum", "gcc").0, packages::lookup("dnf", "gcc").0);

    let file = load("packages-approx.json");
    let entries = file["packages"].as_array().unwrap();
    assert_eq!(debian::approx_entries().len(), entries.len());
    for (g, e) in debian::approx_entries().iter().zip(entries) {
        assert_eq!((g.manager, g.name, g.debian, g.reasoning), (str_of(e, "manager"), str_of(e, "name"), str_of(e, "debian"), str_of(e, "reasoning")));
        assert_eq!(Some(g.factor), e["factor"].as_f64());
    }
    let managers = file["managers"].as_array().unwrap();
    assert_eq!(debian::manager_rules().len(), managers.len());
    for (g, e) in debian::manager_rules().iter().zip(managers) {
        assert_eq!((g.manager, g.reasoning, Some(g.factor)), (str_of(e, "manager"), str_of(e, "reasoning"), e["factor"].as_f64()));
    }
}

#[test]
fn closure_table_is_the_file() {
    let file = load("debian/bookworm-closure.json");
    let table = file["packages"].as_object().unwrap();
    let names: Vec<&str> = debian::package_names().collect();
    assert_eq!(names.len(), table.len());
    assert!(names.len() >= 300);
    for (name, row) in table {
        assert!(names.contains(&name.as_str()), "{name}");
        let row = row.as_object().unwrap();
        assert_eq!(row.len(), file["bases"].as_object().unwrap().len(), "{name}");
        for (base, v) in row {
            let want: Vec<u64> = v.as_array().unwrap().iter().map(|x| x.as_u64().unwrap()).collect();
            let c = debian::closure(base, name).unwrap_or_else(|| panic!("{name} over {base}"));
            assert_eq!(
                vec![c.bytes, c.bytes_with_recommends, u64::from(c.packages), u64::from(c.packages_with_recommends)],
                want,
                "{name} over {base}"
            );
        }
    }
    assert!(debian::closure("debian", "no-such-package").is_none());
    assert!(debian::closure("no-such-base", "curl").is_none());
    // A sample, by hand.
    assert_eq!(debian::closure("debian", "adb").unwrap().bytes, 3_515_392);
    assert_eq!(debian::closure("golang", "adb").unwrap().packages_with_recommends, 7);
}

#[test]
fn project_packages_table_is_the_file() {
    let file = load("project-packages.json");
    let entries = file["packages"].as_array().unwrap();
    assert_eq!(project_packages::all().len(), entries.len());
    for e in entries {
        let kind = str_of(e, "kind");
        let g = project_packages::find(str_of(e, "ecosystem"), str_of(e, "name"))
            .find(|p| format!("{:?}", p.kind).to_lowercase() == kind.replace('-', ""))
            .unwrap_or_else(|| panic!("{e} is not in the table"));
        assert_eq!(g.commands, strs(e, "commands"));
        assert_eq!(g.headers, strs(e, "headers"));
        assert_eq!(g.output, opt_str(e, "output"));
        // A header package names the library the final image needs: packages.json must know it.
        for h in g.headers {
            let found = packages::lookup("apt", h).1;
            assert!(found.is_some() || matches!(*h, "libvips-dev" | "libmagickwand-dev"), "{h} ({}) is not in packages.json", g.name);
        }
    }
}

// ---- The image knowledge (scripts/image-knowledge.py): official-images.json, dotnet-images.json,
// distroless.json, support.json. Their entries are repositories, images and families: each names its
// source (a run or a version row is documented by its repository's or family's source).

const IMAGE_FILES: &[&str] = &["official-images.json", "dotnet-images.json", "distroless.json", "support.json"];

fn is_url(v: &Value) -> bool {
    v.as_str().is_some_and(|s| s.starts_with("https://"))
}

#[test]
fn image_knowledge_names_its_sources() {
    for file in ["official-images.json", "dotnet-images.json", "distroless.json"] {
        let d = load(file);
        assert!(is_url(&d["source"]), "{file}: source");
        assert!(d["commit"].as_str().is_some_and(|c| c.len() == 40), "{file}: commit");
        assert!(d["as_of"].as_str().is_some_and(|c| c.len() == 10), "{file}: as_of");
        assert!(!str_of(&d, "about").is_empty(), "{file}: about");
    }
    for file in ["official-images.json", "dotnet-images.json"] {
        for (name, r) in load(file)["repositories"].as_object().unwrap() {
            assert!(is_url(&r["source"]), "{file}: {name} has no source");
        }
    }
    let d = load("distroless.json");
    for key in ["images", "support"] {
        for e in d[key].as_array().unwrap() {
            assert!(has_source(e) && str_of(e, "source").starts_with("https://"), "distroless.json: {key}: {e}");
        }
    }
    for key in ["releases", "python"] {
        for (k, e) in d[key].as_object().unwrap() {
            assert!(has_source(e), "distroless.json: {key}.{k}");
        }
    }
    let d = load("support.json");
    for (name, f) in d["families"].as_object().unwrap() {
        assert!(has_source(f), "support.json: {name} has no source");
        assert!(!str_of(f, "rule").is_empty(), "support.json: {name} has no rule");
        assert!(!f["versions"].as_array().unwrap().is_empty(), "support.json: {name}");
    }
    for s in d["sources"].as_array().unwrap() {
        assert!(s["date"].as_str().is_some_and(|d| d.len() == 10), "support.json: sources: {s}");
        assert!(s.get("commit").and_then(Value::as_str).is_some_and(|c| c.len() == 40) || s.get("package").is_some(), "{s}");
    }
    // The knowledge date is the newest upstream date read.
    let newest = IMAGE_FILES.iter().map(|f| load(f)["as_of"].as_str().unwrap().to_owned()).max().unwrap();
    assert_eq!(releases::as_of(), newest);
}

/// The tag a `(version, variant)` pair of a table stands for.
fn tag_of(version: &str, variant: &str) -> String {
    match (version.is_empty(), variant.is_empty()) {
        (true, _) => variant.to_owned(),
        (false, true) => version.to_owned(),
        (false, false) => format!("{version}-{variant}"),
    }
}

/// Each repository's embedded tables answer what the file says: every published version of the
/// repository is published with a variant exactly when the file's runs hold it (the versions are in
/// the engine's natural order), current exactly when its run is; every run of `resolves` resolves as
/// the file says. A repository outside `tag_table` is not embedded: `Unknown` and no resolution. A
/// version all of whose tags were gone before `table_since`, or below the major in
/// `table_majors_only`, is `Unknown`, and so is a variant naming an Alpine minor release.
fn check_tag_file(file: &str) {
    let d = load(file);
    let table: Vec<&str> = d["tag_table"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    let since = str_of(&d, "table_since");
    let majors_only: Vec<&str> = d["table_majors_only"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    let mut checked = 0;
    for (name, r) in d["repositories"].as_object().unwrap() {
        let repo = name.strip_prefix("docker.io/").unwrap_or(name);
        let rows = r["versions"].as_array().unwrap();
        let versions: Vec<&str> = rows.iter().map(|v| v[0].as_str().unwrap()).collect();
        // Versions the engine's table does not keep: gone before `table_since`, or below the major.
        let minor = |v: &str| majors_only.contains(&name.as_str()) && v.starts_with(|c: char| c.is_ascii_digit()) && !v.bytes().all(|b| b.is_ascii_digit());
        let old: Vec<bool> = rows.iter().map(|v| v[2].as_str().is_some_and(|last| last < since) || minor(v[0].as_str().unwrap())).collect();
        for w in versions.windows(2) {
            assert_eq!(releases::version_cmp(w[0], w[1]), Ordering::Less, "{file}: {name}: {} and {} out of order", w[0], w[1]);
        }
        let index = |v: &str| versions.iter().position(|x| *x == v).unwrap_or_else(|| panic!("{file}: {name}: run end {v} is no version"));
        let embedded = table.contains(&name.as_str());
        for g in r["tags"].as_array().unwrap() {
            let variants: Vec<&str> = g["variants"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
            let runs: Vec<(usize, usize, bool)> =
                g["runs"].as_array().unwrap().iter().map(|x| (index(x[0].as_str().unwrap()), index(x[1].as_str().unwrap()), x[2] == true)).collect();
            if !embedded {
                let tag = tag_of(versions[runs[0].0], variants[0]);
                assert_eq!(tag_published(repo, &tag), Published::Unknown, "{file}: {name}:{tag}");
                continue;
            }
            // Runs of old versions only are not embedded.
            let runs: Vec<(usize, usize, bool)> = runs.into_iter().filter(|(lo, hi, _)| !old[*lo..=*hi].iter().all(|o| *o)).collect();
            for (i, v) in versions.iter().enumerate() {
                let run = runs.iter().find(|(lo, hi, _)| (*lo..=*hi).contains(&i));
                for var in if run.is_some() { &variants[..] } else { &variants[..1] } {
                    let tag = tag_of(v, var);
                    let first = var.split('-').next().unwrap();
                    if tag.is_empty() || v.is_empty() && (versions.contains(&first) || first.starts_with(|c: char| c.is_ascii_digit())) {
                        // Not a tag of this (version, variant): no version and no variant (an empty tag
                        // means `latest`), or a variant that reads as a version of its own (`fermium`).
                        continue;
                    }
                    let want = match run {
                        _ if alpine_minor(var) || old[i] => Published::Unknown,
                        Some(_) => Published::Yes,
                        None => Published::No,
                    };
                    assert_eq!(tag_published(repo, &tag), want, "{file}: {name}:{tag}");
                    let current = run.map(|r| r.2).filter(|_| want != Published::Unknown);
                    assert_eq!(tag_current(repo, &tag), current, "{file}: {name}:{tag}");
                    checked += 1;
                }
            }
        }
        for g in r["resolves"].as_array().unwrap() {
            for var in g["variants"].as_array().unwrap() {
                for run in g["runs"].as_array().unwrap() {
                    let (lo, hi) = (index(run[0].as_str().unwrap()), index(run[1].as_str().unwrap()));
                    for end in [&run[0], &run[1]] {
                        let tag = tag_of(end.as_str().unwrap(), var.as_str().unwrap());
                        let got = resolves_to(repo, &tag);
                        if !embedded || old[lo..=hi].iter().all(|o| *o) || alpine_minor(var.as_str().unwrap()) {
                            assert!(got.is_none() || got.as_ref().is_some_and(|g| g.named), "{file}: {name}:{tag} is not embedded: {got:?}");
                            continue;
                        }
                        let got = got.unwrap_or_else(|| panic!("{file}: {name}:{tag} resolves to nothing"));
                        // `since` is kept for runs that hold a version still published.
                        let since = run[3].as_str().filter(|_| rows[lo..=hi].iter().any(|v| v[2].is_null()));
                        assert_eq!((got.release.name, got.since, got.named), (run[2].as_str().unwrap(), since, false), "{file}: {name}:{tag}");
                    }
                }
            }
        }
        // Aliases and what they stand for today.
        for (a, now) in r["aliases"].as_object().unwrap() {
            let want = now.as_array().filter(|_| embedded).map(|x| (x[0].as_str().unwrap(), x[1].as_str().unwrap()));
            assert_eq!(alias(repo, a), want, "{file}: {name}: alias {a}");
        }
    }
    assert!(checked > 1000, "{file}: {checked} tags checked");
}

#[test]
fn tag_tables_are_the_files() {
    check_tag_file("official-images.json");
    check_tag_file("dotnet-images.json");
}

/// Every tag of every current block of an embedded repository resolves to the block's release (Alpine
/// minors fold into `alpine` for tags that do not name one), and is published and current.
#[test]
fn current_tags_resolve_as_their_blocks() {
    let d = load("official-images.json");
    let table: Vec<&str> = d["tag_table"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    let majors_only: Vec<&str> = d["table_majors_only"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    let excluded = |t: &str| t.split('-').any(|w| w.len() >= 8 && w[..8].bytes().all(|b| b.is_ascii_digit()) || ["rc", "beta", "alpha", "ea"].contains(&w)) || t.contains("rc");
    let mut checked = 0;
    for (name, r) in d["repositories"].as_object().unwrap() {
        for b in r["current"].as_array().unwrap() {
            let Some(release) = b["release"].as_str() else { continue };
            for t in b["tags"].as_array().unwrap().iter().map(|t| t.as_str().unwrap()) {
                if excluded(t) || t.starts_with("tip") {
                    continue;
                }
                if !table.contains(&name.as_str()) {
                    continue;
                }
                // eclipse-temurin below its major: not kept, unless the tag names its release.
                let first = t.split('-').next().unwrap();
                let below_major = majors_only.contains(&name.as_str()) && first.starts_with(|c: char| c.is_ascii_digit()) && !first.bytes().all(|b| b.is_ascii_digit());
                let Some(got) = resolves_to(name, t) else {
                    assert!(below_major, "{name}:{t} resolves to nothing");
                    continue;
                };
                let want = if release.starts_with("alpine") && !got.named { "alpine" } else { release };
                assert_eq!(got.release.name, want, "{name}:{t}");
                if !alpine_minor(t) && !below_major {
                    assert_eq!((tag_published(name, t), tag_current(name, t)), (Published::Yes, Some(true)), "{name}:{t}");
                }
                checked += 1;
            }
        }
    }
    assert!(checked > 900, "{checked}");
}

#[test]
fn support_table_is_the_file() {
    let d = load("support.json");
    let fams = d["families"].as_object().unwrap();
    assert_eq!(support::families().len(), fams.len());
    for (f, (name, e)) in support::families().iter().zip(fams) {
        assert_eq!(f.name, name.as_str());
        assert!(f.source.starts_with("https://") && str_of(e, "source").starts_with(f.source), "{name}");
        assert_eq!(f.images, strs(e, "images"));
        let versions = e["versions"].as_array().unwrap();
        let mine: Vec<support::Support> = f.versions();
        assert_eq!(mine.len(), versions.len(), "{name}");
        for (s, v) in mine.iter().zip(versions) {
            assert_eq!((s.family, s.version, s.codename), (name.as_str(), str_of(v, "version"), opt_str(v, "codename")), "{name}");
            assert_eq!((s.released, s.eol, s.lts), (opt_str(v, "released"), opt_str(v, "eol"), v["lts"] == true), "{name} {}", s.version);
            assert_eq!(s.extended, opt_str(v, "eol_lts").or(opt_str(v, "eol_esm")), "{name} {}", s.version);
            for date in [s.released, s.eol, s.extended].into_iter().flatten() {
                assert!(date.len() == 10 || date.len() == 7, "{name} {}: {date}", s.version);
            }
        }
        for w in mine.windows(2) {
            assert_eq!(releases::version_cmp(w[0].version, w[1].version), Ordering::Less, "{name}: natural order");
        }
    }
    // Debian and Ubuntu releases, with their glibc.
    for (fam, distro) in [("debian", "debian"), ("ubuntu", "ubuntu")] {
        for v in fams[fam]["versions"].as_array().unwrap() {
            let r = releases::release(str_of(v, "codename")).unwrap();
            assert_eq!((r.distro, r.version, r.glibc), (distro, Some(str_of(v, "version")), opt_str(v, "glibc")));
        }
    }
}

#[test]
fn distroless_table_is_the_file() {
    let d = load("distroless.json");
    let images = d["images"].as_array().unwrap();
    assert_eq!(distroless::images().len(), images.len());
    let support = d["support"].as_array().unwrap();
    for (g, e) in distroless::images().into_iter().zip(images) {
        assert_eq!((g.image, g.family, g.version, g.release), (str_of(e, "image"), str_of(e, "family"), opt_str(e, "version"), opt_str(e, "release")));
        assert_eq!((g.listed_since, g.listed_until), (e["listed"][0].as_str().unwrap(), e["listed"][1].as_str()));
        let policy = support.iter().find(|p| Some(str_of(p, "family")) == Some(g.family) && opt_str(p, "release") == g.release);
        assert_eq!(g.eol, policy.and_then(|p| opt_str(p, "eol")), "{}", g.image);
        assert_eq!(g.policy, policy.map(|p| str_of(p, "policy")), "{}", g.image);
    }
    let rel = d["releases"].as_object().unwrap();
    assert_eq!(distroless::releases().count(), rel.len());
    for (g, (name, e)) in distroless::releases().zip(rel) {
        assert_eq!((g.name, g.codename), (name.as_str(), str_of(e, "codename")));
        assert_eq!(releases::release(g.codename).unwrap().glibc, opt_str(e, "glibc"), "{name}");
    }
    // Every distroless image runtimes.json names is one the README has listed.
    for e in load("runtimes.json")["images"].as_array().unwrap() {
        assert!(distroless::image(str_of(e, "image")).is_some(), "runtimes.json: {} was never listed", str_of(e, "image"));
    }
}

#[test]
fn runtime_siblings_table_is_the_file() {
    use slimfile_core::knowledge::siblings::{self, Sibling};
    let file = load("runtime-siblings.json");
    let families = file["families"].as_array().unwrap();
    assert_eq!(siblings::FAMILIES.len(), families.len());
    for (g, e) in siblings::FAMILIES.iter().zip(families) {
        assert_eq!((g.registry, g.repository, g.runtime_repository), (str_of(e, "registry"), str_of(e, "repository"), str_of(e, "runtime_repository")));
        let mut published = strs(e, "published");
        published.sort();
        assert_eq!(g.published, published);
        assert_eq!(g.no_twin.len(), strs(e, "no_twin").len());
        assert_eq!(g.deprecated.as_ref().map(|d| d.since), e["deprecated"].get("since").and_then(Value::as_str));
        // The engine's rule gives what scripts/runtime-siblings.py's rule gave on the history's tags.
        for (tag, expected) in e["examples"].as_object().unwrap() {
            let got = if g.deprecated.is_some() { siblings::successor_tag(tag, g) } else { siblings::twin(tag, g, false) };
            assert_eq!(got.as_deref(), expected.as_str(), "{}: {tag}", g.repository);
        }
    }
    assert_eq!(siblings::RED_HAT.len(), file["red_hat"].as_array().unwrap().len());
    for r in file["red_hat"].as_array().unwrap() {
        let tag = Some("latest");
        let sibling = siblings::jre_sibling(str_of(r, "registry"), str_of(r, "repository"), tag);
        assert!(
            matches!(&sibling, Sibling::Jre { repository, java, .. } if repository == str_of(r, "runtime_repository") && java == str_of(r, "java")),
            "{r}: {sibling:?}"
        );
    }
    let mut jdk_only = strs(&file["jdk_only"], "names");
    jdk_only.sort();
    assert_eq!(siblings::JDK_ONLY, jdk_only);
    // Every successor tag the engine may write is a current eclipse-temurin JRE tag.
    for t in strs(&file, "successor_current") {
        assert!(t.contains("-jre"), "{t}");
    }
}
