//! `?` from every generated operation: the errors of the generated client
//! become [`Error`].
//!
//! The conversion is synchronous, so it reads no body: the transport has
//! already read every final answer and attached what the error needs
//! ([`crate::answer`]): the API's message (credentials removed), the
//! `Retry-After` delay, the status of a success body that could not be
//! read, and whether the call may have been carried out (for a body that
//! does not parse, in its [trailer](crate::status_trailer)).

use progenitor_client::ResponseValue;

use crate::Error;
use crate::answer::{AnswerFacts, BodyFailure, with_consequence};
use crate::{response_body, retry, status_trailer};

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
            Generated::InvalidResponsePayload(body, e) => unparsed_body(&body, &e),
            Generated::ErrorResponse(value) => documented_error(value),
            Generated::UnexpectedResponse(response) => unexpected_response(response),
        }
    }
}

/// A success body that is not the documented JSON. Its status and whether
/// the call may have been carried out come from the body's
/// [trailer](crate::status_trailer).
fn unparsed_body(body: &[u8], e: &serde_json::Error) -> Error {
    let reason = format!("the body is not the documented JSON ({})", serde_reason(e));
    let trailer = status_trailer::decode(body);
    // Without a trailer nothing says the method was idempotent.
    let idempotent = trailer.is_none_or(|(_, idempotent)| idempotent);
    Error::UnreadableResponse {
        status: trailer.map(|(status, _)| status),
        reason: with_consequence(reason, idempotent),
    }
}

/// serde's reason without the values it quotes from the body (a server may
/// echo a secret there; the conversion has no credentials to remove).
fn serde_reason(e: &serde_json::Error) -> String {
    if e.classify() == serde_json::error::Category::Eof {
        return "it ends before its JSON does".to_string();
    }
    let text = e.to_string();
    let mut out = String::with_capacity(text.len());
    let mut quoted = false;
    let mut escaped = false;
    for c in text.chars() {
        match (quoted, c) {
            (false, '"') => {
                quoted = true;
                out.push_str("\"…\"");
            }
            (true, '\\') if !escaped => escaped = true,
            (true, '"') if !escaped => quoted = false,
            (true, _) => escaped = false,
            (false, c) => out.push(c),
        }
    }
    out
}

/// A response the generated code did not take: a failure status, or a
/// success status the spec does not document for the operation.
fn unexpected_response(response: reqwest::Response) -> Error {
    let status = response.status();
    let facts = response.extensions().get::<AnswerFacts>();
    if status.is_success() {
        let reason = "the status is not one the spec documents for this operation".to_string();
        return Error::UnreadableResponse {
            status: Some(status.as_u16()),
            reason: with_consequence(reason, facts.is_none_or(|f| f.idempotent)),
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

#[cfg(test)]
mod tests {
    use super::serde_reason;

    #[test]
    fn serde_reasons_leave_out_the_values_they_quote() {
        let e = serde_json::from_str::<Vec<u8>>(r#""sk_secret \" still secret""#).unwrap_err();
        let reason = serde_reason(&e);
        assert!(!reason.contains("secret"), "{reason}");
        assert!(reason.contains("invalid type: string \"…\""), "{reason}");
        let e = serde_json::from_str::<Vec<u8>>("[1,").unwrap_err();
        assert_eq!(serde_reason(&e), "it ends before its JSON does");
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Thing {
            state: String,
        }
        let e = serde_json::from_str::<Thing>("{}").unwrap_err();
        assert!(serde_reason(&e).contains("missing field `state`"));
    }
}
