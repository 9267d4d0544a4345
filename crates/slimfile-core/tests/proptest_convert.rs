//! Property tests of the whole pipeline on generated Dockerfiles.
//!
//! The generator writes realistic single-stage builds (Go, Node, single-page apps, Python, Rust, Java,
//! .NET, Ruby, C) that the converter really converts, and wraps them in noise: extra stages referenced
//! by `FROM <stage>` and `COPY --from=name|index|image`, flags, heredocs, ARG/ENV with expansions, line
//! continuations, the escape directive, CRLF, a BOM, tabs, unicode, lower-case keywords, blank lines and
//! comments; a few cases get a line of arbitrary text. Options are random too.
//!
//! For every case: `convert` does not panic; a report always says why when nothing is converted; the
//! runtime-relevant instructions of the final stage are kept with their values, or a change says why;
//! no instruction of the input is lost (its text is in the output, or a change points at it);
//! `convert(output)` is `unchanged` or gives the same output. After all cases, every output (and every
//! input, for the statistics) goes through BuildKit's own parser in one batch.
//!
//! `PROPTEST_CASES` sets the number of cases (default 1000). The statistics are printed with
//! `cargo test --test proptest_convert -- --nocapture`.

mod support;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Mutex;

use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestError, TestRunner};
use slimfile_core::syntax::{self, Args, Kind};
use slimfile_core::{convert, Options, Report, RuntimeFamily, Status};

// ---------------------------------------------------------------------------------------------------
// The generator.

#[derive(Clone, Debug)]
struct Case {
    eco: Eco,
    /// Picks the base image and command variant of the template.
    variant: u8,
    /// `ARG VERSION=…` before the first FROM, used in the app stage's FROM.
    global_arg: bool,
    /// Stages before the app stage (referenced by name, index or not at all).
    extras: Vec<Extra>,
    /// The app stage is split in two: `FROM <image> AS deps` then `FROM deps`.
    split: bool,
    /// A final stage that only copies the app from the build (already multi-stage).
    final_copy: Option<u8>,
    /// Noise inserted at a position (modulo the number of lines) in the app stage.
    noise: Vec<(usize, Noise)>,
    /// Runtime instructions before the command.
    runtime: Vec<Rt>,
    /// 0: exec CMD, 1: exec ENTRYPOINT, 2: shell CMD, 3: ENTRYPOINT + CMD.
    cmd_form: u8,
    format: Format,
    options: Options,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Eco {
    Go,
    Node,
    Spa,
    Python,
    Rust,
    Java,
    Dotnet,
    Ruby,
    C,
}

const ECOS: [Eco; 9] = [Eco::Go, Eco::Node, Eco::Spa, Eco::Python, Eco::Rust, Eco::Java, Eco::Dotnet, Eco::Ruby, Eco::C];

#[derive(Clone, Debug)]
struct Extra {
    named: bool,
    image: u8,
}

#[derive(Clone, Debug)]
enum Noise {
    Comment(String),
    Blank,
    /// `ENV` in one of several forms, with expansions.
    Env(u8, String),
    Arg(u8),
    Label(String),
    /// A RUN with line continuations (and the comment lines BuildKit allows inside them).
    RunContinued(u8),
    RunHeredoc(u8, String),
    CopyHeredoc(String),
    RunFlags(u8),
    /// `COPY --from=` an extra stage by name or index, or an image.
    CopyFrom(u8, u8),
    CopyFlags(u8),
    AptInstall(u8),
    Onbuild,
    /// The next instruction in lower case, or indented with tabs.
    Cased(u8, Box<Noise>),
    /// An arbitrary line: usually a syntax error (the converter must refuse, not panic).
    Garbage(String),
}

#[derive(Clone, Debug)]
enum Rt {
    Expose(u8),
    Env(String),
    Label(String),
    Volume(bool),
    Stopsignal(u8),
    Healthcheck(u8),
    User(u8),
    Workdir(u8),
}

#[derive(Clone, Debug)]
struct Format {
    bom: bool,
    crlf: bool,
    backtick: bool,
    syntax_directive: bool,
    tabs: bool,
}

/// Text safe inside double quotes and comments: letters, digits, spaces, tabs, punctuation BuildKit
/// treats literally, and unicode.
fn text() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9 ._,:/+@é日本🚀\t-]{0,16}"
}

