//! Every generated operation answers like `restore_backup`: `?` turns each
//! failure into the same `upstash_api::Error`, a string answer is success
//! whatever its body, and an unreadable success body says the call was
//! carried out.
//! Through the public API only, against httpmock and the faulty server, on
//! the fixture shaped like the full Upstash API:
//!
//! ```text
//! UPSTASH_API_SPEC=tests/fixtures/upstash-like.yml cargo test --test fixture_answers
//! ```
#![cfg(upstash_api_spec = "upstash-like")]

mod support;

use std::time::Duration;

use support::faulty_server::{FaultyServer, Reply, refused_url};
use support::logs;
use upstash_api::mock::{Answer, MockApi, MockServerExt};
use upstash_api::{Client, Error, RetryPolicy, types};

/// A generated call written the way a user writes it: `?` into `Error`.
async fn get_database(client: &Client, id: &str) -> Result<types::Database, Error> {
    Ok(client
        .api()
        .get_database()
        .id(id)
        .send()
        .await?
        .into_inner())
}

async fn create_database(client: &Client) -> Result<types::Database, Error> {
    let database = client
        .api()
        .create_database()
        .body_map(|b| {
            b.name("cache")
                .platform(types::Platform::Aws)
                .primary_region(types::Region::EuWest1)
        })
        .send()
        .await?;
    Ok(database.into_inner())
}

/// A client for the faulty server at `url` that does not retry.
fn no_retries_at(url: &str) -> Client {
    support::builder_for(url)
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap()
}

fn no_retries(api: &MockApi) -> Client {
    api.client_builder()
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap()
}

#[tokio::test]
async fn question_mark_gives_each_error_class_with_the_api_message() {
    let api = MockApi::start().await;
    let cases: Vec<(&str, Answer)> = vec![
        ("unauthorized", Answer::Unauthorized),
        ("forbidden", Answer::ErrorJson(403, "not your team")),
        ("missing", Answer::NotFound("database not found")),
        (
            "limited",
            Answer::RateLimited {
                retry_after_secs: 30,
            },
        ),
        ("broken", Answer::ServerError(500)),
        ("bad", Answer::ErrorString(400, "bad region")),
        ("odd", Answer::ErrorText(422, "cannot do that\n")),
    ];
    for (id, answer) in &cases {
        api.server().get_database(|when, then| {
            when.id(id);
            answer.apply(then.into_inner());
        });
    }
    let client = no_retries(&api);
    let error = |id: &'static str| {
        let client = client.clone();
        async move { get_database(&client, id).await.unwrap_err() }
    };
    assert!(matches!(
        error("unauthorized").await,
        Error::Authentication { status: 401, message: Some(m) } if m == "Unauthorized"
    ));
    assert!(matches!(
        error("forbidden").await,
        Error::Authentication { status: 403, message: Some(m) } if m == "not your team"
    ));
    assert!(matches!(
        error("missing").await,
        Error::NotFound { message: Some(m) } if m == "database not found"
    ));
    assert!(matches!(
        error("limited").await,
        Error::RateLimited { retry_after: Some(d), .. } if d == Duration::from_secs(30)
    ));
    let server = error("broken").await;
    assert!(
        matches!(&server, Error::Api { status: 500, message: Some(m) } if m == "500 Server Error"),
        "{server:?}"
    );
    assert!(
        server.to_string().contains("server-side problem"),
        "{server}"
    );
    assert!(matches!(
        error("bad").await,
        Error::Api { status: 400, message: Some(m) } if m == "bad region"
    ));
    assert!(matches!(
        error("odd").await,
        Error::Api { status: 422, message: Some(m) } if m == "cannot do that"
    ));
}

#[tokio::test]
async fn question_mark_gives_transport_and_timeout_errors() {
    let refused = Client::builder()
        .environment(upstash_api::Environment::empty())
        .credentials(upstash_api::Credentials::new(
            MockApi::EMAIL,
            MockApi::API_KEY,
        ))
        .base_url(refused_url())
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap();
    let e = get_database(&refused, "db").await.unwrap_err();
    assert!(matches!(e, Error::Transport(_)), "{e:?}");
    assert!(e.to_string().contains("could not reach the API"), "{e}");

    let slow = FaultyServer::start(vec![Reply::trickled_head(
        200,
        b"{}",
        Duration::from_millis(50),
    )])
    .await;
    let client = Client::builder()
        .environment(upstash_api::Environment::empty())
        .credentials(upstash_api::Credentials::new(
            MockApi::EMAIL,
            MockApi::API_KEY,
        ))
        .base_url(slow.base_url())
        .timeout(Duration::from_millis(300))
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap();
    let e = get_database(&client, "db").await.unwrap_err();
    assert!(matches!(e, Error::Timeout), "{e:?}");
}

#[tokio::test]
async fn retries_apply_to_generated_operations() {
    let api = MockApi::start().await;
    let unavailable = api.server().list_teams(|when, then| {
        when.into_inner();
        Answer::ServerError(503).apply(then.into_inner());
    });
    unavailable.up_to_n_times(2);
    let ok = api.server().list_teams(|_, then| {
        then.into_inner()
            .status(200)
            .json_body(serde_json::json!([]));
    });
    let teams = api
        .client()
        .unwrap()
        .api()
        .list_teams()
        .send()
        .await
        .unwrap();
    assert!(teams.into_inner().is_empty());
    unavailable.assert_calls(2);
    ok.assert_calls(1);
}

