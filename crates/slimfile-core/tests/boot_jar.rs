//! The builder lines a `spring-boot:run` or `bootRun` conversion writes to pick the application jar, run
//! with this machine's /bin/sh against real files: exactly one application jar is copied, the -sources,
//! -javadoc, -tests and -plain jars and the repackaged jar's `.original` are passed over, and anything else
//! (none, two) stops the build with the jars it found. No container is needed: the RUN text is the shell's.

use std::path::Path;
use std::process::Command;

use slimfile_core::{convert, Options, Status};

/// The output's RUN that picks the jar, as the shell gets it (continuations joined), with its destination.
fn pick_script(dockerfile: &str) -> (String, String) {
    let r = convert(dockerfile, &Options::default());
    assert_eq!(r.status, Status::Converted, "{:?}", r.reasons);
    let out = r.output.unwrap();
    let start = out.find("RUN set --;").expect("the jar is picked in a RUN");
    let mut run = String::new();
    for line in out[start + 4..].lines() {
        match line.strip_suffix('\\') {
            Some(open) => run.push_str(open),
            None => {
                run.push_str(line);
                break;
            }
        }
    }
    // The jar's own COPY, not the one of the app's gathered files.
    let from = out
        .lines()
        .filter_map(|l| l.strip_prefix("COPY --from=build "))
        .map(|l| l.split(' ').find(|w| !w.starts_with("--")).unwrap())
        .find(|p| !p.starts_with("/tmp/slimfile-carry"))
        .unwrap()
        .to_owned();
    (run, from)
}

/// Runs `script` in a fresh folder holding `files` (path, content), with the destination moved into it.
fn run(script: &str, dest: &str, files: &[(&str, &str)]) -> (bool, String, Option<String>) {
    static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let dir = std::env::temp_dir().join(format!("slimfile-boot-jar-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for (p, content) in files {
        let path = dir.join(p);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
    }
    let local = dir.join("picked.jar");
    let script = script.replace(dest, &local.to_string_lossy());
    let out = Command::new("/bin/sh").arg("-c").arg(&script).current_dir(&dir).output().unwrap();
    let picked = Path::new(&local).exists().then(|| std::fs::read_to_string(&local).unwrap());
    let _ = std::fs::remove_dir_all(&dir);
    (out.status.success(), String::from_utf8_lossy(&out.stderr).into_owned(), picked)
}

const MAVEN: &str = "FROM eclipse-temurin:21-jdk\nWORKDIR /app\nCOPY . .\nCMD [\"./mvnw\", \"spring-boot:run\"]\n";
const GRADLE: &str = "FROM gradle:8.10-jdk21\nWORKDIR /app\nCOPY . .\nCMD [\"gradle\", \"bootRun\"]\n";

#[test]
fn maven_the_one_application_jar_is_picked() {
    let (script, dest) = pick_script(MAVEN);
    assert!(script.contains("target/*.jar"), "{script}");
    let (ok, err, picked) = run(&script, &dest, &[("target/demo-0.0.1-SNAPSHOT.jar", "boot"), ("target/demo-0.0.1-SNAPSHOT.jar.original", "plain")]);
    assert!(ok, "{err}");
    assert_eq!(picked.as_deref(), Some("boot"));
    let (ok, err, picked) = run(
        &script,
        &dest,
        &[("target/my app.jar", "boot"), ("target/my app-sources.jar", "src"), ("target/my app-javadoc.jar", "doc"), ("target/my app-tests.jar", "t")],
    );
    assert!(ok, "{err}");
    assert_eq!(picked.as_deref(), Some("boot"));
}

#[test]
fn maven_none_or_two_jars_stop_the_build() {
    let (script, dest) = pick_script(MAVEN);
    let (ok, err, picked) = run(&script, &dest, &[("target/a.jar", "a"), ("target/b.jar", "b")]);
    assert!(!ok && picked.is_none());
    assert!(err.contains("found 2: target/a.jar target/b.jar"), "{err}");
    let (ok, err, picked) = run(&script, &dest, &[("target/classes/App.class", "")]);
    assert!(!ok && picked.is_none());
    assert!(err.contains("found 0"), "{err}");
    let (ok, err, _) = run(&script, &dest, &[]);
    assert!(!ok && err.contains("found 0"), "{err}");
}

#[test]
fn gradle_the_boot_jar_beside_the_plain_jar() {
    let (script, dest) = pick_script(GRADLE);
    assert!(script.contains("build/libs/*.jar"), "{script}");
    let (ok, err, picked) = run(&script, &dest, &[("build/libs/demo-0.0.1.jar", "boot"), ("build/libs/demo-0.0.1-plain.jar", "plain")]);
    assert!(ok, "{err}");
    assert_eq!(picked.as_deref(), Some("boot"));
}
