//! Redirects are never followed and never retried: every 3xx, for a `POST`
//! and (with the fixture spec) a `GET`, pointing to a closed port, another
//! host or back to the server itself, reaches the server exactly once and
//! ends the call with `Error::Redirected`, whose text names the status and
//! the place (without userinfo or query) and, for a `POST`, that the call
//! may have been carried out.

mod support;

use support::faulty_server::{FaultyServer, Reply, refused_url};
use upstash_api::{Client, Error};

const STATUSES: [u16; 8] = [300, 301, 302, 303, 304, 305, 307, 308];

#[derive(Clone, Copy, Debug)]
enum Call {
    /// `restore_backup`, a `POST`.
    Post,
    /// `get_database`, a `GET` (fixture spec only).
    #[cfg(upstash_api_spec = "upstash-like")]
    Get,
}

const CALLS: &[Call] = &[
    Call::Post,
    #[cfg(upstash_api_spec = "upstash-like")]
    Call::Get,
];

const PATH: &str = "/redis/restore-backup/db-1";

impl Call {
    fn path(self) -> &'static str {
        match self {
            Call::Post => PATH,
            #[cfg(upstash_api_spec = "upstash-like")]
            Call::Get => "/redis/database/db-1",
        }
    }

    async fn run(self, client: &Client) -> Error {
        match self {
            Call::Post => client.restore_backup("db-1", "bk-1").await.unwrap_err(),
            #[cfg(upstash_api_spec = "upstash-like")]
            Call::Get => client
                .api()
                .get_database()
                .id("db-1")
                .send()
                .await
                .map(|_| ())
                .unwrap_err(),
        }
    }
}

/// Where a redirect points, with a secret in its userinfo and query that
/// no error may show: (name, `Location`, what the error must show, with
/// `{own}` for the server's base URL).
fn targets() -> Vec<(&'static str, String, String)> {
    let closed = refused_url();
    let closed_port = closed.rsplit(':').next().unwrap().to_string();
    vec![
        (
            "a closed port",
            format!("http://user:pw-secret@127.0.0.1:{closed_port}/moved?key=pw-secret"),
            format!("{closed}/moved"),
        ),
        (
            "another host",
            format!("http://127.0.0.2:{closed_port}/moved?key=pw-secret"),
            format!("http://127.0.0.2:{closed_port}/moved"),
        ),
        (
            "back to itself",
            format!("{PATH}?key=pw-secret"),
            format!("{{own}}{PATH}"),
        ),
    ]
}

