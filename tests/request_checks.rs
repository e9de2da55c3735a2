//! What every generated call checks before it sends anything, and the bound
//! on the success body it reads back, through the public API
//! (`client.api()...send()`). The operations used here are generated, not
//! hand-written: `restore_backup` exists in the seed spec and the fixture;
//! the DELETE and GET cases need the fixture:
//!
//! ```text
//! cargo test --test request_checks
//! UPSTASH_API_SPEC=tests/fixtures/upstash-like.yml cargo test --test request_checks
//! ```

mod support;

use std::time::{Duration, Instant};

use support::faulty_server::{FaultyServer, Reply};
use upstash_api::{Client, Error, RetryPolicy, types};

/// IDs that encoding cannot keep inside their path segment, and what the
/// message says of each.
const HOSTILE_IDS: &[(&str, &str)] = &[
    ("", "is empty"),
    ("   ", "is empty"),
    (".", "is not an ID"),
    ("..", "is not an ID"),
    ("a\\..\\b", "must not contain `\\`"),
];

/// A server that answers anything, and counts what reaches it.
async fn answering() -> FaultyServer {
    FaultyServer::start(vec![Reply::full(
        200,
        &[("content-type", "application/json")],
        "\"OK\"",
    )])
    .await
}

fn client_for(server: &FaultyServer) -> Client {
    support::builder_for(&server.base_url())
        .retry_policy(RetryPolicy::disabled())
        .build()
        .expect("test client builds")
}

/// The message of an [`Error::InvalidInput`], or a panic naming what came instead.
fn invalid_input<T: std::fmt::Debug>(outcome: Result<T, Error>) -> String {
    match outcome {
        Err(Error::InvalidInput { message }) => message,
        other => panic!("expected InvalidInput, got {other:?}"),
    }
}

async fn restore(client: &Client, id: &str) -> Result<String, Error> {
    Ok(client
        .api()
        .restore_backup()
        .id(id)
        .body_map(|body| body.backup_id("bk-1"))
        .send()
        .await?
        .into_inner())
}

#[tokio::test]
async fn a_hostile_path_parameter_is_refused_before_anything_is_sent() {
    let server = answering().await;
    let client = client_for(&server);
    for (id, problem) in HOSTILE_IDS {
        let message = invalid_input(restore(&client, id).await);
        assert!(
            message.starts_with("restore_backup: the path parameter `id`"),
            "{id:?}: {message}"
        );
        assert!(message.contains(problem), "{id:?}: {message}");
        assert!(message.contains("`.id(..)`"), "{id:?}: {message}");
    }
    assert_eq!(server.attempts(), 0, "{:?}", server.requests());
    // The same client sends a good ID, encoded inside its segment.
    assert_eq!(restore(&client, "db/1 ..").await.unwrap(), "OK");
    let sent = server.requests();
    assert_eq!(sent.len(), 1);
    assert!(
        sent[0]
            .line()
            .contains("/redis/restore-backup/db%2F1%20.. "),
        "{}",
        sent[0].line()
    );
}

#[tokio::test]
async fn a_value_left_unset_names_the_operation_and_the_setter() {
    let server = answering().await;
    let client = client_for(&server);
    let no_id = client
        .api()
        .restore_backup()
        // A type's builder is a value `.body(..)` takes.
        .body(types::RestoreBackupBody::builder().backup_id("bk-1"))
        .send()
        .await;
    let message = invalid_input(no_id);
    assert_eq!(
        message,
        "restore_backup: `id` is not set; call `.id(..)` before `.send()`"
    );
    let no_body_field = client.api().restore_backup().id("db-1").send().await;
    let message = invalid_input(no_body_field);
    assert!(
        message.starts_with("restore_backup: the request body"),
        "{message}"
    );
    assert!(
        message.contains("`backup_id` is not set; call `.backup_id(..)`"),
        "{message}"
    );
    assert_eq!(server.attempts(), 0);
}

/// A gigabyte: the call must give up at the bound, long before the server
/// is done.
const GIGABYTE: usize = 1 << 30;

/// The bound the tests below set.
const BOUND: usize = 256 * 1024;

