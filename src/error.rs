//! The one error type every call returns.

use std::fmt;
use std::time::Duration;

use crate::CredentialsError;

/// Everything that can go wrong when configuring the client or calling the API.
///
/// Match on the variant to decide what to do; the `Display` form says what
/// happened and what to check. No variant ever holds the API key or the
/// `Authorization` header.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// An argument was rejected before any request was sent (an empty ID,
    /// an ID that cannot be one URL path segment, a bad header value).
    InvalidInput {
        /// What is wrong.
        message: String,
    },
    /// No usable credentials were found.
    Credentials(CredentialsError),
    /// The client configuration is unusable (base URL, TLS, user agent).
    Configuration {
        /// What is wrong.
        message: String,
    },
    /// The API rejected the credentials (401) or refused the operation (403).
    Authentication {
        /// 401 or 403.
        status: u16,
        /// The API's own message, if it sent one.
        message: Option<String>,
    },
    /// The resource does not exist (404).
    NotFound {
        /// The API's own message, if it sent one.
        message: Option<String>,
    },
    /// Too many requests (429), after the retry policy gave up.
    RateLimited {
        /// How long the API asked to wait (`Retry-After`), if it said so
        /// readably; at most [`RetryPolicy::LONGEST_DELAY`](crate::RetryPolicy::LONGEST_DELAY)
        /// (one day), so adding it to `Instant::now()` cannot overflow.
        retry_after: Option<Duration>,
        /// The API's own message, if it sent one.
        message: Option<String>,
    },
    /// Any other non-success status. A 503 whose `Retry-After` is longer
    /// than the policy waits for is returned at once as this (the delay is
    /// not reported: see the README's "Retries and timeouts").
    Api {
        /// The HTTP status code.
        status: u16,
        /// The API's own message, if it sent one.
        message: Option<String>,
    },
    /// No complete response arrived within the configured timeout.
    ///
    /// The request may still have been carried out by the API.
    Timeout,
    /// The request could not be sent or the connection failed.
    ///
    /// When the connection broke after it was made, the request may still
    /// have been carried out by the API (`Display` says so).
    Transport(reqwest::Error),
    /// The API answered with a redirect (3xx), which the SDK never follows,
    /// or the answer came from another URL than the one the request was
    /// sent to (an HTTP client given to
    /// [`ClientBuilder::http_client`](crate::ClientBuilder::http_client)
    /// followed a redirect). Never retried.
    ///
    /// The request reached the API: for a method that is not idempotent
    /// (`POST`, `PATCH`), the call may have been carried out (`Display` says
    /// so); a `303` after a `POST` usually means it was.
    Redirected {
        /// The 3xx status; `None` when the HTTP client followed the
        /// redirect, so only where it led is known.
        status: Option<u16>,
        /// Where the redirect pointed (its `Location`, resolved), or where a
        /// followed one led, with userinfo and query removed; `None` when
        /// the answer named no place.
        location: Option<String>,
        /// The method of the redirected request (`"POST"`).
        method: String,
    },
    /// A response arrived but could not be read or understood.
    UnreadableResponse {
        /// The HTTP status code, when the status line was read.
        status: Option<u16>,
        /// What could not be read.
        reason: String,
    },
}

impl Error {
    /// The HTTP status the API answered with, when the error comes from a response.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Authentication { status, .. } | Error::Api { status, .. } => Some(*status),
            Error::NotFound { .. } => Some(404),
            Error::RateLimited { .. } => Some(429),
            Error::UnreadableResponse { status, .. } => *status,
            Error::Transport(e) => e.status().map(|s| s.as_u16()),
            Error::Redirected { status, .. } => *status,
            _ => None,
        }
    }

    /// The API's own error message, when it sent one.
    pub fn api_message(&self) -> Option<&str> {
        match self {
            Error::Authentication { message, .. }
            | Error::NotFound { message }
            | Error::RateLimited { message, .. }
            | Error::Api { message, .. } => message.as_deref(),
            _ => None,
        }
    }

    /// The error for a non-success `status` with the message taken from its body.
    pub(crate) fn from_status(
        status: u16,
        message: Option<String>,
        retry_after: Option<Duration>,
    ) -> Error {
        match status {
            401 | 403 => Error::Authentication { status, message },
            404 => Error::NotFound { message },
            429 => Error::RateLimited {
                retry_after,
                message,
            },
            _ => Error::Api { status, message },
        }
    }

    /// Classifies a transport failure.
    pub(crate) fn from_reqwest(e: reqwest::Error) -> Error {
        let e = crate::url_text::clean_error(e);
        if e.is_builder() {
            // Nothing was sent: the request could not be made at all.
            Error::InvalidInput {
                message: format!("the request could not be built: {}", chain(&e)),
            }
        } else if e.is_timeout() {
            Error::Timeout
        } else if e.is_decode() || e.is_body() {
            Error::UnreadableResponse {
                status: e.status().map(|s| s.as_u16()),
                reason: chain(&e),
            }
        } else {
            Error::Transport(e)
        }
    }
}