/// The three bodies a string answer comes with, and a status other than
/// the documented one, on DELETE, PATCH and POST operations.
#[tokio::test]
async fn a_string_answer_is_success_whatever_its_body() {
    let bodies: [(u16, &str, &str); 4] = [
        (200, "\"OK\"", "OK"),
        (200, "OK", "OK"),
        (200, "", ""),
        (204, "", ""),
    ];
    for (status, body, expected) in bodies {
        let api = MockApi::start().await;
        let answer = |then: httpmock::Then| then.status(status).body(body);
        let delete = api.server().delete_database(|when, then| {
            when.id("db");
            answer(then.into_inner());
        });
        let patch = api.server().enable_daily_backup(|when, then| {
            when.id("db");
            answer(then.into_inner());
        });
        let post = api.server().create_backup(|when, then| {
            when.id("db");
            answer(then.into_inner());
        });
        let client = no_retries(&api);
        let calls = async {
            let deleted = client.api().delete_database().id("db").send().await?;
            let patched = client.api().enable_daily_backup().id("db").send().await?;
            let posted = client
                .api()
                .create_backup()
                .id("db")
                .body_map(|b| b.name("nightly"))
                .send()
                .await?;
            Ok::<_, Error>([deleted, patched, posted])
        };
        let answers = calls
            .await
            .unwrap_or_else(|e| panic!("{status} {body:?}: {e}"));
        for answer in answers {
            assert_eq!(answer.status().as_u16(), status);
            assert_eq!(answer.into_inner(), expected, "{status} {body:?}");
        }
        delete.assert_calls(1);
        patch.assert_calls(1);
        post.assert_calls(1);
    }
}

#[tokio::test]
async fn a_string_answer_whose_body_breaks_off_is_still_success() {
    let server = FaultyServer::start(vec![Reply::short_body(200, 10, b"\"O")]).await;
    let client = no_retries_at(&server.base_url());
    let answer = client
        .api()
        .delete_database()
        .id("db")
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status().as_u16(), 200);
    assert_eq!(server.attempts(), 1);
}

/// The reason of an unreadable success body: it says the call was carried
/// out and what went wrong.
fn unreadable_success(e: &Error) -> &str {
    match e {
        Error::UnreadableResponse {
            status: None,
            reason,
        } => {
            assert!(reason.contains("carried the call out (2xx)"), "{reason}");
            reason
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn an_unreadable_success_body_says_the_call_was_carried_out() {
    let api = MockApi::start().await;
    api.server().get_database(|when, then| {
        when.id("html");
        then.into_inner()
            .status(200)
            .header("content-type", "text/html")
            .body("<html><title>Maintenance</title></html>");
    });
    api.server().create_database(|_, then| {
        // A string where the spec documents an object.
        then.into_inner().status(200).body("\"OK\"");
    });
    let client = no_retries(&api);

    let get = get_database(&client, "html").await.unwrap_err();
    assert!(unreadable_success(&get).contains("not the documented JSON"));
    let post = create_database(&client).await.unwrap_err();
    assert!(unreadable_success(&post).contains("not the documented JSON"));
    assert!(
        post.to_string()
            .starts_with("the API's response could not be read: the API carried the call out"),
        "{post}"
    );
}

#[tokio::test]
async fn an_undocumented_success_status_keeps_its_status() {
    let api = MockApi::start().await;
    api.server().create_database(|_, then| {
        then.into_inner()
            .status(201)
            .json_body(serde_json::json!({}));
    });
    let e = create_database(&no_retries(&api)).await.unwrap_err();
    match e {
        Error::UnreadableResponse {
            status: Some(201),
            reason,
        } => {
            assert!(reason.contains("does not document"), "{reason}");
            assert!(reason.contains("carried the call out"), "{reason}");
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_success_body_that_breaks_off_says_so() {
    let server = FaultyServer::start(vec![Reply::short_body(200, 64, b"[{\"backup_id\"")]).await;
    let client = no_retries_at(&server.base_url());
    let e = client
        .api()
        .list_backups()
        .id("db")
        .send()
        .await
        .unwrap_err();
    assert!(unreadable_success(&e).contains("broke off"), "{e:?}");
}

/// A server that echoes the credentials: neither the key nor the
/// `Authorization` value reaches an error or a TRACE log.
#[test]
fn generated_operations_never_show_the_key() {
    let server = httpmock::MockServer::start();
    let echo = format!(
        "{{\"error\": \"bad key {} (Basic {})\"}}",
        support::API_KEY,
        support::BASIC_TOKEN
    );
    server.mock(|when, then| {
        when.path("/redis/database/db");
        then.status(400).body(&echo);
    });
    server.mock(|when, then| {
        when.path("/redis/databases");
        // A JSON string quoting the key, where an array is documented:
        // serde's message would quote it.
        then.status(200).body(format!("\"{}\"", support::API_KEY));
    });
    let client = support::client(&server);
    let (errors, logs) = logs::capture_async(async {
        let failed = client.api().get_database().id("db").send().await;
        let unreadable = client.api().list_databases().send().await;
        [failed.unwrap_err(), unreadable.unwrap_err()]
    });
    for error in &errors {
        for text in [error.to_string(), format!("{error:?}"), logs.clone()] {
            assert!(!text.contains(support::API_KEY), "{text}");
            assert!(!text.contains(support::BASIC_TOKEN), "{text}");
        }
    }
    assert!(
        matches!(&errors[0], Error::Api { status: 400, message: Some(m) } if m.contains("<redacted>"))
    );
    assert!(unreadable_success(&errors[1]).contains("not the documented JSON"));
    assert!(logs.contains("operation=\"list_databases\""), "{logs}");
}
