//! Knowledge the engine needs, from the data files in `data/` (each entry with its source).
//! Data, not if-chains: to teach slimfile a package or an image, edit the JSON.
//!
//! Nothing is parsed at run time: `build.rs` generates `&'static` tables of what the engine reads from
//! the files, and each module `include!`s its own (`tests/knowledge_data.rs` checks them against the
//! files).

pub mod artifacts;
pub mod carry;
pub mod debian;
pub mod images;
pub mod images_roles;
pub mod packages;
pub mod runtimes;
