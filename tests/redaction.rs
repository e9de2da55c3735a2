//! The API key and the Authorization value never show up in output.

mod support;

use httpmock::Method::POST;
use httpmock::MockServer;
use support::{API_KEY, BASIC_TOKEN, logs};
use upstash_api::{Credentials, Error};

fn assert_clean(what: &str, text: &str) {
    assert!(!text.contains(API_KEY), "{what} shows the API key: {text}");
    assert!(
        !text.contains(BASIC_TOKEN),
        "{what} shows the Authorization value: {text}"
    );
}

#[test]
fn debug_and_display_never_show_the_key() {
    let server = MockServer::start();
    let credentials = Credentials::new(support::EMAIL, API_KEY);
    assert_clean("Credentials Debug", &format!("{credentials:?}"));
    assert_clean("Credentials Display", &credentials.to_string());
    assert!(format!("{credentials:?}").contains(support::EMAIL));
    let builder = support::builder(&server);
    assert_clean("ClientBuilder Debug", &format!("{builder:?}"));
    let client = builder.build().unwrap();
    assert_clean("Client Debug", &format!("{client:?}"));
    assert_clean("Client Debug (pretty)", &format!("{client:#?}"));
    assert_clean("generated client Debug", &format!("{:?}", client.api()));
    let env = upstash_api::Environment::empty().var("UPSTASH_API_KEY", API_KEY);
    assert_clean("Environment Debug", &format!("{env:?}"));
}

#[tokio::test]
async fn errors_never_show_the_key_even_when_the_server_echoes_headers() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(POST);
            then.status(401).body(r#"{"error":"Unauthorized"}"#);
        })
        .await;
    let err = support::client(&server)
        .restore_backup("db", "bk")
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Authentication { status: 401, .. }));
    assert_clean("error Display", &err.to_string());
    assert_clean("error Debug", &format!("{err:?}"));
}

/// An error from a generated `send`, shown with `{}` or `{:?}`, holds
/// nothing a server echoed but the API's message (its credentials
/// removed): not a header, not the body's other fields, not a redirect's
/// query. progenitor's error, which `send` returned before, showed the
/// whole response with its headers. Written without naming the error type,
/// so it also compiles (and fails) against a `send` that returns another.
#[tokio::test]
async fn send_errors_never_show_what_the_server_echoed() {
    const IN_A_HEADER: &str = "sk_echoed_in_a_header_7f3a";
    const IN_THE_BODY: &str = "sk_echoed_in_the_body_91c2";
    for status in [302, 401, 404, 409, 500] {
        let server = MockServer::start_async().await;
        server
            .mock_async(|when, then| {
                when.method(POST).path("/redis/restore-backup/db");
                then.status(status)
                    .header("content-type", "application/json")
                    .header("x-echoed-key", IN_A_HEADER)
                    .header("x-echoed-authorization", format!("Basic {BASIC_TOKEN}"))
                    .header(
                        "location",
                        format!("http://127.0.0.1:9/elsewhere?key={IN_A_HEADER}"),
                    )
                    .body(format!(
                        r#"{{"error":"no such backup (key {API_KEY})","request":{{"api_key":"{IN_THE_BODY}"}}}}"#
                    ));
            })
            .await;
        let err = support::client(&server)
            .api()
            .restore_backup()
            .id("db")
            .body_map(|body| body.backup_id("bk"))
            .send()
            .await
            .unwrap_err();
        for (what, text) in [("Display", err.to_string()), ("Debug", format!("{err:?}"))] {
            let what = format!("{status}: error {what}");
            assert_clean(&what, &text);
            assert!(!text.contains(IN_A_HEADER), "{what} shows a header: {text}");
            assert!(!text.contains(IN_THE_BODY), "{what} shows the body: {text}");
            // Not vacuous: the error is the API's answer, with its message.
            let expected = if status == 302 {
                "302"
            } else {
                "no such backup"
            };
            assert!(text.contains(expected), "{what}: {text}");
        }
    }
}

#[test]
fn trace_logs_name_the_operation_but_never_the_key() {
    let server = MockServer::start();
    let failing = server.mock(|when, then| {
        when.method(POST);
        then.status(503);
    });
    failing.up_to_n_times(1);
    server.mock(|when, then| {
        when.method(POST);
        then.status(200).body("\"OK\"");
    });
    let client = support::client(&server);
    let (outcome, logs) = logs::capture_async(async { client.restore_backup("db", "bk").await });
    outcome.unwrap();
    assert_clean("trace logs", &logs);
    assert!(logs.contains("upstash_api.request"), "{logs}");
    assert!(logs.contains("operation=\"restore_backup\""), "{logs}");
    assert!(logs.contains("method=POST"), "{logs}");
    assert!(logs.contains("retrying"), "{logs}");
    assert!(logs.contains("status=200"), "{logs}");
    assert!(logs.contains("attempts=2"), "{logs}");
    assert!(logs.contains("elapsed_ms="), "{logs}");
}
