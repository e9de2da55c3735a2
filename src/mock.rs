//! A loopback mock of the Upstash Developer API for your own tests
//! (cargo feature `mock`).
//!
//! - [`MockApi`] starts an [httpmock](https://docs.rs/httpmock) server on
//!   127.0.0.1 and gives you a [`Client`] already pointed at it.
//! - [`MockServerExt`] (generated from the same spec as the client) adds one
//!   typed method per operation to the server, e.g.
//!   `server.restore_backup(|when, then| ...)`, with typed `when`
//!   matchers (path parameters, body) and `then` answers. A path
//!   parameter matches its value as text, as the client sends it:
//!   `when.id("db.1")` does not match `db-1`.
//! - [`Answer`] holds realistic canned answers: success (`"OK"`), each error
//!   body shape the API uses, 401, 404, 429 with `Retry-After`, 5xx.
//! - httpmock's [`Mock`](httpmock::Mock) verifies calls:
//!   `mock.assert_calls(n)`; a `when.body(..)` matcher makes it "N calls
//!   with this body".
//!
//! ```
//! use upstash_api::mock::{Answer, MockApi, MockServerExt};
//! use upstash_api::types::RestoreBackupBody;
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), upstash_api::Error> {
//! let api = MockApi::start().await;
//! // Generated types are `#[non_exhaustive]`: built with their builders.
//! let body: RestoreBackupBody = RestoreBackupBody::builder().backup_id("backup-7").try_into()?;
//! let restore = api.server().restore_backup(|when, then| {
//!     let when = when.id("db-1").body(&body);
//!     api.require_auth(when.into_inner());
//!     then.success(200, "OK");
//! });
//!
//! // The code under test gets a client pointed at the mock.
//! api.client()?.restore_backup("db-1", "backup-7").await?;
//! restore.assert_calls(1);
//!
//! // Canned failures, for the error paths of your code.
//! let missing = api.server().restore_backup(|when, then| {
//!     when.id("gone");
//!     Answer::NotFound("database not found").apply(then.into_inner());
//! });
//! let err = api.client()?.restore_backup("gone", "b").await.unwrap_err();
//! assert!(matches!(err, upstash_api::Error::NotFound { .. }));
//! missing.assert_calls(1);
//! # Ok(())
//! # }
//! ```
//!
//! The mock's client uses [`MockApi::EMAIL`] and [`MockApi::API_KEY`], a
//! short timeout and fast retries, so failure tests stay quick.

use std::time::Duration;

use httpmock::MockServer;

use crate::{Client, ClientBuilder, Credentials, Environment, Error, RetryPolicy};

#[allow(missing_docs, unused_imports, clippy::all)]
mod generated_mocks {
    include!(concat!(env!("OUT_DIR"), "/mocks.rs"));
}

pub use generated_mocks::{MockServerExt, operations};
pub use httpmock;

/// A mock Upstash Developer API on a loopback port.
pub struct MockApi {
    server: MockServer,
}

impl std::fmt::Debug for MockApi {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MockApi")
            .field("base_url", &self.base_url())
            .finish()
    }
}

impl MockApi {
    /// The email of the mock's client.
    pub const EMAIL: &'static str = "mock@example.com";
    /// The API key of the mock's client.
    pub const API_KEY: &'static str = "mock-api-key";

    /// Starts a mock server on 127.0.0.1 (a free port).
    pub async fn start() -> MockApi {
        MockApi {
            server: MockServer::start_async().await,
        }
    }

    /// Starts a mock server from synchronous code.
    pub fn start_blocking() -> MockApi {
        MockApi {
            server: MockServer::start(),
        }
    }

    /// The underlying httpmock server: add expectations with the typed
    /// [`MockServerExt`] methods or httpmock's own `mock`.
    pub fn server(&self) -> &MockServer {
        &self.server
    }

    /// The base URL to point a client at (`http://127.0.0.1:PORT`).
    pub fn base_url(&self) -> String {
        self.server.base_url()
    }

    /// A builder for a client pointed at this mock: the mock's credentials,
    /// an empty [`Environment`], a 5 s timeout and fast retries (5-50 ms).
    pub fn client_builder(&self) -> ClientBuilder {
        Client::builder()
            .environment(Environment::empty())
            .credentials(Credentials::new(MockApi::EMAIL, MockApi::API_KEY))
            .base_url(self.base_url())
            .timeout(Duration::from_secs(5))
            .retry_policy(
                RetryPolicy::new()
                    .with_initial_backoff(Duration::from_millis(5))
                    .with_max_backoff(Duration::from_millis(50))
                    .with_max_retry_after(Duration::from_secs(2)),
            )
    }

    /// A client pointed at this mock (see [`client_builder`](MockApi::client_builder)).
    pub fn client(&self) -> Result<Client, Error> {
        self.client_builder().build()
    }

    /// The `Authorization` value the mock's client sends.
    pub fn authorization(&self) -> String {
        let credentials = Credentials::new(MockApi::EMAIL, MockApi::API_KEY);
        format!("Basic {}", credentials.basic_token())
    }

    /// Makes an expectation match only requests that carry the mock
    /// client's `Authorization` header.
    pub fn require_auth(&self, when: httpmock::When) -> httpmock::When {
        when.header("authorization", self.authorization())
    }
}

/// A canned answer in one of the shapes the real API uses.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Answer {
    /// `200` with the JSON string `"OK"`, as the API answers mutations.
    Ok,
    /// The status with `{"error": "<message>"}`.
    ErrorJson(u16, &'static str),
    /// The status with the bare JSON string `"<message>"`.
    ErrorString(u16, &'static str),
    /// The status with a plain-text body.
    ErrorText(u16, &'static str),
    /// `401` with `{"error": "Unauthorized"}`.
    Unauthorized,
    /// `404` with `{"error": "<message>"}`.
    NotFound(&'static str),
    /// `429` with `Retry-After: <seconds>` and `{"error": "rate limit exceeded"}`.
    RateLimited {
        /// The `Retry-After` value in seconds.
        retry_after_secs: u64,
    },
    /// A 5xx status with an HTML page, as a proxy in front of the API sends.
    ServerError(u16),
}

impl Answer {
    /// Writes this answer into an httpmock `Then` (for a typed operation
    /// wrapper, pass `then.into_inner()`).
    pub fn apply(&self, then: httpmock::Then) -> httpmock::Then {
        fn json(then: httpmock::Then, status: u16, message: &str) -> httpmock::Then {
            then.status(status)
                .header("content-type", "application/json")
                .body(serde_json::json!({ "error": message }).to_string())
        }
        match self {
            Answer::Ok => then
                .status(200)
                .header("content-type", "application/json")
                .body("\"OK\""),
            Answer::ErrorJson(status, message) => json(then, *status, message),
            Answer::ErrorString(status, message) => then
                .status(*status)
                .header("content-type", "application/json")
                .body(serde_json::Value::from(*message).to_string()),
            Answer::ErrorText(status, message) => then
                .status(*status)
                .header("content-type", "text/plain")
                .body(*message),
            Answer::Unauthorized => json(then, 401, "Unauthorized"),
            Answer::NotFound(message) => json(then, 404, message),
            Answer::RateLimited { retry_after_secs } => json(then, 429, "rate limit exceeded")
                .header("retry-after", retry_after_secs.to_string()),
            Answer::ServerError(status) => then
                .status(*status)
                .header("content-type", "text/html")
                .body(format!(
                    "<html><head><title>{status} Server Error</title></head><body><h1>{status}</h1></body></html>"
                )),
        }
    }
}
