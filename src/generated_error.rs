//! `?` from every generated operation: the errors of the generated client
//! become [`Error`].
//!
//! The conversion is synchronous, so it reads no body: the transport has
//! already read every failure answer and attached what the error needs
//! ([`crate::answer`]): the API's message (credentials removed) and the
//! `Retry-After` delay. A success body that cannot be read needs no status
//! or warning: a 2xx means the API carried the call out.

use progenitor_client::ResponseValue;

use crate::Error;
use crate::answer::{BodyTooLarge, FailedAnswer};
use crate::redirect::Redirect;
use crate::{response_body, retry};

impl<E: serde::Serialize> From<progenitor_client::Error<E>> for Error {
    fn from(error: progenitor_client::Error<E>) -> Error {
        use progenitor_client::Error as Generated;
        match error {
            Generated::InvalidRequest(message) => Error::InvalidInput { message },
            // Only the SDK's `pre` hook makes one: an operation this
            // configuration cannot send (its server was refused).
            Generated::Custom(message) => Error::Configuration { message },
            Generated::CommunicationError(e) | Generated::InvalidUpgrade(e) => {
                Error::from_reqwest(e)
            }
            Generated::ResponseBodyError(e) => unread_body(e),
            Generated::InvalidResponsePayload(_, e) => Error::UnreadableResponse {
                status: None,
                reason: format!(
                    "the API carried the call out (2xx), but the body is not the documented \
                     JSON ({})",
                    serde_reason(&e)
                ),
            },
            Generated::ErrorResponse(value) => documented_error(value),
            Generated::UnexpectedResponse(response) => unexpected_response(response),
        }
    }
}

/// A value of a generated type that its builder could not make (a required
/// field left unset, a value its type refuses), as `?` in code that builds
/// one: `types::X::builder()...try_into()?`.
impl From<crate::types::error::ConversionError> for Error {
    fn from(error: crate::types::error::ConversionError) -> Error {
        Error::InvalidInput {
            message: error.to_string(),
        }
    }
}

/// A success body that could not be read to its end.
fn unread_body(e: reqwest::Error) -> Error {
    let e = crate::url_text::clean_error(e);
    if let Some(too_large) = find_source::<BodyTooLarge>(&e) {
        return Error::UnreadableResponse {
            status: None,
            reason: too_large.to_string(),
        };
    }
    let what = if e.is_timeout() {
        "did not arrive within the timeout".to_string()
    } else {
        format!("broke off ({})", crate::error::chain(&e))
    };
    Error::UnreadableResponse {
        status: None,
        reason: format!("the API carried the call out (2xx), but the body {what}"),
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
    if let Some(redirect) = response.extensions().get::<Redirect>() {
        return Error::Redirected {
            status: redirect.status,
            location: redirect.location.clone(),
            method: redirect.method.to_string(),
        };
    }
    let status = response.status();
    if status.is_success() {
        return Error::UnreadableResponse {
            status: Some(status.as_u16()),
            reason: "the API carried the call out, but answered with a status the spec does not \
                     document for this operation, so its body was not read"
                .to_string(),
        };
    }
    match response.extensions().get::<FailedAnswer>() {
        Some(failure) => Error::from_status(
            status.as_u16(),
            failure.message.clone(),
            failure.retry_after,
        ),
        // Not read by the transport (a response built by hand).
        None => Error::from_status(
            status.as_u16(),
            None,
            retry::retry_after(response.headers(), std::time::SystemTime::now()).reported(),
        ),
    }
}

/// A failure the spec documents with a typed body.
fn documented_error<E: serde::Serialize>(value: ResponseValue<E>) -> Error {
    let status = value.status().as_u16();
    let retry_after = retry::retry_after(value.headers(), std::time::SystemTime::now()).reported();
    let message = serde_json::to_vec(&value.into_inner())
        .ok()
        .and_then(|body| response_body::error_message(&body));
    Error::from_status(status, message, retry_after)
}

/// The `T` somewhere in `error`'s sources.
fn find_source<T: std::error::Error + 'static>(error: &reqwest::Error) -> Option<&T> {
    let mut source = std::error::Error::source(error);
    while let Some(e) = source {
        if let Some(found) = e.downcast_ref::<T>() {
            return Some(found);
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
