//! `restore_backup` against a misbehaving server: faults httpmock cannot make.
//!
//! One table, one row per fault. Each row states the outcome the SDK's
//! documented policy (src/retry.rs, README "Errors" and "Retries and
//! timeouts") calls for: the `Error` variant or `Ok`, and how many attempts
//! the server must see. Every row is also checked for: no panic, a total
//! time within the bound the configured timeouts and retry policy allow,
//! short error texts (nothing buffered whole), and secret hygiene (neither
//! the API key nor the base64 `Authorization` value in TRACE logs, the
//! error's `Display` or `Debug`, or a panic message).
//!
//! Rows run in parallel, each on its own thread and runtime, so the file
//! takes about as long as its slowest row (a `Retry-After` of ~2 s).

mod support;

use std::time::{Duration, Instant, SystemTime};

use support::faulty_server::{FaultyServer, Flood, Reply, Request, Step, head, refused_url};
use support::{API_KEY, BASIC_TOKEN, EMAIL, logs};
use upstash_api::{Client, ClientBuilder, Credentials, Environment, Error, RetryPolicy};

/// The timeout of one attempt, and of connecting.
const TIMEOUT: Duration = Duration::from_millis(400);
const CONNECT_TIMEOUT: Duration = Duration::from_millis(400);
/// Added to every computed time bound: the machine may be busy.
const SLACK: Duration = Duration::from_secs(2);
/// Ten megabytes, for the flood rows.
const TEN_MB: usize = 10 * 1024 * 1024;
/// Longer than any error text the SDK should produce (messages are cut at
/// 300 characters).
const SHORT_TEXT: usize = 1024;

fn policy() -> RetryPolicy {
    support::fast_retries().with_max_retry_after(Duration::from_secs(3))
}

fn builder(base_url: &str) -> ClientBuilder {
    Client::builder()
        .environment(Environment::empty())
        .credentials(Credentials::new(EMAIL, API_KEY))
        .base_url(base_url)
        .retry_policy(policy())
        .timeout(TIMEOUT)
        .connect_timeout(CONNECT_TIMEOUT)
}

/// The longest a call making `attempts` attempts may take under the
/// configuration above: every attempt may use its connect timeout and its
/// timeout, every wait between attempts its maximum backoff, plus the waits
/// the server asked for, plus slack.
fn time_bound(attempts: u32, asked_waits: Duration) -> Duration {
    let retries = attempts.saturating_sub(1);
    (CONNECT_TIMEOUT + TIMEOUT) * attempts + policy().max_backoff() * retries + asked_waits + SLACK
}

type Outcome = Result<(), Error>;

/// A row's own check beyond the common ones.
type ExtraCheck = fn(&Observed) -> Result<(), String>;

/// One fault and what it must lead to.
struct Row {
    name: &'static str,
    /// What the server does for each attempt; `None`: nothing listens.
    replies: Option<Vec<Reply>>,
    /// The expected outcome, in words, for the report.
    expected: &'static str,
    check: fn(&Outcome) -> bool,
    /// Requests the server must read completely.
    server_attempts: usize,
    /// Attempts the SDK must report in its `upstash_api.request` span.
    sdk_attempts: u32,
    /// Waits the server asks for (`Retry-After`), part of the time bound.
    asked_waits: Duration,
    /// The call must take at least this long (proves a wait or a timeout).
    at_least: Duration,
    /// Further checks for this row.
    extra: Option<ExtraCheck>,
}

/// What a row's run produced.
struct Observed {
    outcome: Outcome,
    elapsed: Duration,
    logs: String,
    requests: Vec<Request>,
    floods: Vec<Flood>,
    idle: bool,
}

fn api(outcome: &Outcome, status: u16) -> Option<&str> {
    match outcome {
        Err(Error::Api { status: s, message }) if *s == status => {
            Some(message.as_deref().unwrap_or(""))
        }
        _ => None,
    }
}

/// A 429 asking to retry at a date 2 s ahead, made when it is sent; HTTP
/// dates have whole seconds, so the wait asked for is between 1 and 2 s.
fn rate_limited_until_a_date() -> Vec<u8> {
    let date = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(2));
    let body = "slow down";
    let mut bytes = head(429, &[("retry-after", &date)], Some(body.len()));
    bytes.extend_from_slice(body.as_bytes());
    bytes
}

