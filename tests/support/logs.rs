//! Capturing `tracing` output as text.

use std::io::Write;
use std::sync::{Arc, Mutex, Once};

#[derive(Clone, Default)]
pub struct Buffer(Arc<Mutex<Vec<u8>>>);

impl Buffer {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

impl Write for Buffer {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn subscriber(buffer: Buffer) -> impl tracing::Subscriber + Send + Sync {
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || buffer.clone())
        .with_ansi(false)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .finish()
}

/// Makes every callsite stay enabled for the capturing subscribers.
///
/// `tracing` caches one interest per callsite for the whole process. When a
/// test without a subscriber reaches a callsite first, while no capturing
/// subscriber is alive, that interest is cached as "never" and a later
/// capture misses the span or event. A global subscriber that takes
/// everything (and records nothing) keeps the cached interest from ever
/// being "never"; each capture's own thread-local subscriber still decides
/// what is written.
fn keep_callsites_enabled() {
    static GLOBAL: Once = Once::new();
    GLOBAL.call_once(|| {
        // Only fails when a global subscriber is already set, which serves as well.
        let _ = tracing::subscriber::set_global_default(tracing_subscriber::registry());
    });
}

/// Runs `f` with every event and span at TRACE level written to the returned text.
pub fn capture(f: impl FnOnce()) -> String {
    keep_callsites_enabled();
    let buffer = Buffer::default();
    tracing::subscriber::with_default(subscriber(buffer.clone()), f);
    buffer.text()
}

/// Runs the future `f` on a current-thread runtime with TRACE logs captured.
pub fn capture_async<F: std::future::Future>(f: F) -> (F::Output, String) {
    keep_callsites_enabled();
    let buffer = Buffer::default();
    let output = tracing::subscriber::with_default(subscriber(buffer.clone()), || {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(f)
    });
    (output, buffer.text())
}
