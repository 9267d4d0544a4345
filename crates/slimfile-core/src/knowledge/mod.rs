//! Knowledge the engine needs, loaded from data files in `data/` (each entry with its source).
//! Data, not if-chains: to teach slimfile a package or an image, edit the JSON.

pub mod artifacts;
pub mod debian;
pub mod images;
pub mod images_roles;
pub mod packages;
pub mod runtimes;
