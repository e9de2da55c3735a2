//! The retry policy as seen on the wire: what is repeated, how often, how patiently.

mod support;

use std::time::{Duration, Instant};

use httpmock::Method::POST;
use httpmock::{Mock, MockServer, When};
use support::{builder, client};
use upstash_api::{Error, RetryPolicy};

const PATH: &str = "/redis/restore-backup/db";

/// A mock that answers 503 to the first `times` requests `matches` accepts;
/// later requests go to the mocks registered after it.
async fn unavailable_at_first<'a>(
    server: &'a MockServer,
    times: usize,
    matches: impl FnOnce(When) -> When,
) -> Mock<'a> {
    let unavailable = server
        .mock_async(|when, then| {
            matches(when);
            then.status(503).body("try later");
        })
        .await;
    unavailable.up_to_n_times_async(times).await;
    unavailable
}

#[tokio::test]
async fn service_unavailable_is_retried_until_success() {
    let server = MockServer::start_async().await;
    let unavailable = unavailable_at_first(&server, 2, |when| when.method(POST).path(PATH)).await;
    let ok = server
        .mock_async(|when, then| {
            when.method(POST).path(PATH);
            then.status(200).body("\"OK\"");
        })
        .await;
    client(&server).restore_backup("db", "bk").await.unwrap();
    unavailable.assert_calls_async(2).await;
    ok.assert_calls_async(1).await;
}

#[tokio::test]
async fn rate_limits_are_retried_up_to_the_limit_then_reported() {
    let server = MockServer::start_async().await;
    let limited = server
        .mock_async(|when, then| {
            when.method(POST).path(PATH);
            then.status(429).body(r#"{"error":"too many requests"}"#);
        })
        .await;
    let client = builder(&server)
        .retry_policy(support::fast_retries().with_max_retries(2))
        .build()
        .unwrap();
    let err = client.restore_backup("db", "bk").await.unwrap_err();
    assert!(
        matches!(&err, Error::RateLimited { retry_after: None, message: Some(m) } if m == "too many requests"),
        "{err:?}"
    );
    assert!(err.to_string().contains("wait and retry later"), "{err}");
    limited.assert_calls_async(3).await;
}

#[tokio::test]
async fn retry_after_is_honoured() {
    let server = MockServer::start_async().await;
    let limited = server
        .mock_async(|when, then| {
            when.method(POST).path(PATH);
            then.status(429)
                .header("retry-after", "1")
                .body("slow down");
        })
        .await;
    limited.up_to_n_times_async(1).await;
    let ok = server
        .mock_async(|when, then| {
            when.method(POST).path(PATH);
            then.status(200).body("\"OK\"");
        })
        .await;
    let started = Instant::now();
    client(&server).restore_backup("db", "bk").await.unwrap();
    let elapsed = started.elapsed();
    assert!(elapsed >= Duration::from_secs(1), "waited only {elapsed:?}");
    assert!(elapsed < Duration::from_secs(3), "waited {elapsed:?}");
    limited.assert_calls_async(1).await;
    ok.assert_calls_async(1).await;
}

#[tokio::test]
async fn a_retry_after_beyond_the_cap_is_returned_not_waited_for() {
    let server = MockServer::start_async().await;
    let limited = server
        .mock_async(|when, then| {
            when.method(POST).path(PATH);
            then.status(429).header("retry-after", "120");
        })
        .await;
    let started = Instant::now();
    let err = client(&server)
        .restore_backup("db", "bk")
        .await
        .unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(1));
    assert!(
        matches!(err, Error::RateLimited { retry_after: Some(d), .. } if d == Duration::from_secs(120)),
        "{err:?}"
    );
    assert!(err.to_string().contains("retry after 120s"), "{err}");
    limited.assert_calls_async(1).await;
}

#[tokio::test]
async fn gateway_errors_are_not_retried_for_a_restore() {
    for status in [502, 504, 500] {
        let server = MockServer::start_async().await;
        let failing = server
            .mock_async(|when, then| {
                when.method(POST).path(PATH);
                then.status(status);
            })
            .await;
        let err = client(&server)
            .restore_backup("db", "bk")
            .await
            .unwrap_err();
        assert_eq!(err.status(), Some(status));
        failing.assert_calls_async(1).await;
    }
}

