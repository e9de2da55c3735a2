//! `cargo xtask spec-diff`: a semantic diff of two OpenAPI 3.0 documents,
//! and the CI gate on changes to `openapi.yml`.
//!
//! The stages, one module each, dependencies pointing down the list:
//! [`load`] (the documents: read, parse, check, pointers, operations),
//! [`diff`] (the wire diff, one module per OpenAPI object and rule family),
//! [`rules`] (the rule catalogue), [`sdk`] (the Rust API analysis: focus,
//! read, compare, attribute), [`bump`] (the version bump each change
//! demands), [`gate`] (`--check` / `--accept`) and
//! [`report`] (text, Markdown, JSON). [`pipeline`] runs them in order
//! ([`compare_with`]); [`change`] holds the results, [`cli`] the command
//! line, [`git`] reading a side at a revision.

pub mod bump;
pub mod change;
pub mod cli;
pub mod diff;
pub mod gate;
pub mod git;
pub mod load;
pub mod pipeline;
pub mod report;
pub mod rules;
pub mod sdk;

pub use cli::main;
pub use pipeline::{SDK_AUTO_LIMIT_BYTES, SdkMode, compare, compare_with, load_pair};