fn noise() -> impl Strategy<Value = Noise> {
    let leaf = prop_oneof![
        3 => text().prop_map(Noise::Comment),
        2 => Just(Noise::Blank),
        3 => (any::<u8>(), text()).prop_map(|(k, t)| Noise::Env(k, t)),
        2 => any::<u8>().prop_map(Noise::Arg),
        2 => text().prop_map(Noise::Label),
        3 => any::<u8>().prop_map(Noise::RunContinued),
        2 => (any::<u8>(), text()).prop_map(|(k, t)| Noise::RunHeredoc(k, t)),
        1 => text().prop_map(Noise::CopyHeredoc),
        2 => any::<u8>().prop_map(Noise::RunFlags),
        3 => (any::<u8>(), any::<u8>()).prop_map(|(a, b)| Noise::CopyFrom(a, b)),
        1 => any::<u8>().prop_map(Noise::CopyFlags),
        2 => any::<u8>().prop_map(Noise::AptInstall),
        1 => Just(Noise::Onbuild),
    ];
    prop_oneof![
        30 => leaf.clone(),
        3 => (any::<u8>(), leaf).prop_map(|(k, n)| Noise::Cased(k, Box::new(n))),
        1 => "\\PC{1,30}".prop_map(Noise::Garbage),
    ]
}

fn rt() -> impl Strategy<Value = Rt> {
    prop_oneof![
        any::<u8>().prop_map(Rt::Expose),
        text().prop_map(Rt::Env),
        text().prop_map(Rt::Label),
        any::<bool>().prop_map(Rt::Volume),
        any::<u8>().prop_map(Rt::Stopsignal),
        any::<u8>().prop_map(Rt::Healthcheck),
        any::<u8>().prop_map(Rt::User),
        any::<u8>().prop_map(Rt::Workdir),
    ]
}

fn options() -> impl Strategy<Value = Options> {
    let target = prop_oneof![
        3 => Just(None),
        1 => proptest::sample::select(RuntimeFamily::ALL.to_vec()).prop_map(Some),
    ];
    (target, prop::bool::weighted(0.8), prop::bool::weighted(0.8), any::<bool>(), prop::bool::weighted(0.8)).prop_map(
        |(target, non_root, keep_comments, cache_mounts, carry_files)| Options { target, non_root, keep_comments, cache_mounts, carry_files, date: None },
    )
}

fn format() -> impl Strategy<Value = Format> {
    (
        prop::bool::weighted(0.15),
        prop::bool::weighted(0.2),
        prop::bool::weighted(0.15),
        prop::bool::weighted(0.2),
        prop::bool::weighted(0.2),
    )
        .prop_map(|(bom, crlf, backtick, syntax_directive, tabs)| Format { bom, crlf, backtick, syntax_directive, tabs })
}

fn case() -> impl Strategy<Value = Case> {
    (
        (proptest::sample::select(ECOS.to_vec()), any::<u8>(), prop::bool::weighted(0.3)),
        prop::collection::vec((any::<bool>(), any::<u8>()).prop_map(|(named, image)| Extra { named, image }), 0..3),
        (prop::bool::weighted(0.2), prop::option::weighted(0.15, any::<u8>())),
        prop::collection::vec((any::<usize>(), noise()), 0..8),
        prop::collection::vec(rt(), 0..6),
        0u8..4,
        format(),
        options(),
    )
        .prop_map(|((eco, variant, global_arg), extras, (split, final_copy), noise, runtime, cmd_form, format, options)| Case {
            eco,
            variant,
            global_arg,
            extras,
            split,
            final_copy,
            noise,
            runtime,
            cmd_form,
            format,
            options,
        })
}

struct Template {
    image: String,
    /// The image with the version replaced by `${VERSION}` and the version, for `global_arg`.
    arg_image: (String, String),
    steps: Vec<String>,
    /// The command, as an exec-form array's items.
    cmd: Vec<String>,
    /// What a final copy-only stage copies: (path in the build, path in the final image).
    artifact: Option<(String, String)>,
}

fn pick<'a>(v: u8, options: &[&'a str]) -> &'a str {
    options[v as usize % options.len()]
}

