//! Reading shell: the words of ENV, ARG and LABEL arguments and their variables ([`lex`]), the simple
//! commands a RUN runs ([`commands`](mod@commands)), and what a package manager's command installs or removes
//! ([`packages`]). One reading, shared by the model, the analysis, the findings, the rewrite and the
//! estimate. Depends on `syntax` only.

pub mod commands;
pub mod lex;
pub mod packages;

pub use commands::{
    basename, commands, exact_words, is_pip_install, is_shell, removes, run_commands, script_heredocs, shell_syntax, subcommand,
    SimpleCommand,
};
pub use lex::{expand, key_values, referenced_vars, split_words, Expanded, MAX_EXPANSION_GROWTH};
