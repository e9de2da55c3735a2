//! Capturing `tracing` output as text.

use std::io::Write;
use std::sync::{Arc, Mutex};

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

/// Runs `f` with every event and span at TRACE level written to the returned text.
pub fn capture(f: impl FnOnce()) -> String {
    let buffer = Buffer::default();
    tracing::subscriber::with_default(subscriber(buffer.clone()), f);
    buffer.text()
}

/// Runs the future `f` on a current-thread runtime with TRACE logs captured.
pub fn capture_async<F: std::future::Future>(f: F) -> (F::Output, String) {
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