fn template(eco: Eco, v: u8, e: char) -> Template {
    let s = |x: &str| x.to_owned();
    let versioned = |repo: &str, version: &str, suffix: &str| Template {
        image: format!("{repo}:{version}{suffix}"),
        arg_image: (format!("{repo}:${{VERSION}}{suffix}"), version.to_owned()),
        steps: vec![],
        cmd: vec![],
        artifact: None,
    };
    match eco {
        Eco::Go => {
            let mut t = versioned("golang", pick(v, &["1.21", "1.22", "1.23"]), pick(v / 3, &["", "-alpine", "-bookworm"]));
            let out = pick(v / 9, &["/out/app", "/usr/local/bin/server", "/app"]);
            t.steps = vec![
                s("WORKDIR /src"),
                s("COPY go.mod go.sum ./"),
                s("RUN go mod download"),
                s("COPY . ."),
                format!("RUN CGO_ENABLED=0 GOOS=linux go build -trimpath {e}\n    -ldflags=\"-s -w\" -o {out} ./cmd/server"),
            ];
            t.cmd = vec![out.to_owned()];
            t.artifact = Some((out.to_owned(), "/usr/local/bin/app".to_owned()));
            t
        }
        Eco::Node => {
            let mut t = versioned("node", pick(v, &["18", "20", "22"]), pick(v / 3, &["", "-alpine", "-bookworm-slim"]));
            t.steps = vec![
                s("WORKDIR /usr/src/app"),
                s("COPY package*.json ./"),
                s(pick(v / 9, &["RUN npm ci --omit=dev", "RUN npm install", "RUN npm ci"])),
                s("COPY . ."),
            ];
            t.cmd = vec![s("node"), s(pick(v / 27, &["server.js", "index.js", "dist/main.js"]))];
            t
        }
        Eco::Spa => {
            let mut t = versioned("node", pick(v, &["18", "20"]), pick(v / 2, &["-alpine", ""]));
            t.steps = vec![
                s("WORKDIR /app"),
                s("COPY package.json package-lock.json ./"),
                s("RUN npm ci"),
                s("COPY . ."),
                s("RUN npm run build"),
                s("RUN npm install -g serve"),
            ];
            t.cmd = vec![s("serve"), s("-s"), s(pick(v / 4, &["build", "dist"])), s("-l"), s("3000")];
            t
        }
        Eco::Python => {
            let mut t = versioned("python", pick(v, &["3.11", "3.12"]), pick(v / 2, &["", "-slim", "-bookworm"]));
            t.steps = vec![
                s("WORKDIR /app"),
                s("COPY requirements.txt ."),
                format!("RUN pip install --no-cache-dir {e}\n    -r requirements.txt"),
                s("COPY . ."),
            ];
            t.cmd = match v / 6 % 3 {
                0 => vec![s("python"), s("app.py")],
                1 => vec![s("gunicorn"), s("--bind"), s("0.0.0.0:8000"), s("app:app")],
                _ => vec![s("python"), s("-m"), s("myapp")],
            };
            t
        }
        Eco::Rust => {
            let mut t = versioned("rust", pick(v, &["1.75", "1.79", "1.82"]), pick(v / 3, &["", "-bookworm"]));
            t.steps = vec![s("WORKDIR /usr/src/myapp"), s("COPY . ."), s("RUN cargo install --path .")];
            t.cmd = vec![s("myapp")];
            t
        }
        Eco::Java => {
            let mut t = versioned("maven", pick(v, &["3.9.6"]), pick(v / 2, &["-eclipse-temurin-21", "-eclipse-temurin-17"]));
            t.steps = vec![
                s("WORKDIR /app"),
                s("COPY pom.xml ."),
                s("RUN mvn -B dependency:go-offline"),
                s("COPY src ./src"),
                s("RUN mvn -B package -DskipTests"),
            ];
            t.cmd = vec![s("java"), s("-jar"), s("target/app-1.0.0.jar")];
            t.artifact = Some((s("/app/target/app-1.0.0.jar"), s("/app/app.jar")));
            t
        }
        Eco::Dotnet => {
            let mut t = versioned("mcr.microsoft.com/dotnet/sdk", pick(v, &["8.0", "9.0"]), "");
            t.steps = vec![
                s("WORKDIR /src"),
                s("COPY [\"Api/Api.csproj\", \"Api/\"]"),
                s("RUN dotnet restore \"Api/Api.csproj\""),
                s("COPY . ."),
                s("WORKDIR /src/Api"),
                s("RUN dotnet publish -c Release -o /app/publish"),
                s("WORKDIR /app/publish"),
            ];
            t.cmd = vec![s("dotnet"), s("Api.dll")];
            t
        }
        Eco::Ruby => {
            let mut t = versioned("ruby", pick(v, &["3.2", "3.3"]), pick(v / 2, &["-bookworm", ""]));
            t.steps = vec![
                format!("RUN apt-get update -qq {e}\n    && apt-get install -y --no-install-recommends build-essential libpq-dev {e}\n    && rm -rf /var/lib/apt/lists/*"),
                s("WORKDIR /app"),
                s("COPY Gemfile Gemfile.lock ./"),
                s("RUN bundle install --jobs 4"),
                s("COPY . ."),
            ];
            t.cmd = vec![s("bundle"), s("exec"), s("rackup"), s("--host"), s("0.0.0.0"), s("-p"), s("4567")];
            t
        }
        Eco::C => {
            let mut t = versioned("debian", pick(v, &["bookworm", "12"]), "");
            t.steps = vec![
                format!("RUN apt-get update {e}\n    && apt-get install -y --no-install-recommends build-essential cmake {e}\n    && rm -rf /var/lib/apt/lists/*"),
                s("WORKDIR /src"),
                s("COPY . ."),
                format!("RUN cmake -S . -B build -DCMAKE_BUILD_TYPE=Release {e}\n    && cmake --build build --parallel {e}\n    && cmake --install build"),
            ];
            t.cmd = vec![s("/usr/local/bin/kvstore")];
            t.artifact = Some((s("/usr/local/bin/kvstore"), s("/usr/local/bin/kvstore")));
            t
        }
    }
}

