//! What every generated operation goes through: auth, user agent, timeout,
//! retries and tracing.
//!
//! The generated client calls the `ClientHooks` implemented here for each
//! request (progenitor's hooks, required by the generator settings), so an
//! operation added to the spec is authenticated, retried and traced with no
//! hand-written code.

use std::fmt;
use std::time::{Duration, Instant};

use progenitor_client::{ClientHooks, OperationInfo};
use reqwest::header::{AUTHORIZATION, HeaderValue, USER_AGENT};
use tracing::Instrument as _;

use crate::RetryPolicy;
use crate::generated::Client as GeneratedClient;

/// The configuration the generated client carries for its hooks.
///
/// Not constructible outside the crate; reached through
/// [`Client`](crate::Client).
#[derive(Clone)]
pub struct Transport {
    pub(crate) authorization: HeaderValue,
    pub(crate) user_agent: HeaderValue,
    pub(crate) timeout: Option<Duration>,
    pub(crate) retry: RetryPolicy,
}

impl fmt::Debug for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Transport")
            .field("authorization", &"<redacted>")
            .field("user_agent", &self.user_agent)
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .finish()
    }
}

tokio::task_local! {
    /// The status of the last response of a call, for callers that must
    /// know it even when the generated code reports a body parse error.
    static LAST_STATUS: std::cell::Cell<Option<u16>>;
}

/// Runs `call` and also returns the HTTP status of the final response it
/// received (if any).
pub(crate) async fn with_final_status<F: Future>(call: F) -> (F::Output, Option<u16>) {
    LAST_STATUS
        .scope(std::cell::Cell::new(None), async move {
            let output = call.await;
            (output, LAST_STATUS.with(|s| s.get()))
        })
        .await
}

impl Transport {
    fn prepare(&self, request: &mut reqwest::Request) {
        let headers = request.headers_mut();
        headers.insert(AUTHORIZATION, self.authorization.clone());
        headers.insert(USER_AGENT, self.user_agent.clone());
        if let Some(timeout) = self.timeout {
            *request.timeout_mut() = Some(timeout);
        }
    }

    async fn execute(
        &self,
        client: &reqwest::Client,
        mut request: reqwest::Request,
        operation_id: &'static str,
    ) -> reqwest::Result<reqwest::Response> {
        let method = request.method().clone();
        let span = tracing::info_span!(
            "upstash_api.request",
            operation = operation_id,
            method = %method,
            path = request.url().path(),
            status = tracing::field::Empty,
            attempts = tracing::field::Empty,
            elapsed_ms = tracing::field::Empty,
        );
        // Without a subscriber the span is disabled: no clock reads for it,
        // and entering and leaving it on every poll would only cost time.
        let listened = !span.is_disabled();
        let started = listened.then(Instant::now);
        let attempts = async {
            let mut attempt: u32 = 1;
            loop {
                let retry_copy = if attempt <= self.retry.max_retries() {
                    RequestCopy::of(&request)
                } else {
                    None
                };
                let attempt_started = tracing::enabled!(tracing::Level::DEBUG).then(Instant::now);
                let outcome = client.execute(request).await;
                let status = outcome.as_ref().ok().map(|r| r.status().as_u16());
                tracing::debug!(
                    attempt,
                    status,
                    error = outcome.as_ref().err().map(tracing::field::display),
                    elapsed_ms = attempt_started.map(|t| t.elapsed().as_millis() as u64),
                    "attempt finished"
                );
                let delay = self.retry.next_delay(attempt, &method, &outcome);
                match (delay, retry_copy) {
                    (Some(delay), Some(next)) => {
                        tracing::info!(
                            attempt,
                            status,
                            delay_ms = delay.as_millis() as u64,
                            "retrying"
                        );
                        tokio::time::sleep(delay).await;
                        request = next.into_request();
                        attempt += 1;
                    }
                    _ => {
                        if let Some(status) = status {
                            span.record("status", status);
                        }
                        span.record("attempts", attempt);
                        if let Some(started) = started {
                            span.record("elapsed_ms", started.elapsed().as_millis() as u64);
                        }
                        let _ = LAST_STATUS.try_with(|s| s.set(status));
                        return outcome;
                    }
                }
            }
        };
        if listened {
            attempts.instrument(span.clone()).await
        } else {
            attempts.await
        }
    }
}

/// What is kept of a request to send it again. Lighter than
/// `reqwest::Request::try_clone`, which also copies the extensions map
/// (where reqwest keeps the timeout) and is made on every attempt that may
/// be retried, so on nearly every call: the timeout is kept as a value and
/// set again only when the copy is sent.
struct RequestCopy {
    method: reqwest::Method,
    url: reqwest::Url,
    headers: reqwest::header::HeaderMap,
    version: reqwest::Version,
    timeout: Option<Duration>,
    body: Option<Vec<u8>>,
}

impl RequestCopy {
    /// `None` when the body is a stream, which cannot be sent twice.
    fn of(request: &reqwest::Request) -> Option<RequestCopy> {
        let body = match request.body() {
            Some(body) => Some(body.as_bytes()?.to_vec()),
            None => None,
        };
        Some(RequestCopy {
            method: request.method().clone(),
            url: request.url().clone(),
            headers: request.headers().clone(),
            version: request.version(),
            timeout: request.timeout().copied(),
            body,
        })
    }

    fn into_request(self) -> reqwest::Request {
        let mut request = reqwest::Request::new(self.method, self.url);
        *request.headers_mut() = self.headers;
        *request.version_mut() = self.version;
        if self.timeout.is_some() {
            *request.timeout_mut() = self.timeout;
        }
        *request.body_mut() = self.body.map(reqwest::Body::from);
        request
    }
}

impl ClientHooks<Transport> for GeneratedClient {
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        _info: &OperationInfo,
    ) -> Result<(), progenitor_client::Error<E>> {
        self.inner.prepare(request);
        Ok(())
    }

    async fn exec(
        &self,
        request: reqwest::Request,
        info: &OperationInfo,
    ) -> reqwest::Result<reqwest::Response> {
        self.inner
            .execute(&self.client, request, info.operation_id)
            .await
    }
}