fn rows() -> Vec<Row> {
    let tick = Duration::from_millis(50);
    let ok = || Reply::full(200, &[("content-type", "application/json")], "\"OK\"");
    let row = |name: &'static str,
               replies: Vec<Reply>,
               expected: &'static str,
               check: fn(&Outcome) -> bool,
               attempts: usize| Row {
        name,
        replies: Some(replies),
        expected,
        check,
        server_attempts: attempts,
        sdk_attempts: attempts as u32,
        asked_waits: Duration::ZERO,
        at_least: Duration::ZERO,
        extra: None,
    };
    vec![
        Row {
            server_attempts: 0,
            sdk_attempts: policy().max_retries() + 1,
            replies: None,
            ..row(
                "connection refused",
                vec![],
                "Transport (connect), retried to the limit",
                |o| {
                    matches!(o, Err(e @ Error::Transport(t)) if t.is_connect()
                        && e.to_string().starts_with("could not reach the API"))
                },
                0,
            )
        },
        row(
            "closed before the status line",
            vec![Reply::close_before_status(), ok()],
            "Transport (\"may still have been carried out\"), not retried (POST)",
            |o| {
                matches!(o, Err(e @ Error::Transport(t)) if !t.is_connect()
                    && e.to_string().contains("may still have been carried out"))
            },
            1,
        ),
        row(
            "reset after the request is read",
            vec![Reply::reset_after_request(), ok()],
            "Transport (\"may still have been carried out\"), not retried (POST)",
            |o| {
                matches!(o, Err(e @ Error::Transport(t)) if !t.is_connect()
                    && e.to_string().contains("may still have been carried out"))
            },
            1,
        ),
        row(
            "not HTTP at all (garbage, then close)",
            vec![
                Reply(vec![
                    Step::Send(b"\x00\xffSSH-2.0-OpenSSH\r\n\r\n".to_vec()),
                    Step::Close,
                ]),
                ok(),
            ],
            "Transport (\"may still have been carried out\"), not retried (POST)",
            |o| {
                matches!(o, Err(e @ Error::Transport(t)) if !t.is_connect()
                    && e.to_string().contains("may still have been carried out"))
            },
            1,
        ),
        row(
            "2xx body shorter than Content-Length",
            vec![Reply::short_body(200, 100, b"\"OK")],
            "Ok: any 2xx is success, whatever the body",
            |o| o.is_ok(),
            1,
        ),
        row(
            "500 body shorter than Content-Length",
            vec![Reply::short_body(500, 1000, b"database on fire")],
            "Api 500 with what arrived as the message, not retried",
            |o| api(o, 500) == Some("database on fire"),
            1,
        ),
        Row {
            at_least: TIMEOUT,
            ..row(
                "headers trickled slower than the timeout",
                vec![Reply::trickled_head(200, b"\"OK\"", tick), ok()],
                "Timeout, not retried (POST)",
                |o| matches!(o, Err(Error::Timeout)),
                1,
            )
        },
        Row {
            at_least: TIMEOUT,
            ..row(
                "2xx body trickled slower than the timeout",
                vec![
                    Reply::trickled_body(200, "\"OK\"".repeat(25).as_bytes(), tick),
                    ok(),
                ],
                "Ok: the 2xx status arrived, the restore happened",
                |o| o.is_ok(),
                1,
            )
        },
        Row {
            at_least: TIMEOUT,
            ..row(
                "500 body trickled slower than the timeout",
                vec![
                    Reply::trickled_body(500, "slow failure ".repeat(8).as_bytes(), tick),
                    ok(),
                ],
                "Api 500 with what arrived in time, not retried",
                |o| api(o, 500).is_some_and(|m| m.starts_with("slow")),
                1,
            )
        },
        row(
            "10 MB body on a 2xx",
            vec![Reply::flood(200, TEN_MB)],
            "Ok",
            |o| o.is_ok(),
            1,
        ),
        Row {
            extra: Some(error_body_left_unread),
            ..row(
                "10 MB body on a 500",
                vec![Reply::flood(500, TEN_MB)],
                "Api 500, message cut short, rest of the body unread",
                |o| api(o, 500).is_some_and(|m| m.starts_with("xxx") && m.len() <= 303),
                1,
            )
        },
        row(
            "invalid UTF-8 body on a 2xx",
            vec![Reply::full(200, &[], b"\"O\xff\xfeK\"")],
            "Ok",
            |o| o.is_ok(),
            1,
        ),
        row(
            "non-JSON body on a 2xx",
            vec![Reply::full(
                200,
                &[("content-type", "application/json")],
                "restored, {thanks",
            )],
            "Ok",
            |o| o.is_ok(),
            1,
        ),
        row(
            "invalid UTF-8 body on a 400",
            vec![Reply::full(400, &[], b"backup \xff\xfe is broken")],
            "Api 400, message decoded lossily",
            |o| api(o, 400) == Some("backup \u{fffd}\u{fffd} is broken"),
            1,
        ),
        row(
            "non-JSON body on a 400",
            vec![Reply::full(
                400,
                &[("content-type", "application/json")],
                "{\"error\": unterminated",
            )],
            "Api 400, the text as the message",
            |o| api(o, 400) == Some("{\"error\": unterminated"),
            1,
        ),
        row(
            "HTML 502 page",
            vec![
                Reply::full(
                    502,
                    &[("content-type", "text/html")],
                    "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\
                     <body><center><h1>502 Bad Gateway</h1></center><hr>nginx</body></html>",
                ),
                ok(),
            ],
            "Api 502, the title as the message, not retried (POST)",
            |o| api(o, 502) == Some("502 Bad Gateway"),
            1,
        ),
        Row {
            asked_waits: Duration::from_secs(1),
            at_least: Duration::from_secs(1),
            ..row(
                "429 Retry-After: 1, then 200",
                vec![Reply::full(429, &[("retry-after", "1")], "slow down"), ok()],
                "Ok after one retry, 1 s later",
                |o| o.is_ok(),
                2,
            )
        },
        Row {
            asked_waits: Duration::from_secs(2),
            // The date has whole seconds: the wait is between 1 and 2 s.
            at_least: Duration::from_millis(900),
            ..row(
                "429 Retry-After: <HTTP date>, then 200",
                vec![Reply(vec![Step::Generate(rate_limited_until_a_date)]), ok()],
                "Ok after one retry, at the date",
                |o| o.is_ok(),
                2,
            )
        },
        row(
            "503, then 200",
            vec![Reply::full(503, &[], "try later"), ok()],
            "Ok after one retry",
            |o| o.is_ok(),
            2,
        ),
        row(
            "503 every time",
            vec![Reply::full(503, &[], "try later")],
            "Api 503 after every retry allowed",
            |o| api(o, 503) == Some("try later"),
            policy().max_retries() as usize + 1,
        ),
        row(
            "401 echoing the credentials it was sent",
            vec![Reply::full(
                401,
                &[("content-type", "application/json")],
                format!(
                    "{{\"error\":\"bad key {API_KEY} in authorization: Basic {BASIC_TOKEN}\"}}"
                ),
            )],
            "Authentication 401, the echoed secrets redacted from the message",
            |o| {
                matches!(o, Err(Error::Authentication { status: 401, message: Some(m) })
                    if m == "bad key <redacted> in authorization: Basic <redacted>")
            },
            1,
        ),
    ]
}