fn exec(argv: &[String]) -> String {
    let items: Vec<String> = argv.iter().map(|a| format!("\"{a}\"")).collect();
    format!("[{}]", items.join(", "))
}

fn noise_text(n: &Noise, e: char, extras: &[Extra], stage_index: usize, out: &mut Vec<String>) {
    let extra_ref = |k: u8| -> Option<String> {
        if extras.is_empty() {
            return None;
        }
        let i = k as usize % extras.len();
        Some(if extras[i].named { format!("assets{i}") } else { i.to_string() })
    };
    let line = match n {
        Noise::Comment(t) => format!("# {t}"),
        Noise::Blank => String::new(),
        Noise::Env(k, t) => match k % 5 {
            0 => "ENV APP_HOME=/opt/app PATH=/opt/app/bin:$PATH".to_owned(),
            1 => format!("ENV GREETING \"{t}\""),
            2 => format!("ENV BUILD_DIR=${{BUILD_DIR:-/build}} {e}\n    NOTE=\"{t}\""),
            3 => "ENV CONF=${APP_HOME:-/etc}/app.conf".to_owned(),
            _ => format!("ENV MSG=\"{t}\" OTHER=${{MSG}}x"),
        },
        Noise::Arg(k) => match k % 4 {
            0 => "ARG BUILD_DATE".to_owned(),
            1 => "ARG COMMIT=unknown".to_owned(),
            2 => "ARG VERSION".to_owned(),
            _ => "ARG REV=${COMMIT:-dev}".to_owned(),
        },
        Noise::Label(t) => format!("LABEL org.opencontainers.image.description=\"{t}\""),
        Noise::RunContinued(k) => match k % 3 {
            0 => format!("RUN echo one {e}\n    && echo two {e}\n    && echo three"),
            1 => format!("RUN set -eux; {e}\n# a comment inside the continuation\n    mkdir -p /tmp/x; {e}\n\ttouch /tmp/x/y"),
            _ => format!("RUN ls {e}\n  -la {e}\n  /tmp"),
        },
        Noise::RunHeredoc(k, t) => match k % 3 {
            0 => format!("RUN <<EOF\nset -e\necho \"{t}\"\nEOF"),
            1 => "RUN <<-EOT sh\n\techo tabbed\n\tEOT".to_owned(),
            _ => format!("RUN cat <<'EOF' > /tmp/notes.txt\n{t} $HOME\nEOF"),
        },
        Noise::CopyHeredoc(t) => format!("COPY <<EOF /etc/app.conf\nname={t}\nEOF"),
        Noise::RunFlags(k) => match k % 3 {
            0 => "RUN --mount=type=cache,target=/root/.cache echo cached".to_owned(),
            1 => "RUN --network=none true".to_owned(),
            _ => "RUN --mount=type=secret,id=token cat /run/secrets/token > /dev/null || true".to_owned(),
        },
        Noise::CopyFrom(k, j) => match (j % 3, extra_ref(*k)) {
            (0 | 1, Some(r)) => format!("COPY --from={r} /assets /srv/assets{stage_index}"),
            _ => "COPY --from=nginx:1.25-alpine /etc/nginx/mime.types /etc/mime.types".to_owned(),
        },
        Noise::CopyFlags(k) => match k % 3 {
            0 => "COPY --chown=1000:1000 config/ /etc/app/".to_owned(),
            1 => "COPY --chmod=755 scripts/ /usr/local/scripts/".to_owned(),
            _ => "ADD --chown=app:app static.tar.gz /srv/".to_owned(),
        },
        Noise::AptInstall(k) => {
            let pkgs = pick(*k, &["git", "curl ca-certificates", "make gcc", "libssl-dev pkg-config"]);
            format!("RUN apt-get update && apt-get install -y --no-install-recommends {pkgs} {e}\n    && rm -rf /var/lib/apt/lists/*")
        }
        Noise::Onbuild => "ONBUILD RUN echo downstream".to_owned(),
        Noise::Cased(k, inner) => {
            let mut v = Vec::new();
            noise_text(inner, e, extras, stage_index, &mut v);
            for l in v {
                out.push(match k % 2 {
                    0 => lower_keyword(&l),
                    _ => format!("\t  {l}"),
                });
            }
            return;
        }
        Noise::Garbage(g) => g.replace(['\n', '\r'], " "),
    };
    out.push(line);
}

