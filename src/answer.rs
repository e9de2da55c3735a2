//! The final answer of a call, made ready for the generated code.
//!
//! The generated code parses a success body itself and hands back any
//! other status untouched; a `?` then turns what it returns into
//! [`Error`](crate::Error) synchronously, with no way to read a body. So
//! the transport reads the answer first, here:
//!
//! - a failure status: (a bounded part of) the body is read, the API's
//!   message and `Retry-After` taken from it, credentials removed, and the
//!   result attached to the response ([`FailedAnswer`]);
//! - a documented success whose body the generated code reads (a JSON value
//!   or a string): the body is read here, up to the bound
//!   ([`ClientBuilder::max_response_body`](crate::ClientBuilder::max_response_body)),
//!   and handed on whole. Past the bound the read stops and the body fails
//!   with [`BodyTooLarge`], so a body that never ends cannot fill memory. A
//!   string answer (`"OK"`) is success whatever arrived: one that is not a
//!   JSON string (`OK`, empty) is handed on as one, and a body that breaks
//!   off after the status still is.
//!
//! Anything else (no body, a raw stream the caller reads piece by piece, a
//! success status the spec does not document) goes on untouched.

use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::BodyExt as _;
use reqwest::ResponseBuilderExt as _;

use crate::Credentials;
use crate::operation::{OperationFacts, SuccessBody};
use crate::response_body::{self, MAX_ERROR_BODY};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Attached to a final response with a failure status: what its body said.
#[derive(Clone, Debug)]
pub(crate) struct FailedAnswer {
    /// The API's message, credentials removed.
    pub(crate) message: Option<String>,
    /// The `Retry-After` delay, if a readable one was given, at most
    /// [`RetryPolicy::LONGEST_DELAY`](crate::RetryPolicy::LONGEST_DELAY).
    pub(crate) retry_after: Option<Duration>,
}

/// A success body went past the bound; found in a body error's sources by
/// the conversion into [`Error`](crate::Error).
#[derive(Debug, Clone, Copy)]
pub(crate) struct BodyTooLarge {
    /// The bound, in bytes.
    pub(crate) limit: usize,
}

impl fmt::Display for BodyTooLarge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the API carried the call out (2xx), but its body is larger than {} bytes, the \
             client's bound; raise it with `ClientBuilder::max_response_body` if answers this \
             large are expected",
            self.limit
        )
    }
}

impl std::error::Error for BodyTooLarge {}

/// Reads `response` as the module documentation says and returns what the
/// generated code is to see. Success bodies are bounded by `max_body` bytes.
pub(crate) async fn prepare(
    response: reqwest::Response,
    facts: Option<&OperationFacts>,
    max_body: usize,
    credentials: &Credentials,
) -> reqwest::Response {
    let status = response.status();
    let success = facts.map_or(SuccessBody::Raw, |f| f.success);
    let documented = facts.is_some_and(|f| f.documents(status.as_u16()));
    // What the body's framing (`Content-Length`) says its length is.
    let announced = response.content_length();
    let bound = u64::try_from(max_body).unwrap_or(u64::MAX);
    let read_here = !status.is_success()
        || match (documented, success) {
            (true, SuccessBody::Text) => true,
            // The HTTP layer reads no more than a `Content-Length` within
            // the bound announces: such a body goes on as it is.
            (true, SuccessBody::Json) => announced.is_none_or(|n| n > bound),
            _ => false,
        };
    if !read_here {
        return response;
    }
    let too_large =
        || reqwest::Body::wrap(Failed(Some(Box::new(BodyTooLarge { limit: max_body }))));
    let url = response.url().clone();
    let (mut parts, body) = http::Response::from(response).into_parts();
    let body = if !status.is_success() {
        let (bytes, _) = read(body, MAX_ERROR_BODY).await;
        parts.extensions.insert(FailedAnswer {
            message: response_body::error_message(&bytes).map(|m| credentials.redact(&m)),
            retry_after: crate::retry::retry_after(&parts.headers, std::time::SystemTime::now())
                .reported(),
        });
        reqwest::Body::from(bytes)
    } else if announced.is_some_and(|n| n > bound) {
        // Announced past the bound: nothing of it is read.
        too_large()
    } else {
        // One byte more than the bound tells a body at the bound from one
        // past it.
        let (bytes, broken) = read(body, max_body.saturating_add(1)).await;
        match (success, broken) {
            _ if bytes.len() > max_body => too_large(),
            // Whatever arrived: the 2xx status says the operation happened.
            (SuccessBody::Text, _) => reqwest::Body::from(as_json_string(bytes)),
            (_, Some(broken)) => reqwest::Body::wrap(Failed(Some(Box::new(broken)))),
            (_, None) => reqwest::Body::from(bytes),
        }
    };
    // The builder is the one way to attach the URL reqwest reads back
    // (without it reqwest parses a placeholder URL, which is not cheap).
    if let Ok(with_url) = http::Response::builder().url(url).body(()) {
        parts.extensions.extend(with_url.into_parts().0.extensions);
    }
    reqwest::Response::from(http::Response::from_parts(parts, body))
}