/// ` (the API said: "...")`, or nothing.
struct Said<'a>(&'a Option<String>);

impl fmt::Display for Said<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(m) => write!(f, ": {m}"),
            None => Ok(()),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::InvalidInput { message } => write!(f, "invalid input: {message}"),
            Error::Credentials(e) => e.fmt(f),
            Error::Configuration { message } => {
                write!(f, "invalid client configuration: {message}")
            }
            Error::Authentication {
                status: 403,
                message,
            } => write!(
                f,
                "the API refused this operation (403{}): check that the API key's account or team may act on this resource",
                Said(message)
            ),
            Error::Authentication { status, message } => write!(
                f,
                "the API key was rejected ({status}{}): check UPSTASH_EMAIL and UPSTASH_API_KEY (or run `upstash login`)",
                Said(message)
            ),
            Error::NotFound { message } => write!(
                f,
                "not found (404{}): check the IDs; they must belong to the account the API key is for",
                Said(message)
            ),
            Error::RateLimited {
                retry_after,
                message,
            } => {
                write!(f, "rate limited by the API (429{})", Said(message))?;
                match retry_after {
                    Some(d) => write!(f, ": retry after {}s", d.as_secs_f64().ceil()),
                    None => write!(f, ": wait and retry later"),
                }
            }
            Error::Api { status, message } => {
                write!(f, "the API answered {status}{}", Said(message))?;
                if *status >= 500 {
                    write!(
                        f,
                        ": a server-side problem; check status.upstash.com and retry later"
                    )?;
                }
                Ok(())
            }
            Error::Timeout => f.write_str(
                "no response within the timeout: the operation may still have been carried out, \
                 so check the resource's state before repeating it",
            ),
            // Connected, then lost the connection while sending or waiting:
            // like a timeout, the API may have acted on the request.
            Error::Transport(e) if e.is_request() && !e.is_connect() => write!(
                f,
                "the connection to the API broke ({}): the operation may still have been \
                 carried out, so check the resource's state before repeating it",
                chain(e)
            ),
            Error::Transport(e) => write!(
                f,
                "could not reach the API ({}): check the network and the base URL",
                chain(e)
            ),
            Error::Redirected {
                status,
                location,
                method,
            } => {
                let to = location.as_deref().unwrap_or("no location");
                match status {
                    Some(status) => write!(
                        f,
                        "the API answered {status}, a redirect to {to}, which this client does \
                         not follow"
                    )?,
                    None => write!(
                        f,
                        "the request was redirected to {to} by the HTTP client, which must not \
                         follow redirects (build it with `.redirect(reqwest::redirect::Policy::none())`)"
                    )?,
                }
                let idempotent = matches!(
                    method.as_str(),
                    "GET" | "HEAD" | "PUT" | "DELETE" | "OPTIONS"
                );
                if idempotent {
                    f.write_str(": check the base URL (a proxy or gateway may be redirecting)")
                } else if *status == Some(303) {
                    write!(
                        f,
                        ": a 303 after a {method} usually means it was carried out and the \
                         result is there; check the resource's state before repeating it"
                    )
                } else {
                    write!(
                        f,
                        ": the {method} may have been carried out, so check the resource's \
                         state before repeating it"
                    )
                }
            }
            Error::UnreadableResponse { status, reason } => match status {
                Some(s) => write!(
                    f,
                    "the API answered {s} but the response could not be read: {reason}"
                ),
                None => write!(f, "the API's response could not be read: {reason}"),
            },
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Credentials(e) => Some(e),
            Error::Transport(e) => Some(e),
            _ => None,
        }
    }
}

impl From<CredentialsError> for Error {
    fn from(e: CredentialsError) -> Error {
        Error::Credentials(e)
    }
}

/// `e` and its sources on one line, so the root cause (e.g. "connection
/// refused") is visible in `Display`.
pub(crate) fn chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let part = s.to_string();
        if !text.contains(&part) {
            text.push_str(": ");
            text.push_str(&part);
        }
        source = s.source();
    }
    text
}
