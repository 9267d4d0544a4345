//! The size estimate for well-known Dockerfiles, next to the published sizes of the images involved.
//! The table is a reviewed snapshot and is shown in docs/benchmarks.md.

use std::fmt::Write as _;

use slimfile_core::{convert, knowledge::images, Options};

const CASES: &[(&str, &str)] = &[
    ("01-go-ubuntu-classic", "the classic: ubuntu + golang-go"),
    ("02-go-golang-static", "golang image README layout"),
    ("15-rust-cargo-install", "rust image README (cargo install)"),
    ("18-rust-diesel-libpq", "Rust + diesel/libpq"),
    ("20-node-express", "Node.js docs: Dockerizing a web app"),
    ("21-node-npm-start", "Node, `npm start`"),
    ("25-spa-cra-serve", "create-react-app + serve"),
    ("29-python-flask-pip", "Flask with pip"),
    ("33-python-gunicorn", "gunicorn app"),
    ("39-java-maven-spring-boot", "Spring Boot with Maven"),
    ("43-dotnet-aspnet", "ASP.NET Core API"),
    ("45-cpp-cmake", "C++ with CMake"),
];

fn mb(b: u64) -> String {
    format!("{:.0}", b as f64 / 1e6)
}

fn published(image: &str) -> String {
    let (name, tag) = match image.rsplit_once(':') {
        Some((n, t)) if !t.contains('/') => (n, Some(t)),
        _ => (image, None),
    };
    let (registry, repo) = match name.split_once('/') {
        Some((r, rest)) if r.contains('.') => (r, rest.to_owned()),
        _ => ("docker.io", if name.contains('/') { name.to_owned() } else { format!("library/{name}") }),
    };
    match images::lookup(registry, &repo, tag) {
        Some(m) => match m.entry.uncompressed_or_estimate() {
            Some((b, derived)) => format!("{} MB{}", mb(b), if derived || !m.exact { "*" } else { "" }),
            None => "?".to_owned(),
        },
        None => "not in table".to_owned(),
    }
}

#[test]
fn estimate_table() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/convert");
    let mut t = String::new();
    writeln!(t, "| Dockerfile | original base (published) | original, estimated | final base (published) | rewritten, estimated | saved |").unwrap();
    writeln!(t, "|---|---|---|---|---|---|").unwrap();
    for (case, what) in CASES {
        let text = std::fs::read_to_string(dir.join(case).join("Dockerfile")).unwrap();
        let r = convert(&text, &Options::default());
        let e = r.estimate.expect("an estimate for every parsed file");
        let rw = e.rewritten.as_ref().expect("these cases convert");
        let s = e.savings.as_ref().unwrap();
        let range = |b: &slimfile_core::Bytes| format!("{} MB ({}–{})", mb(b.typical), mb(b.low), mb(b.high));
        writeln!(
            t,
            "| {what} (`{case}`) | {} {} | {} | {} {} | {} | {} MB, {:.0}% ({:.0}–{:.0}%) |",
            e.original.base,
            published(&e.original.base),
            range(&e.original.total),
            rw.base.split(" AS ").next().unwrap_or(""),
            published(&rw.base),
            range(&rw.total),
            mb(s.bytes.typical),
            s.percent,
            s.percent_low,
            s.percent_high
        )
        .unwrap();
        // The model's own consistency: ranges hold the estimate; layers add up.
        for img in [&e.original, rw] {
            assert!(img.total.low <= img.total.typical && img.total.typical <= img.total.high, "{case}");
            let sum: u64 = img.layers.iter().map(|l| l.size.typical).sum();
            assert_eq!(sum, img.total.typical, "{case}");
            assert!(img.layers.iter().all(|l| !l.basis.is_empty()), "{case}: every layer says where its figure comes from");
        }
        assert!(s.bytes.typical > 0, "{case}: the rewrite is smaller");
    }
    writeln!(t, "\n(* = derived or nearest-tag figure, see the estimate's assumptions; sizes uncompressed, MB = 10^6 bytes)").unwrap();
    insta::assert_snapshot!("estimate-table", t);
}
