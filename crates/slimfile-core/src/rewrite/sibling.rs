//! A final image that only runs Java on a JDK (the jar is built outside the Dockerfile, downloaded, or
//! copied from a builder that the final stage cannot drop): the FROM line moves to the JDK's runtime
//! sibling, the JRE image of the same vendor, Java version and distribution (`data/runtime-siblings.json`:
//! `eclipse-temurin:17-jdk-jammy` → `17-jre-jammy`, Red Hat's `ubi8/openjdk-21` → `ubi8/openjdk-21-runtime`),
//! or, for a deprecated image, to its maintained successor's JRE (`openjdk:8-jdk-alpine` →
//! `eclipse-temurin:8-jre-alpine`). Everything else stays as written: the shell, `$JAVA_OPTS`, VOLUME, the
//! user. The swap is made only where the file shows that nothing needs the JDK: no RUN, command or
//! HEALTHCHECK runs a JDK tool or a script slimfile cannot read, no line names the JDK's own folders, and
//! packages installed on a newer release of the same distribution are ones the data knows.

use super::split::rewrite_in_place;
use super::{refused, Ctx, Outcome, Plan};
use crate::analyze::{under_init, Distro, Eco, StageFacts};
use crate::knowledge::packages;
use crate::knowledge::siblings::{self, jdk_only, Sibling};
use crate::knowledge::tags::{self, Published};
use crate::report::{RuntimeFamily, StageBase};
use crate::shell::{commands, is_shell, SimpleCommand};
use crate::syntax::{Args, Command, Kind};

/// Programs a Java app's command may run besides `java` that any JRE image has: the shell and the POSIX
/// utilities an entry command uses to prepare and start the JVM (POSIX.1-2017, Shell and Utilities).
const SHELL_UTILITIES: &[&str] = &[
    "[", "basename", "cat", "cd", "chmod", "chown", "cp", "date", "dirname", "echo", "env", "eval", "exec", "export", "false",
    "id", "ln", "ls", "mkdir", "mv", "printf", "pwd", "rm", "set", "sleep", "test", "touch", "true", "ulimit", "umask",
    "whoami",
];

/// Red Hat's run script: the JDK and the runtime images both have it (modules/jre/run, modules/s2i/bash).
const RUN_JAVA: &str = "/opt/jboss/container/java/run/run-java.sh";

/// Folders where JDK images keep the JDK: a line that names one depends on that image's layout.
const JVM_PATHS: &[&str] = &["/usr/lib/jvm", "/usr/local/openjdk", "/opt/java/openjdk", "/opt/openjdk", "/usr/java/"];

