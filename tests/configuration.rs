//! Base URL, user agent and HTTP client configuration.

mod support;

use httpmock::Method::POST;
use httpmock::MockServer;
use support::{API_KEY, EMAIL, authorization};
use upstash_api::{Client, Credentials, Environment, Error};

fn base() -> upstash_api::ClientBuilder {
    Client::builder()
        .environment(Environment::empty())
        .credentials(Credentials::new(EMAIL, API_KEY))
}

#[test]
fn plain_http_to_a_remote_host_is_refused() {
    let err = base()
        .base_url("http://api.upstash.com/v2")
        .build()
        .unwrap_err();
    assert!(matches!(err, Error::Configuration { .. }), "{err:?}");
    assert!(err.to_string().contains("unencrypted"), "{err}");
    // The same URL from the environment is refused too.
    let err = Client::builder()
        .environment(Environment::empty().var("UPSTASH_API_URL", "http://example.com"))
        .credentials(Credentials::new(EMAIL, API_KEY))
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("unencrypted"), "{err}");
    // Only an explicit opt-in allows it.
    let client = base()
        .base_url("http://api.upstash.com/v2")
        .allow_insecure_http(true)
        .build()
        .unwrap();
    assert_eq!(client.base_url(), "http://api.upstash.com/v2");
}

#[test]
fn the_base_url_comes_from_builder_then_environment_then_spec() {
    let client = base().build().unwrap();
    assert_eq!(client.base_url(), "https://api.upstash.com/v2");
    let env = Environment::empty().var("UPSTASH_API_URL", "https://eu.example.com/v2/");
    let client = base().environment(env.clone()).build().unwrap();
    assert_eq!(client.base_url(), "https://eu.example.com/v2");
    let client = base()
        .environment(env)
        .base_url("https://override.example.com")
        .build()
        .unwrap();
    assert_eq!(client.base_url(), "https://override.example.com");
}

#[tokio::test]
async fn the_environment_url_is_where_requests_go() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST).path("/redis/restore-backup/db");
            then.status(200).body("\"OK\"");
        })
        .await;
    let client = Client::builder()
        .environment(
            Environment::empty()
                .var("UPSTASH_EMAIL", EMAIL)
                .var("UPSTASH_API_KEY", API_KEY)
                .var("UPSTASH_API_URL", server.base_url()),
        )
        .build()
        .unwrap();
    client.restore_backup("db", "bk").await.unwrap();
    mock.assert_calls_async(1).await;
}

#[tokio::test]
async fn a_custom_user_agent_and_a_callers_http_client_still_get_auth() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/redis/restore-backup/db")
                .header("authorization", authorization())
                .header("user-agent", "my-app/2.0");
            then.status(200).body("\"OK\"");
        })
        .await;
    let own = upstash_api::http_client_builder()
        .unwrap()
        .pool_max_idle_per_host(1)
        .build()
        .unwrap();
    let client = support::builder(&server)
        .http_client(own)
        .user_agent("my-app/2.0")
        .build()
        .unwrap();
    client.restore_backup("db", "bk").await.unwrap();
    mock.assert_calls_async(1).await;
}

#[test]
fn an_unusable_user_agent_is_a_configuration_error() {
    let err = base().user_agent("bad\nagent").build().unwrap_err();
    assert!(matches!(err, Error::Configuration { .. }), "{err:?}");
}

#[tokio::test]
async fn generated_operations_are_authenticated_too() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/redis/restore-backup/db")
                .header("authorization", authorization())
                .header("user-agent", upstash_api::DEFAULT_USER_AGENT)
                .json_body(serde_json::json!({"backup_id": "bk"}));
            then.status(200).body("\"OK\"");
        })
        .await;
    let client = support::client(&server);
    let value = client
        .api()
        .restore_backup()
        .id("db")
        .body_map(|body| body.backup_id("bk"))
        .send()
        .await
        .unwrap();
    assert_eq!(value.into_inner(), "OK");
    mock.assert_calls_async(1).await;
}

