//! Shared test helpers: a client pointed at an httpmock server on loopback.
#![allow(dead_code)]

pub mod faulty_server;
pub mod logs;

use std::time::Duration;

use httpmock::MockServer;
use upstash_api::{Client, ClientBuilder, Credentials, Environment, RetryPolicy};

pub const EMAIL: &str = "dev@example.com";
pub const API_KEY: &str = "sk_test_5ecret-KEY";
/// base64("dev@example.com:sk_test_5ecret-KEY"), computed outside the SDK.
pub const BASIC_TOKEN: &str = "ZGV2QGV4YW1wbGUuY29tOnNrX3Rlc3RfNWVjcmV0LUtFWQ==";

pub fn authorization() -> String {
    format!("Basic {BASIC_TOKEN}")
}

/// Fast retries so tests stay quick.
pub fn fast_retries() -> RetryPolicy {
    RetryPolicy::new()
        .with_max_retries(3)
        .with_initial_backoff(Duration::from_millis(5))
        .with_max_backoff(Duration::from_millis(20))
        .with_max_retry_after(Duration::from_secs(2))
}

/// A builder for `server` with explicit credentials and an empty environment.
pub fn builder(server: &MockServer) -> ClientBuilder {
    builder_for(&server.base_url())
}

/// A builder for any loopback base URL, set up like [`builder`].
pub fn builder_for(base_url: &str) -> ClientBuilder {
    Client::builder()
        .environment(Environment::empty())
        .credentials(Credentials::new(EMAIL, API_KEY))
        .base_url(base_url)
        .retry_policy(fast_retries())
        .timeout(Duration::from_secs(5))
}

pub fn client(server: &MockServer) -> Client {
    builder(server).build().expect("test client builds")
}
