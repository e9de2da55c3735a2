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
//!
//! Each such base URL is checked like the base URL ([`crate::base_url`])
//! once, when the client is built ([`operation_bases`]): an operation whose
//! server fails (plain `http://` to a remote host without
//! `allow_insecure_http(true)`, credentials or a query in it) keeps the
//! refusal, and every call of it fails with
//! [`Error::Configuration`](crate::Error::Configuration) before anything is
//! sent; the other operations are not affected.

use crate::operation::OperationFacts;

/// The checked base URL, or the refusal, of each operation in `table` with
/// a server of its own, for a client whose base URL is `client_base`.
pub(crate) fn operation_bases(
    table: &[OperationFacts],
    client_base: &str,
    main: &str,
    allow_insecure_http: bool,
) -> Vec<(&'static str, Result<String, String>)> {
    table
        .iter()
        .filter_map(|facts| {
            let server = facts.server?;
            let base = operation_base(client_base, main, server);
            let what = format!("{}: the operation's own server", facts.id);
            let fix = "set an https base URL (`ClientBuilder::base_url` or UPSTASH_API_URL), \
                       whose root it then uses";
            let verdict = crate::base_url::checked_as(&base, allow_insecure_http, &what, fix)
                .map_err(|problem| {
                    format!(
                        "{problem} (from the spec's `servers` entry `{}`); the operation is not \
                         sent",
                        crate::url_text::shown_text(server)
                    )
                });
            Some((facts.id, verdict))
        })
        .collect()
}

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
    use super::{operation_base, operation_bases};
    use crate::operation::{OperationFacts, SuccessBody};

    const fn facts(id: &'static str, server: Option<&'static str>) -> OperationFacts {
        OperationFacts {
            id,
            path: "/x",
            success: SuccessBody::Json,
            success_statuses: &[],
            server,
        }
    }

    /// A spec whose operations have servers of every kind, the decision
    /// made for each, independently of the vendored spec.
    #[test]
    fn each_operation_server_is_checked_like_the_base_url() {
        let table = [
            facts("main", None),
            facts("tls", Some("https://api.upstash.com")),
            facts("clear", Some("http://qstash.example/v1")),
            facts("local", Some("http://127.0.0.1:7/q")),
            facts("secret", Some("https://u:pw-secret@api.upstash.com")),
        ];
        let bases = operation_bases(&table, MAIN, MAIN, false);
        let verdict = |id: &str| {
            bases
                .iter()
                .find(|(op, _)| *op == id)
                .map(|(_, verdict)| verdict.clone())
        };
        assert_eq!(verdict("main"), None, "no server of its own");
        assert_eq!(verdict("tls"), Some(Ok(AUDIT.to_string())));
        assert_eq!(
            verdict("local"),
            Some(Ok("http://127.0.0.1:7/q".to_string()))
        );
        let refused = verdict("clear").unwrap().unwrap_err();
        assert!(refused.starts_with("clear: "), "{refused}");
        assert!(refused.contains("`http://qstash.example/v1`"), "{refused}");
        assert!(refused.contains("unencrypted"), "{refused}");
        assert!(refused.contains("allow_insecure_http(true)"), "{refused}");
        let refused = verdict("secret").unwrap().unwrap_err();
        assert!(!refused.contains("pw-secret"), "{refused}");
        assert!(refused.contains("credentials"), "{refused}");
        // The opt-in covers operation servers too.
        let allowed = operation_bases(&table, MAIN, MAIN, true);
        assert!(allowed.iter().any(|(id, v)| *id == "clear" && v.is_ok()));
        // With an https override, the operation goes to its root, checked.
        let proxied = operation_bases(&table, "https://proxy.example/v2", MAIN, false);
        assert!(
            proxied
                .iter()
                .any(|(id, v)| *id == "clear" && v.as_deref() == Ok("https://proxy.example/v1"))
        );
    }

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
