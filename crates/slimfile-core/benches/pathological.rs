//! Pathological inputs through the whole pipeline (`convert`: parse, analysis, findings, rewrite, the
//! check parse, estimate and diff): each one at two sizes a factor 4 apart, so a quadratic step shows as
//! ×16 instead of ×4. Run with `cargo bench -p slimfile-core --bench pathological`.
//!
//! Every input stays within the engine's limits (1 MiB, 10,000 instructions) except `over_limit_*`,
//! which check that the limits themselves are cheap.
//!
//! The medians and what each input guards against are in docs/benchmarks.md.

use std::fmt::Write as _;

use slimfile_core::{convert, Options};

fn main() {
    divan::main();
}

/// Up to 3 instructions per unit: 3 × 3,200 stays under the 10,000-instruction limit.
const SIZES: [usize; 2] = [800, 3_200];

/// A Go build whose final RUN is one line of `n` × 100 bytes.
fn long_line(n: usize) -> String {
    let mut s = String::from("FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /app . && echo");
    for i in 0..n {
        write!(s, " word{i:0>94}").unwrap();
    }
    s.push_str("\nENTRYPOINT [\"/app\"]\n");
    s
}

/// One RUN of `n` continuation lines (`apt-get install` of `n` packages).
fn continuations(n: usize) -> String {
    let mut s = String::from("FROM golang:1.22\nRUN apt-get update && apt-get install -y \\\n");
    for i in 0..n {
        writeln!(s, "    pkg{i} \\").unwrap();
    }
    s.push_str("    && rm -rf /var/lib/apt/lists/*\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /app .\nENTRYPOINT [\"/app\"]\n");
    s
}

/// `n` named stages, each `FROM` the one before; the last one builds a Go binary. Past a few hundred
/// stages the inheritance limit (`model::MAX_INHERITED`) stops reading, with a diagnostic.
fn stage_chain(n: usize) -> String {
    let mut s = String::from("FROM golang:1.22 AS s0\nENV V0=0\n");
    for i in 1..n {
        writeln!(s, "FROM s{} AS s{i}\nENV V{i}=$V{}", i - 1, i - 1).unwrap();
    }
    s.push_str("WORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /app .\nENTRYPOINT [\"/app\"]\n");
    s
}

/// `n` independent stages, and a final stage that copies from each by name.
fn many_copy_from(n: usize) -> String {
    let mut s = String::new();
    for i in 0..n {
        writeln!(s, "FROM alpine:3.19 AS part{i}\nRUN echo {i} > /p{i}").unwrap();
    }
    s.push_str("FROM golang:1.22\nWORKDIR /src\n");
    for i in (0..n).rev() {
        writeln!(s, "COPY --from=part{i} /p{i} /parts/").unwrap();
    }
    s.push_str("RUN CGO_ENABLED=0 go build -o /app .\nENTRYPOINT [\"/app\"]\n");
    s
}

/// `n` ARGs, each defined from the one before (`ARG A5=${A4}x`), used in FROM and in the stage.
fn arg_chain(n: usize) -> String {
    let mut s = String::from("ARG A0=1.22\n");
    for i in 1..n {
        writeln!(s, "ARG A{i}=${{A{}}}", i - 1).unwrap();
    }
    writeln!(s, "FROM golang:${{A{}}}", n - 1).unwrap();
    for i in 0..n {
        writeln!(s, "ARG A{i}").unwrap();
    }
    for i in 1..n {
        writeln!(s, "ENV E{i}=${{E{}:-$A{i}}}x", i - 1).unwrap();
    }
    s.push_str("WORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /app .\nENTRYPOINT [\"/app\"]\n");
    s
}

/// `ENV V1=$V0$V0`, `ENV V2=$V1$V1`, …: each value twice the one before if expanded naively.
fn doubling_env(n: usize) -> String {
    let mut s = String::from("FROM golang:1.22\nENV V0=abcdefgh\n");
    for i in 1..n {
        writeln!(s, "ENV V{i}=$V{0}$V{0}", i - 1).unwrap();
    }
    s.push_str("WORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /app . && echo $V9\nENTRYPOINT [\"/app\"]\n");
    s
}

/// A RUN heredoc of `n` lines.
fn heredoc(n: usize) -> String {
    let mut s = String::from("FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN <<EOF\nset -e\n");
    for i in 0..n {
        writeln!(s, "echo line {i} of the heredoc && test -n \"$HOME\"").unwrap();
    }
    s.push_str("CGO_ENABLED=0 go build -o /app .\nEOF\nENTRYPOINT [\"/app\"]\n");
    s
}

/// One base stage with `n` ENV lines and `n` stages `FROM` it: each would copy all of them.
fn fan_out(n: usize) -> String {
    let mut s = String::from("FROM golang:1.22 AS base\n");
    for i in 0..n {
        writeln!(s, "ENV E{i}=v{i}").unwrap();
    }
    for i in 0..n {
        writeln!(s, "FROM base AS c{i}").unwrap();
    }
    s.push_str("WORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /app .\nENTRYPOINT [\"/app\"]\n");
    s
}

