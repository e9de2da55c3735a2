//! `Client::restore_backup` against a real HTTP server on loopback.

mod support;

use std::time::{Duration, Instant};

use httpmock::Method::POST;
use httpmock::MockServer;
use serde_json::json;
use support::{API_KEY, BASIC_TOKEN, authorization, client};
use upstash_api::{DEFAULT_USER_AGENT, Error, RetryPolicy};

#[tokio::test]
async fn sends_exactly_the_documented_request() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/redis/restore-backup/db-123")
                .header("authorization", authorization())
                .header("content-type", "application/json")
                .header("user-agent", DEFAULT_USER_AGENT)
                .json_body(json!({"backup_id": "bk-456"}));
            then.status(200)
                .header("content-type", "application/json")
                .body("\"OK\"");
        })
        .await;
    client(&server)
        .restore_backup("db-123", "bk-456")
        .await
        .unwrap();
    mock.assert_async().await;
    assert!(DEFAULT_USER_AGENT.starts_with("upstash-api-rust/"));
    assert!(!BASIC_TOKEN.contains(API_KEY));
}

#[tokio::test]
async fn every_2xx_body_counts_as_success() {
    let cases: &[(u16, &str)] = &[
        (200, "\"OK\""),
        (200, "OK"),
        (200, ""),
        (200, "{\"result\":\"restored\"}"),
        (200, "true"),
        (200, "<html>done</html>"),
        (201, "\"OK\""),
        (202, ""),
        (204, ""),
    ];
    for (status, body) in cases {
        let server = MockServer::start_async().await;
        let mock = server
            .mock_async(|when, then| {
                when.method(POST).path("/redis/restore-backup/db");
                then.status(*status).body(*body);
            })
            .await;
        let outcome = client(&server).restore_backup("db", "bk").await;
        assert!(
            outcome.is_ok(),
            "status {status} body {body:?}: {outcome:?}"
        );
        mock.assert_calls_async(1).await;
    }
}

#[tokio::test]
async fn error_statuses_map_to_variants_with_the_apis_message() {
    struct Case {
        status: u16,
        body: &'static str,
        message: Option<&'static str>,
        check: fn(&Error) -> bool,
        display: &'static str,
    }
    let cases = [
        Case {
            status: 401,
            body: r#"{"error":"Unauthorized"}"#,
            message: Some("Unauthorized"),
            check: |e| matches!(e, Error::Authentication { status: 401, .. }),
            display: "check UPSTASH_EMAIL and UPSTASH_API_KEY",
        },
        Case {
            status: 403,
            body: "\"forbidden for this team\"",
            message: Some("forbidden for this team"),
            check: |e| matches!(e, Error::Authentication { status: 403, .. }),
            display: "refused this operation (403",
        },
        Case {
            status: 404,
            body: r#"{"error":"database not found"}"#,
            message: Some("database not found"),
            check: |e| matches!(e, Error::NotFound { .. }),
            display: "not found (404: database not found)",
        },
        Case {
            status: 400,
            body: "backup is still being created",
            message: Some("backup is still being created"),
            check: |e| matches!(e, Error::Api { status: 400, .. }),
            display: "the API answered 400: backup is still being created",
        },
        Case {
            status: 502,
            body: "<html><head><title>502 Bad Gateway</title></head><body><center>nginx</center></body></html>",
            message: Some("502 Bad Gateway"),
            check: |e| matches!(e, Error::Api { status: 502, .. }),
            display: "server-side problem",
        },
        Case {
            status: 500,
            body: "",
            message: None,
            check: |e| matches!(e, Error::Api { status: 500, .. }),
            display: "the API answered 500",
        },
    ];
    for case in cases {
        let server = MockServer::start_async().await;
        let mock = server
            .mock_async(|when, then| {
                when.method(POST).path("/redis/restore-backup/db");
                then.status(case.status).body(case.body);
            })
            .await;
        let err = client(&server)
            .restore_backup("db", "bk")
            .await
            .unwrap_err();
        assert!((case.check)(&err), "status {}: got {err:?}", case.status);
        assert_eq!(err.api_message(), case.message, "status {}", case.status);
        assert_eq!(err.status(), Some(case.status));
        let shown = err.to_string();
        assert!(
            shown.contains(case.display),
            "status {}: {shown}",
            case.status
        );
        // Neither 4xx nor 502 is retried for a restore.
        mock.assert_calls_async(1).await;
    }
}

/// What a caller of the generated operation writes: its outcome matched on
/// the SDK's own variants. `send` failed with progenitor's error before,
/// and this did not compile.
async fn restore_outcome(client: &upstash_api::Client, id: &str) -> &'static str {
    match client
        .api()
        .restore_backup()
        .id(id)
        .body(upstash_api::types::RestoreBackupBody::builder().backup_id("bk-1"))
        .send()
        .await
    {
        Ok(_) => "restored",
        Err(upstash_api::Error::NotFound { .. }) => "not found",
        Err(_) => "another failure",
    }
}