fn lower_keyword(line: &str) -> String {
    match line.split_once(' ') {
        Some((k, rest)) if k.chars().all(|c| c.is_ascii_uppercase()) => format!("{} {rest}", k.to_ascii_lowercase()),
        _ => line.to_owned(),
    }
}

fn rt_text(r: &Rt, e: char) -> String {
    match r {
        Rt::Expose(k) => pick(*k, &["EXPOSE 8080", "EXPOSE 8080/tcp 9090", "EXPOSE 3000", "EXPOSE 5000/udp"]).to_owned(),
        Rt::Env(t) => format!("ENV APP_ENV=production APP_NAME=\"{t}\""),
        Rt::Label(t) => format!("LABEL version=\"1.0\" {e}\n      description=\"{t}\""),
        Rt::Volume(json) => if *json { "VOLUME [\"/data\"]" } else { "VOLUME /data /cache" }.to_owned(),
        Rt::Stopsignal(k) => format!("STOPSIGNAL {}", pick(*k, &["SIGTERM", "SIGINT", "SIGQUIT"])),
        Rt::Healthcheck(k) => {
            pick(*k, &["HEALTHCHECK NONE", "HEALTHCHECK --interval=30s --timeout=3s CMD [\"/bin/true\"]"]).to_owned()
        }
        Rt::User(k) => format!("USER {}", pick(*k, &["1000", "nobody", "app", "1000:1000", "root"])),
        Rt::Workdir(k) => format!("WORKDIR {}", pick(*k, &["/srv", "/app", "/home/app"])),
    }
}

fn render(c: &Case) -> String {
    let e = if c.format.backtick { '`' } else { '\\' };
    let t = template(c.eco, c.variant, e);
    let mut lines: Vec<String> = Vec::new();
    if c.format.syntax_directive {
        lines.push("# syntax=docker/dockerfile:1".to_owned());
    }
    if c.format.backtick {
        lines.push("# escape=`".to_owned());
    }
    let image = if c.global_arg {
        lines.push(format!("ARG VERSION={}", t.arg_image.1));
        t.arg_image.0.clone()
    } else {
        t.image.clone()
    };
    for (i, x) in c.extras.iter().enumerate() {
        let img = pick(x.image, &["alpine:3.19", "busybox:1.36", "debian:bookworm-slim"]);
        lines.push(if x.named { format!("FROM {img} AS assets{i}") } else { format!("FROM {img}") });
        lines.push(format!("RUN mkdir -p /assets && echo {i} > /assets/part{i}"));
        lines.push(String::new());
    }
    let app_index = c.extras.len();
    // The app stage: the template's steps with the noise spread among them.
    let mut body: Vec<Vec<String>> = t.steps.iter().map(|s| vec![s.clone()]).collect();
    for (pos, n) in &c.noise {
        let mut v = Vec::new();
        let stage_index = app_index + usize::from(c.split && pos % 2 == 1);
        noise_text(n, e, &c.extras, stage_index, &mut v);
        let at = pos % (body.len() + 1);
        body.insert(at, v);
    }
    let build_name = if c.final_copy.is_some() { " AS build" } else { "" };
    if c.split && body.len() >= 2 {
        let half = body.len() / 2;
        lines.push(format!("FROM {image} AS deps"));
        for b in &body[..half] {
            lines.extend(b.iter().cloned());
        }
        lines.push(String::new());
        lines.push(format!("FROM deps{build_name}"));
        for b in &body[half..] {
            lines.extend(b.iter().cloned());
        }
    } else {
        lines.push(format!("FROM {image}{build_name}"));
        for b in &body {
            lines.extend(b.iter().cloned());
        }
    }
    if let (Some(k), Some((from, to))) = (c.final_copy, &t.artifact) {
        lines.push(String::new());
        lines.push(format!("FROM {}", pick(k, &["debian:bookworm-slim", "alpine:3.19", "golang:1.22", "ubuntu:22.04"])));
        lines.push(format!("COPY --from=build {from} {to}"));
        let mut cmd = t.cmd.clone();
        if c.eco != Eco::Java {
            cmd[0] = to.clone();
        } else {
            cmd[2] = to.clone();
        }
        for r in &c.runtime {
            lines.push(rt_text(r, e));
        }
        lines.push(format!("CMD {}", exec(&cmd)));
    } else {
        for r in &c.runtime {
            lines.push(rt_text(r, e));
        }
        match c.cmd_form {
            0 => lines.push(format!("CMD {}", exec(&t.cmd))),
            1 => lines.push(format!("ENTRYPOINT {}", exec(&t.cmd))),
            2 => lines.push(format!("CMD {}", t.cmd.join(" "))),
            _ => {
                lines.push(format!("ENTRYPOINT {}", exec(&t.cmd[..1])));
                if t.cmd.len() > 1 {
                    lines.push(format!("CMD {}", exec(&t.cmd[1..])));
                }
            }
        }
    }
    let mut s = lines.join("\n");
    s.push('\n');
    if c.format.tabs {
        s = s.replace("\n    ", "\n\t");
    }
    if c.format.crlf {
        s = s.replace('\n', "\r\n");
    }
    if c.format.bom {
        s.insert(0, '\u{feff}');
    }
    s
}

