//! Per-call overhead of the SDK against hand-written reqwest calls.
//!
//! ```text
//! cargo bench --bench call_overhead            # default: 10000 sequential calls, 3000 batches of 64
//! cargo bench --bench call_overhead -- 10000 400
//! cargo bench --bench call_overhead -- --operation restore_backup
//! # also a generated operation that returns an object (GET /redis/database/{id}):
//! UPSTASH_API_SPEC=tests/fixtures/upstash-like.yml cargo bench --bench call_overhead
//! ```
//!
//! Both sides use one and the same `reqwest::Client` (same settings, same
//! connection pool), send identical headers and body, and talk to the same
//! hyper server on 127.0.0.1 that answers `"OK"` to the restore and a
//! database object to the GET (parsed into `types::Database` on both sides). Sequential calls
//! alternate call by call, batches alternate which side goes first, so drift
//! on the machine affects both alike. The sequential ratio still moves by a
//! few percent from run to run (one call is ~85 µs, mostly waiting on the
//! loopback socket); `--only sdk|hand N` under callgrind gives a count that
//! does not. Reported: median
//! latency of each side, sequential and with 64 calls in flight, and the
//! ratio of medians (target: SDK / hand-written <= 1.05).

use std::convert::Infallible;
use std::time::{Duration, Instant};

use http_body_util::Full;
use hyper::body::Bytes;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderValue, USER_AGENT};
use upstash_api::{Client, Credentials, Environment, RetryPolicy};

const EMAIL: &str = "bench@example.com";
const API_KEY: &str = "bench-key";
const CONCURRENCY: usize = 64;
/// A database as the API describes one (the GET's answer).
const DATABASE: &[u8] = br#"{"database_id":"0b9a7a8e-6a0c-4c35-9d5b-2f0f3f8f1a11","database_name":"cache","region":"global","port":6379,"creation_time":1732000000000,"state":"active","password":"secret","endpoint":"cache.upstash.io","tls":true,"read_regions":["eu-west-1","us-east-1"],"db_memory_threshold":1073741824,"db_request_limit":1000000,"labels":{"env":"prod","team":"core"}}"#;

async fn serve_ok() -> std::net::SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                break;
            };
            tokio::spawn(async move {
                let service = service_fn(|req: hyper::Request<hyper::body::Incoming>| async move {
                    let body: &'static [u8] = if req.method() == hyper::Method::GET {
                        DATABASE
                    } else {
                        b"\"OK\""
                    };
                    Ok::<_, Infallible>(
                        hyper::Response::builder()
                            .header("content-type", "application/json")
                            .body(Full::new(Bytes::from_static(body)))
                            .unwrap(),
                    )
                });
                let _ = http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    addr
}

/// The request the SDK sends, written by hand.
#[derive(Clone)]
struct HandWritten {
    http: reqwest::Client,
    /// The base URL (the GET's path is added to it).
    #[cfg_attr(not(upstash_api_spec = "upstash-like"), allow(dead_code))]
    base: String,
    url: String,
    authorization: HeaderValue,
}

impl HandWritten {
    async fn restore(&self, db: &str, backup: &str) {
        let response = self
            .http
            .post(format!("{}/{db}", self.url))
            .header(ACCEPT, "application/json")
            .header(CONTENT_TYPE, "application/json")
            .header(AUTHORIZATION, self.authorization.clone())
            .header(USER_AGENT, upstash_api::DEFAULT_USER_AGENT)
            .timeout(upstash_api::DEFAULT_TIMEOUT)
            .body(serde_json::to_vec(&serde_json::json!({ "backup_id": backup })).unwrap())
            .send()
            .await
            .unwrap();
        assert!(response.status().is_success());
        let body = response.bytes().await.unwrap();
        assert_eq!(&body[..], b"\"OK\"");
    }

    /// `GET /redis/database/{id}`, parsed into the generated type.
    #[cfg(upstash_api_spec = "upstash-like")]
    async fn get_database(&self, db: &str) -> upstash_api::types::Database {
        let response = self
            .http
            .get(format!("{}/redis/database/{db}", self.base))
            .header(ACCEPT, "application/json")
            .header(AUTHORIZATION, self.authorization.clone())
            .header(USER_AGENT, upstash_api::DEFAULT_USER_AGENT)
            .timeout(upstash_api::DEFAULT_TIMEOUT)
            .send()
            .await
            .unwrap();
        assert!(response.status().is_success());
        serde_json::from_slice(&response.bytes().await.unwrap()).unwrap()
    }
}

/// One operation, as both sides call it.
#[derive(Clone, Copy)]
enum Operation {
    /// `POST /redis/restore-backup/{id}`, answered `"OK"`.
    Restore,
    /// `GET /redis/database/{id}`, answered with an object.
    #[cfg(upstash_api_spec = "upstash-like")]
    GetDatabase,
}

impl Operation {
    /// Every operation the spec the crate was built from has.
    fn all() -> Vec<Operation> {
        #[allow(unused_mut)]
        let mut all = vec![Operation::Restore];
        #[cfg(upstash_api_spec = "upstash-like")]
        all.push(Operation::GetDatabase);
        all
    }

    fn name(self) -> &'static str {
        match self {
            Operation::Restore => "restore_backup",
            #[cfg(upstash_api_spec = "upstash-like")]
            Operation::GetDatabase => "get_database",
        }
    }

    async fn sdk(self, sdk: &Client) {
        match self {
            Operation::Restore => sdk.restore_backup("db", "bk").await.unwrap(),
            #[cfg(upstash_api_spec = "upstash-like")]
            Operation::GetDatabase => {
                let database = sdk.api().get_database().id("db").send().await.unwrap();
                assert_eq!(database.into_inner().port, Some(6379));
            }
        }
    }

    async fn hand(self, hand: &HandWritten) {
        match self {
            Operation::Restore => hand.restore("db", "bk").await,
            #[cfg(upstash_api_spec = "upstash-like")]
            Operation::GetDatabase => {
                assert_eq!(hand.get_database("db").await.port, Some(6379));
            }
        }
    }
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort_unstable();
    samples[samples.len() / 2]
}