/// Answers past the bound: one that announces its length (refused unread)
/// and one that does not (read up to the bound).
fn too_large() -> [(&'static str, Reply); 2] {
    [
        ("announced", Reply::flood(200, GIGABYTE)),
        ("endless", Reply::endless(200, GIGABYTE)),
    ]
}

/// Runs `call` against `reply` with the bound set, and checks that it fails
/// with the bound named, promptly, having read little.
async fn fails_at_the_bound<F, Fut>(name: &str, reply: Reply, call: F)
where
    F: FnOnce(Client) -> Fut,
    Fut: std::future::Future<Output = Result<(), Error>>,
{
    let server = FaultyServer::start(vec![reply]).await;
    let client = support::builder_for(&server.base_url())
        .retry_policy(RetryPolicy::disabled())
        .max_response_body(BOUND)
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap();
    let started = Instant::now();
    let error = call(client).await.unwrap_err();
    let elapsed = started.elapsed();
    match &error {
        Error::UnreadableResponse {
            status: None,
            reason,
        } => assert!(
            reason.starts_with("the API carried the call out (2xx)")
                && reason.contains(&format!("larger than {BOUND} bytes")),
            "{name}: {reason}"
        ),
        other => panic!("{name}: {other:?}"),
    }
    assert!(elapsed < Duration::from_secs(10), "{name}: {elapsed:?}");
    assert!(
        server.wait_until_idle(Duration::from_secs(5)).await,
        "{name}"
    );
    let flood = &server.floods()[0];
    assert!(flood.peer_hung_up, "{name}: {flood:?}");
    assert!(flood.written < 64 << 20, "{name}: {flood:?}");
}

#[tokio::test]
async fn a_string_answer_past_the_bound_fails_promptly() {
    for (name, reply) in too_large() {
        fails_at_the_bound(name, reply, |client| async move {
            restore(&client, "db-1").await.map(drop)
        })
        .await;
    }
}

#[tokio::test]
async fn a_string_answer_at_the_bound_is_read() {
    let body = format!("\"{}\"", "x".repeat(1022));
    let server = FaultyServer::start(vec![Reply::full(200, &[], &body)]).await;
    let client = support::builder_for(&server.base_url())
        .max_response_body(1024)
        .build()
        .unwrap();
    assert_eq!(restore(&client, "db-1").await.unwrap().len(), 1022);
    let over = FaultyServer::start(vec![Reply::full(200, &[], format!("{body} "))]).await;
    let client = support::builder_for(&over.base_url())
        .max_response_body(1024)
        .build()
        .unwrap();
    assert!(matches!(
        restore(&client, "db-1").await,
        Err(Error::UnreadableResponse { .. })
    ));
}

/// A DELETE and a GET with hostile IDs, a DELETE with two path parameters,
/// and a JSON answer that never ends.
#[cfg(upstash_api_spec = "upstash-like")]
mod fixture {
    use super::*;

    #[tokio::test]
    async fn hostile_ids_reach_no_endpoint_on_delete_and_get() {
        let server = answering().await;
        let client = client_for(&server);
        for (id, problem) in HOSTILE_IDS {
            let delete = client.api().delete_database().id(*id).send().await;
            let message = invalid_input(delete);
            assert!(
                message.starts_with("delete_database: the path parameter `id`"),
                "{message}"
            );
            assert!(message.contains(problem), "{message}");
            let get = client
                .api()
                .get_database()
                .id(*id)
                .credentials(types::Credentials::Hide)
                .send()
                .await;
            let message = invalid_input(get);
            assert!(
                message.starts_with("get_database: the path parameter `id`"),
                "{message}"
            );
            let backup = client
                .api()
                .delete_backup()
                .id("db-1")
                .backup_id(*id)
                .send()
                .await;
            let message = invalid_input(backup);
            assert!(
                message.starts_with("delete_backup: the path parameter `backup_id`"),
                "{message}"
            );
            assert!(message.contains("`.backup_id(..)`"), "{message}");
        }
        assert_eq!(server.attempts(), 0, "{:?}", server.requests());
    }

    #[tokio::test]
    async fn a_required_parameter_left_unset_names_its_setter() {
        let server = answering().await;
        let client = client_for(&server);
        let message = invalid_input(client.api().delete_backup().id("db-1").send().await);
        assert_eq!(
            message,
            "delete_backup: `backup_id` is not set; call `.backup_id(..)` before `.send()`"
        );
        let message = invalid_input(
            client
                .api()
                .create_database()
                .body_map(|body| body.name("cache"))
                .send()
                .await,
        );
        assert!(
            message.starts_with("create_database: the request body"),
            "{message}"
        );
        assert!(message.contains("call `.platform(..)`"), "{message}");
        assert_eq!(server.attempts(), 0);
    }

    /// What `create_database` with a body of `name` and `platform` says,
    /// after checking that nothing was sent.
    async fn create_database_refused<P>(name: &str, platform: P) -> String
    where
        P: TryInto<types::Platform>,
        P::Error: std::fmt::Display,
    {
        let server = answering().await;
        let client = client_for(&server);
        let outcome = client
            .api()
            .create_database()
            .body_map(|body| {
                body.name(name)
                    .platform(platform)
                    .primary_region(types::Region::EuWest1)
            })
            .send()
            .await;
        assert_eq!(server.attempts(), 0);
        invalid_input(outcome)
    }

    /// A request string with a `pattern` (the fixture's database name) is
    /// checked before sending.
    #[tokio::test]
    async fn a_request_value_outside_its_pattern_is_refused_before_sending() {
        let message = create_database_refused("Not a name!", types::Platform::Aws).await;
        assert!(
            message.starts_with("create_database: the request body"),
            "{message}"
        );
        assert!(message.contains("name"), "{message}");
    }

    /// A value a request enum does not list names itself and the values
    /// the spec lists, and nothing is sent.
    #[tokio::test]
    async fn a_value_outside_a_request_enum_names_the_allowed_ones() {
        let message = create_database_refused("cache", "azure").await;
        assert!(
            message.contains("`azure` is not one of the values the spec lists: aws, gcp"),
            "{message}"
        );
    }

    /// An empty body names every required field in one message, and a
    /// body with an invalid value and unset fields names them all too.
    #[tokio::test]
    async fn an_incomplete_body_names_every_field_left_unset_at_once() {
        let server = answering().await;
        let client = client_for(&server);
        let empty = client.api().create_database().send().await;
        assert_eq!(
            invalid_input(empty),
            "create_database: the request body (`.body(..)` or `.body_map(..)`) is incomplete \
             or invalid: `name`, `platform`, `primary_region` are not set; call `.name(..)`, \
             `.platform(..)`, `.primary_region(..)` on the `CreateDatabaseRequest` builder"
        );
        let mixed = client
            .api()
            .create_database()
            .body_map(|body| body.name("Not a name!").platform("aws"))
            .send()
            .await;
        let message = invalid_input(mixed);
        assert!(
            message.contains("error converting supplied value for name: "),
            "{message}"
        );
        assert!(
            message.ends_with(
                "; `primary_region` is not set; call `.primary_region(..)` on the \
                 `CreateDatabaseRequest` builder"
            ),
            "{message}"
        );
        assert_eq!(server.attempts(), 0);
    }

    /// A query parameter's value its enum does not list names the setter
    /// and the values the spec lists, and nothing is sent.
    #[tokio::test]
    async fn a_query_value_outside_its_enum_names_the_listed_values() {
        let server = answering().await;
        let client = client_for(&server);
        let outcome = client
            .api()
            .get_database_stats()
            .id("db-1")
            .period("2h")
            .send()
            .await;
        assert_eq!(
            invalid_input(outcome),
            // `period` is one type for both operations that take one: the
            // values any of them lists.
            "get_database_stats: the value given to `.period(..)` is not one of the values the \
             spec lists for `period`: 1d, 7d, 30d, 1h, 3h, 12h, 3d"
        );
        assert_eq!(server.attempts(), 0);
    }

    #[tokio::test]
    async fn a_json_answer_past_the_bound_fails_promptly() {
        for (name, reply) in too_large() {
            fails_at_the_bound(name, reply, |client| async move {
                client.api().list_databases().send().await?;
                Ok(())
            })
            .await;
        }
    }

    #[tokio::test]
    async fn a_json_answer_without_a_length_within_the_bound_is_read() {
        let body = br#"[{"database_id":"d","database_name":"n","state":"active"}]"#;
        let mut bytes = support::faulty_server::head(200, &[("connection", "close")], None);
        bytes.extend_from_slice(body);
        let server = FaultyServer::start(vec![Reply(vec![
            support::faulty_server::Step::Send(bytes),
            support::faulty_server::Step::Close,
        ])])
        .await;
        let client = support::builder_for(&server.base_url())
            .max_response_body(body.len())
            .build()
            .unwrap();
        let databases = client.api().list_databases().send().await.unwrap();
        assert_eq!(databases.into_inner()[0].database_name, "n");
    }
}