// ---------------------------------------------------------------------------------------------------
// The properties.

/// The instructions a running container is made of.
const RUNTIME_KINDS: &[Kind] = &[
    Kind::Expose,
    Kind::Env,
    Kind::Label,
    Kind::Volume,
    Kind::Stopsignal,
    Kind::Healthcheck,
    Kind::User,
    Kind::Workdir,
    Kind::Cmd,
    Kind::Entrypoint,
];

/// (kind, normalized text, line) of the runtime instructions of the final stage.
fn final_runtime(text: &str) -> Vec<(Kind, String, u32)> {
    let doc = syntax::parse(text);
    let start = doc.instructions.iter().rposition(|i| i.kind == Kind::From).unwrap_or(0);
    doc.instructions[start..]
        .iter()
        .filter(|i| RUNTIME_KINDS.contains(&i.kind))
        .map(|i| (i.kind, normalize(i.text(&doc), doc.escape), doc.span(i.span.clone()).line))
        .collect()
}

/// A change points at `line` of the input.
fn points_at(r: &Report, line: u32) -> bool {
    r.changes.iter().any(|c| c.span.as_ref().is_some_and(|s| s.line <= line && line <= s.end_line.max(s.line)))
}

/// An instruction's text with line continuations, comment lines inside them and runs of blanks folded,
/// and the keyword upper-cased, so the same instruction reads the same however it was wrapped.
fn normalize(text: &str, escape: char) -> String {
    let mut out = String::new();
    for (i, line) in text.split('\n').enumerate() {
        let line = line.trim_end_matches('\r');
        if i > 0 && line.trim_start().starts_with('#') {
            continue;
        }
        let line = line.trim_end();
        let line = line.strip_suffix(escape).unwrap_or(line);
        out.push_str(line);
        out.push(' ');
    }
    let words: Vec<&str> = out.split_whitespace().collect();
    let mut s = words.join(" ");
    if let Some(sp) = s.find(' ') {
        s = format!("{}{}", s[..sp].to_ascii_uppercase(), &s[sp..]);
    }
    s
}

/// A change names the kind of instruction (or points at its line).
fn noted(r: &Report, kind: Kind, line: u32) -> bool {
    if points_at(r, line) {
        return true;
    }
    let k = kind.as_str();
    // A single-page app's node server is replaced by nginx (the `static-server` change says so): the
    // server's working directory, command and port go with it (the change names the new port).
    let server_replaced = matches!(kind, Kind::Workdir | Kind::Cmd | Kind::Entrypoint | Kind::Expose)
        && r.changes.iter().any(|c| c.kind == "static-server");
    server_replaced || r.changes.iter().any(|c| c.why.contains(k) || c.kind.contains(&k.to_ascii_lowercase()))
}

