use super::*;
use crate::knowledge::packages::Role;
use crate::model;
use crate::syntax::{parse, Document};

fn run(text: &str) -> (Document, Analysis) {
    let doc = parse(text);
    let m = model::build(&doc);
    let a = analyze(&doc, &m);
    (doc, a)
}

#[test]
fn package_sources() {
    let (_, a) = run("FROM alpine:3.20\nARG EDGE=https://dl-cdn.alpinelinux.org/alpine/edge\n\
                      RUN apk add -X $EDGE/main --repository=$EDGE/community --allow-untrusted a b@testing\n\
                      RUN apk add --repository $UNKNOWN c && apk add -X 'https://x/$(id)' f\n\
                      RUN echo '@t https://x/testing' >> /etc/apk/repositories && apk add d\n\
                      RUN echo https://x/main >> /etc/apk/repositories\nRUN apk add e\n");
    let p = |n: &str| a.stages[0].packages.iter().find(|p| p.name == n).unwrap();
    let repos = [
        "--repository https://dl-cdn.alpinelinux.org/alpine/edge/main",
        "--repository https://dl-cdn.alpinelinux.org/alpine/edge/community",
        "--allow-untrusted",
    ];
    assert_eq!(p("a").repositories, repos);
    assert_eq!((p("a").extra_source, p("b").extra_source), (None, Some(2)), "b@testing is b from a tagged repository");
    assert_eq!((p("c").extra_source, p("f").extra_source), (Some(3), Some(3)), "a repository slimfile cannot read");
    assert_eq!(p("d").extra_source, None, "a tagged repository serves only name@tag");
    assert_eq!(p("e").extra_source, Some(5), "after a line added to /etc/apk/repositories");
    let (_, a) = run("FROM debian:bookworm\nRUN apt-get install -y a\nCOPY pgdg.list /etc/apt/sources.list.d/\n\
                      RUN apt-get update && apt-get install -y b\nFROM debian:bookworm\nRUN apt-get install -t bookworm-backports -y c\n");
    let p = |s: usize, n: &str| a.stages[s].packages.iter().find(|p| p.name == n).unwrap().extra_source;
    assert_eq!((p(0, "a"), p(0, "b"), p(1, "c")), (None, Some(2), Some(5)));
}

#[test]
fn package_commands_are_read_as_the_package_manager_reads_them() {
    // Wrappers, option values before the subcommand, tdnf, and a list computed while building.
    let (_, a) = run("FROM debian:bookworm\nRUN sudo apt-get -o Acquire::Retries=3 install -y gcc && tdnf install -y make\n\
                      RUN runDeps=\"$(scanelf --needed /usr/local | sort -u)\" && apk add $runDeps curl && apk del -r gcc\n");
    let read: Vec<(&str, &str, Option<usize>)> =
        a.stages[0].packages.iter().map(|p| (p.manager, p.name.as_str(), p.removed)).collect();
    assert_eq!(read, [("apt", "gcc", Some(2)), ("dnf", "make", None), ("apk", "curl", None)]);
    assert!(a.stages[0].computed_runtime_deps);
}

#[test]
fn classic_go() {
    let (_, a) = run("FROM ubuntu\nRUN apt-get update && apt-get install -y golang-go\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /app .\nENTRYPOINT [\"/app\"]\n");
    let f = &a.stages[0];
    assert_eq!(f.eco, Some(Eco::Go));
    assert_eq!(f.distro, Distro::Ubuntu { tag: None });
    assert_eq!(f.packages[0].name, "golang-go");
    assert_eq!(f.packages[0].role, Role::Build);
    assert_eq!(f.steps[0].var("CGO_ENABLED"), Some("0"));
    assert_eq!(f.artifacts[0].path, "/app");
    assert_eq!(f.workdir, "/src");
    assert!(a.needs.shell.is_empty());
    assert_eq!(a.needs.user, "root");
}

#[test]
fn a_step_sees_the_stage_exports_and_its_own_variables() {
    let (_, a) = run("FROM golang:1.22\nENV CGO_ENABLED=0 OUT=/out\nARG PKGS=\"git make\"\nRUN apt-get install -y $PKGS\nRUN export GOBIN=/gobin && GOOS=linux go install ./... && go build -o $OUT/app .\n");
    let f = &a.stages[0];
    assert_eq!(f.packages.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(), ["git", "make"]);
    assert_eq!(f.steps[0].var("GOBIN"), Some("/gobin"));
    assert_eq!(f.steps[0].var("GOOS"), Some("linux"));
    assert_eq!(f.steps[0].var("CGO_ENABLED"), Some("0"));
    assert_eq!(f.steps[0].var("GOPATH"), Some("/go"));
    assert_eq!(f.steps[1].cmd.argv, ["go", "build", "-o", "/out/app", "."]);
    assert_eq!(f.steps[1].var("GOOS"), None, "a prefix is the command's own");
}

