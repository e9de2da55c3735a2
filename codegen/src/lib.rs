//! Turns the Upstash Developer API's OpenAPI document into Rust source code.
//!
//! This crate is the one place that knows how the spec becomes code. The
//! `upstash-api` build script calls it to generate the client into `OUT_DIR`,
//! and `cargo xtask spec-diff` calls it with the same settings to find the
//! changes that break Rust code written against the generated API.
//!
//! The flow is: [`document::parse`] (YAML or JSON text to a JSON value) ->
//! [`spec::Spec::from_value`] (version check, shape checks, typed
//! `openapiv3` model) -> [`generate::client`] (progenitor with
//! [`settings::generation_settings`]) -> formatted Rust source.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod document;
pub mod error;
pub mod generate;
pub mod settings;
pub mod spec;

pub use error::SpecError;
pub use spec::Spec;

/// Reads the spec at `path` and generates the client source code for it.
///
/// This is what the build script runs. Every failure is a [`SpecError`]
/// that names the file and what is wrong with it.
pub fn generate_client_from_file(path: &std::path::Path) -> Result<String, SpecError> {
    let spec = Spec::from_file(path)?;
    generate::client(&spec)
}