/// `n` ENV lines and `n` `pip install`s in the final image (DL3042 looks up PIP_NO_CACHE_DIR for each).
fn pip_env(n: usize) -> String {
    let mut s = String::from("FROM python:3.12-slim\nWORKDIR /app\n");
    for i in 0..n {
        writeln!(s, "ENV E{i}=v{i}\nRUN pip install pkg{i}").unwrap();
    }
    s.push_str("COPY . .\nCMD [\"python\", \"app.py\"]\n");
    s
}

/// `n` RUN instructions in one stage (commands the analysis reads).
fn many_runs(n: usize) -> String {
    let mut s = String::from("FROM golang:1.22\nWORKDIR /src\nCOPY . .\n");
    for i in 0..n {
        writeln!(s, "RUN go build -o /bin/tool{i} ./cmd/tool{i} && apt-get install -y lib{i}-dev").unwrap();
    }
    s.push_str("RUN CGO_ENABLED=0 go build -o /app .\nENTRYPOINT [\"/app\"]\n");
    s
}

/// `n` lines of which every other one is changed by the rewrite: the diff's worst case for its size.
fn big_diff(n: usize) -> String {
    let mut s = String::from("FROM golang:1.22\nWORKDIR /src\n");
    for i in 0..n {
        writeln!(s, "# comment {i}\nRUN echo {i}").unwrap();
    }
    s.push_str("COPY . .\nRUN CGO_ENABLED=0 go build -o /app .\nEXPOSE 8080\nENTRYPOINT [\"/app\"]\n");
    s
}

fn run(b: divan::Bencher, text: String) {
    let options = Options::default();
    b.counter(divan::counter::BytesCount::new(text.len())).bench(|| convert(divan::black_box(&text), &options));
}

#[divan::bench(args = SIZES, sample_count = 5)]
fn long_line_x100b(b: divan::Bencher, n: usize) {
    run(b, long_line(n));
}

#[divan::bench(args = SIZES, sample_count = 5)]
fn continuation_lines(b: divan::Bencher, n: usize) {
    run(b, continuations(n));
}

#[divan::bench(args = SIZES, sample_count = 5)]
fn stages_from_previous(b: divan::Bencher, n: usize) {
    // 800 and 3,200 both hit the limit: this measures that stopping is cheap.
    run(b, stage_chain(n));
}

#[divan::bench(args = SIZES, sample_count = 5)]
fn copy_from_stages(b: divan::Bencher, n: usize) {
    run(b, many_copy_from(n));
}

#[divan::bench(args = SIZES, sample_count = 5)]
fn arg_env_chain(b: divan::Bencher, n: usize) {
    run(b, arg_chain(n));
}

#[divan::bench(args = [10, 40, 1_000], sample_count = 5)]
fn env_doubling(b: divan::Bencher, n: usize) {
    run(b, doubling_env(n));
}

#[divan::bench(args = SIZES, sample_count = 5)]
fn stages_from_one_base(b: divan::Bencher, n: usize) {
    run(b, fan_out(n));
}

#[divan::bench(args = SIZES, sample_count = 5)]
fn pip_installs_after_env(b: divan::Bencher, n: usize) {
    run(b, pip_env(n));
}

#[divan::bench(args = SIZES, sample_count = 5)]
fn heredoc_lines(b: divan::Bencher, n: usize) {
    run(b, heredoc(n));
}

#[divan::bench(args = SIZES, sample_count = 5)]
fn run_instructions(b: divan::Bencher, n: usize) {
    run(b, many_runs(n));
}

#[divan::bench(args = SIZES, sample_count = 5)]
fn diff_rows(b: divan::Bencher, n: usize) {
    run(b, big_diff(n));
}

/// Just over 1 MiB: refused with a diagnostic.
#[divan::bench(sample_count = 5)]
fn over_limit_bytes(b: divan::Bencher) {
    run(b, long_line(11_000));
}

/// Just under 1 MiB of comment lines around a Go build: converted, the diff capped at 10,000 rows.
#[divan::bench(sample_count = 5)]
fn one_mib_of_comments(b: divan::Bencher) {
    let mut pad = String::new();
    while pad.len() < (1 << 20) - 2_000 {
        writeln!(pad, "# {:-<61}", pad.len()).unwrap();
    }
    run(b, format!("FROM golang:1.22\n{pad}WORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /app .\nENTRYPOINT [\"/app\"]\n"));
}

/// Just under 1 MiB of empty lines: a million diff rows before the cap.
#[divan::bench(sample_count = 5)]
fn one_mib_of_empty_lines(b: divan::Bencher) {
    let pad = "\n".repeat((1 << 20) - 2_000);
    run(b, format!("FROM golang:1.22\n{pad}WORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /app .\nENTRYPOINT [\"/app\"]\n"));
}

/// A shell-form CMD of `n` words turned into exec form: one long replaced line in the diff.
#[divan::bench(args = [10_000, 40_000], sample_count = 5)]
fn long_command_to_exec_form(b: divan::Bencher, n: usize) {
    let mut s = String::from("FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /app .\nCMD /app");
    for i in 0..n {
        write!(s, " a{i}").unwrap();
    }
    s.push('\n');
    run(b, s);
}

/// 10,001 instructions and more: refused with a diagnostic.
#[divan::bench(sample_count = 5)]
fn over_limit_instructions(b: divan::Bencher) {
    run(b, many_runs(10_001));
}
