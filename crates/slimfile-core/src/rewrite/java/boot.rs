//! `mvn spring-boot:run`, `./mvnw spring-boot:run`, `gradle bootRun`, `./gradlew bootRun`: the container
//! compiled and started the app from its sources at every start, with Maven or Gradle and a JDK. As for
//! `go run` and `cargo run`, the builder builds the app once (`package spring-boot:repackage`, `bootJar`) and
//! the final image runs the executable jar with `java -jar`.
//!
//! The jar's name is in pom.xml or build.gradle. When the build context has that file and it names the jar
//! (`Pom::artifact`, `Gradle::artifact`), the final image runs that jar where the build writes it; a build
//! file without the Spring Boot plugin is refused, as its jar is not one `java -jar` can run. Without the
//! file (the Dockerfile alone), or when it cannot name the jar, the builder takes the one application jar
//! the build leaves (`target/*.jar`, `build/libs/*.jar`, without the
//! `-sources`, `-javadoc`, `-tests` and `-plain` jars Maven and Gradle write beside it; the repackaged jar's
//! `.original` does not end in `.jar`), after a `clean` so that no jar of an earlier build is there, and
//! stops with a message naming what it found unless there is exactly one. Facts: Spring Boot's Maven plugin
//! reference (`repackage` writes the executable jar in place and keeps `<name>.jar.original`; a second
//! repackage of a repackaged jar does nothing, Repackager.repackage), and its Gradle plugin reference
//! (`bootJar` writes build/libs/<name>-<version>.jar; the `jar` task writes `-plain.jar`).

use crate::analyze::normalize;
use crate::rewrite::split::Split;
use crate::rewrite::Ctx;

/// Where the final image has the application jar: a fixed path, outside the app folder.
pub const BOOT_JAR: &str = "/application.jar";
/// Where the builder puts it: /tmp, which any user the builder may run as can write.
pub const BUILT_JAR: &str = "/tmp/slimfile-application.jar";

/// The build tool the command ran.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tool {
    Maven,
    Gradle,
}

/// A `spring-boot:run` or `bootRun` command, read.
#[derive(Debug)]
pub struct BootRun {
    tool: Tool,
    /// The launcher as written (`mvn`, `./mvnw`, `gradle`, `./gradlew`).
    launcher: String,
    /// The launcher's options that shape the build (`-B`, `-Pprod`, `--offline`), kept for the package.
    build_flags: Vec<String>,
    /// The app's own arguments (`--spring.profiles.active=prod`).
    pub app_args: Vec<String>,
}

/// Maven options kept for the package as they are: batch and log output, offline, profiles, settings.
const MAVEN_FLAGS: &[&str] = &["-B", "--batch-mode", "-q", "--quiet", "-o", "--offline", "-e", "--errors", "-U", "--update-snapshots", "-ntp", "--no-transfer-progress"];
/// Gradle options kept for the package.
const GRADLE_FLAGS: &[&str] = &["--no-daemon", "-q", "--quiet", "--offline", "-i", "--info", "--console=plain", "-S", "--stacktrace"];