#[tokio::test]
async fn generated_operations_fail_with_the_sdk_error() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(POST).path("/redis/restore-backup/db");
            then.status(404).body(format!(
                r#"{{"error":"no such database (sent: Basic {})"}}"#,
                support::BASIC_TOKEN
            ));
        })
        .await;
    let client = support::client(&server);
    // `send` fails with the SDK's error itself: no conversion to write.
    let err: Error = client
        .api()
        .restore_backup()
        .id("db")
        .body_map(|b| b.backup_id("bk"))
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::NotFound { message: Some(m) } if m == "no such database (sent: Basic <redacted>)"),
        "{err:?}"
    );
}

/// A base URL carrying a secret is refused, and neither the refusal nor
/// the builder's `Debug` repeats it.
#[test]
fn a_base_url_with_credentials_or_a_query_is_refused_without_repeating_them() {
    for url in [
        format!("https://{EMAIL}:{API_KEY}@api.upstash.com/v2"),
        format!("https://{API_KEY}@api.upstash.com/v2"),
        format!("https://api.upstash.com/v2?key={API_KEY}"),
        format!("https://api.upstash.com/v2#{API_KEY}"),
        format!("https://user:{API_KEY}@not a host/v2?key={API_KEY}"),
    ] {
        let builder = base().base_url(&url);
        let debug = format!("{builder:?}");
        assert!(!debug.contains(API_KEY), "{debug}");
        let err = builder.build().unwrap_err();
        let (text, debug) = (err.to_string(), format!("{err:?}"));
        assert!(matches!(err, Error::Configuration { .. }), "{err:?}");
        assert!(
            !text.contains(API_KEY) && !debug.contains(API_KEY),
            "{url}: {debug}"
        );
        assert!(
            text.contains("api.upstash.com/v2") || text.contains("not a host/v2"),
            "{text}"
        );
    }
    // From the environment too.
    let err = Client::builder()
        .environment(
            Environment::empty().var("UPSTASH_API_URL", format!("https://u:{API_KEY}@h.example")),
        )
        .credentials(Credentials::new(EMAIL, API_KEY))
        .build()
        .unwrap_err();
    assert!(!err.to_string().contains(API_KEY), "{err}");
    assert!(err.to_string().contains("credentials"), "{err}");
}

#[test]
fn a_user_agent_with_cr_or_lf_names_the_setter() {
    for bad in ["bad\nagent", "bad\r\nx-injected: 1"] {
        let err = base().user_agent(bad).build().unwrap_err();
        let text = err.to_string();
        assert!(text.contains("`ClientBuilder::user_agent`"), "{text}");
        assert!(text.contains("no CR, LF"), "{text}");
    }
}

/// A path parameter past the bound is refused before anything is sent
/// (a 64 KiB one used to be a "could not reach the API" after retries).
#[tokio::test]
async fn an_overlong_path_parameter_is_refused_by_name() {
    let server = MockServer::start_async().await;
    let any = server
        .mock_async(|_, then| {
            then.status(200).body("\"OK\"");
        })
        .await;
    let client = support::client(&server);
    let long = "a".repeat(64 * 1024);
    let err = client
        .api()
        .restore_backup()
        .id(long.as_str())
        .body_map(|b| b.backup_id("bk"))
        .send()
        .await
        .unwrap_err();
    let text = err.to_string();
    assert!(matches!(err, Error::InvalidInput { .. }), "{err:?}");
    assert!(
        text.contains("restore_backup: the path parameter `id`"),
        "{text}"
    );
    assert!(text.contains("longer than 4096 bytes"), "{text}");
    assert!(text.contains("`.id(..)`"), "{text}");
    assert!(
        text.len() < 400,
        "the value is not repeated: {}",
        text.len()
    );
    let err = client.restore_backup(&long, "bk").await.unwrap_err();
    assert!(err.to_string().contains("longer than 4096 bytes"), "{err}");
    // At the bound the request goes.
    client
        .restore_backup(&"a".repeat(4096), "bk")
        .await
        .unwrap();
    any.assert_calls_async(1).await;
}
