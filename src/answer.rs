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
//! - a success of an operation with a JSON answer: the body is read and
//!   checked against the generated type; when it does not parse, or breaks
//!   off, the generated code receives a body that fails with
//!   [`BodyFailure`], which carries the status and what went wrong.
//!
//! Every response also carries whether its method is idempotent, so a
//! message can say that a call may have been carried out.

use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::BodyExt as _;

use crate::Credentials;
use crate::operation::{OperationFacts, SuccessBody};
use crate::response_body::{self, MAX_ERROR_BODY};

/// Attached to every final response the generated code receives.
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

/// What follows a reason when the call may have been carried out.
pub(crate) const MAY_HAVE_ACTED: &str =
    "the operation may have been carried out, so check the resource's state before repeating it";

/// Reads `response` as the module documentation says and returns what the
/// generated code is to see.
pub(crate) async fn prepare(
    response: reqwest::Response,
    facts: Option<&OperationFacts>,
    idempotent: bool,
    credentials: &Credentials,
) -> reqwest::Response {
    let status = response.status();
    let success = facts.map_or(SuccessBody::Raw, |f| f.success);
    let (mut parts, body) = http::Response::from(response).into_parts();
    let mut answer = AnswerFacts {
        idempotent,
        failure: None,
    };
    let body = if !status.is_success() {
        let (bytes, _) = read(body, MAX_ERROR_BODY).await;
        answer.failure = Some(FailedAnswer {
            message: response_body::error_message(&bytes).map(|m| credentials.redact(&m)),
            retry_after: crate::retry::retry_after(&parts.headers, std::time::SystemTime::now()),
        });
        reqwest::Body::from(bytes)
    } else {
        match success {
            SuccessBody::Empty | SuccessBody::Raw => body,
            SuccessBody::Text => {
                // Whatever arrived: the 2xx status says the operation happened.
                let (bytes, _) = read(body, usize::MAX).await;
                reqwest::Body::from(as_json_string(bytes))
            }
            SuccessBody::Json(check) => {
                let (bytes, broken) = read(body, usize::MAX).await;
                let reason = match broken {
                    Some(e) if e.is_timeout() => {
                        Some("the body did not arrive within the timeout".to_string())
                    }
                    Some(e) => Some(format!("the body broke off ({})", crate::error::chain(&e))),
                    None => check(&bytes).err().map(|e| {
                        format!(
                            "the body is not the documented JSON ({})",
                            credentials.redact(&e.to_string())
                        )
                    }),
                };
                match reason {
                    None => reqwest::Body::from(bytes),
                    Some(mut reason) => {
                        if !idempotent {
                            reason = format!("{reason}; {MAY_HAVE_ACTED}");
                        }
                        reqwest::Body::wrap(FailingBody(Some(BodyFailure {
                            status: status.as_u16(),
                            reason,
                        })))
                    }
                }
            }
        }
    };
    parts.extensions.insert(answer);
    reqwest::Response::from(http::Response::from_parts(parts, body))
}

/// Up to `limit` bytes of `body`, and the error that cut it short, if any.
async fn read(mut body: reqwest::Body, limit: usize) -> (Bytes, Option<reqwest::Error>) {
    let mut bytes = Vec::new();
    while bytes.len() < limit {
        match body.frame().await {
            None => break,
            Some(Ok(frame)) => {
                if let Ok(data) = frame.into_data() {
                    let room = limit - bytes.len();
                    bytes.extend_from_slice(&data[..data.len().min(room)]);
                }
            }
            Some(Err(e)) => return (Bytes::from(bytes), Some(e)),
        }
    }
    (Bytes::from(bytes), None)
}

/// `body` if it is a JSON string, else its text (trimmed, invalid UTF-8
/// replaced) as one: `OK` becomes `"OK"`, an empty body `""`.
fn as_json_string(body: Bytes) -> Bytes {
    if serde_json::from_slice::<String>(&body).is_ok() {
        return body;
    }
    let text = String::from_utf8_lossy(&body);
    match serde_json::to_vec(text.trim()) {
        Ok(json) => Bytes::from(json),
        Err(_) => Bytes::from_static(b"\"\""),
    }
}

/// A body that fails at once with its [`BodyFailure`].
struct FailingBody(Option<BodyFailure>);

impl http_body::Body for FailingBody {
    type Data = Bytes;
    type Error = BodyFailure;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Bytes>, BodyFailure>>> {
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
