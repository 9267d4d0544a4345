//! .NET: `dotnet publish` in the SDK image; the publish folder runs on `dotnet/aspnet` (web apps) or
//! `dotnet/runtime` (console apps) of the same major version.

use super::shared::missing_packages;
use super::split::{AppFiles, Runtime, Split};
use super::{refused, Ctx, Outcome};
use crate::analyze::{final_argv, normalize, ArtKind, Eco};
use super::images;
use crate::knowledge::{images_roles, support};
use crate::report::RuntimeFamily;

pub fn rewrite(ctx: &Ctx) -> Outcome {
    let f = ctx.target();
    let eco = Some(Eco::Dotnet);
    let argv = final_argv(ctx.doc, f).unwrap_or_default();
    let dll = match argv.as_slice() {
        [p, dll, ..] if p.rsplit('/').next() == Some("dotnet") && dll.ends_with(".dll") => dll.clone(),
        _ => {
            return refused(eco, [format!(
                "the final command (`{}`) does not run `dotnet <App>.dll`, so slimfile cannot tell what `dotnet publish` must produce",
                argv.join(" ")
            )]);
        }
    };
    let dll_abs = normalize(&if dll.starts_with('/') { dll.clone() } else { format!("{}/{dll}", f.workdir) });
    let Some(publish) = f.artifacts.iter().rev().find(|a| a.kind == ArtKind::Publish && dll_abs.starts_with(&format!("{}/", a.path.trim_end_matches('/')))) else {
        return refused(eco, [format!("no `dotnet publish -o <folder>` in this stage writes `{dll_abs}`; add `-o` so the output folder is known")]);
    };
    let Some(version) = f.version.clone() else {
        return refused(eco, ["the .NET version is not in the SDK image's tag, so no runtime image of the same version can be chosen".to_owned()]);
    };
    let web = !f.expose.is_empty() || f.env.iter().any(|(k, _, _)| k.starts_with("ASPNETCORE_"));
    let family = match ctx.options.target {
        None => if web { RuntimeFamily::DotnetAspnet } else { RuntimeFamily::DotnetRuntime },
        Some(t @ (RuntimeFamily::DotnetAspnet | RuntimeFamily::DotnetRuntime)) => t,
        Some(t) => return refused(eco, [format!("a framework-dependent .NET app runs on dotnet/aspnet or dotnet/runtime, not {}", t.as_str())]),
    };
    // The runtime images are tagged by channel (`8.0`) and runtime version (`8.0.30`); an SDK's number
    // (`8.0.100`) is neither: the channel is.
    let channel: String = version.split('.').take(2).collect::<Vec<_>>().join(".");
    let version = if channel.contains('.') { channel } else { version };
    let d = &images_roles::DOTNET;
    let template = if family == RuntimeFamily::DotnetAspnet { &d.aspnet } else { &d.runtime };
    let image = template.replace("{version}", &version);
    if let Err(never) = images::check_published(&image) {
        let ended = support::support("dotnet", &version)
            .filter(|s| s.ended(ctx.on))
            .map(|s| {
                format!(
                    "; .NET {} reached its end of life on {}{}",
                    s.version,
                    s.eol.unwrap_or("?"),
                    s.alternative(ctx.on).map(|a| format!(", and the maintained line is .NET {}", a.version)).unwrap_or_default()
                )
            })
            .unwrap_or_default();
        return refused(eco, [format!("{never}, so no runtime image of .NET {version} can be named{ended}")]);
    }
    let mut runtime = Runtime::new(
        family,
        image,
        if family == RuntimeFamily::DotnetAspnet {
            format!("the app listens on a port (a web app), and ASP.NET Core {version}'s runtime image runs the publish folder without the SDK.")
        } else {
            format!("a console app needs only the .NET {version} runtime, not the SDK.")
        },
    );
    runtime.packages = missing_packages(ctx, RuntimeFamily::Slim);
    let mut split = Split::new(ctx);
    split.copy(publish.path.clone(), publish.path.clone());
    split.app_files = AppFiles::Gather;
    let major: u32 = version.split('.').next().and_then(|v| v.parse().ok()).unwrap_or(0);
    if major >= 8 && ctx.options.non_root && ctx.analysis.needs.root.is_empty() && f.user.is_none() {
        split.extra.push("USER $APP_UID".to_owned());
        // The user .NET 8+ images create for `$APP_UID`, by name: it owns the app's folders.
        split.app_owner = Some("app:app".to_owned());
        split.changes.push(ctx.change(
            "non-root",
            "The final image runs as the `app` user that .NET 8+ images provide (`USER $APP_UID`) instead of root.",
            None,
        ));
    }
    split.into_outcome(runtime, "dotnet", eco)
}
