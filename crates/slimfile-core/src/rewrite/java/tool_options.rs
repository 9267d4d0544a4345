//! A shell that only expands `$JAVA_OPTS` into the JVM's options gives way to JAVA_TOOL_OPTIONS, which the
//! JVM reads itself: the command runs in exec form on distroless/java.

use super::java_jar;
use crate::analyze::StageFacts;
use crate::rewrite::split::Split;
use crate::rewrite::Ctx;
use crate::shell::exact_words;
use crate::syntax::Command;

/// Variables a Java image's command expands into the JVM's options (`java $JAVA_OPTS -jar app.jar`): the
/// Spring Boot and Docker guides' name, and the names Red Hat's run-java.sh and common images read.
const OPTION_VARIABLES: &[&str] = &["JAVA_OPTS", "JAVA_OPTIONS", "JVM_OPTS"];

/// A command that ran through a shell only to expand an options variable into the JVM's options.
pub(crate) struct ToolOptions {
    var: String,
    /// Where the command is.
    pub(crate) inst: usize,
    /// The command as written.
    text: String,
    /// The Dockerfile gives the variable a value (`ENV JAVA_OPTS="-Xmx512m"`).
    set: bool,
}

impl ToolOptions {
    /// The runtime stage passes the variable's value to the JVM as JAVA_TOOL_OPTIONS, which every JVM reads
    /// itself since Java 5 (JVM TI specification, "The JAVA_TOOL_OPTIONS Environment Variable":
    /// https://docs.oracle.com/javase/8/docs/platform/jvmti/jvmti.html#tooloptions); a change says what
    /// happens to the old name.
    pub(crate) fn apply(&self, ctx: &Ctx, split: &mut Split) {
        if let Some(line) = self.env_line() {
            split.runtime_env.push(line);
        }
        split.changes.push(self.change(ctx));
    }

    /// `ENV JAVA_TOOL_OPTIONS="${JAVA_OPTS}"`, when the Dockerfile gives the variable a value.
    pub(crate) fn env_line(&self) -> Option<String> {
        self.set.then(|| format!("ENV JAVA_TOOL_OPTIONS=\"${{{}}}\"", self.var))
    }

    /// The words of the command without the variable (`java -jar app.jar`).
    pub(crate) fn without_variable(&self, argv: &[String]) -> Vec<String> {
        argv.iter().filter(|o| **o != format!("${}", self.var) && **o != format!("${{{}}}", self.var)).cloned().collect()
    }

    pub(crate) fn change(&self, ctx: &Ctx) -> crate::report::Change {
        let var = &self.var;
        ctx.change(
            "java-tool-options",
            format!(
                "`{}` ran through a shell only to expand ${var} into the JVM's options. distroless/java has no shell, and the JVM reads JAVA_TOOL_OPTIONS itself, so {}the command runs in exec form. The variable's name changes: pass JVM options at run time as `docker run -e JAVA_TOOL_OPTIONS=…`; a `-e {var}=…` is now ignored. The JVM prints `Picked up JAVA_TOOL_OPTIONS: …` to stderr when it starts.",
                self.text,
                if self.set { format!("the runtime stage sets `ENV JAVA_TOOL_OPTIONS=\"${{{var}}}\"` (the value this Dockerfile gives {var}) and ") } else { String::new() }
            ),
            Some(self.inst),
        )
    }
}

/// The command, when a shell runs it only to expand one options variable among the JVM's options
/// (before `-jar`): every other word needs no shell (`sh -c` and `exec` allowed), and the Dockerfile does
/// not set JAVA_TOOL_OPTIONS itself.
pub(crate) fn tool_options(ctx: &Ctx, f: &StageFacts) -> Option<ToolOptions> {
    if f.env.iter().any(|(k, _, _)| k == "JAVA_TOOL_OPTIONS") {
        return None;
    }
    let inst = f.entrypoint.filter(|_| f.cmd.is_none()).or(f.cmd.filter(|_| f.entrypoint.is_none()))?;
    let script = match ctx.doc.instructions[inst].command()? {
        Command::Shell(s) => s.trim().to_owned(),
        Command::Exec(v) => match v.as_slice() {
            [sh, c, script] if crate::shell::is_shell(crate::shell::basename(sh)) && c == "-c" => script.trim().to_owned(),
            _ => return None,
        },
    };
    let vars = crate::shell::referenced_vars(&script);
    let [var] = vars.as_slice() else { return None };
    if !OPTION_VARIABLES.contains(&var.as_str()) {
        return None;
    }
    let words: Vec<&str> = script.split_whitespace().collect();
    let at = words.iter().position(|w| *w == format!("${var}") || *w == format!("${{{var}}}"))?;
    let jar_at = words.iter().position(|w| *w == "-jar")?;
    if words.iter().filter(|w| w.contains('$')).count() != 1 || at >= jar_at {
        return None;
    }
    let rest: Vec<&str> = words.iter().enumerate().filter(|(i, _)| *i != at).map(|(_, w)| *w).collect();
    let argv = exact_words(&rest.join(" "))?;
    let argv: &[String] = if argv.first().is_some_and(|w| w == "exec") { &argv[1..] } else { &argv };
    java_jar(argv)?;
    let set = f.env.iter().any(|(k, v, _)| k == var && !v.trim().is_empty());
    Some(ToolOptions { var: var.clone(), inst, text: script, set })
}