/// Up to `limit` bytes of `body`, and the error that cut it short, if any.
/// A body that arrives in one piece is not copied.
async fn read(mut body: reqwest::Body, limit: usize) -> (Bytes, Option<reqwest::Error>) {
    let mut first: Option<Bytes> = None;
    let mut more: Vec<u8> = Vec::new();
    let mut length = 0;
    let mut broken = None;
    while length < limit {
        match body.frame().await {
            None => break,
            Some(Ok(frame)) => {
                let Ok(mut data) = frame.into_data() else {
                    continue;
                };
                data.truncate(limit - length);
                length += data.len();
                match &first {
                    None => first = Some(data),
                    Some(head) => {
                        if more.is_empty() {
                            more.extend_from_slice(head);
                        }
                        more.extend_from_slice(&data);
                    }
                }
            }
            Some(Err(e)) => {
                broken = Some(e);
                break;
            }
        }
    }
    let bytes = if more.is_empty() {
        first.unwrap_or_default()
    } else {
        Bytes::from(more)
    };
    (bytes, broken)
}

/// `body` if it is a JSON string, else its text (trimmed, invalid UTF-8
/// replaced) as one: `OK` becomes `"OK"`, an empty body `""`.
fn as_json_string(body: Bytes) -> Bytes {
    let quoted = body.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'"');
    // (serde_json skips a string without checking its UTF-8.)
    if quoted
        && std::str::from_utf8(&body).is_ok()
        && serde_json::from_slice::<serde::de::IgnoredAny>(&body).is_ok()
    {
        return body;
    }
    let text = String::from_utf8_lossy(&body);
    match serde_json::to_vec(text.trim()) {
        Ok(json) => Bytes::from(json),
        Err(_) => Bytes::from_static(b"\"\""),
    }
}

/// A success body that could not be read: it fails with its error when
/// the generated code reads it.
struct Failed(Option<BoxError>);

impl http_body::Body for Failed {
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Bytes>, BoxError>>> {
        std::task::Poll::Ready(self.0.take().map(Err))
    }
}

#[cfg(test)]
mod tests {
    use super::as_json_string;
    use bytes::Bytes;

    #[test]
    fn any_text_answer_becomes_a_json_string() {
        for (body, expected) in [
            (&b"\"OK\""[..], &b"\"OK\""[..]),
            (b" \"OK\"\n", b" \"OK\"\n"),
            (b"OK", b"\"OK\""),
            (b"OK\n", b"\"OK\""),
            (b"", b"\"\""),
            (b"{\"a\":1}", b"\"{\\\"a\\\":1}\""),
            (b"\xffok", "\"\u{fffd}ok\"".as_bytes()),
            (b"\"\xff\"", "\"\\\"\u{fffd}\\\"\"".as_bytes()),
        ] {
            assert_eq!(
                as_json_string(Bytes::copy_from_slice(body)),
                Bytes::copy_from_slice(expected),
                "{:?}",
                String::from_utf8_lossy(body)
            );
        }
    }
}