/// The sibling swap of the final stage, or `None` when it does not apply: the base is no Java image the
/// data knows, it is built from another stage, or the stage builds with Maven or Gradle (the Java
/// strategy's case). `copies_from_stages`: whether the caller allows a stage that copies from others.
pub fn rewrite(ctx: &Ctx, copies_from_stages: bool) -> Option<Outcome> {
    let f = ctx.target();
    let stage = ctx.model.target()?;
    let StageBase::Image { image } = &stage.base else { return None };
    let found = siblings::jre_sibling(&image.registry, &image.repository, image.tag.as_deref());
    if found == Sibling::Unknown {
        return None;
    }
    // Maven or Gradle in a RUN, or in the command (`spring-boot:run`): the stage builds, the Java strategy's case.
    let builds_at_start = crate::analyze::final_argv(ctx.doc, f).is_some_and(|a| super::java::boot_run(&a).is_some());
    if builds_at_start || f.steps.iter().any(|s| matches!(s.tool, "maven" | "gradle")) {
        return None;
    }
    let from_stages = stage.body.clone().any(|i| {
        let inst = &ctx.doc.instructions[i];
        matches!(inst.kind, Kind::Copy | Kind::Add) && inst.flag("from").is_some()
    });
    if from_stages && !copies_from_stages {
        return None;
    }
    let eco = Some(Eco::Java);
    let (registry, repository, tag, java) = match found {
        Sibling::Unknown => return None,
        Sibling::Runtime => {
            return Some(Outcome::Unchanged {
                reasons: vec![format!(
                    "the final image `{}` is already a Java runtime (JRE) image, and the stage builds nothing with a JDK",
                    image.raw
                )],
                runtime: Some(RuntimeFamily::Slim),
            });
        }
        Sibling::None(why) => {
            return Some(Outcome::Unchanged {
                reasons: vec![format!("the final image `{}` is a JDK, but {why}", image.raw)],
                runtime: None,
            });
        }
        Sibling::Jre { registry, repository, tag, java } => (registry, repository, tag, java),
    };
    // The image knowledge of published tags, where it covers the repository, must agree.
    if registry.is_none() && tags::tag_published(&repository, &tag) == Published::No {
        return Some(Outcome::Unchanged {
            reasons: vec![format!("the final image `{}` is a JDK, but its JRE sibling `{repository}:{tag}` was never published", image.raw)],
            runtime: None,
        });
    }
    if let Err(reason) = blockers(ctx, f, image.raw.as_str(), &java) {
        return Some(refused(eco, [reason]));
    }
    let deprecated = siblings::family(&image.registry, &image.repository).and_then(|fam| fam.deprecated.as_ref());
    let reference = reference(image, registry, &repository, &tag);
    let Args::From { image_span, .. } = &ctx.doc.instructions[stage.from].args else { return None };
    let output = rewrite_in_place(ctx, &[(image_span.clone(), reference.clone())]);
    let mut changes = vec![ctx.change("swap-runtime-base", swap_why(ctx, f, &image.raw, &reference, &java, deprecated.is_some()), Some(stage.from))];
    if let Some(d) = deprecated {
        changes.push(ctx.change(
            "replace-deprecated-image",
            format!(
                "`{}` is deprecated since {} (SF109 says why): `{repository}` is its maintained successor for Java {java}.",
                image.repository.strip_prefix("library/").unwrap_or(&image.repository),
                d.since
            ),
            Some(stage.from),
        ));
    }
    Some(Outcome::Converted(Plan {
        strategy: "sibling",
        ecosystem: eco,
        runtime: RuntimeFamily::Slim,
        runtime_image: reference,
        output,
        changes,
        findings: vec![],
    }))
}

/// The new FROM reference, in the style the file wrote the old one (`docker.io/library/` kept).
fn reference(image: &crate::report::ImageRef, registry: Option<&str>, repository: &str, tag: &str) -> String {
    let name = match registry {
        Some(r) => format!("{r}/{repository}"),
        None if image.raw.starts_with("docker.io/library/") => format!("docker.io/library/{repository}"),
        None if image.raw.starts_with("docker.io/") => format!("docker.io/{repository}"),
        None => repository.to_owned(),
    };
    if image.tag.is_none() && tag == "latest" {
        name
    } else {
        format!("{name}:{tag}")
    }
}

