//! Turns the Upstash Developer API's OpenAPI document into Rust source code.
//!
//! This crate is the one place that knows how the spec becomes code. The
//! `upstash-api` build script calls it to generate the client into `OUT_DIR`,
//! and `cargo xtask spec-diff` calls it with the same settings to find the
//! changes that break Rust code written against the generated API.
//!
//! The flow is: [`parse_document`] (YAML or JSON text to a JSON value) ->
//! [`Spec::from_value`] (the checks every reader applies,
//! [`check_document`]; normalisations; typed `openapiv3` model) ->
//! [`generate_client`] (progenitor with this crate's settings) -> formatted
//! Rust source.
//!
//! The items at the root are the whole interface: the build calls
//! [`generate_sdk_source`]; `cargo xtask spec-diff` reads and checks
//! documents, finds positions and generates with the same functions, so it
//! reasons about exactly what the build does. The modules are private.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod builder_checks;
mod builder_docs;
mod checks;
mod collisions;
mod concepts;
mod convenience;
mod deep_stack;
mod descriptions;
mod document;
mod enum_values;
mod error;
mod generate;
mod generated_send;
mod growable;
mod json_schema;
mod location;
mod mock_paths;
mod names;
mod numbers;
mod open_enums;
mod operation_facts;
mod operations;
mod pointer;
mod positions;
mod references;
mod responses;
mod schema_typing;
mod send_error;
mod servers;
mod settings;
mod spec;
mod spec_file;
mod string_bools;
mod tolerance;
mod unset_fields;
mod yaml;

pub use checks::{Checks, check as check_document, plain as plain_text};
pub use concepts::{share as share_inline_enums, shared_enum_types};
pub use convenience::RestoreBackupFit;
pub use document::{parse as parse_document, parse_located as parse_document_located};
pub use error::SpecError;
pub use generate::{client as generate_client, client_tokens};
pub use location::{NodePath, Scope};
pub use names::loose as loose_name;
pub use operations::{Loc, METHODS, OpKey, Operation, Param, operations, resolve, template_shape};
pub use pointer::{escape_segment, schema_name, unescape_segment};
pub use positions::{Position, Positions};
pub use references::{MAX_REF_HOPS, ref_pointer};
pub use servers::effective_server_url;
pub use spec::Spec;
pub use spec_file::{MAX_SPEC_FILE_BYTES, read_spec_file};

/// Applies to a generated client every change codegen makes to its public
/// signatures: every `"true"`/`"false"` enum `bool` (`string_bools`),
/// every generated type `#[non_exhaustive]` (`growable`), and
/// every operation's `send` failing with the SDK's `crate::Error` rather
/// than progenitor's (`send_error`). The build applies it to what it
/// generates; spec-diff applies it to the client it reads (whose function
/// bodies it may have left out: neither step reads them), so both see the
/// same API. Applying it twice changes nothing.
///
/// Run it after the steps that read a `send` body: the converted `send`
/// holds progenitor's body inside a block of its own. A client whose
/// builders do not have progenitor's shape fails, naming the codegen file
/// to update.
pub fn public_api(client: &mut syn::File) -> Result<(), SpecError> {
    string_bools::file_to_bool(client)?;
    growable::mark(client);
    send_error::convert(client)
}

/// The URL used when the spec declares no server.
pub const FALLBACK_SERVER_URL: &str = "https://api.upstash.com/v2";

/// Reads the spec at `path` and generates all the source the SDK includes:
/// the client with its open enums ([`generate_client`]), the per-operation
/// facts the hooks read and constants taken from the spec.
///
/// This is what the build script runs. Every failure is a [`SpecError`]
/// that names the file and what is wrong with it.
pub fn generate_sdk_source(path: &std::path::Path) -> Result<SdkSource, SpecError> {
    let spec = Spec::from_file(path)?;
    SdkSource::from_spec(&spec).map_err(|e| e.in_file(path.display().to_string()))
}

/// What the build says of a parsed document: `Ok` when it would generate
/// the SDK from it, else the build's own error (no file named; the caller
/// knows it). Everything the build does runs, the generator included (it
/// refuses some shapes the checks cannot foresee); nothing is written.
pub fn build_accepts(document: &serde_json::Value) -> Result<(), SpecError> {
    let spec = Spec::from_value(document.clone())?;
    SdkSource::from_spec(&spec).map(|_| ())
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
    /// Whether the hand-written `Client::restore_backup` can call this
    /// spec's operation (the build sets a `cfg` for it).
    pub restore_backup: RestoreBackupFit,
}

impl SdkSource {
    /// Generates everything the SDK includes from a checked spec.
    /// Runs on a stack of its own: the generator recurses once per level
    /// of the document.
    pub fn from_spec(spec: &Spec) -> Result<SdkSource, SpecError> {
        deep_stack::run(|| {
            Ok(SdkSource {
                client: generate::sdk_client(spec)?,
                mocks: generate::mocks(spec, "crate::generated")?,
                restore_backup: convenience::restore_backup(spec),
            })
        })
    }
}
