//! Every operation of the spec, called through the SDK's public API
//! (`client.api().<operation>()...send()`), against Prism, an OpenAPI mock
//! server that validates each request against the spec and answers from it.
//!
//! - Each call must succeed: a 422 from Prism means the SDK sent something
//!   the spec forbids (a missing or ill-typed parameter or body field), a 401
//!   that it sent no basic auth, a 404 that it used a path the spec lacks.
//! - Each answer must parse into the SDK's types. In static mode (`prism
//!   mock`) Prism answers from the spec's examples and schemas, once per
//!   operation; in dynamic mode (`prism mock -d`) it makes up a random answer
//!   from the schemas for each call, and every operation is called several
//!   times.
//! - The operations called are exactly the spec's `operationId`s (read from
//!   the spec file at run time), so an operation added to the spec without a
//!   call here fails the run.
//! - A negative control: a request the spec forbids, sent with plain
//!   `reqwest`, must be refused with 422 (and one without credentials with
//!   401), so a Prism that validates nothing cannot make the run pass.
//!
//! The tests are ignored by a plain `cargo test`; `.ci/prism-check SPEC`
//! installs Prism, starts it on 127.0.0.1 in each mode and runs them:
//!
//! ```text
//! .ci/prism-check openapi.yml
//! .ci/prism-check tests/fixtures/upstash-like.yml
//! ```
//!
//! By hand, with Prism already listening:
//!
//! ```text
//! UPSTASH_API_SPEC=tests/fixtures/upstash-like.yml \
//! UPSTASH_API_PRISM_URL=http://127.0.0.1:4010 UPSTASH_API_PRISM_MODE=dynamic \
//! UPSTASH_API_PRISM_DRAWS=5 cargo test --test prism -- --ignored
//! ```
//!
//! `UPSTASH_API_PRISM_URL` is required. `UPSTASH_API_PRISM_MODE` is `static`
//! (the default) or `dynamic`; `UPSTASH_API_PRISM_DRAWS` is how many times
//! each operation is called (default 1 in static mode, 5 in dynamic mode).
//! `UPSTASH_API_SPEC` must name the spec the crate was built from (default
//! `openapi.yml`), relative to the crate's root.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Debug;
use std::path::{Path, PathBuf};
use std::time::Duration;

use upstash_api::{Client, Credentials, Environment, Error, RetryPolicy};

const URL_VAR: &str = "UPSTASH_API_PRISM_URL";
const MODE_VAR: &str = "UPSTASH_API_PRISM_MODE";
const DRAWS_VAR: &str = "UPSTASH_API_PRISM_DRAWS";
const SPEC_VAR: &str = "UPSTASH_API_SPEC";

const EMAIL: &str = "prism@example.com";
const API_KEY: &str = "prism-check-key";

/// The stem of the spec file the crate was generated from (see `build.rs`).
#[cfg(upstash_api_spec = "openapi")]
const BUILT_FROM: Option<&str> = Some("openapi");
#[cfg(upstash_api_spec = "upstash-like")]
const BUILT_FROM: Option<&str> = Some("upstash-like");
#[cfg(not(any(upstash_api_spec = "openapi", upstash_api_spec = "upstash-like")))]
const BUILT_FROM: Option<&str> = None;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    Static,
    Dynamic,
}

/// What the environment says about the Prism under test.
struct Setup {
    url: String,
    mode: Mode,
    draws: usize,
}

impl Setup {
    /// Reads the environment; a missing or malformed variable fails the test.
    fn from_env() -> Setup {
        let url = match std::env::var(URL_VAR) {
            Ok(url) if !url.trim().is_empty() => url.trim().trim_end_matches('/').to_string(),
            _ => panic!(
                "{URL_VAR} is not set: these tests need a running Prism \
                 (run `.ci/prism-check SPEC_FILE`, or start `prism mock` and set \
                 {URL_VAR}=http://127.0.0.1:PORT)"
            ),
        };
        let mode = match std::env::var(MODE_VAR).as_deref() {
            Err(std::env::VarError::NotPresent) | Ok("static") => Mode::Static,
            Ok("dynamic") => Mode::Dynamic,
            Ok(other) => panic!("{MODE_VAR} must be `static` or `dynamic`, not {other:?}"),
            Err(e) => panic!("{MODE_VAR}: {e}"),
        };
        let draws = match std::env::var(DRAWS_VAR) {
            Err(std::env::VarError::NotPresent) => match mode {
                Mode::Static => 1,
                Mode::Dynamic => 5,
            },
            Ok(text) => match text.trim().parse::<usize>() {
                Ok(n) if n > 0 => n,
                _ => panic!("{DRAWS_VAR} must be a whole number above 0, not {text:?}"),
            },
            Err(e) => panic!("{DRAWS_VAR}: {e}"),
        };
        Setup { url, mode, draws }
    }

