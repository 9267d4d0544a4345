//! A question the rewrite asks (emitted by `rewrite/`, not by a check over the input): documented here
//! so that `slimfile explain SF310` and pragmas work for it like for every other rule.

use super::{Ctx, Hit};

declare_rule! {
    /// ## What it does
    /// Reports a conversion that keeps a slim runtime (a shell and a package manager) only because the
    /// HEALTHCHECK probes the app with curl, wget or nc, which no distroless image has.
    ///
    /// ## Why is this bad?
    /// The tool and the shell stay in the final image for the check alone. Two choices: keep the slim runtime
    /// (the default: Docker and Compose run the check), or choose the distroless target (`--target
    /// distroless/nodejs`, the playground's target menu, `target` in the JavaScript API), and the check is left
    /// out for the orchestrator's probe to replace (Kubernetes ignores HEALTHCHECK and runs its own liveness
    /// and readiness probes). A check that runs the app's own interpreter (`node healthcheck.js`) or binary
    /// needs neither: it runs on distroless in exec form.
    ///
    /// ## Example
    /// ```dockerfile
    /// HEALTHCHECK CMD curl -f http://localhost:3000/health || exit 1
    /// ```
    ///
    /// Keep it on a slim runtime, or probe from outside (Kubernetes: `livenessProbe.httpGet` on port 3000, path
    /// `/health`), or check with the app's interpreter: `HEALTHCHECK CMD ["/nodejs/bin/node", "healthcheck.js"]`.
    pub struct HealthcheckProbe {
        id: "SF310",
        name: "healthcheck-probe-tool",
        severity: Info,
        applies_to: Conversion,
        summary: "The HEALTHCHECK's curl keeps the final image slim instead of distroless",
    }
}

pub(super) fn check(_ctx: &Ctx<'_>, _out: &mut Vec<Hit>) {}