fn check(input: &str, options: &Options) -> Result<Report, TestCaseError> {
    let r = convert(input, options);
    match r.status {
        Status::Converted => prop_assert!(r.output.is_some(), "converted without an output"),
        _ => {
            prop_assert!(r.output.is_none());
            prop_assert!(!r.reasons.is_empty(), "{:?} without a reason", r.status);
        }
    }
    let Some(out) = &r.output else { return Ok(r) };
    // Idempotent: converting the output changes nothing.
    let again = convert(out, options);
    match again.status {
        Status::Unchanged => {}
        Status::Converted => prop_assert_eq!(again.output.as_deref(), Some(out.as_str()), "not idempotent"),
        Status::Refused => prop_assert!(false, "the output is refused: {:?}\n--- output ---\n{}", again.reasons, out),
    }
    // Runtime meaning kept: every runtime instruction of the original final stage is in the new final
    // stage (same text, however wrapped), or a change names its kind. CMD/ENTRYPOINT may change form
    // (shell to exec) but not disappear.
    let before = final_runtime(input);
    let after = final_runtime(out);
    for (n, (kind, text, line)) in before.iter().enumerate() {
        if matches!(kind, Kind::Cmd | Kind::Entrypoint) {
            continue;
        }
        // Of WORKDIR, USER, STOPSIGNAL and HEALTHCHECK only the last one counts at run time.
        let last_wins = matches!(kind, Kind::Workdir | Kind::User | Kind::Stopsignal | Kind::Healthcheck);
        if last_wins && before[n + 1..].iter().any(|(k, _, _)| k == kind) {
            continue;
        }
        // USER root left out where the final image runs as root anyway (distroless without `:nonroot`).
        let root_default = *kind == Kind::User
            && matches!(text.as_str(), "USER root" | "USER 0" | "USER root:root" | "USER 0:0")
            && !after.iter().any(|(k, _, _)| *k == Kind::User)
            && r.runtime_image.as_deref().is_some_and(|i| i.contains("distroless") && !i.ends_with(":nonroot"));
        prop_assert!(
            after.iter().any(|(k, t, _)| k == kind && t == text) || noted(&r, *kind, *line) || root_default,
            "{} of the final stage lost without a change note: {}\n--- output ---\n{}",
            kind.as_str(),
            text,
            out
        );
    }
    let has_cmd = |v: &[(Kind, String, u32)]| v.iter().any(|(k, _, _)| matches!(k, Kind::Cmd | Kind::Entrypoint));
    prop_assert!(!has_cmd(&before) || has_cmd(&after) || noted(&r, Kind::Cmd, 0), "the final stage lost its command\n{}", out);
    // Nothing lost: every instruction of the input is in the output, or a change points at its line.
    // (The runtime instructions of the final stage are checked above, with what may replace them.)
    let doc = syntax::parse(input);
    let final_from = doc.instructions.iter().rposition(|i| i.kind == Kind::From).unwrap_or(0);
    let out_norm = {
        let d = syntax::parse(out);
        d.instructions.iter().map(|i| normalize(i.text(&d), d.escape)).collect::<Vec<_>>()
    };
    for (i, inst) in doc.instructions.iter().enumerate() {
        if i > final_from && RUNTIME_KINDS.contains(&inst.kind) {
            continue;
        }
        let text = normalize(inst.text(&doc), doc.escape);
        let line = doc.span(inst.span.clone()).line;
        let pointed = points_at(&r, line);
        let kept = out_norm.iter().any(|o| o == &text || o.starts_with(&format!("{text} AS ")));
        let from = matches!(inst.args, Args::From { .. });
        prop_assert!(kept || pointed || from, "instruction lost without a change: {}\n--- output ---\n{}", text, out);
    }
    Ok(r)
}

#[derive(Default)]
struct Stats {
    cases: usize,
    by_status: BTreeMap<String, usize>,
    by_eco: BTreeMap<(String, String), usize>,
    /// The first reason of what was not converted, cut short.
    reasons: BTreeMap<String, usize>,
    /// (name, input, output) of converted cases, for BuildKit.
    converted: Vec<(String, String, String)>,
}