#[test]
fn versions_and_distros() {
    let (_, a) = run("FROM maven:3.9-eclipse-temurin-17 AS b\nRUN mvn -B package\nFROM node:20-alpine\nFROM python:3.11-slim-bookworm\nFROM golang:1.22\n");
    assert_eq!(a.stages[0].version.as_deref(), Some("17"));
    assert_eq!(a.stages[0].artifacts[0].path, "/target");
    assert_eq!(a.stages[1].distro, Distro::Alpine { tag: Some("20-alpine".into()) });
    assert_eq!(a.stages[1].version.as_deref(), Some("20"));
    assert_eq!(a.stages[2].distro, Distro::Debian { codename: Some("bookworm".into()) });
    assert_eq!(a.stages[3].distro, Distro::Debian { codename: None });
}

#[test]
fn shell_needs() {
    // The HEALTHCHECK's words need no shell once `|| exit 1` is set aside: curl is its need, not a shell.
    let (_, a) = run("FROM python:3.11\nCMD gunicorn -b 0.0.0.0:$PORT app:app\nHEALTHCHECK CMD curl -f http://localhost/ || exit 1\nEXPOSE 80\n");
    assert_eq!(a.needs.shell.len(), 1, "{:?}", a.needs.shell);
    let (_, b) = run("FROM python:3.11\nHEALTHCHECK CMD curl -f http://localhost:$PORT/ || exit 1\nCMD [\"python\", \"app.py\"]\n");
    assert!(b.needs.shell[0].starts_with("the shell-form HEALTHCHECK"), "{:?}", b.needs.shell);
    assert_eq!(a.needs.packages, ["curl"]);
    assert_eq!(a.needs.root.len(), 1);
}

#[test]
fn paths() {
    assert_eq!(normalize("/a/./b/../c/"), "/a/c");
    assert_eq!(join_path("/src", "bin/app"), "/src/bin/app");
    assert_eq!(join_path("/src", "/app"), "/app");
}

#[test]
fn java_versions_in_legacy_tags() {
    // The deprecated `java` image names the version after `openjdk`; openjdk and Temurin pins keep their major.
    for (image, version) in [
        ("java:openjdk-8-jdk-alpine", "8"),
        ("java:8", "8"),
        ("openjdk:8u212-jdk-alpine", "8"),
        ("eclipse-temurin:17.0.9_9-jdk-jammy", "17"),
        ("maven:3.9-eclipse-temurin-21", "21"),
    ] {
        let (_, a) = run(&format!("FROM {image}\nRUN mvn package\n"));
        assert_eq!(a.stages[0].version.as_deref(), Some(version), "{image}");
    }
}

#[test]
fn an_interpreted_apps_git_checkout_keeps_git() {
    let git = |text: &str| {
        let (_, a) = run(text);
        a.stages.last().unwrap().packages.iter().find(|p| p.name == "git").map(|p| (p.role, p.kept_because.is_some()))
    };
    let clone = "FROM python:3.13-alpine\nRUN apk add --no-cache git\nRUN git clone --depth 1 -b main https://example.com/app.git /usr/src/app\nWORKDIR /usr/src/app\nCMD [\"python\", \"app.py\"]\n";
    assert_eq!(git(clone), Some((Role::Runtime, true)));
    // Into the working directory by the URL's name, and the command names a file in it.
    let named = "FROM python:3.13-slim\nRUN apt-get update && apt-get install -y git\nWORKDIR /srv\nRUN git clone https://example.com/tool.git\nCMD [\"python\", \"/srv/tool/run.py\"]\n";
    assert_eq!(git(named), Some((Role::Runtime, true)));
    // The clone's .git removed: git is build-only again; another folder's .git removed changes nothing.
    let removed = clone.replace("/usr/src/app\nWORKDIR", "/usr/src/app && cd /usr/src/app && rm -rf .git\nWORKDIR");
    assert_eq!(git(&removed), Some((Role::Build, false)));
    let other = clone.replace("/usr/src/app\nWORKDIR", "/usr/src/app && rm -rf /opt/vendor/.git\nWORKDIR");
    assert_eq!(git(&other), Some((Role::Runtime, true)));
    // A compiled app's runtime gets only its program: git stays build-only.
    let go = "FROM golang:1.26\nRUN git clone https://example.com/app.git /src\nWORKDIR /src\nRUN go build -o /app .\nCMD [\"/app\"]\n";
    assert_eq!(git(go), None);
}