    fn client(&self) -> Client {
        Client::builder()
            .environment(Environment::empty())
            .credentials(Credentials::new(EMAIL, API_KEY))
            .base_url(&self.url)
            // A 422 or a 5xx must show, not be retried away.
            .retry_policy(RetryPolicy::disabled())
            .timeout(Duration::from_secs(30))
            .build()
            .unwrap_or_else(|e| panic!("cannot build a client for {}: {e}", self.url))
    }
}

/// The spec file under test: `UPSTASH_API_SPEC` (relative to the crate's
/// root), else `openapi.yml`, as `build.rs` picks it.
fn spec_path() -> PathBuf {
    let named = std::env::var_os(SPEC_VAR)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("openapi.yml"));
    if named.is_absolute() {
        named
    } else {
        Path::new(env!("CARGO_MANIFEST_DIR")).join(named)
    }
}

/// Every `operationId` in the spec, in snake case (the generated method
/// names). A line scan: the specs this runs on are our own files.
fn spec_operations(spec: &Path) -> BTreeSet<String> {
    let text = std::fs::read_to_string(spec)
        .unwrap_or_else(|e| panic!("cannot read the spec {}: {e}", spec.display()));
    text.lines()
        .filter_map(|line| line.trim_start().strip_prefix("operationId:"))
        .map(|id| snake_case(id.trim().trim_matches(|c| c == '"' || c == '\'')))
        .collect()
}

/// An operationId as the generated method is named (ARCHITECTURE.md,
/// "Names"), written here again from the rule rather than taken from
/// codegen, so that this test checks it: words split between a lowercase
/// letter or a digit and a capital, and before the last
/// capital of a run that a lowercase letter follows, unless that leaves a
/// single capital other than `A` in front (`QStash`), a version behind
/// (`APIv2`) or a plural `s` (`URLs`): `getQStashIPv4` -> `get_qstash_ipv4`.
fn snake_case(id: &str) -> String {
    let mut words: Vec<String> = Vec::new();
    for chunk in id.split(|c: char| !c.is_alphanumeric()) {
        let chars: Vec<char> = chunk.chars().collect();
        let mut word = String::new();
        for (i, &c) in chars.iter().enumerate() {
            let next = chars.get(i + 1);
            let acronym_end = c.is_uppercase()
                && i > 0
                && chars[i - 1].is_uppercase()
                && next.is_some_and(|n| n.is_lowercase())
                && {
                    let run = word.chars().count();
                    let single = run == 1 && !word.starts_with('A');
                    let back = &chars[i + 1..];
                    let version = back.get(1).is_some_and(|c| c.is_ascii_digit());
                    let plural = back[0] == 's' && back.get(1).is_none_or(|c| !c.is_lowercase());
                    !(single || version || plural)
                };
            let camel = c.is_uppercase()
                && i > 0
                && (chars[i - 1].is_lowercase() || chars[i - 1].is_ascii_digit());
            if (camel || acronym_end) && !word.is_empty() {
                words.push(std::mem::take(&mut word));
            }
            word.push(c);
        }
        if !word.is_empty() {
            words.push(word);
        }
    }
    words.join("_").to_lowercase()
}

/// What the calls of one run gave.
#[derive(Default)]
struct Run {
    draw: usize,
    called: BTreeSet<&'static str>,
    /// Per operation, each answer as `Debug` text, in draw order.
    answers: BTreeMap<&'static str, Vec<String>>,
    failures: Vec<String>,
}

impl Run {
    // Unused only for a spec `call_every_operation` has no calls for.
    #[cfg_attr(
        not(any(upstash_api_spec = "openapi", upstash_api_spec = "upstash-like")),
        allow(dead_code)
    )]
    fn record<T: Debug>(&mut self, operation: &'static str, answer: Result<T, Error>) {
        self.called.insert(operation);
        match answer {
            Ok(value) => self
                .answers
                .entry(operation)
                .or_default()
                .push(format!("{value:?}")),
            Err(e) => {
                let hint = match &e {
                    Error::Api { status: 422, .. } => {
                        " <- Prism refused the request the SDK sent: it breaks the spec \
                         (Prism's log names the field)"
                    }
                    Error::UnreadableResponse { .. } => {
                        " <- the SDK could not parse Prism's answer, which Prism made from the spec"
                    }
                    _ => "",
                };
                self.failures.push(format!(
                    "{operation} (draw {}): {e}{hint}\n    {e:?}",
                    self.draw + 1
                ));
            }
        }
    }
}