#[tokio::test]
async fn every_redirect_is_seen_once_and_ends_the_call() {
    let mut failures = Vec::new();
    for &call in CALLS {
        for status in STATUSES {
            for (target, location, shown) in targets() {
                let reply = Reply::full(status, &[("location", location.as_str())], "");
                let server = FaultyServer::start(vec![reply]).await;
                let shown = shown.replace("{own}", &server.base_url());
                let client = support::builder_for(&server.base_url()).build().unwrap();
                let error = call.run(&client).await;
                let text = error.to_string();
                let debug = format!("{error:?}");
                let mut problems = Vec::new();
                let attempts = server.attempts();
                if attempts != 1 {
                    problems.push(format!("the server saw {attempts} requests"));
                }
                if server
                    .requests()
                    .iter()
                    .any(|r| !r.line().contains(call.path()))
                {
                    problems.push(format!("a request went elsewhere: {:?}", server.requests()));
                }
                match &error {
                    Error::Redirected {
                        status: Some(s),
                        location: Some(l),
                        ..
                    } if *s == status && *l == shown => {}
                    other => problems.push(format!("not Redirected({status}, {shown}): {other:?}")),
                }
                if error.status() != Some(status) {
                    problems.push(format!("status() is {:?}", error.status()));
                }
                if !text.contains(&format!("answered {status}, a redirect to {shown}")) {
                    problems.push(format!("the text names neither status nor place: {text}"));
                }
                if text.contains("pw-secret") || debug.contains("pw-secret") {
                    problems.push(format!("a secret from the Location is shown: {debug}"));
                }
                let warned = match (call, status) {
                    (Call::Post, 303) => text.contains("usually means it was carried out"),
                    (Call::Post, _) => text.contains("may have been carried out"),
                    #[cfg(upstash_api_spec = "upstash-like")]
                    (Call::Get, _) => text.contains("check the base URL"),
                };
                if !warned {
                    problems.push(format!("the text does not say what happened: {text}"));
                }
                if !problems.is_empty() {
                    failures.push(format!(
                        "{call:?} {status} to {target}: {}",
                        problems.join("; ")
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A caller's own client that follows redirects: the SDK cannot stop it
/// following, but never takes what it led to as the API's answer, never
/// retries it, and says where it went.
#[tokio::test]
async fn a_followed_redirect_is_an_error_not_a_success_and_not_retried() {
    let following = || {
        upstash_api::http_client_builder()
            .unwrap()
            .redirect(reqwest::redirect::Policy::limited(10))
            .build()
            .unwrap()
    };
    // 303 to another path of the same server, which answers 200 "OK".
    let moved = FaultyServer::start(vec![
        Reply::full(303, &[("location", "/result?token=pw-secret")], ""),
        Reply::full(200, &[], "\"OK\""),
    ])
    .await;
    let client = support::builder_for(&moved.base_url())
        .http_client(following())
        .build()
        .unwrap();
    let error = client.restore_backup("db-1", "bk-1").await.unwrap_err();
    let text = error.to_string();
    assert!(
        matches!(&error, Error::Redirected { status: None, location: Some(l), method }
            if *l == format!("{}/result", moved.base_url()) && method == "POST"),
        "{error:?}"
    );
    assert!(text.contains("must not follow redirects"), "{text}");
    assert!(text.contains("may have been carried out"), "{text}");
    assert!(!text.contains("pw-secret"), "{text}");
    assert_eq!(
        moved.attempts(),
        2,
        "the POST and the GET the client followed with"
    );
    assert_eq!(moved.requests()[0].line(), format!("POST {PATH} HTTP/1.1"));

    // A 307 loop: the client gives up after 10 redirects (11 requests, in
    // one attempt); the SDK does not start another.
    let looping = FaultyServer::start(vec![Reply::full(307, &[("location", PATH)], "")]).await;
    let client = support::builder_for(&looping.base_url())
        .http_client(following())
        .build()
        .unwrap();
    let error = client.restore_backup("db-1", "bk-1").await.unwrap_err();
    assert!(
        matches!(error, Error::Redirected { status: None, .. }),
        "{error:?}"
    );
    assert_eq!(
        looping.attempts(),
        11,
        "one attempt: the request and 10 redirects"
    );
}

/// With a client that follows redirects, a failure to connect to where one
/// pointed is reported by reqwest like a failure to reach the API; a `POST`
/// that failed to connect is then returned, not sent again.
#[tokio::test]
async fn a_following_client_s_failed_connect_does_not_repeat_a_post() {
    for status in [301, 302, 303, 307, 308] {
        let closed = refused_url();
        let location = format!("{closed}/moved");
        let server = FaultyServer::start(vec![Reply::full(
            status,
            &[("location", location.as_str())],
            "",
        )])
        .await;
        let following = upstash_api::http_client_builder()
            .unwrap()
            .redirect(reqwest::redirect::Policy::limited(10))
            .build()
            .unwrap();
        let client = support::builder_for(&server.base_url())
            .http_client(following)
            .build()
            .unwrap();
        let error = client.restore_backup("db-1", "bk-1").await.unwrap_err();
        assert!(matches!(error, Error::Transport(_)), "{status}: {error:?}");
        assert_eq!(
            server.attempts(),
            1,
            "{status}: the POST reached the server once"
        );
    }
}