/// Why the swap cannot be shown safe, naming what needs the JDK image; Ok when nothing does.
fn blockers(ctx: &Ctx, f: &StageFacts, raw: &str, java: &str) -> Result<(), String> {
    let doc = ctx.doc;
    let stage = ctx.model.target().expect("complete document");
    let line = |i: usize| doc.span(doc.instructions[i].span.clone()).line;
    if raw.contains('$') {
        return Err(format!("the base image `{raw}` is built from ARG values, so slimfile cannot write its JRE sibling's name"));
    }
    if f.image.as_ref().is_some_and(|i| i.digest.is_some()) {
        return Err(format!(
            "the base image `{raw}` is pinned by digest, which names the JDK image's content: pin the digest of its JRE sibling instead"
        ));
    }
    for i in stage.body.clone() {
        for c in ctx.analysis.commands(i) {
            if jdk_only(c.program()) {
                return Err(format!("line {} runs `{}`, a JDK tool the JRE image does not have", line(i), c.program()));
            }
        }
    }
    command_needs(ctx, f)?;
    if let Some(h) = f.healthcheck {
        if let Some(cmd) = doc.instructions[h].command() {
            for c in command_words(cmd, doc.escape) {
                if jdk_only(c.program()) {
                    return Err(format!("the HEALTHCHECK runs `{}`, a JDK tool the JRE image does not have", c.program()));
                }
            }
        }
    }
    let same_layout = siblings::family(&f.image.as_ref().map_or(String::new(), |i| i.registry.clone()), f.image.as_ref().map_or("", |i| &i.repository))
        .is_some_and(|fam| fam.deprecated.is_none() && fam.repository == "library/eclipse-temurin")
        && java != "8";
    for i in stage.body.clone() {
        let text = doc.instructions[i].text(doc);
        let named = JVM_PATHS.iter().find(|p| text.contains(*p)).copied().or_else(|| text.contains("JAVA_HOME").then_some("JAVA_HOME"));
        if let Some(p) = named {
            // eclipse-temurin's JDK and JRE of Java 9 and later share one layout under /opt/java/openjdk.
            if same_layout && (p == "JAVA_HOME" || p == "/opt/java/openjdk") {
                continue;
            }
            return Err(format!("line {} names the JDK's own folder (`{p}`), whose layout its JRE sibling does not share", line(i)));
        }
    }
    packages_on_new_release(ctx, f, raw)
}

/// The simple commands of a CMD, ENTRYPOINT or HEALTHCHECK (`sh -c` read into).
fn command_words(cmd: &Command, escape: char) -> Vec<SimpleCommand> {
    match cmd {
        Command::Shell(s) => commands(s, escape),
        Command::Exec(v) => match v.as_slice() {
            [sh, c, script, ..] if is_shell(crate::shell::basename(sh)) && c == "-c" => commands(script, escape),
            [first, rest @ ..] if first == "CMD" || first == "CMD-SHELL" => command_words(&Command::Exec(rest.to_vec()), escape),
            _ => vec![SimpleCommand { argv: v.clone(), ..Default::default() }],
        },
    }
}

/// Every program the container's command runs must be one a JRE image has: `java`, Red Hat's run
/// script, a shell utility, a package the stage installs, or an init wrapper (`tini --`) of one of those.
fn command_needs(ctx: &Ctx, f: &StageFacts) -> Result<(), String> {
    let doc = ctx.doc;
    let cmds: Vec<SimpleCommand> =
        [f.entrypoint, f.cmd].into_iter().flatten().filter_map(|i| doc.instructions[i].command()).flat_map(|c| command_words(c, doc.escape)).collect();
    if cmds.is_empty() {
        return Err(
            "the final stage sets no CMD or ENTRYPOINT, so it runs the JDK image's own command, which its JRE sibling does not share"
                .to_owned(),
        );
    }
    let installed = |p: &str| f.packages.iter().any(|k| k.name == p && k.removed.is_none());
    let mut runs_java = false;
    for c in &cmds {
        let mut argv: &[String] = &c.argv;
        // An init wrapper the stage installs runs the command after it (`tini -- java -jar app.jar`).
        while let Some((_, rest)) = under_init(argv).filter(|(name, _)| installed(name)) {
            argv = rest;
        }
        let Some(first) = argv.first() else { continue };
        let prog = crate::shell::basename(first);
        if prog == "java" || prog == "keytool" || first == RUN_JAVA || prog.is_empty() {
            runs_java |= prog == "java" || first == RUN_JAVA;
            continue;
        }
        if jdk_only(prog) {
            return Err(format!("the command runs `{prog}`, a JDK tool the JRE image does not have"));
        }
        if is_shell(prog) || SHELL_UTILITIES.contains(&prog) || (!first.contains('/') && installed(prog)) {
            continue;
        }
        return Err(format!(
            "the command runs `{first}`, which slimfile cannot read: a script or program copied into the image may call JDK tools (javac, jar, jcmd) that the JRE image does not have"
        ));
    }
    if !runs_java {
        return Err("the command does not run `java`, so slimfile cannot tell that a JRE is all it needs".to_owned());
    }
    Ok(())
}

