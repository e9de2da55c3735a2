//! Redirects are never followed: each one ends the call with
//! [`Error::Redirected`](crate::Error::Redirected).
//!
//! A redirect after a request that changes something is an answer about
//! that request: a `303` after a `POST` usually means "done, the result is
//! over there", and following it, or counting a failure to reach where it
//! points as a failure to reach the API, would send the request again.
//! The HTTP client the SDK creates does not follow redirects; a client a
//! caller gives ([`ClientBuilder::http_client`](crate::ClientBuilder::http_client))
//! may, so an outcome that comes from another URL than the one the request
//! was sent to is a redirect too, never a success and never retried.

use reqwest::{Method, Url};

use crate::url_text;

/// Attached to the answer the generated code sees for a redirected call;
/// read back by the conversion into [`Error`](crate::Error).
#[derive(Clone, Debug)]
pub(crate) struct Redirect {
    /// The 3xx status, when the redirect itself came back.
    pub(crate) status: Option<u16>,
    /// Where it pointed, [`url_text::shown`].
    pub(crate) location: Option<String>,
    /// The method of the redirected request.
    pub(crate) method: Method,
}

/// Whether `outcome`, of a request sent to `sent_to`, is a redirect or
/// what a followed one led to.
pub(crate) fn redirected(sent_to: &Url, outcome: &reqwest::Result<reqwest::Response>) -> bool {
    match outcome {
        Ok(response) => response.status().is_redirection() || response.url() != sent_to,
        Err(e) => e.is_redirect() || e.url().is_some_and(|url| url != sent_to),
    }
}

/// The answer handed to the generated code for a [`redirected`] outcome:
/// no body, a status no operation takes as success, and the [`Redirect`].
pub(crate) fn answer(
    sent_to: &Url,
    method: Method,
    outcome: reqwest::Result<reqwest::Response>,
) -> reqwest::Response {
    let (status, location) = match &outcome {
        Ok(response) if response.status().is_redirection() => (
            Some(response.status()),
            response
                .headers()
                .get(reqwest::header::LOCATION)
                .map(|value| location(sent_to, value)),
        ),
        Ok(response) => (None, Some(url_text::shown(response.url()))),
        Err(e) => (None, e.url().map(url_text::shown)),
    };
    let redirect = Redirect {
        status: status.map(|s| s.as_u16()),
        location,
        method,
    };
    let status = status.unwrap_or(reqwest::StatusCode::MULTIPLE_CHOICES);
    let mut response = http::Response::new(reqwest::Body::from(""));
    *response.status_mut() = status;
    response.extensions_mut().insert(redirect);
    // The URL reqwest reads back (without it reqwest parses a placeholder).
    use reqwest::ResponseBuilderExt as _;
    if let Ok(with_url) = http::Response::builder().url(sent_to.clone()).body(()) {
        response
            .extensions_mut()
            .extend(with_url.into_parts().0.extensions);
    }
    reqwest::Response::from(response)
}

/// A `Location` value, resolved against the request's URL and
/// [`url_text::shown`]; at most 300 characters of one that is not a URL.
fn location(sent_to: &Url, value: &reqwest::header::HeaderValue) -> String {
    let text = String::from_utf8_lossy(value.as_bytes());
    match sent_to.join(text.trim()) {
        Ok(url) => url_text::shown(&url),
        Err(_) => url_text::shown_text(&text).chars().take(300).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(status: u16, location: Option<&str>, url: &str) -> reqwest::Response {
        use reqwest::ResponseBuilderExt as _;
        let mut builder = http::Response::builder()
            .status(status)
            .url(Url::parse(url).unwrap());
        if let Some(location) = location {
            builder = builder.header("location", location);
        }
        reqwest::Response::from(builder.body("").unwrap())
    }

    #[test]
    fn redirects_and_answers_from_elsewhere_are_redirected() {
        let sent = Url::parse("http://127.0.0.1:9/v2/x").unwrap();
        for status in [300, 301, 302, 303, 304, 305, 307, 308] {
            let outcome = Ok(response(status, Some("/y?k=1"), sent.as_str()));
            assert!(redirected(&sent, &outcome), "{status}");
            let answer = answer(&sent, Method::POST, outcome);
            let redirect = answer.extensions().get::<Redirect>().unwrap();
            assert_eq!(redirect.status, Some(status));
            assert_eq!(
                redirect.location.as_deref(),
                Some("http://127.0.0.1:9/y"),
                "resolved, query removed"
            );
            assert!(!answer.status().is_success());
        }
        assert!(!redirected(&sent, &Ok(response(200, None, sent.as_str()))));
        assert!(!redirected(&sent, &Ok(response(503, None, sent.as_str()))));
        let elsewhere = Ok(response(200, None, "http://u:k@127.0.0.2:9/z?key=k"));
        assert!(redirected(&sent, &elsewhere));
        let answer = answer(&sent, Method::GET, elsewhere);
        let redirect = answer.extensions().get::<Redirect>().unwrap();
        assert_eq!(redirect.status, None);
        assert_eq!(redirect.location.as_deref(), Some("http://127.0.0.2:9/z"));
        assert_eq!(answer.status(), 300);
    }
}