/// The command read as `spring-boot:run` or `bootRun`: `None` when it is neither; `Some(Err)` naming an option
/// slimfile does not carry over to `java -jar`.
pub fn boot_run(argv: &[String]) -> Option<Result<BootRun, String>> {
    let launcher = argv.first()?;
    let tool = match launcher.rsplit('/').next()? {
        "mvn" | "mvnw" => Tool::Maven,
        "gradle" | "gradlew" => Tool::Gradle,
        _ => return None,
    };
    let goal = match tool {
        Tool::Maven => "spring-boot:run",
        Tool::Gradle => "bootRun",
    };
    if !argv[1..].iter().any(|a| a == goal) {
        return None;
    }
    let mut run = BootRun { tool, launcher: launcher.clone(), build_flags: vec![], app_args: vec![] };
    for a in &argv[1..] {
        if a == goal {
            continue;
        }
        let kept = match tool {
            Tool::Maven => MAVEN_FLAGS.contains(&a.as_str()) || a.starts_with("-P") && a.len() > 2,
            Tool::Gradle => GRADLE_FLAGS.contains(&a.as_str()) || a.starts_with("-P") && a.contains('='),
        };
        if kept {
            run.build_flags.push(a.clone());
        } else if let Some(profiles) = a.strip_prefix("-Dspring-boot.run.profiles=").filter(|p| !p.is_empty()) {
            run.app_args.push(format!("--spring.profiles.active={profiles}"));
        } else if let Some(args) = a.strip_prefix("--args=").filter(|_| tool == Tool::Gradle) {
            run.app_args.extend(args.split_whitespace().map(str::to_owned));
        } else {
            return Some(Err(format!(
                "the command `{}` passes `{a}`, which slimfile does not carry over to `java -jar` (it reads build options such as -B, -P and --offline, spring-boot.run.profiles and Gradle's --args)",
                argv.join(" ")
            )));
        }
    }
    Some(Ok(run))
}

/// Where the packaged jar is: its path in the builder, in the final image, and as the command names it.
pub struct Packaged {
    pub built: String,
    pub at: String,
    pub jar: String,
}

impl BootRun {
    /// The jar the project's build file (pom.xml, build.gradle) says the package writes, relative to the
    /// WORKDIR, with the file as cited: `Ok(None)` without the file or when it cannot name the jar (the
    /// builder then picks it); Err: the file shows the package is not a jar `java -jar` runs.
    fn named_jar(&self, ctx: &Ctx) -> Result<Option<(String, String, String)>, String> {
        let Some(project) = ctx.project else { return Ok(None) };
        let (path, spring_boot, artifact, how) = match self.tool {
            Tool::Maven => match &project.maven {
                Some(pom) => (pom.path.clone(), pom.spring_boot, pom.artifact(), pom.how()),
                None => return Ok(None),
            },
            Tool::Gradle => match &project.gradle {
                Some(g) => (g.path.clone(), g.spring_boot, g.artifact(), g.how()),
                None => return Ok(None),
            },
        };
        let (run, plugin) = match self.tool {
            Tool::Maven => ("spring-boot:run", "the Spring Boot plugin"),
            Tool::Gradle => ("bootRun", "the Spring Boot plugin (org.springframework.boot)"),
        };
        if !spring_boot {
            let file = project.cite(&path);
            return Err(format!("`{run}` runs the app with {plugin}, which {file} does not declare, so the jar the build writes is not one java -jar can run"));
        }
        match artifact {
            Ok(a) if a.ends_with(".jar") => Ok(Some((project.cite(&path), a, how))),
            Ok(a) => Err(format!("`{run}` runs the app from its sources, and {} packages it as {a}, which java -jar does not run", project.cite(&path))),
            Err(_) => Ok(None),
        }
    }

