//! URLs as the SDK prints them: without userinfo, query or fragment.
//!
//! A URL can carry a secret (`https://user:key@host`, `?key=...`); every
//! URL the SDK puts in an error, a log line or a `Debug` form goes through
//! [`shown`] or [`shown_text`] first.

use reqwest::Url;

/// `url` without its userinfo, query and fragment.
pub(crate) fn shown(url: &Url) -> String {
    if url.username().is_empty()
        && url.password().is_none()
        && url.query().is_none()
        && url.fragment().is_none()
    {
        return url.as_str().to_string();
    }
    let mut clean = url.clone();
    // Both fail only for URLs that cannot have userinfo (no host), which
    // then have none.
    let _ = clean.set_username("");
    let _ = clean.set_password(None);
    clean.set_query(None);
    clean.set_fragment(None);
    clean.as_str().to_string()
}

/// `text` read as a URL and [`shown`]; text that is not a URL is cut at
/// its first `?` or `#`, and its authority (between `//` and the next `/`)
/// loses everything up to its last `@`.
pub(crate) fn shown_text(text: &str) -> String {
    if let Ok(url) = Url::parse(text.trim()) {
        return shown(&url);
    }
    let text = text.trim();
    let text = &text[..text.find(['?', '#']).unwrap_or(text.len())];
    let authority_start = text.find("//").map_or(0, |at| at + 2);
    let authority_end = text[authority_start..]
        .find('/')
        .map_or(text.len(), |at| authority_start + at);
    match text[authority_start..authority_end].rfind('@') {
        Some(at) => format!(
            "{}{}",
            &text[..authority_start],
            &text[authority_start + at + 1..]
        ),
        None => text.to_string(),
    }
}

/// `e` with its URL, if any, [`shown`]: what every `reqwest::Error` the SDK
/// hands on or logs carries.
pub(crate) fn clean_error(e: reqwest::Error) -> reqwest::Error {
    let clean = match e.url() {
        Some(url) if shown(url) != url.as_str() => Url::parse(&shown(url)).ok(),
        _ => None,
    };
    match clean {
        Some(url) => e.with_url(url),
        None => e,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn userinfo_query_and_fragment_are_left_out() {
        for (raw, expected) in [
            (
                "https://user:key@h.example/v2?key=k#f",
                "https://h.example/v2",
            ),
            ("https://h.example/v2", "https://h.example/v2"),
            ("http://127.0.0.1:8/x?a=1", "http://127.0.0.1:8/x"),
            ("https://key@h.example", "https://h.example/"),
            ("https://user:key@h ex/v2?key=k", "https://h ex/v2"),
            ("not a url?key=k", "not a url"),
            ("//a:b@c/d", "//c/d"),
        ] {
            assert_eq!(shown_text(raw), expected, "{raw}");
        }
    }

    /// reqwest's errors print their URL; what the SDK hands on has none of
    /// its query or userinfo, in `Display`, `Debug` and `url()`.
    #[tokio::test]
    async fn transport_errors_carry_the_url_without_its_query() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        drop(listener);
        let http = crate::http_client_builder().unwrap().build().unwrap();
        let e = http
            .get(format!("http://127.0.0.1:{port}/x?key=pw-secret"))
            .send()
            .await
            .unwrap_err();
        assert!(format!("{e:?}").contains("pw-secret"), "reqwest shows it");
        let error = crate::Error::from_reqwest(e);
        let (text, debug) = (error.to_string(), format!("{error:?}"));
        assert!(
            !text.contains("pw-secret") && !debug.contains("pw-secret"),
            "{debug}"
        );
        assert!(
            text.contains(&format!("http://127.0.0.1:{port}/x")),
            "{text}"
        );
        let crate::Error::Transport(e) = error else {
            panic!("{error:?}");
        };
        assert!(e.is_connect());
        assert_eq!(e.url().map(|u| u.query()), Some(None));
    }
}
