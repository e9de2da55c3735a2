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

mod builder_checks;
pub mod checks;
pub mod document;
pub mod error;
pub mod generate;
mod generated_send;
pub mod growable;
mod json_operations;
pub mod names;
pub mod open_enums;
pub mod operation_facts;
pub mod positions;
pub mod references;
pub mod responses;
pub mod servers;
pub mod settings;
pub mod spec;
pub mod tolerance;
pub mod yaml;

pub use error::SpecError;
pub use json_operations::METHODS;
pub use spec::Spec;

/// The URL used when the spec declares no server.
pub const FALLBACK_SERVER_URL: &str = "https://api.upstash.com/v2";

/// Reads the spec at `path` and generates all the source the SDK includes:
/// the client with its open enums ([`generate::client`]), the per-operation
/// facts the hooks read ([`operation_facts`]) and constants taken from the
/// spec ([`generate::constants`]).
///
/// This is what the build script runs. Every failure is a [`SpecError`]
/// that names the file and what is wrong with it.
pub fn generate_sdk_source(path: &std::path::Path) -> Result<SdkSource, SpecError> {
    let spec = Spec::from_file(path)?;
    SdkSource::from_spec(&spec).map_err(|e| e.in_file(path.display().to_string()))
}

/// What the build says of a parsed document: `Ok` when it would generate
/// the SDK from it, else the build's own error (no file named; the caller
/// knows it). With `generate`, the generator runs too (it refuses some
/// shapes the checks cannot foresee; a second or more on a large spec);
/// without, only the checks, normalisations and typing of
/// [`Spec::from_value`].
pub fn build_accepts(document: &serde_json::Value, generate: bool) -> Result<(), SpecError> {
    let spec = Spec::from_value(document.clone())?;
    if generate {
        SdkSource::from_spec(&spec)?;
    }
    Ok(())
}

/// The Rust source the SDK includes, generated from one spec.
#[derive(Debug, Clone)]
pub struct SdkSource {
    /// The client, its types, the open enums, the operation facts and the
    /// spec's constants (`generated.rs`).
    pub client: String,
    /// httpmock expectations for every operation (`mocks.rs`, used by the
    /// SDK's `mock` feature).
    pub mocks: String,
}

impl SdkSource {
    /// Generates everything the SDK includes from a checked spec.
    pub fn from_spec(spec: &Spec) -> Result<SdkSource, SpecError> {
        Ok(SdkSource {
            client: generate::sdk_client(spec)?,
            mocks: generate::mocks(spec, "crate::generated")?,
        })
    }
}