#[tokio::test]
async fn retries_can_be_turned_off() {
    let server = MockServer::start_async().await;
    let unavailable = server
        .mock_async(|when, then| {
            when.method(POST).path(PATH);
            then.status(503);
        })
        .await;
    let client = builder(&server)
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap();
    let err = client.restore_backup("db", "bk").await.unwrap_err();
    assert!(matches!(err, Error::Api { status: 503, .. }), "{err:?}");
    unavailable.assert_calls_async(1).await;
}

#[tokio::test]
async fn a_refused_connection_is_retried_then_reported() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let policy = RetryPolicy::new()
        .with_max_retries(2)
        .with_initial_backoff(Duration::from_millis(200))
        .with_max_backoff(Duration::from_millis(200));
    let client = upstash_api::Client::builder()
        .environment(upstash_api::Environment::empty())
        .credentials(upstash_api::Credentials::new(
            support::EMAIL,
            support::API_KEY,
        ))
        .base_url(format!("http://127.0.0.1:{port}"))
        .retry_policy(policy)
        .build()
        .unwrap();
    let started = Instant::now();
    let err = client.restore_backup("db", "bk").await.unwrap_err();
    // Two waits of 100..=200 ms each prove the two retries happened.
    assert!(
        started.elapsed() >= Duration::from_millis(200),
        "{:?}",
        started.elapsed()
    );
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
}

/// A retry sends the very request the first attempt sent: body, auth, user
/// agent and content type (the retry copy is made by the transport, not by
/// re-running the operation).
#[tokio::test]
async fn a_retry_repeats_the_whole_request() {
    let server = MockServer::start_async().await;
    let same_request = |when: When| {
        when.method(POST)
            .path(PATH)
            .header("authorization", support::authorization())
            .header("user-agent", upstash_api::DEFAULT_USER_AGENT)
            .header("content-type", "application/json")
            .json_body(serde_json::json!({ "backup_id": "bk" }))
    };
    let unavailable = unavailable_at_first(&server, 1, same_request).await;
    let ok = server
        .mock_async(|when, then| {
            same_request(when);
            then.status(200).body("\"OK\"");
        })
        .await;
    client(&server).restore_backup("db", "bk").await.unwrap();
    unavailable.assert_calls_async(1).await;
    ok.assert_calls_async(1).await;
}

/// The per-attempt timeout applies to a retried attempt too.
#[tokio::test]
async fn a_retried_attempt_keeps_its_timeout() {
    let server = MockServer::start_async().await;
    let unavailable = unavailable_at_first(&server, 1, |when| when.method(POST).path(PATH)).await;
    let slow = server
        .mock_async(|when, then| {
            when.method(POST).path(PATH);
            then.status(200)
                .body("\"OK\"")
                .delay(Duration::from_secs(3));
        })
        .await;
    let client = builder(&server)
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let started = Instant::now();
    let err = client.restore_backup("db", "bk").await.unwrap_err();
    assert!(matches!(err, Error::Timeout), "{err:?}");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    unavailable.assert_calls_async(1).await;
    slow.assert_calls_async(1).await;
}

/// A `Retry-After` that cannot be read or does not fit counts as longer
/// than the cap: one attempt, returned at once (it used to be read as
/// absent and retried three times on the short backoff).
#[tokio::test]
async fn an_unreadable_retry_after_is_returned_at_once() {
    let huge = u64::MAX.to_string();
    for value in [
        "99999999999999999999999",
        "-5",
        "1.5",
        "soon",
        huge.as_str(),
    ] {
        for status in [429, 503] {
            let server = MockServer::start_async().await;
            let mock = server
                .mock_async(|when, then| {
                    when.method(POST).path(PATH);
                    then.status(status)
                        .header("retry-after", value)
                        .body("wait");
                })
                .await;
            let started = Instant::now();
            let err = client(&server)
                .restore_backup("db", "bk")
                .await
                .unwrap_err();
            mock.assert_calls_async(1).await;
            assert!(
                started.elapsed() < Duration::from_secs(2),
                "{value}: not waited"
            );
            let reported = match (&err, status) {
                (Error::RateLimited { retry_after, .. }, 429) => *retry_after,
                (Error::Api { status: 503, .. }, 503) => None,
                _ => panic!("{status} with Retry-After {value:?}: {err:?}"),
            };
            if value == huge {
                // Readable but past any cap: reported, cut to a day.
                assert_eq!(
                    reported.filter(|_| status == 429),
                    (status == 429).then_some(RetryPolicy::LONGEST_DELAY),
                    "{value}"
                );
                let _ = Instant::now() + reported.unwrap_or_default();
            } else {
                assert_eq!(reported, None, "{value}: no delay can be read");
            }
        }
    }
}