fn main() {
    let only = std::env::args().skip_while(|a| a != "--only").nth(1);
    // `--operation NAME`: that operation alone (`restore_backup`, `get_database`).
    let chosen = std::env::args().skip_while(|a| a != "--operation").nth(1);
    let operations: Vec<Operation> = Operation::all()
        .into_iter()
        .filter(|op| chosen.as_deref().is_none_or(|name| name == op.name()))
        .collect();
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let sequential_calls = args.first().copied().unwrap_or(10_000);
    // A batch takes ~1.5 ms; with 300 the median moved by ~3 % from run to
    // run, with 3000 (~10 s a side) by ~1 %.
    let batches = args.get(1).copied().unwrap_or(3000);

    // `--only` runs under a profiler: one thread, so that instruction counts
    // do not depend on how two workers happened to share the work.
    let runtime = if only.is_some() {
        tokio::runtime::Builder::new_current_thread()
    } else {
        let mut builder = tokio::runtime::Builder::new_multi_thread();
        builder.worker_threads(2);
        builder
    }
    .enable_all()
    .build()
    .unwrap();
    runtime.block_on(async {
        let addr = serve_ok().await;
        let base = format!("http://{addr}");
        let http = upstash_api::http_client_builder()
            .unwrap()
            .connect_timeout(upstash_api::DEFAULT_CONNECT_TIMEOUT)
            .build()
            .unwrap();
        let sdk = Client::builder()
            .environment(Environment::empty())
            .credentials(Credentials::new(EMAIL, API_KEY))
            .base_url(&base)
            .http_client(http.clone())
            .retry_policy(RetryPolicy::default())
            .build()
            .unwrap();
        let token = base64_basic(EMAIL, API_KEY);
        let hand = HandWritten {
            http,
            url: format!("{base}/redis/restore-backup"),
            base: base.clone(),
            authorization: HeaderValue::from_str(&token).unwrap(),
        };

        // `--only sdk|hand N`: N sequential calls of one side, for profilers
        // (`valgrind --tool=callgrind` counts instructions, whatever the load).
        if let Some(side) = only {
            for &operation in &operations {
                for _ in 0..sequential_calls {
                    match side.as_str() {
                        "sdk" => operation.sdk(&sdk).await,
                        _ => operation.hand(&hand).await,
                    }
                }
            }
            return;
        }

        for &operation in &operations {
            // Warm up both paths and the connection pool.
            for _ in 0..200 {
                operation.sdk(&sdk).await;
                operation.hand(&hand).await;
            }

            let (mut sdk_times, mut hand_times) = (Vec::new(), Vec::new());
            // Call by call, alternating, so both sides see the same conditions.
            for _ in 0..sequential_calls {
                let t = Instant::now();
                operation.sdk(&sdk).await;
                sdk_times.push(t.elapsed());
                let t = Instant::now();
                operation.hand(&hand).await;
                hand_times.push(t.elapsed());
            }
            let name = operation.name();
            report(
                &format!("{name}, sequential (per call)"),
                sdk_times,
                hand_times,
            );

            let (mut sdk_batches, mut hand_batches) = (Vec::new(), Vec::new());
            for round in 0..batches {
                // Alternate which side goes first, so neither always runs on a
                // pool the other just warmed or cooled.
                if round % 2 == 0 {
                    sdk_batches.push(sdk_batch(&sdk, operation).await);
                    hand_batches.push(hand_batch(&hand, operation).await);
                } else {
                    hand_batches.push(hand_batch(&hand, operation).await);
                    sdk_batches.push(sdk_batch(&sdk, operation).await);
                }
            }
            report(
                &format!("{name}, 64 concurrent (per batch)"),
                sdk_batches,
                hand_batches,
            );
        }
    });
}

async fn sdk_batch(sdk: &Client, operation: Operation) -> Duration {
    let t = Instant::now();
    let mut set = tokio::task::JoinSet::new();
    for _ in 0..CONCURRENCY {
        let sdk = sdk.clone();
        set.spawn(async move { operation.sdk(&sdk).await });
    }
    set.join_all().await;
    t.elapsed()
}

async fn hand_batch(hand: &HandWritten, operation: Operation) -> Duration {
    let t = Instant::now();
    let mut set = tokio::task::JoinSet::new();
    for _ in 0..CONCURRENCY {
        let hand = hand.clone();
        set.spawn(async move { operation.hand(&hand).await });
    }
    set.join_all().await;
    t.elapsed()
}

fn report(name: &str, sdk: Vec<Duration>, hand: Vec<Duration>) {
    let n = sdk.len();
    let (sdk, hand) = (median(sdk), median(hand));
    let ratio = sdk.as_secs_f64() / hand.as_secs_f64();
    println!(
        "{name:<42} n={n:<5} sdk median {:>9.1} us   hand-written median {:>9.1} us   ratio {ratio:.3} {}",
        sdk.as_secs_f64() * 1e6,
        hand.as_secs_f64() * 1e6,
        if ratio <= 1.05 {
            "(target <= 1.05: met)"
        } else {
            "(target <= 1.05: MISSED)"
        }
    );
}

fn base64_basic(email: &str, key: &str) -> String {
    // The same bytes the SDK sends; spelled out to keep the bench independent of it.
    const TABLE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let input = format!("{email}:{key}").into_bytes();
    let mut out = String::from("Basic ");
    for chunk in input.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(TABLE[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}