/// The SDK reads at most 64 KiB of an error body and then drops the
/// connection: the server hits a closed connection long before 10 MB are out.
fn error_body_left_unread(seen: &Observed) -> Result<(), String> {
    if !seen.idle {
        return Err("the server was still writing 3 s after the call returned".into());
    }
    match seen.floods.as_slice() {
        // ~240 KiB get out in practice (what the client read, its socket
        // and read buffers, the server's small send buffer); 2 MiB leaves
        // room while still proving the rest of the 10 MB was never read.
        [flood] if flood.peer_hung_up && flood.written < 2 * 1024 * 1024 => Ok(()),
        other => Err(format!("the client read the whole body: {other:?}")),
    }
}

/// Fails when `text` holds the API key or the Authorization value.
fn check_clean(what: &str, text: &str, problems: &mut Vec<String>) {
    if text.contains(API_KEY) {
        problems.push(format!("{what} shows the API key"));
    }
    if text.contains(BASIC_TOKEN) {
        problems.push(format!("{what} shows the Authorization value"));
    }
}

/// The last `attempts=N` recorded on the request span.
fn logged_attempts(logs: &str) -> Option<u32> {
    let at = logs.rfind("attempts=")? + "attempts=".len();
    let digits: String = logs[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

/// Runs one row; `Ok` holds a line for the report.
fn run(row: Row) -> Result<String, String> {
    let Row {
        name,
        replies,
        expected,
        check,
        server_attempts,
        sdk_attempts,
        asked_waits,
        at_least,
        extra,
    } = row;
    let (seen, logs) = logs::capture_async(async move {
        let server = match replies {
            Some(replies) => Some(FaultyServer::start(replies).await),
            None => None,
        };
        let url = server
            .as_ref()
            .map(FaultyServer::base_url)
            .unwrap_or_else(refused_url);
        let client = builder(&url).build().expect("client builds");
        let started = Instant::now();
        let outcome = client.restore_backup("db", "bk").await;
        let elapsed = started.elapsed();
        // Closes its pooled keep-alive connections, so the server goes idle.
        drop(client);
        let (requests, floods, idle) = match &server {
            Some(server) => {
                let idle = server.wait_until_idle(Duration::from_secs(3)).await;
                (server.requests(), server.floods(), idle)
            }
            None => (Vec::new(), Vec::new(), true),
        };
        Observed {
            outcome,
            elapsed,
            logs: String::new(),
            requests,
            floods,
            idle,
        }
    });
    let seen = Observed { logs, ..seen };
    let mut problems = Vec::new();

    if !check(&seen.outcome) {
        problems.push(format!("expected {expected}, got {:?}", seen.outcome));
    }
    if seen.requests.len() != server_attempts {
        problems.push(format!(
            "the server saw {} attempts, expected {server_attempts}",
            seen.requests.len()
        ));
    }
    match logged_attempts(&seen.logs) {
        Some(n) if n == sdk_attempts => {}
        other => problems.push(format!(
            "the request span says attempts={other:?}, expected {sdk_attempts}"
        )),
    }
    let bound = time_bound(sdk_attempts, asked_waits);
    if seen.elapsed > bound {
        problems.push(format!("took {:?}, bound {bound:?}", seen.elapsed));
    }
    if seen.elapsed < at_least {
        problems.push(format!(
            "took only {:?}, at least {at_least:?}",
            seen.elapsed
        ));
    }
    for request in &seen.requests {
        // The secret was on the wire, so its absence below means something.
        let expected_auth = format!("Basic {BASIC_TOKEN}");
        if request.line() != "POST /redis/restore-backup/db HTTP/1.1"
            || request.header("authorization") != Some(expected_auth.as_str())
            || request.body != br#"{"backup_id":"bk"}"#
        {
            problems.push(format!("unexpected request: {request:?}"));
        }
    }
    if !seen.logs.contains("upstash_api.request") {
        problems.push("no request span in the TRACE logs".into());
    }
    check_clean("TRACE logs", &seen.logs, &mut problems);
    if let Err(e) = &seen.outcome {
        let display = e.to_string();
        let debug = format!("{e:?}");
        let pretty = format!("{e:#?}");
        check_clean("error Display", &display, &mut problems);
        check_clean("error Debug", &debug, &mut problems);
        check_clean("error Debug (pretty)", &pretty, &mut problems);
        if display.len() > SHORT_TEXT || debug.len() > SHORT_TEXT {
            problems.push(format!(
                "error text too long: Display {} bytes, Debug {} bytes",
                display.len(),
                debug.len()
            ));
        }
    }
    if let Some(extra) = extra
        && let Err(problem) = extra(&seen)
    {
        problems.push(problem);
    }
    if problems.is_empty() {
        let shown = match &seen.outcome {
            Ok(()) => "Ok".to_string(),
            Err(e) => e.to_string().chars().take(160).collect(),
        };
        let floods: String = seen
            .floods
            .iter()
            .map(|f| format!(" (server got {} of {} bytes out)", f.written, f.total))
            .collect();
        Ok(format!(
            "{name:<42} {expected:<58} attempts {:>1}/{sdk_attempts} {:>6} ms (bound {} ms){floods}\n    -> {shown}",
            seen.requests.len(),
            seen.elapsed.as_millis(),
            bound.as_millis()
        ))
    } else {
        Err(format!(
            "{}\n    outcome: {:?}\n    logs:\n{}",
            problems.join("\n    "),
            seen.outcome,
            seen.logs
        ))
    }
}

fn panic_text(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_else(|| "<not a string>".into())
}

#[test]
fn every_fault_ends_as_documented() {
    let started = Instant::now();
    let rows = rows();
    let count = rows.len();
    let runs: Vec<_> = rows
        .into_iter()
        .map(|row| (row.name, std::thread::spawn(move || run(row))))
        .collect();
    let mut report = Vec::new();
    let mut failures = Vec::new();
    for (name, run) in runs {
        match run.join() {
            Ok(Ok(line)) => report.push(line),
            Ok(Err(problems)) => failures.push(format!("{name}: {problems}")),
            Err(payload) => {
                let text = panic_text(payload.as_ref());
                let mut problems = Vec::new();
                check_clean("panic message", &text, &mut problems);
                failures.push(format!("{name}: panicked: {text} {problems:?}"));
            }
        }
    }
    eprintln!("{}", report.join("\n"));
    assert!(
        failures.is_empty(),
        "{} of {count} fault rows failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert_eq!(report.len(), count);
    assert!(
        started.elapsed() < Duration::from_secs(12),
        "the fault table took {:?}",
        started.elapsed()
    );
}

/// Fails the test when `text` holds the API key or the Authorization value.
fn assert_clean(what: &str, text: &str) {
    let mut problems = Vec::new();
    check_clean(what, text, &mut problems);
    assert!(problems.is_empty(), "{problems:?}: {text}");
}

/// What tests/redaction.rs does not cover: credentials, builders and clients
/// resolved from the environment and from the CLI's files, the errors for
/// half or unreadable credentials, and the TRACE logs while resolving them.
#[test]
fn debug_is_clean_for_every_credential_source() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.json");
    std::fs::write(
        &config,
        format!(r#"{{"email": "{EMAIL}", "api_key": "{API_KEY}"}}"#),
    )
    .unwrap();
    // Readable by others: the SDK warns, and the warning must not quote the key.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(&config, std::fs::Permissions::from_mode(0o644)).unwrap();
    }
    let from_variables = Environment::empty()
        .var("UPSTASH_EMAIL", EMAIL)
        .var("UPSTASH_API_KEY", API_KEY);
    let from_file = Environment::empty().var("UPSTASH_CONFIG_HOME", dir.path());

    let logs = logs::capture(|| {
        for (source, environment) in [("variables", &from_variables), ("CLI file", &from_file)] {
            let credentials = Credentials::resolve(environment).unwrap();
            assert_eq!(credentials.email(), EMAIL, "{source}");
            for (form, text) in [
                ("Debug", format!("{credentials:?}")),
                ("pretty Debug", format!("{credentials:#?}")),
                ("Display", credentials.to_string()),
            ] {
                assert_clean(&format!("Credentials from {source} {form}"), &text);
            }
            let builder = Client::builder()
                .environment(environment.clone())
                .base_url("http://127.0.0.1:9")
                .retry_policy(RetryPolicy::disabled());
            assert_clean(
                &format!("builder ({source}) Debug"),
                &format!("{builder:?}"),
            );
            assert_clean(
                &format!("builder ({source}) Debug"),
                &format!("{builder:#?}"),
            );
            let client = builder.build().unwrap();
            assert_clean(&format!("client ({source}) Debug"), &format!("{client:?}"));
            assert_clean(&format!("client ({source}) Debug"), &format!("{client:#?}"));
            assert_clean(
                &format!("client.credentials() ({source}) Debug"),
                &format!("{:?}", client.credentials()),
            );
        }
    });
    assert!(
        logs.contains("readable by other users"),
        "the shared-file warning was not logged: {logs}"
    );
    assert_clean("TRACE logs while resolving credentials", &logs);

    // Half a pair, and a file that is not JSON but holds the key.
    let broken = tempfile::tempdir().unwrap();
    std::fs::write(
        broken.path().join("config.json"),
        format!(r#"{{"email": "{EMAIL}", "api_key": "{API_KEY}""#),
    )
    .unwrap();
    for environment in [
        Environment::empty().var("UPSTASH_API_KEY", API_KEY),
        Environment::empty().var("UPSTASH_CONFIG_HOME", broken.path()),
    ] {
        let err = Client::builder()
            .environment(environment.clone())
            .build()
            .unwrap_err();
        assert!(matches!(err, Error::Credentials(_)), "{err:?}");
        assert_clean("credentials error Display", &err.to_string());
        assert_clean("credentials error Debug", &format!("{err:?}"));
        assert_clean("credentials error Debug", &format!("{err:#?}"));
    }
}