/// Calls `client.api().<operation>()`, then the given setters, then
/// `send()`, and records the typed answer or the error under the
/// operation's name, so the name recorded is the method called.
#[cfg_attr(
    not(any(upstash_api_spec = "openapi", upstash_api_spec = "upstash-like")),
    allow(unused_macros)
)]
macro_rules! call {
    ($run:expr, $client:expr, $operation:ident $(. $setter:ident ( $($arg:expr),* ))*) => {{
        let answer = async {
            Ok::<_, Error>(
                $client
                    .api()
                    .$operation()
                    $(.$setter($($arg),*))*
                    .send()
                    .await?
                    .into_inner(),
            )
        }
        .await;
        $run.record(stringify!($operation), answer);
    }};
}

/// The seed spec: its one operation.
#[cfg(upstash_api_spec = "openapi")]
async fn call_every_operation(client: &Client, run: &mut Run) {
    call!(
        run,
        client,
        restore_backup.id("db-1").body_map(|b| b.backup_id("bk-1"))
    );
}

/// The fixture shaped like the full Upstash API: all 20 operations, with
/// every optional query parameter and most optional body fields set.
#[cfg(upstash_api_spec = "upstash-like")]
async fn call_every_operation(client: &Client, run: &mut Run) {
    use upstash_api::types;

    const DB: &str = "db-1";
    const TEAM: &str = "6a1f4c1e-2b1d-4e55-9f7a-0c4e5b7d8a91";
    const MEMBER: &str = "dev@example.com";

    call!(
        run,
        client,
        restore_backup.id(DB).body_map(|b| b.backup_id("bk-1"))
    );
    call!(run, client, list_databases);
    call!(
        run,
        client,
        create_database.body_map(|b| b
            .name("cache")
            .platform(types::Platform::Aws)
            .primary_region(types::Region::EuWest1)
            .read_regions(vec![types::Region::UsEast1, types::Region::ApSoutheast1])
            .budget(5_000_i64)
            .tls(true))
    );
    call!(
        run,
        client,
        get_database.id(DB).credentials(types::Credentials::Hide)
    );
    call!(run, client, delete_database.id(DB));
    call!(
        run,
        client,
        update_regions
            .id(DB)
            .body_map(|b| b.read_regions(vec![types::Region::UsWest2, types::Region::SaEast1]))
    );
    call!(run, client, delete_backup.id(DB).backup_id("bk-1"));
    call!(run, client, list_backups.id(DB));
    call!(
        run,
        client,
        get_database_stats
            .id(DB)
            .period(types::Period::X1d)
            .limit(5)
    );
    call!(run, client, list_teams);
    call!(
        run,
        client,
        // A type answers can hold is `#[non_exhaustive]`: built with its builder.
        change_member_role.body_map(|b| b
            .team_id(TEAM)
            .member_email(MEMBER)
            .member_role(types::MemberRole::Dev))
    );
    call!(
        run,
        client,
        remove_team_member.body_map(|b| b.team_id(TEAM).member_email(MEMBER))
    );
    call!(run, client, list_vector_indices);
    call!(
        run,
        client,
        create_vector_index.body_map(|b| b
            .name("embeddings")
            .region(types::Region::UsEast1)
            .similarity_function(types::SimilarityFunction::Cosine)
            .dimension_count(1536_u32)
            .type_(types::Type::Payg))
    );
    call!(run, client, delete_search_index.id("search-1"));
    call!(run, client, get_qstash_user);
    call!(
        run,
        client,
        create_backup.id(DB).body_map(|b| b.name("nightly"))
    );
    call!(run, client, enable_daily_backup.id(DB));
    call!(
        run,
        client,
        rename_vector_index
            .id("index-1")
            .body_map(|b| b.name("renamed"))
    );
    // Served from a server of its own (the API's root, without /v2): Prism
    // serves every path from its root, as does the SDK with a base URL
    // without the spec server's /v2.
    call!(run, client, list_audit_logs);
}

/// A spec this file has no calls for: the run fails on the check below.
#[cfg(not(any(upstash_api_spec = "openapi", upstash_api_spec = "upstash-like")))]
async fn call_every_operation(_client: &Client, _run: &mut Run) {}

