//! One component per file.

pub mod changes;
pub mod diff_line;
pub mod diff_view;
pub mod editor;
pub mod findings;
pub mod gutter;
pub mod highlighted;
pub mod options_bar;
pub mod output_view;
pub mod project;
pub mod rich_text;
pub mod size_panel;
pub mod stage_graph;
pub mod status;
pub mod tabs;
pub mod toolbar;
