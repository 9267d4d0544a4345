//! Ruby: `bundle install` compiles gems in the builder; the runtime is the slim ruby image of the same
//! version and Debian release with the gems (GEM_HOME), the app folder and the runtime libraries the
//! gems' headers stood for.

use super::shared::{missing_packages, slim_image};
use super::split::{AppFiles, Runtime, Split};
use super::python::full_image_note;
use super::{refused, root_app, Ctx, Outcome};
use crate::analyze::{final_argv, Distro, Eco};
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
    // An app whose files live in / (no WORKDIR) and whose RUN lines only install dependencies: the runtime
    // stage repeats the stage's COPY lines (root_app). Otherwise the app's folders are carried (split/app.rs:
    // for / the builder gathers the entries that are not the system's).
    let root_copies = if f.workdir == "/" { root_app::context_copies(ctx).ok() } else { None };
    let Some(gem_home) = f.role.and_then(|r| r.gem_home) else {
        return refused(eco, ["the base is not the official ruby image, so slimfile does not know where its gems are installed".to_owned()]);
    };
    let mut split = Split::new(ctx);
    let codename = match &f.distro {
        Distro::Debian { .. } => super::shared::builder_codename(&mut split),
        _ => None,
    };
    let Some(img) = slim_image(f, codename.as_deref()) else {
        return refused(eco, ["the Ruby version is not in the base tag, so no slim ruby image of the same version can be chosen".to_owned()]);
    };
    let same = if matches!(f.distro, Distro::Alpine { .. }) { "Alpine image" } else { "Debian release" };
    let mut runtime = Runtime::new(
        RuntimeFamily::Slim,
        img,
        format!("the slim ruby image of the same version and {same} runs the gems compiled in the builder; compilers and headers stay behind."),
    );
    runtime.packages = missing_packages(ctx, RuntimeFamily::Slim);
    split.copy(gem_home, gem_home);
    match root_copies {
        Some(copies) => {
            root_app::repeat(ctx, &mut split, &copies);
            split.app_files = AppFiles::Named;
        }
        None => split.app_files = AppFiles::Whole,
    }
    full_image_note(ctx, &mut split, &runtime);
    split.into_outcome(runtime, "ruby", eco)
}