#[tokio::test]
#[ignore = "needs Prism: run .ci/prism-check SPEC_FILE"]
async fn every_operation_is_accepted_and_its_answers_parse() {
    let setup = Setup::from_env();
    let spec = spec_path();
    let stem = spec.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    assert_eq!(
        Some(stem),
        BUILT_FROM,
        "{} is not the spec the crate was built from (BUILT_FROM: {BUILT_FROM:?}); \
         set {SPEC_VAR} to the same file for the build and the test, and write \
         the calls for a new spec in tests/prism.rs",
        spec.display()
    );
    let expected = spec_operations(&spec);
    assert!(
        !expected.is_empty(),
        "no operationId found in {}",
        spec.display()
    );

    let client = setup.client();
    let mut run = Run::default();
    for draw in 0..setup.draws {
        run.draw = draw;
        call_every_operation(&client, &mut run).await;
    }

    let called: BTreeSet<String> = run.called.iter().map(|s| s.to_string()).collect();
    let not_called: Vec<&String> = expected.difference(&called).collect();
    let not_in_spec: Vec<&String> = called.difference(&expected).collect();
    let mut problems = Vec::new();
    if !not_called.is_empty() || !not_in_spec.is_empty() {
        problems.push(format!(
            "the operations called are not the spec's ({}): not called: {not_called:?}; \
             called but not in the spec: {not_in_spec:?}. Add a call for each new \
             operation to `call_every_operation` in tests/prism.rs",
            spec.display()
        ));
    }
    if !run.failures.is_empty() {
        problems.push(format!(
            "{} of {} calls failed:\n  {}",
            run.failures.len(),
            called.len() * setup.draws,
            run.failures.join("\n  ")
        ));
    }
    // Dynamic mode makes up each answer: with several draws, some answer
    // must differ from the first, or Prism is not in dynamic mode.
    if setup.mode == Mode::Dynamic && setup.draws > 1 && run.failures.is_empty() {
        let varied = run
            .answers
            .values()
            .any(|answers| answers.iter().any(|a| a != &answers[0]));
        if !varied {
            problems.push(format!(
                "dynamic mode, {} draws: every operation got the same answer each time; \
                 is Prism running with -d?",
                setup.draws
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "Prism at {} ({:?} mode), spec {}:\n{}",
        setup.url,
        setup.mode,
        spec.display(),
        problems.join("\n")
    );
    eprintln!(
        "prism ({:?}): {} operations x {} draws accepted, every answer parsed",
        setup.mode,
        called.len(),
        setup.draws
    );
}

/// Prism must refuse what the spec forbids; else the test above proves
/// nothing. Sent with plain `reqwest`, not through the SDK.
#[tokio::test]
#[ignore = "needs Prism: run .ci/prism-check SPEC_FILE"]
async fn prism_refuses_a_request_the_spec_forbids() {
    let setup = Setup::from_env();
    let http = upstash_api::http_client_builder()
        .unwrap_or_else(|e| panic!("cannot set up a reqwest client: {e}"))
        .build()
        .unwrap_or_else(|e| panic!("cannot build a reqwest client: {e}"));
    let url = format!("{}/redis/restore-backup/db-1", setup.url);
    let send = |body: serde_json::Value, auth: bool| {
        let mut request = http.post(&url).json(&body);
        if auth {
            request = request.basic_auth(EMAIL, Some(API_KEY));
        }
        status_and_body(request, &url)
    };

    // The body misses the required `backup_id`.
    let (status, body) = send(serde_json::json!({}), true).await;
    assert_eq!(
        status, 422,
        "Prism accepted a restore without the required backup_id (it answered {status}: \
         {body}); it is not validating requests, so its 200s prove nothing"
    );
    assert!(
        body.contains("backup_id"),
        "Prism's 422 should name the missing backup_id: {body}"
    );

    // No basic auth on an operation that requires it.
    let (status, body) = send(serde_json::json!({ "backup_id": "bk-1" }), false).await;
    assert_eq!(
        status, 401,
        "Prism accepted a restore without credentials (it answered {status}: {body})"
    );

    // And the same request, valid, is accepted: the refusals above are
    // about what was wrong, not about the route.
    let (status, body) = send(serde_json::json!({ "backup_id": "bk-1" }), true).await;
    assert!(
        (200..300).contains(&status),
        "a valid restore was refused ({status}): {body}"
    );
    eprintln!(
        "prism ({:?}): an invalid body got 422, no credentials 401",
        setup.mode
    );
}

/// Sends `request`; its status and body, or a panic naming `url`.
async fn status_and_body(request: reqwest::RequestBuilder, url: &str) -> (u16, String) {
    let response = request
        .send()
        .await
        .unwrap_or_else(|e| panic!("POST {url}: {e}"));
    let status = response.status().as_u16();
    let text = response
        .text()
        .await
        .unwrap_or_else(|e| panic!("POST {url}: reading the body: {e}"));
    (status, text)
}

#[test]
fn operation_ids_become_progenitor_method_names() {
    for (id, method) in [
        ("restoreBackup", "restore_backup"),
        ("listAuditLogs", "list_audit_logs"),
        ("getQstashUser", "get_qstash_user"),
        ("getHTTPStats", "get_http_stats"),
        ("list-teams", "list_teams"),
        ("create_backup", "create_backup"),
        ("getV2Stats", "get_v2_stats"),
        ("getQStashIPv4", "get_qstash_ipv4"),
        ("getQStashUser", "get_qstash_user"),
        ("getAUser", "get_a_user"),
        ("listURLs", "list_urls"),
        ("getAPIv2Key", "get_apiv2_key"),
        ("getHTTPServerV2", "get_http_server_v2"),
    ] {
        assert_eq!(snake_case(id), method, "{id}");
    }
}
