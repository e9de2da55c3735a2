//! Peak memory of one call whose success answer never ends.
//!
//! ```text
//! cargo bench --bench body_bound                 # restore_backup, the client's defaults
//! cargo bench --bench body_bound -- --seconds 4  # the server gives up after 4 s (default 10)
//! UPSTASH_API_SPEC=tests/fixtures/upstash-like.yml cargo bench --bench body_bound   # + list_databases (JSON)
//! ```
//!
//! A server on 127.0.0.1 answers `200`, `application/json`, with no length
//! and a body of filler it writes until the client hangs up (or `--seconds`
//! pass, so that a client without a bound cannot take the machine's memory).
//! One call per operation, with the client's defaults (bound, timeout);
//! reported: how the call ended, how long it took, how much the server got
//! out, and the process's peak resident memory during the call (`VmHWM`,
//! reset before each call through `/proc/self/clear_refs`; Linux only).
//! It uses only what every release of the client has, so an earlier build
//! can be measured beside this one.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use upstash_api::{Client, Credentials, Environment, Error};

/// Starts the endless server; returns its base URL and the count of bytes
/// it wrote to its last connection.
fn endless_server(give_up_after: Duration) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
    let url = format!("http://{}", listener.local_addr().expect("local address"));
    let written = Arc::new(AtomicUsize::new(0));
    let count = written.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { break };
            let mut request = [0u8; 4096];
            let _ = stream.read(&mut request);
            let head =
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n";
            if stream.write_all(head.as_bytes()).is_err() {
                continue;
            }
            count.store(0, Ordering::SeqCst);
            let chunk = vec![b' '; 64 * 1024];
            let started = Instant::now();
            while started.elapsed() < give_up_after && stream.write_all(&chunk).is_ok() {
                count.fetch_add(chunk.len(), Ordering::SeqCst);
            }
        }
    });
    (url, written)
}

/// The process's peak resident memory since the last reset, in MiB.
fn peak_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

/// Resets the peak to the current resident memory.
fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

async fn measure<F, Fut>(name: &str, client: Client, written: &AtomicUsize, call: F)
where
    F: FnOnce(Client) -> Fut,
    Fut: std::future::Future<Output = Result<(), Error>>,
{
    reset_peak();
    let before = peak_mib();
    let started = Instant::now();
    let outcome = call(client).await;
    let elapsed = started.elapsed();
    let peak = peak_mib();
    let sent = written.load(Ordering::SeqCst) as f64 / (1024.0 * 1024.0);
    let outcome = match outcome {
        Ok(()) => "Ok".to_string(),
        Err(e) => e.to_string(),
    };
    let memory = match (before, peak) {
        (Some(before), Some(peak)) => {
            format!("peak RSS {peak:.1} MiB ({before:.1} MiB before the call)")
        }
        _ => "peak RSS unavailable".to_string(),
    };
    println!("{name:<16} {elapsed:>8.2?}   server sent {sent:>8.1} MiB   {memory}");
    println!("{:<16} {outcome}", "");
}

fn main() {
    let seconds = std::env::args()
        .skip_while(|a| a != "--seconds")
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(10);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime");
    runtime.block_on(async {
        let (url, written) = endless_server(Duration::from_secs(seconds));
        let client = || {
            Client::builder()
                .environment(Environment::empty())
                .credentials(Credentials::new("bench@example.com", "bench-key"))
                .base_url(&url)
                .build()
                .expect("a client for the loopback server")
        };
        measure("restore_backup", client(), &written, |client| async move {
            client.restore_backup("db-1", "bk-1").await
        })
        .await;
        #[cfg(upstash_api_spec = "upstash-like")]
        measure("list_databases", client(), &written, |client| async move {
            client.api().list_databases().send().await?;
            Ok(())
        })
        .await;
    });
}
