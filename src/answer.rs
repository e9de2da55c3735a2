//! The final answer of a call, made ready for the generated code.
//!
//! The generated code parses a success body itself and hands back any
//! other status untouched; a `?` then turns what it returns into
//! [`Error`](crate::Error) synchronously, with no way to read a body. So
//! the transport reads the answer first, here, and leaves what the
//! conversion needs where it can find it:
//!
//! - a failure status: (a bounded part of) the body is read, the API's
//!   message and `Retry-After` taken from it, credentials removed, and the
//!   result attached to the response ([`AnswerFacts`]);
//! - a success of an operation whose answer is a string (`"OK"`): any body
//!   is success; one that is not a JSON string (`OK`, empty) is handed on
//!   as one, and a body that breaks off after the status still is;
//! - a success of an operation with a JSON answer: the body goes on as it
//!   arrives, followed by a [status trailer](crate::status_trailer) (JSON
//!   white space spelling the status and whether the method is idempotent)
//!   for the conversion to read should the body not parse; a body that
//!   breaks off fails with [`BodyFailure`], which carries the same.
//!
//! A response the generated code hands back unread (a failure, or a
//! success status the spec does not document) carries [`AnswerFacts`],
//! including whether the method is idempotent, so a message can say that
//! the call may have been carried out; a documented success carries
//! nothing extra.

use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::BodyExt as _;
use reqwest::ResponseBuilderExt as _;

use crate::operation::{OperationFacts, SuccessBody};
use crate::response_body::{self, MAX_ERROR_BODY};
use crate::{Credentials, status_trailer};

/// Attached to a final response the generated code hands back unread: a
/// failure, or a success status the spec does not document.
#[derive(Clone, Debug)]
pub(crate) struct AnswerFacts {
    /// Whether the request's method is idempotent.
    pub(crate) idempotent: bool,
    /// For a failure status: what the body said.
    pub(crate) failure: Option<FailedAnswer>,
}

/// What a failure answer said.
#[derive(Clone, Debug)]
pub(crate) struct FailedAnswer {
    /// The API's message, credentials removed.
    pub(crate) message: Option<String>,
    /// The `Retry-After` delay, if one was given.
    pub(crate) retry_after: Option<Duration>,
}

/// The error a success body fails with when it cannot be read: the status
/// and why, for the conversion into [`Error`](crate::Error).
#[derive(Debug, Clone)]
pub(crate) struct BodyFailure {
    pub(crate) status: u16,
    pub(crate) reason: String,
}

impl fmt::Display for BodyFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "status {}: {}", self.status, self.reason)
    }
}

impl std::error::Error for BodyFailure {}

/// `reason`, followed for a method that is not idempotent by the warning
/// that the call may have been carried out.
pub(crate) fn with_consequence(reason: String, idempotent: bool) -> String {
    if idempotent {
        reason
    } else {
        format!(
            "{reason}; the operation may have been carried out, so check the resource's state \
             before repeating it"
        )
    }
}

/// Reads `response` as the module documentation says and returns what the
/// generated code is to see.
pub(crate) async fn prepare(
    mut response: reqwest::Response,
    facts: Option<&OperationFacts>,
    idempotent: bool,
    credentials: &Credentials,
) -> reqwest::Response {
    let status = response.status();
    let success = facts.map_or(SuccessBody::Raw, |f| f.success);
    // The conversion reads these for a failure or a success status the
    // spec does not document; a documented success whose body does not
    // parse carries what it needs in its trailer.
    let documented = facts.is_some_and(|f| f.documents(status.as_u16()));
    let mut answer = (!documented).then_some(AnswerFacts {
        idempotent,
        failure: None,
    });
    let rewritten = !status.is_success()
        || (documented && matches!(success, SuccessBody::Text | SuccessBody::Json));
    if !rewritten {
        if let Some(answer) = answer {
            response.extensions_mut().insert(answer);
        }
        return response;
    }
    let url = response.url().clone();
    let (mut parts, body) = http::Response::from(response).into_parts();
    let body = if !status.is_success() {
        let (bytes, _) = read(body, MAX_ERROR_BODY).await;
        let failure = FailedAnswer {
            message: response_body::error_message(&bytes).map(|m| credentials.redact(&m)),
            retry_after: crate::retry::retry_after(&parts.headers, std::time::SystemTime::now()),
        };
        if let Some(answer) = &mut answer {
            answer.failure = Some(failure);
        }
        reqwest::Body::from(bytes)
    } else if let SuccessBody::Text = success {
        // Whatever arrived: the 2xx status says the operation happened.
        let (bytes, _) = read(body, usize::MAX).await;
        reqwest::Body::from(as_json_string(bytes))
    } else {
        reqwest::Body::wrap(JsonBody {
            inner: body,
            status: status.as_u16(),
            idempotent,
            finished: false,
        })
    };
    // The builder is the one way to attach the URL reqwest reads back
    // (without it reqwest parses a placeholder URL, which is not cheap).
    if let Ok(with_url) = http::Response::builder().url(url).body(()) {
        parts.extensions.extend(with_url.into_parts().0.extensions);
    }
    if let Some(answer) = answer {
        parts.extensions.insert(answer);
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

/// A JSON success body as it arrives, then its status trailer; a failure
/// to read it becomes a [`BodyFailure`].
struct JsonBody {
    inner: reqwest::Body,
    status: u16,
    idempotent: bool,
    finished: bool,
}

impl http_body::Body for JsonBody {
    type Data = Bytes;
    type Error = BodyFailure;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Bytes>, BodyFailure>>> {
        use std::task::Poll;
        if self.finished {
            return Poll::Ready(None);
        }
        let polled = std::pin::Pin::new(&mut self.inner).poll_frame(cx);
        match polled {
            Poll::Pending => Poll::Pending,
            Poll::Ready(Some(Ok(frame))) => Poll::Ready(Some(Ok(frame))),
            Poll::Ready(Some(Err(e))) => {
                self.finished = true;
                let reason = if e.is_timeout() {
                    "the body did not arrive within the timeout".to_string()
                } else {
                    format!("the body broke off ({})", crate::error::chain(&e))
                };
                Poll::Ready(Some(Err(BodyFailure {
                    status: self.status,
                    reason: with_consequence(reason, self.idempotent),
                })))
            }
            Poll::Ready(None) => {
                self.finished = true;
                let trailer = status_trailer::encode(self.status, self.idempotent);
                Poll::Ready(Some(Ok(http_body::Frame::data(trailer))))
            }
        }
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
