//! Where an operation with a server of its own is sent.
//!
//! The spec may give a path or an operation its own `servers` entry (the
//! Upstash API serves `/qstash/...` from `https://api.upstash.com`, the rest
//! from `https://api.upstash.com/v2`). The client's base URL stands for the
//! spec's main server, so:
//!
//! - with the default base URL, such an operation goes to its own server;
//! - with another base URL (the builder's, `UPSTASH_API_URL`, a mock's),
//!   it goes to that URL's *root* followed by the path of its own server.
//!   The root is the base URL less the main server's path when it ends with
//!   it (`http://127.0.0.1:8080/v2` -> `http://127.0.0.1:8080`), else the
//!   base URL itself (a mock at `http://127.0.0.1:PORT` serves every path
//!   from its root).

/// The base URL of an operation served by `operation_server`, for a client
/// whose base URL is `client_base` and a spec whose main server is `main`.
/// All three have no trailing slash.
pub(crate) fn operation_base(client_base: &str, main: &str, operation_server: &str) -> String {
    if same_url(client_base, main) {
        return operation_server.to_string();
    }
    let main_path = path(main);
    let root = if main_path.is_empty() {
        client_base
    } else {
        client_base.strip_suffix(main_path).unwrap_or(client_base)
    };
    format!("{root}{}", path(operation_server))
}

/// The path of an absolute URL without a trailing slash (`""` for none).
fn path(url: &str) -> &str {
    let Some(scheme_end) = url.find("://") else {
        return "";
    };
    let host_start = scheme_end + 3;
    match url[host_start..].find('/') {
        Some(slash) => url[host_start + slash..].trim_end_matches('/'),
        None => "",
    }
}

fn same_url(a: &str, b: &str) -> bool {
    match (reqwest::Url::parse(a), reqwest::Url::parse(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::operation_base;

    const MAIN: &str = "https://api.upstash.com/v2";
    const AUDIT: &str = "https://api.upstash.com";

    #[test]
    fn the_default_base_url_uses_the_operation_server() {
        assert_eq!(operation_base(MAIN, MAIN, AUDIT), AUDIT);
        assert_eq!(
            operation_base("https://API.upstash.com/v2", MAIN, AUDIT),
            AUDIT
        );
    }

    #[test]
    fn an_override_keeps_its_host_and_swaps_the_main_path() {
        assert_eq!(
            operation_base("http://127.0.0.1:8080/v2", MAIN, AUDIT),
            "http://127.0.0.1:8080"
        );
        assert_eq!(
            operation_base("http://127.0.0.1:9", MAIN, AUDIT),
            "http://127.0.0.1:9"
        );
        assert_eq!(
            operation_base(
                "https://proxy.example/upstash/v2",
                MAIN,
                "https://api.upstash.com/v1"
            ),
            "https://proxy.example/upstash/v1"
        );
        assert_eq!(
            operation_base(
                "https://proxy.example/other",
                MAIN,
                "https://qstash.example/v1"
            ),
            "https://proxy.example/other/v1"
        );
    }
}