#[test]
fn generated_dockerfiles_convert_safely() {
    let cases: u32 = std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(1000);
    let config = Config {
        cases,
        // A failing input is kept as a Dockerfile in tests/regressions/ by hand, not as a seed.
        failure_persistence: None,
        ..Config::default()
    };
    let stats = Mutex::new(Stats::default());
    let mut runner = TestRunner::new(config);
    // `SLIMFILE_PROPTEST_COLLECT=1`: record every failing case (first line of the message) instead of
    // stopping at the first one, to see all kinds of failure at once.
    let collect = std::env::var_os("SLIMFILE_PROPTEST_COLLECT").is_some();
    let collected = Mutex::new(BTreeMap::<String, (usize, String)>::new());
    let result = runner.run(&case(), |c| {
        let input = render(&c);
        let r = match check(&input, &c.options) {
            Ok(r) => r,
            Err(e) if collect => {
                let msg = e.to_string();
                let key: String = msg.lines().next().unwrap_or("").chars().take(90).collect();
                let mut m = collected.lock().unwrap();
                let entry = m.entry(key).or_insert((0, format!("{msg}\n--- input ---\n{input}\n{:?}", c.options)));
                entry.0 += 1;
                return Ok(());
            }
            Err(e) => return Err(e),
        };
        let mut st = stats.lock().unwrap();
        st.cases += 1;
        let status = format!("{:?}", r.status).to_lowercase();
        *st.by_status.entry(status.clone()).or_default() += 1;
        *st.by_eco.entry((format!("{:?}", c.eco).to_lowercase(), status)).or_default() += 1;
        if r.status != Status::Converted {
            let why: String = r.reasons.first().map_or("", String::as_str).chars().take(70).collect();
            *st.reasons.entry(why).or_default() += 1;
        }
        if let Some(out) = r.output {
            let name = format!("case{}", st.cases);
            st.converted.push((name, input, out));
        }
        Ok(())
    });
    match result {
        Err(TestError::Fail(why, c)) => panic!("{why}\n--- minimal input ---\n{}\n--- case ---\n{c:#?}", render(&c)),
        Err(e) => panic!("{e}"),
        Ok(()) => {}
    }
    for (key, (n, example)) in collected.into_inner().unwrap() {
        eprintln!("=== {n} × {key}\n{example}\n");
    }
    let st = stats.into_inner().unwrap();
    // BuildKit parses every output (one batch: inputs then outputs).
    let mut batch: Vec<(String, String)> = st.converted.iter().map(|(n, i, _)| (format!("{n}.in"), i.clone())).collect();
    batch.extend(st.converted.iter().map(|(n, _, o)| (format!("{n}.out"), o.clone())));
    let parsed = support::official_parse_text(&batch);
    let (inputs, outputs) = parsed.split_at(st.converted.len());
    let mut failures = Vec::new();
    let mut input_rejected = 0;
    for ((name, input, out), (pi, po)) in st.converted.iter().zip(inputs.iter().zip(outputs)) {
        if !po.ok {
            failures.push(format!("{name}: BuildKit cannot parse the output: {:?}\n--- input ---\n{input}\n--- output ---\n{out}", po.error));
        }
        if !pi.ok {
            input_rejected += 1;
            failures.push(format!("{name}: converted an input BuildKit rejects: {:?}\n--- input ---\n{input}", pi.error));
        }
    }
    let mut summary = String::new();
    let share = |n: usize| 100.0 * n as f64 / st.cases.max(1) as f64;
    let converted = st.by_status.get("converted").copied().unwrap_or(0);
    writeln!(summary, "{} cases: {:?}; converted {converted} ({:.1}%)", st.cases, st.by_status, share(converted)).unwrap();
    for ((eco, status), n) in &st.by_eco {
        writeln!(summary, "  {eco:<7} {status:<10} {n}").unwrap();
    }
    let mut reasons: Vec<(&String, &usize)> = st.reasons.iter().collect();
    reasons.sort_by(|a, b| b.1.cmp(a.1));
    for (why, n) in reasons.iter().take(12) {
        writeln!(summary, "  {n:>4} × {why}").unwrap();
    }
    writeln!(summary, "BuildKit: {} outputs parsed, {input_rejected} converted inputs rejected", outputs.len()).unwrap();
    eprintln!("{summary}");
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n\n"));
    // The generator must keep producing files the converter converts, not only refusals.
    assert!(share(converted) >= 40.0, "only {:.1}% converted:\n{summary}", share(converted));
}

/// The generator's own sanity: a plain case renders to a file slimfile converts.
#[test]
fn a_plain_generated_case_converts() {
    for eco in ECOS {
        let c = Case {
            eco,
            variant: 0,
            global_arg: false,
            extras: vec![],
            split: false,
            final_copy: None,
            noise: vec![],
            runtime: vec![Rt::Expose(0)],
            cmd_form: 0,
            format: Format { bom: false, crlf: false, backtick: false, syntax_directive: false, tabs: false },
            options: Options::default(),
        };
        let text = render(&c);
        let r = convert(&text, &c.options);
        assert_eq!(r.status, Status::Converted, "{eco:?}: {:?}\n{text}", r.reasons);
    }
}
