#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod base_url;
mod builder;
mod client;
mod credentials;
mod environment;
mod error;
mod http_client;
#[cfg(feature = "mock")]
pub mod mock;
mod resource_id;
mod response_body;
mod retry;
pub mod transport;

/// The client generated from `openapi.yml` by progenitor at build time.
///
/// [`Client::api`] returns its [`generated::Client`], which has every
/// operation of the spec as a method. [`generated::types`] holds the
/// request and response types. Do not build a `generated::Client` yourself:
/// [`Client::builder`] sets up the auth and retries it relies on.
#[allow(missing_docs, unused_imports, clippy::all)]
pub mod generated {
    include!(concat!(env!("OUT_DIR"), "/generated.rs"));
}

pub use builder::{ClientBuilder, DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT, DEFAULT_USER_AGENT};
pub use client::Client;
pub use credentials::{CredentialSource, Credentials, CredentialsError};
pub use environment::Environment;
pub use error::Error;
pub use generated::types;
pub use http_client::http_client_builder;
pub use retry::RetryPolicy;
