//! Where generated operations go: path-level servers with the default base
//! URL, an override and the mock; and the headers they carry. On the
//! fixture shaped like the full Upstash API (`/auditlogs` is served from
//! `https://api.upstash.com`, without `/v2`):
//!
//! ```text
//! UPSTASH_API_SPEC=tests/fixtures/upstash-like.yml cargo test --test fixture_routing
//! ```
#![cfg(upstash_api_spec = "upstash-like")]

mod support;

use serde_json::json;
use upstash_api::mock::{MockApi, MockServerExt};
use upstash_api::{Error, RetryPolicy};

/// With the default base URL the request's URL is read off the connection
/// error: the API's host is resolved to loopback, where nothing answers
/// TLS, so no request leaves the machine.
#[tokio::test]
async fn with_the_default_base_url_audit_logs_go_to_the_api_root() {
    let http = upstash_api::http_client_builder()
        .unwrap()
        .resolve("api.upstash.com", "127.0.0.1:443".parse().unwrap())
        .connect_timeout(std::time::Duration::from_secs(2))
        .build()
        .unwrap();
    let client = upstash_api::Client::builder()
        .environment(upstash_api::Environment::empty())
        .credentials(upstash_api::Credentials::new("a@example.com", "key"))
        .http_client(http)
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap();
    assert_eq!(client.base_url(), "https://api.upstash.com/v2");
    let url_of = |e: Error| match e {
        Error::Transport(e) => e.url().map(|u| u.to_string()),
        other => panic!("expected a connection error, got {other:?}"),
    };
    let audit = client.api().list_audit_logs().send().await.unwrap_err();
    assert_eq!(
        url_of(audit).as_deref(),
        Some("https://api.upstash.com/auditlogs")
    );
    let teams = client.api().list_teams().send().await.unwrap_err();
    assert_eq!(
        url_of(teams).as_deref(),
        Some("https://api.upstash.com/v2/teams")
    );
}

#[tokio::test]
async fn an_overridden_base_url_keeps_its_host_and_drops_the_main_path() {
    let server = httpmock::MockServer::start_async().await;
    let audit = server.mock(|when, then| {
        when.path("/auditlogs");
        then.status(200).json_body(json!([]));
    });
    let teams = server.mock(|when, then| {
        when.path("/v2/teams");
        then.status(200).json_body(json!([]));
    });
    let client = support::builder_for(&format!("{}/v2", server.base_url()))
        .build()
        .unwrap();
    client.api().list_audit_logs().send().await.unwrap();
    client.api().list_teams().send().await.unwrap();
    audit.assert_calls(1);
    teams.assert_calls(1);
}

#[tokio::test]
async fn the_mock_serves_operations_with_their_own_server() {
    let api = MockApi::start().await;
    let audit = api.server().list_audit_logs(|when, then| {
        api.require_auth(when.into_inner());
        then.into_inner().status(200).json_body(json!([
            {"id": "a", "action": "create", "timestamp": 1}
        ]));
    });
    let logs = api
        .client()
        .unwrap()
        .api()
        .list_audit_logs()
        .send()
        .await
        .unwrap();
    assert_eq!(logs.into_inner().len(), 1);
    audit.assert_calls(1);
}

/// progenitor would send `api-version: <info.version>`; the spec declares
/// no such header, so none is sent.
#[tokio::test]
async fn no_undeclared_api_version_header_is_sent() {
    let api = MockApi::start().await;
    let teams = api.server().list_teams(|when, then| {
        when.into_inner().header_missing("api-version");
        then.into_inner().status(200).json_body(json!([]));
    });
    api.client()
        .unwrap()
        .api()
        .list_teams()
        .send()
        .await
        .unwrap();
    teams.assert_calls(1);
}
