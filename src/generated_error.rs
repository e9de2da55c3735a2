//! `?` from every generated operation: the errors of the generated client
//! become [`Error`].
//!
//! The conversion is synchronous, so it reads no body: the transport has
//! already read every final answer and attached what the error needs
//! ([`crate::answer`]): the API's message (credentials removed), the
//! `Retry-After` delay, the status of a success body that could not be
//! read, and whether the call may have been carried out.

use progenitor_client::ResponseValue;

use crate::Error;
use crate::answer::{AnswerFacts, BodyFailure, MAY_HAVE_ACTED};
use crate::{response_body, retry};

impl<E: serde::Serialize> From<progenitor_client::Error<E>> for Error {
    fn from(error: progenitor_client::Error<E>) -> Error {
        use progenitor_client::Error as Generated;
        match error {
            Generated::InvalidRequest(message) | Generated::Custom(message) => {
                Error::InvalidInput { message }
            }
            Generated::CommunicationError(e) | Generated::InvalidUpgrade(e) => {
                Error::from_reqwest(e)
            }
            Generated::ResponseBodyError(e) => match body_failure(&e) {
                Some(failure) => Error::UnreadableResponse {
                    status: Some(failure.status),
                    reason: failure.reason.clone(),
                },
                None => match Error::from_reqwest(e) {
                    Error::Transport(e) => Error::UnreadableResponse {
                        status: None,
                        reason: format!("the body broke off: {}", crate::error::chain(&e)),
                    },
                    other => other,
                },
            },
            // The transport checks JSON bodies before the generated code
            // parses them, so this is a body that passed one check and not
            // the other; serde's text is left out (it can quote the body).
            Generated::InvalidResponsePayload(_, e) => Error::UnreadableResponse {
                status: None,
                reason: format!(
                    "the body is not the documented JSON ({:?} error at line {}, column {})",
                    e.classify(),
                    e.line(),
                    e.column()
                ),
            },
            Generated::ErrorResponse(value) => documented_error(value),
            Generated::UnexpectedResponse(response) => unexpected_response(response),
        }
    }
}

/// A response the generated code did not take: a failure status, or a
/// success status the spec does not document for the operation.
fn unexpected_response(response: reqwest::Response) -> Error {
    let status = response.status();
    let facts = response.extensions().get::<AnswerFacts>();
    if status.is_success() {
        let mut reason =
            String::from("the status is not one the spec documents for this operation");
        if facts.is_some_and(|f| !f.idempotent) {
            reason = format!("{reason}; {MAY_HAVE_ACTED}");
        }
        return Error::UnreadableResponse {
            status: Some(status.as_u16()),
            reason,
        };
    }
    match facts.and_then(|f| f.failure.clone()) {
        Some(failure) => Error::from_status(status.as_u16(), failure.message, failure.retry_after),
        // Not read by the transport (a response built by hand).
        None => Error::from_status(
            status.as_u16(),
            None,
            retry::retry_after(response.headers(), std::time::SystemTime::now()),
        ),
    }
}

/// A failure the spec documents with a typed body.
fn documented_error<E: serde::Serialize>(value: ResponseValue<E>) -> Error {
    let status = value.status().as_u16();
    let retry_after = retry::retry_after(value.headers(), std::time::SystemTime::now());
    let message = serde_json::to_vec(&value.into_inner())
        .ok()
        .and_then(|body| response_body::error_message(&body));
    Error::from_status(status, message, retry_after)
}

/// The [`BodyFailure`] somewhere in `error`'s sources.
fn body_failure(error: &reqwest::Error) -> Option<&BodyFailure> {
    let mut source = std::error::Error::source(error);
    while let Some(e) = source {
        if let Some(failure) = e.downcast_ref::<BodyFailure>() {
            return Some(failure);
        }
        source = e.source();
    }
    None
}
