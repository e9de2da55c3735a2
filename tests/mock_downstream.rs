//! The `mock` feature used the way a crate that depends on this SDK would:
//! only public API, one canned answer per shape the API uses.

use std::time::Duration;

use upstash_api::mock::{Answer, MockApi, MockServerExt};
use upstash_api::{Error, RetryPolicy};

/// The downstream code under test: restores and reports what happened.
async fn restore_and_describe(client: &upstash_api::Client) -> String {
    match client.restore_backup("db-1", "bk-1").await {
        Ok(()) => "restored".into(),
        Err(Error::Authentication { status, .. }) => format!("auth {status}"),
        Err(Error::NotFound { message }) => format!("missing: {}", message.unwrap_or_default()),
        Err(Error::RateLimited { retry_after, .. }) => format!("limited {retry_after:?}"),
        Err(Error::Api { status, message }) => {
            format!("api {status}: {}", message.unwrap_or_default())
        }
        Err(other) => format!("other: {other}"),
    }
}

#[tokio::test]
async fn every_canned_answer_reaches_the_caller_as_documented() {
    let cases = [
        (Answer::Ok, "restored"),
        (
            Answer::ErrorJson(400, "backup is still being created"),
            "api 400: backup is still being created",
        ),
        (
            Answer::ErrorString(409, "restore already running"),
            "api 409: restore already running",
        ),
        (
            Answer::ErrorText(500, "internal failure"),
            "api 500: internal failure",
        ),
        (Answer::Unauthorized, "auth 401"),
        (
            Answer::NotFound("database not found"),
            "missing: database not found",
        ),
        (
            Answer::RateLimited {
                retry_after_secs: 30,
            },
            "limited Some(30s)",
        ),
        (Answer::ServerError(502), "api 502: 502 Server Error"),
    ];
    for (answer, expected) in cases {
        let api = MockApi::start().await;
        let mock = api.server().restore_backup(|when, then| {
            let body = upstash_api::types::RestoreBackupBody::builder().backup_id("bk-1");
            let when = when.id("db-1").body(&body.try_into().unwrap());
            api.require_auth(when.into_inner());
            answer.apply(then.into_inner());
        });
        // The downstream crate's own client settings: no retries, so each
        // answer is seen exactly once.
        let client = api
            .client_builder()
            .retry_policy(RetryPolicy::disabled())
            .timeout(Duration::from_secs(2))
            .build()
            .unwrap();
        assert_eq!(restore_and_describe(&client).await, expected, "{answer:?}");
        mock.assert_calls_async(1).await;
    }
}

#[tokio::test]
async fn the_mock_client_retries_a_rate_limit_then_succeeds() {
    let api = MockApi::start().await;
    let limited = api.server().restore_backup(|when, then| {
        when.id("db-1");
        Answer::RateLimited {
            retry_after_secs: 0,
        }
        .apply(then.into_inner());
    });
    limited.up_to_n_times(1);
    let ok = api.server().restore_backup(|when, then| {
        when.id("db-1");
        then.success(200, "OK");
    });
    assert_eq!(
        restore_and_describe(&api.client().unwrap()).await,
        "restored"
    );
    limited.assert_calls(1);
    ok.assert_calls(1);
}

/// A path value in an expectation is text, not a pattern: an ID with
/// characters regular expressions give a meaning to neither panics nor
/// matches a different ID, and it matches the encoded path the client
/// sends.
#[tokio::test]
async fn a_path_value_in_an_expectation_is_text_not_a_pattern() {
    let id = "db.1(a+b)";
    let api = MockApi::start().await;
    let mock = api.server().restore_backup(|when, then| {
        api.require_auth(when.id(id).into_inner());
        Answer::Ok.apply(then.into_inner());
    });
    let client = api.client().unwrap();
    // `.` would match any character if the value were a pattern.
    let other = client.restore_backup("dbX1(a+b)", "bk-1").await;
    assert!(other.is_err(), "another ID matched: {other:?}");
    assert_eq!(mock.calls(), 0);
    client
        .restore_backup(id, "bk-1")
        .await
        .expect("the expectation matches its own ID");
    assert_eq!(mock.calls(), 1);
}