#[tokio::test]
async fn a_generated_send_fails_with_the_sdk_error_a_match_can_name() {
    let server = MockServer::start_async().await;
    let missing = server
        .mock_async(|when, then| {
            when.method(POST).path("/redis/restore-backup/db-gone");
            then.status(404)
                .header("content-type", "application/json")
                .body(r#"{"error":"database not found"}"#);
        })
        .await;
    let refused = server
        .mock_async(|when, then| {
            when.method(POST).path("/redis/restore-backup/db-theirs");
            then.status(403).body(r#"{"error":"not your team"}"#);
        })
        .await;
    let restored = server
        .mock_async(|when, then| {
            when.method(POST).path("/redis/restore-backup/db-1");
            then.status(200).body("\"OK\"");
        })
        .await;
    let client = client(&server);
    assert_eq!(restore_outcome(&client, "db-gone").await, "not found");
    assert_eq!(
        restore_outcome(&client, "db-theirs").await,
        "another failure"
    );
    assert_eq!(restore_outcome(&client, "db-1").await, "restored");
    missing.assert_calls_async(1).await;
    refused.assert_calls_async(1).await;
    restored.assert_calls_async(1).await;
    // The value in the variant is the API's message, as `?` would give it.
    let err = client
        .api()
        .restore_backup()
        .id("db-gone")
        .body_map(|body| body.backup_id("bk-1"))
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::NotFound { message: Some(m) } if m == "database not found"),
        "{err:?}"
    );
}

#[tokio::test]
async fn hostile_ids_stay_inside_one_path_segment() {
    let cases = [
        ("../../teams", "/redis/restore-backup/..%2F..%2Fteams"),
        ("a/b", "/redis/restore-backup/a%2Fb"),
        ("id?admin=1", "/redis/restore-backup/id%3Fadmin=1"),
        ("id#frag", "/redis/restore-backup/id%23frag"),
        ("100%", "/redis/restore-backup/100%25"),
        ("with space", "/redis/restore-backup/with%20space"),
        ("bäckup-ü", "/redis/restore-backup/b%C3%A4ckup-%C3%BC"),
        ("..a", "/redis/restore-backup/..a"),
    ];
    for (id, path) in cases {
        let server = MockServer::start_async().await;
        let mock = server
            .mock_async(|when, then| {
                when.method(POST).path(path);
                then.status(200).body("\"OK\"");
            })
            .await;
        let outcome = client(&server).restore_backup(id, "bk").await;
        assert!(outcome.is_ok(), "id {id:?}: {outcome:?}");
        mock.assert_calls_async(1).await;
    }
}

#[tokio::test]
async fn invalid_ids_are_rejected_without_any_request() {
    let server = MockServer::start_async().await;
    let any = server
        .mock_async(|_, then| {
            then.status(200).body("\"OK\"");
        })
        .await;
    let client = client(&server);
    for (db, backup, expected) in [
        ("", "bk", "database ID is empty"),
        ("   ", "bk", "database ID is empty"),
        ("db", "", "backup ID is empty"),
        ("db", "\t\n", "backup ID is empty"),
        ("..", "bk", "is not an ID"),
        (".", "bk", "is not an ID"),
        ("a\\..\\b", "bk", "must not contain"),
    ] {
        let err = client.restore_backup(db, backup).await.unwrap_err();
        assert!(
            matches!(err, Error::InvalidInput { .. }),
            "{db:?}/{backup:?}: {err:?}"
        );
        assert!(err.to_string().contains(expected), "{err}");
    }
    any.assert_calls_async(0).await;
}

#[tokio::test]
async fn a_slow_answer_is_a_timeout_and_is_not_retried() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST).path("/redis/restore-backup/db");
            then.status(200)
                .body("\"OK\"")
                .delay(Duration::from_secs(3));
        })
        .await;
    let client = support::builder(&server)
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let started = Instant::now();
    let err = client.restore_backup("db", "bk").await.unwrap_err();
    assert!(matches!(err, Error::Timeout), "{err:?}");
    assert!(
        err.to_string().contains("may still have been carried out"),
        "{err}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    mock.assert_calls_async(1).await;
}

#[tokio::test]
async fn an_unreachable_server_is_a_transport_error() {
    // Bind then drop a listener, so the port is very likely closed.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let client = upstash_api::Client::builder()
        .environment(upstash_api::Environment::empty())
        .credentials(upstash_api::Credentials::new(support::EMAIL, API_KEY))
        .base_url(format!("http://127.0.0.1:{port}"))
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap();
    let err = client.restore_backup("db", "bk").await.unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    assert!(err.to_string().contains("could not reach the API"), "{err}");
    assert!(!err.to_string().contains(API_KEY));
}