    /// The builder's last lines: the package, and, unless the build file names the jar, the choice of its
    /// one application jar, copied to [`BUILT_JAR`], which the final image has at [`BOOT_JAR`]; with the
    /// changes that say so. Err: the refusal.
    pub fn package(&self, ctx: &Ctx, split: &mut Split) -> Result<Packaged, String> {
        let f = ctx.target();
        let named = self.named_jar(ctx)?;
        let flags: String = self.build_flags.iter().map(|x| format!(" {x}")).collect();
        let (build, folder) = match self.tool {
            Tool::Maven => (format!("RUN {}{flags} -DskipTests clean package spring-boot:repackage", self.launcher), "target"),
            Tool::Gradle => {
                let daemon = if self.build_flags.iter().any(|x| x == "--no-daemon") { "" } else { " --no-daemon" };
                (format!("RUN {}{flags}{daemon} clean bootJar", self.launcher), "build/libs")
            }
        };
        split.append.push(build);
        let (run, made) = match self.tool {
            Tool::Maven => ("spring-boot:run", "`package spring-boot:repackage`"),
            Tool::Gradle => ("bootRun", "`bootJar`"),
        };
        let tool = if self.tool == Tool::Maven { "Maven" } else { "Gradle" };
        let at = f.cmd.or(f.entrypoint);
        let resources = "Files Spring Boot reads from the project folder at run time (./config/, ./application.properties) are not in the final image: they belong in the jar (src/main/resources).";
        let built = |which: String| {
            format!("`{run}` compiled and started the app with {tool} and a JDK at every start; the builder now builds it once ({made}, tests skipped as the run skipped them) and the final image runs the executable jar with `java -jar`. {which} {resources}")
        };
        match named {
            Some((file, artifact, how)) => {
                split.changes.push(ctx.change("jar-name", format!("{file} builds {artifact} ({how}) with the Spring Boot plugin, which makes it runnable with java -jar: the final image runs that jar."), at));
                split.changes.push(ctx.change("boot-run-to-jar", built(format!("The final image has it where the build writes it, {artifact}.")), at));
                let abs = normalize(&format!("{}/{artifact}", f.workdir));
                Ok(Packaged { built: abs.clone(), at: abs, jar: artifact })
            }
            None => {
                split.append.extend(pick_jar(folder));
                split.changes.push(ctx.change(
                    "boot-run-to-jar",
                    built(format!("The jar's name is in the build file, which slimfile was not given or which does not name it: the builder takes the one application jar in {folder}/ (not the -sources, -javadoc, -tests or -plain jars), after a clean, and stops the build naming what it found if there is not exactly one; the final image has it at {BOOT_JAR}.")),
                    at,
                ));
                Ok(Packaged { built: BUILT_JAR.to_owned(), at: BOOT_JAR.to_owned(), jar: BOOT_JAR.to_owned() })
            }
        }
    }
}

/// The builder's lines that copy the one application jar of `folder` to [`BUILT_JAR`], or stop the build
/// naming the jars found (`set --` gathers them: no array in POSIX sh).
pub fn pick_jar(folder: &str) -> Vec<String> {
    vec![
        format!("# slimfile: the build stops unless {folder}/ holds exactly one application jar."),
        "RUN set --; \\".to_owned(),
        format!("    for jar in {folder}/*.jar; do case \"$jar\" in *-sources.jar|*-javadoc.jar|*-tests.jar|*-plain.jar) ;; *) if [ -f \"$jar\" ]; then set -- \"$@\" \"$jar\"; fi ;; esac; done; \\"),
        format!("    if [ \"$#\" -ne 1 ]; then echo \"slimfile: expected one application jar in {folder}/, found $#: $*; copy the one to run to {BUILT_JAR}\" >&2; exit 1; fi; \\"),
        format!("    cp \"$1\" {BUILT_JAR}"),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn boot_run_commands() {
        let r = boot_run(&words("./mvnw -B spring-boot:run -Dspring-boot.run.profiles=prod")).unwrap().unwrap();
        assert_eq!((r.tool, r.launcher.as_str(), r.build_flags.clone(), r.app_args.clone()), (Tool::Maven, "./mvnw", vec!["-B".to_owned()], vec!["--spring.profiles.active=prod".to_owned()]));
        let r = boot_run(&words("gradle bootRun --no-daemon --args=--server.port=8081")).unwrap().unwrap();
        assert_eq!((r.tool, r.app_args.clone()), (Tool::Gradle, vec!["--server.port=8081".to_owned()]));
        assert!(boot_run(&words("mvn package")).is_none());
        assert!(boot_run(&words("java -jar app.jar")).is_none());
        let err = boot_run(&words("mvn spring-boot:run -Dspring-boot.run.jvmArguments=-Xmx1g")).unwrap().unwrap_err();
        assert!(err.contains("-Dspring-boot.run.jvmArguments=-Xmx1g"), "{err}");
    }
}