/// A deprecated image's successor is built on a newer release of the same distribution: a package the
/// stage installs must be one the data knows (its name is the same on current releases).
fn packages_on_new_release(ctx: &Ctx, f: &StageFacts, raw: &str) -> Result<(), String> {
    let Some(img) = &f.image else { return Ok(()) };
    if siblings::family(&img.registry, &img.repository).and_then(|fam| fam.deprecated.as_ref()).is_none() {
        return Ok(());
    }
    let unknown: Vec<&str> =
        f.packages.iter().filter(|p| packages::lookup(p.manager, &p.name).1.is_none()).map(|p| p.name.as_str()).collect();
    if unknown.is_empty() {
        return Ok(());
    }
    let line = ctx.doc.span(ctx.doc.instructions[f.packages[0].inst].span.clone()).line;
    let distro = distro_name(f);
    Err(format!(
        "line {line} installs {} on the {distro} release of `{raw}`; its maintained successor is built on a newer release, where slimfile cannot tell that the same package names exist",
        unknown.join(", ")
    ))
}

/// The distribution a stage's image is built on, by name (a JDK image that is neither Alpine nor Ubuntu is
/// Debian-based).
fn distro_name(f: &StageFacts) -> &'static str {
    match f.distro {
        Distro::Alpine { .. } => "Alpine",
        Distro::Ubuntu { .. } => "Ubuntu",
        _ => "Debian",
    }
}

/// The change note of the swap.
fn swap_why(ctx: &Ctx, f: &StageFacts, old: &str, new: &str, java: &str, deprecated: bool) -> String {
    let doc = ctx.doc;
    let mut s = format!(
        "The final image now starts from `{new}` instead of `{old}`: the final stage builds nothing with the JDK and only runs a Java {java} program, so it needs the Java runtime, not the JDK (javac, jar, jcmd and the other development tools). "
    );
    if new.contains("-runtime") {
        s.push_str("Red Hat's runtime image is built from the same modules with the JRE only: the same run-java.sh, the same user (uid 185) and /deployments. ");
    } else if deprecated {
        // Eclipse Temurin's tags are Ubuntu (the default) or Alpine: a Debian-based tag moves to Ubuntu.
        let (was, now) = (distro_name(f), if new.contains("alpine") { "Alpine" } else { "Ubuntu" });
        if was == now {
            s.push_str(&format!("Eclipse Temurin's JRE of the same Java version runs it, on a current {now} release as before. "));
        } else {
            s.push_str(&format!(
                "Eclipse Temurin's JRE of the same Java version runs it, on {now}: `{old}` is {was}-based, and Eclipse Temurin publishes no {was} image. "
            ));
        }
    } else {
        s.push_str("The vendor's JRE image of the same version and distribution runs it. ");
    }
    let command: Vec<&Command> = [f.entrypoint, f.cmd].into_iter().flatten().filter_map(|i| doc.instructions[i].command()).collect();
    let shell = command.iter().any(|c| match c {
        Command::Shell(_) => true,
        Command::Exec(v) => v.first().is_some_and(|p| is_shell(crate::shell::basename(p))),
    });
    let variables: Vec<String> = command
        .iter()
        .flat_map(|c| match c {
            Command::Shell(s) => crate::shell::referenced_vars(s),
            Command::Exec(v) => v.iter().flat_map(|w| crate::shell::referenced_vars(w)).collect(),
        })
        .map(|v| format!("${v}"))
        .collect();
    let mut kept: Vec<String> = Vec::new();
    if shell {
        kept.push("the shell that starts the command".to_owned());
    }
    kept.extend(variables);
    for (present, what) in [(!f.volumes.is_empty(), "VOLUME"), (f.user.is_some(), "USER"), (f.healthcheck.is_some(), "HEALTHCHECK")] {
        if present {
            kept.push(what.to_owned());
        }
    }
    s.push_str("Every other line stays as written");
    if !kept.is_empty() {
        s.push_str(&format!(" ({})", kept.join(", ")));
    }
    s.push('.');
    s
}
