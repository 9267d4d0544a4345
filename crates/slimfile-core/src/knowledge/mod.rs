//! Knowledge the engine needs, from the data files in `data/` (each entry with its source).
//! Data, not if-chains: to teach slimfile a package or an image, edit the JSON.
//!
//! Nothing is parsed at run time: `build.rs` generates `&'static` tables of what the engine reads from
//! the files, and each module `include!`s its own (`tests/knowledge_data.rs` checks them against the
//! files).
//!
//! What slimfile knows of current images (docs/knowledge.md; `scripts/image-knowledge.py` refreshes the
//! data): [`tags`] (the tags each image published, which are current, the release each resolves to),
//! [`releases`] (Linux releases, glibc, the knowledge date), [`support`] (support windows) and
//! [`distroless`] (distroless images per Debian release).

pub mod artifacts;
pub mod carry;
pub mod debian;
pub mod distroless;
pub mod images;
pub mod images_roles;
pub mod packages;
pub mod project_packages;
pub mod releases;
pub mod runtimes;
pub mod siblings;
pub mod support;
pub mod tags;
