#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

// The generated types name the open enums by this crate's own path
// (`::upstash_api::types::Region`, the `x-rust-type` typify honours).
extern crate self as upstash_api;

mod answer;
mod base_url;
mod builder;
mod client;
mod credentials;
mod environment;
mod error;
mod generated_error;
mod http_client;
#[cfg(feature = "mock")]
pub mod mock;
// Named by the generated code of a spec with `number` fields or parameters
// (the seed spec has none).
#[allow(dead_code)]
mod number;
mod open_enum;
mod operation;
mod path_template;
mod redirect;
// Called by the generated code of every path parameter and by
// `Client::restore_backup`; a spec without that operation may have
// neither, and is still a spec users may generate from.
#[cfg_attr(not(upstash_api_restore_backup), allow(dead_code))]
mod resource_id;
mod response_body;
mod retry;
mod servers;
// Named by the generated code of a spec with `"true"`/`"false"` enums
// (the seed spec has none).
#[allow(dead_code)]
mod string_bool;
mod transport;
mod url_text;

// progenitor's output, with the checks `codegen` adds. Private: each item
// has one public path, in `api` or `types` below.
#[allow(missing_docs, unused_imports, dead_code, clippy::all)]
mod generated {
    include!(concat!(env!("OUT_DIR"), "/generated.rs"));
}

/// The client generated from the spec: every operation is a method of
/// [`api::Client`], in builder style.
///
/// [`Client::api`] returns it, set up with the auth, retries and checks it
/// relies on; there is no other way to make one.
///
/// ```no_run
/// # async fn f(client: &upstash_api::Client) -> Result<(), upstash_api::Error> {
/// let answer: upstash_api::api::ResponseValue<String> = client
///     .api()
///     .restore_backup()
///     .id("my-database-id")
///     .body_map(|body| body.backup_id("my-backup-id"))
///     .send()
///     .await?;
/// # Ok(())
/// # }
/// ```
///
/// `send` fails with [`upstash_api::Error`](crate::Error), the error of
/// every call of this crate, so its outcome can be matched on directly:
///
/// ```no_run
/// # async fn f(client: &upstash_api::Client) -> Result<(), upstash_api::Error> {
/// match client
///     .api()
///     .restore_backup()
///     .id("my-database-id")
///     .body_map(|body| body.backup_id("my-backup-id"))
///     .send()
///     .await
/// {
///     Ok(answer) => println!("restored: {}", answer.into_inner()),
///     Err(upstash_api::Error::NotFound { message }) => {
///         println!("no such database or backup: {message:?}");
///     }
///     Err(other) => return Err(other),
/// }
/// # Ok(())
/// # }
/// ```
///
/// Every builder is `#[must_use]`: an operation builder does nothing until
/// `.send().await`, a type builder until it is converted. Dropping one is
/// a warning, an error under `#![deny(unused_must_use)]`:
///
/// ```compile_fail
/// #![deny(unused_must_use)]
/// # fn f(client: &upstash_api::Client) {
/// client.api().restore_backup().id("my-database-id");
/// # }
/// ```
///
/// ```compile_fail
/// #![deny(unused_must_use)]
/// upstash_api::types::RestoreBackupBody::builder().backup_id("my-backup-id");
/// ```
///
/// The same expressions, kept, compile under the same lint:
///
/// ```
/// #![deny(unused_must_use)]
/// # fn f(client: &upstash_api::Client) {
/// let _restore = client.api().restore_backup().id("my-database-id");
/// # }
/// let _body = upstash_api::types::RestoreBackupBody::builder().backup_id("my-backup-id");
/// ```
pub mod api {
    pub use crate::generated::Client;
    /// The builder of each operation: what `client.api().<operation>()`
    /// returns, named after the operation (`builder::RestoreBackup`).
    pub use crate::generated::builder;
    /// The body of an operation whose answer is a raw stream.
    pub use progenitor_client::ByteStream;
    /// A successful answer: its status, headers and typed body
    /// (`into_inner()`).
    pub use progenitor_client::ResponseValue;
}

/// The spec's first server URL, the default base URL.
pub use generated::SPEC_SERVER_URL;
/// The `info.version` of the spec this crate was generated from.
pub use generated::SPEC_VERSION;

pub use builder::{
    ClientBuilder, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_RESPONSE_BODY, DEFAULT_TIMEOUT,
    DEFAULT_USER_AGENT,
};
pub use client::Client;
pub use credentials::{CredentialSource, Credentials, CredentialsError};
pub use environment::Environment;
pub use error::Error;
pub use http_client::http_client_builder;
pub use open_enum::{UnknownValue, UnlistedValue};
pub use retry::RetryPolicy;

/// The request and response types of every operation.
///
/// progenitor's types, their builders (`types::builder::X`) and the open
/// enums generated beside them: every string enum a response can contain
/// has an `Unknown(UnknownValue)` variant for a value the spec does not
/// list.
pub mod types {
    // Empty when no response of the spec holds a string enum.
    #[allow(unused_imports)]
    pub use crate::generated::open_enums::*;
    pub use crate::generated::types::*;
}
