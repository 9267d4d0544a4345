//! Micro-benchmark of the engine's `convert` (parse, model, analyze, findings, rewrite, estimate, diff) on
//! real Dockerfiles of the corpus, in process: `cargo bench -p slimfile-cli --bench convert`.
//!
//! `one_file` times a few representative files; `whole_corpus` the 241 real Dockerfiles one after another
//! (what `slimfile check` does per file, without process start, reading or printing). The whole-process
//! comparison with hadolint is `benches/corpus.sh` at the top of the repository; figures in docs/benchmarks.md.

use std::path::{Path, PathBuf};

use slimfile_core::{convert, Options};

fn main() {
    divan::main();
}

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/corpus/real")
}

/// A small file, a converting Java build, a converting Python app, a mid-sized Go tool and the largest
/// file of the corpus.
const FILES: &[&str] = &[
    "jessfraz__dockerfiles/mailgun/Dockerfile",
    "docker__awesome-compose/sparkjava/sparkjava/Dockerfile",
    "jessfraz__dockerfiles/couchpotato/Dockerfile",
    "jessfraz__dockerfiles/k8scan/Dockerfile",
    "jessfraz__dockerfiles/unifi/Dockerfile",
];

#[divan::bench(args = FILES)]
fn one_file(bencher: divan::Bencher, file: &str) {
    let text = std::fs::read_to_string(corpus().join(file)).expect("corpus file");
    let options = Options::default();
    bencher.counter(divan::counter::BytesCount::new(text.len())).bench(|| convert(divan::black_box(&text), &options));
}

fn all_files(dir: &Path, out: &mut Vec<String>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir).expect("corpus folder").filter_map(Result::ok).collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let p = e.path();
        if p.is_dir() {
            all_files(&p, out);
        } else if e.file_name() == "Dockerfile" {
            out.push(std::fs::read_to_string(&p).expect("corpus file"));
        }
    }
}

#[divan::bench(sample_count = 20)]
fn whole_corpus(bencher: divan::Bencher) {
    let mut texts = Vec::new();
    all_files(&corpus(), &mut texts);
    assert_eq!(texts.len(), 241, "the real corpus has 241 Dockerfiles");
    let options = Options::default();
    bencher.counter(divan::counter::ItemsCount::new(texts.len())).bench(|| {
        for t in &texts {
            divan::black_box(convert(divan::black_box(t), &options));
        }
    });
}
