//! Choosing and checking the API's base URL.

use std::net::IpAddr;

use crate::Error;

/// Checks the base URL `raw` and returns it without a trailing slash.
///
/// Plain `http://` is refused unless the host is a loopback address
/// (`localhost`, `127.0.0.0/8`, `::1`) or `allow_insecure_http` is set,
/// because HTTP basic auth would send the API key in clear text. A URL
/// with userinfo or a query is refused, and the message shows it without
/// them (they may hold a secret).
pub(crate) fn checked(raw: &str, allow_insecure_http: bool) -> Result<String, Error> {
    checked_as(raw, allow_insecure_http, "base URL", "use https")
        .map_err(|message| Error::Configuration { message })
}

/// [`checked`] for any URL a request can go to: `what` names it in the
/// message ("base URL"), `fix` says what to do about plain http.
pub(crate) fn checked_as(
    raw: &str,
    allow_insecure_http: bool,
    what: &str,
    fix: &str,
) -> Result<String, String> {
    let shown = crate::url_text::shown_text(raw);
    let invalid = |why: &str| format!("{what} `{shown}` {why}");
    let url =
        reqwest::Url::parse(raw.trim()).map_err(|e| invalid(&format!("is not a URL ({e})")))?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid(
            "must not contain credentials (shown here without them); pass Credentials to the \
             builder",
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid(
            "must not have a query or fragment (shown here without it)",
        ));
    }
    let host = url.host_str().ok_or_else(|| invalid("has no host"))?;
    match url.scheme() {
        "https" => {}
        "http" if allow_insecure_http || is_loopback(host) => {}
        "http" => {
            return Err(invalid(&format!(
                "uses plain http to a remote host, which would send the API key unencrypted; \
                 {fix}, or call allow_insecure_http(true) if you really mean it"
            )));
        }
        other => return Err(invalid(&format!("has scheme `{other}`; use https"))),
    }
    Ok(url.as_str().trim_end_matches('/').to_string())
}

fn is_loopback(host: &str) -> bool {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    bare.eq_ignore_ascii_case("localhost")
        || bare.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::checked;

    #[test]
    fn https_and_loopback_http_are_accepted() {
        assert_eq!(
            checked("https://api.upstash.com/v2/", false).unwrap(),
            "https://api.upstash.com/v2"
        );
        assert!(checked("http://127.0.0.1:8080", false).is_ok());
        assert!(checked("http://127.5.5.5", false).is_ok());
        assert!(checked("http://localhost:1/x", false).is_ok());
        assert!(checked("http://[::1]:9/", false).is_ok());
    }

    #[test]
    fn remote_http_and_odd_urls_are_refused() {
        for bad in [
            "http://api.upstash.com/v2",
            "http://10.0.0.1",
            "ftp://api.upstash.com",
            "not a url",
        ] {
            let err = checked(bad, false).unwrap_err().to_string();
            assert!(err.contains(bad.trim()), "{err}");
        }
        for (bad, shown) in [
            (
                "https://user:pw-secret@api.upstash.com",
                "`https://api.upstash.com/`",
            ),
            (
                "https://api.upstash.com/v2?key=pw-secret",
                "`https://api.upstash.com/v2`",
            ),
            (
                "https://pw-secret@api.upstash.com/v2#x",
                "`https://api.upstash.com/v2`",
            ),
            ("https://u:pw-secret@bad host/v2", "`https://bad host/v2`"),
        ] {
            let err = checked(bad, false).unwrap_err().to_string();
            assert!(!err.contains("pw-secret"), "{err}");
            assert!(err.contains(shown), "{err}");
        }
        assert!(checked("http://api.upstash.com/v2", true).is_ok());
    }
}
