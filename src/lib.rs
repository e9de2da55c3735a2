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
mod open_enum;
mod operation;
mod path_template;
mod resource_id;
mod response_body;
mod retry;
mod servers;
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
/// progenitor's types ([`generated::types`]) and the open enums generated
/// beside them: every string enum a response can contain has an
/// `Unknown(UnknownValue)` variant for a value the spec does not list.
pub mod types {
    // Empty when no response of the spec holds a string enum.
    #[allow(unused_imports)]
    pub use crate::generated::open_enums::*;
    pub use crate::generated::types::*;
}
