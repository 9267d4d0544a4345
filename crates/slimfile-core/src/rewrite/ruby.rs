//! Ruby: `bundle install` compiles gems in the builder; the runtime is the slim ruby image of the same
//! version and Debian release with the gems (GEM_HOME), the app folder and the runtime libraries the
//! gems' headers stood for.

use super::shared::{missing_packages, slim_image};
use super::split::{AppFiles, Runtime, Split};
use super::python::full_image_note;
use super::{refused, Ctx, Outcome};
use crate::analyze::{final_argv, Distro, Eco};
use crate::knowledge::runtimes;
use crate::report::RuntimeFamily;

pub fn rewrite(ctx: &Ctx) -> Outcome {
    let f = ctx.target();
    let eco = Some(Eco::Ruby);
    if final_argv(ctx.doc, f).unwrap_or_default().is_empty() {
        return refused(eco, ["the final stage has no CMD or ENTRYPOINT, so slimfile cannot tell how the app starts".to_owned()]);
    }
    if let Some(t) = ctx.options.target.filter(|t| *t != RuntimeFamily::Slim) {
        return refused(eco, [format!("a Ruby app needs the Ruby interpreter; {} has none", t.as_str())]);
    }
    if !ctx.analysis.unmapped_dev.is_empty() {
        return refused(eco, [format!(
            "gems are built against {}, and slimfile does not know which runtime package holds each library",
            ctx.analysis.unmapped_dev.join(", ")
        )]);
    }
    let Some(gem_home) = f.role.and_then(|r| r.gem_home) else {
        return refused(eco, ["the base is not the official ruby image, so slimfile does not know where its gems are installed".to_owned()]);
    };
    let mut split = Split::new(ctx);
    let codename = match &f.distro {
        Distro::Debian { codename: Some(c) } => Some(c.clone()),
        Distro::Debian { codename: None } => split.pin_debian_release().and_then(runtimes::codename).map(str::to_owned),
        _ => None,
    };
    let Some(img) = slim_image(f, codename.as_deref()) else {
        return refused(eco, ["the Ruby version is not in the base tag, so no slim ruby image of the same version can be chosen".to_owned()]);
    };
    let mut runtime = Runtime::new(
        RuntimeFamily::Slim,
        img,
        "the slim ruby image of the same version and Debian release runs the gems compiled in the builder; compilers and headers stay behind.",
    );
    runtime.packages = missing_packages(ctx, RuntimeFamily::Slim);
    split.copy(gem_home, gem_home);
    split.app_files = AppFiles::Whole;
    full_image_note(ctx, &mut split, &runtime);
    split.into_outcome(runtime, "ruby", eco)
}
