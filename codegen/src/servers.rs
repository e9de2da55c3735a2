//! The server URLs a spec declares, resolved to plain URLs.
//!
//! progenitor builds every request from one base URL; a spec may also give a
//! path or an operation servers of its own (the Upstash spec serves
//! `/qstash/...` from `https://api.upstash.com`, without `/v2`). The URLs
//! found here are what the SDK routes by (`upstash_api::servers`).

use openapiv3::{OpenAPI, Operation, PathItem, Server};

use crate::FALLBACK_SERVER_URL;

/// The spec's main server: the first root `servers` entry with its
/// variables at their defaults, without a trailing slash; the Upstash URL
/// when the spec declares none (or only a relative one).
pub fn main_server(openapi: &OpenAPI) -> String {
    main_of(&openapi.servers)
}

fn main_of(servers: &[Server]) -> String {
    match servers.first().map(resolved) {
        Some(url) if is_absolute(&url) => url,
        Some(relative) => join(FALLBACK_SERVER_URL, &relative),
        None => FALLBACK_SERVER_URL.to_string(),
    }
}

/// The server of one operation when the spec gives it (or its path) one
/// that differs from the main server: the operation's first `servers`
/// entry, else its path item's, resolved like [`main_server`]; a relative
/// URL is taken from the main server's origin.
pub fn operation_server(
    openapi: &OpenAPI,
    item: &PathItem,
    operation: &Operation,
) -> Option<String> {
    let server = operation.servers.first().or(item.servers.first())?;
    let main = main_server(openapi);
    let url = match resolved(server) {
        url if is_absolute(&url) => url,
        relative => join(&main, &relative),
    };
    (url != main).then_some(url)
}

/// The URL an operation's requests go to, from the JSON of the document,
/// its path item and the operation (spec-diff compares documents it does
/// not type): the operation's first server, else its path item's, else
/// the main server, each resolved as [`operation_server`] and
/// [`main_server`] resolve them. A `servers` list that is not one reads as
/// none.
pub fn effective_server_url(
    document: &serde_json::Value,
    item: &serde_json::Value,
    operation: &serde_json::Value,
) -> String {
    let servers = |node: &serde_json::Value| -> Vec<Server> {
        node.get("servers")
            .and_then(|list| serde_json::from_value(list.clone()).ok())
            .unwrap_or_default()
    };
    let main = main_of(&servers(document));
    let own = servers(operation)
        .into_iter()
        .next()
        .or_else(|| servers(item).into_iter().next());
    match own.map(|server| resolved(&server)) {
        None => main,
        Some(url) if is_absolute(&url) => url,
        Some(relative) => join(&main, &relative),
    }
}

/// `server.url` with every `{variable}` at its default, no trailing slash.
fn resolved(server: &Server) -> String {
    let mut url = server.url.trim().to_string();
    for (name, variable) in server.variables.iter().flatten() {
        url = url.replace(&format!("{{{name}}}"), &variable.default);
    }
    url.trim_end_matches('/').to_string()
}

fn is_absolute(url: &str) -> bool {
    url.contains("://")
}

/// A relative server URL (`/v1`, `v1`) on the origin of `base`.
fn join(base: &str, relative: &str) -> String {
    let origin_end = base.find("://").map_or(base.len(), |scheme| {
        let host_start = scheme + 3;
        base[host_start..]
            .find('/')
            .map_or(base.len(), |slash| host_start + slash)
    });
    let path = relative.trim_start_matches("./").trim_start_matches('/');
    if path.is_empty() {
        base[..origin_end].to_string()
    } else {
        format!("{}/{path}", &base[..origin_end])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(yaml_servers: serde_json::Value) -> OpenAPI {
        serde_json::from_value(serde_json::json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "servers": yaml_servers,
            "paths": {}
        }))
        .unwrap()
    }

    fn item(servers: serde_json::Value) -> PathItem {
        serde_json::from_value(serde_json::json!({"servers": servers})).unwrap()
    }

    #[test]
    fn the_main_server_has_its_variables_filled_in() {
        let openapi = spec(serde_json::json!([{
            "url": "https://{region}.example.com/{version}/",
            "variables": {"region": {"default": "eu"}, "version": {"default": "v2"}}
        }]));
        assert_eq!(main_server(&openapi), "https://eu.example.com/v2");
        assert_eq!(
            main_server(&spec(serde_json::json!([]))),
            FALLBACK_SERVER_URL
        );
        assert_eq!(
            main_server(&spec(serde_json::json!([{"url": "/v3"}]))),
            "https://api.upstash.com/v3"
        );
    }

    #[test]
    fn path_and_operation_servers_override_the_main_one() {
        let openapi = spec(serde_json::json!([{"url": "https://api.upstash.com/v2"}]));
        let path = item(serde_json::json!([{"url": "https://api.upstash.com"}]));
        let plain = Operation::default();
        assert_eq!(
            operation_server(&openapi, &path, &plain).as_deref(),
            Some("https://api.upstash.com")
        );
        let own: Operation = serde_json::from_value(
            serde_json::json!({"responses": {}, "servers": [{"url": "/v1"}]}),
        )
        .unwrap();
        assert_eq!(
            operation_server(&openapi, &path, &own).as_deref(),
            Some("https://api.upstash.com/v1")
        );
        // The same server as the main one, or none, is no override.
        let same = item(serde_json::json!([{"url": "https://api.upstash.com/v2/"}]));
        assert_eq!(operation_server(&openapi, &same, &plain), None);
        assert_eq!(
            operation_server(&openapi, &item(serde_json::json!([])), &plain),
            None
        );
    }

    #[test]
    fn the_effective_server_is_chosen_as_the_build_chooses_it() {
        use serde_json::json;
        let document = json!({"servers": [{"url": "https://api.upstash.com/v2"}]});
        let item = json!({"servers": [{"url": "https://api.upstash.com"}]});
        let own = json!({"servers": [{"url": "/v1"}]});
        let none = json!({});
        let url = |item: &serde_json::Value, op: &serde_json::Value| {
            effective_server_url(&document, item, op)
        };
        assert_eq!(url(&none, &none), "https://api.upstash.com/v2");
        assert_eq!(url(&item, &none), "https://api.upstash.com");
        assert_eq!(url(&item, &own), "https://api.upstash.com/v1");
        assert_eq!(
            url(&item, &json!({"servers": []})),
            "https://api.upstash.com"
        );
        assert_eq!(
            effective_server_url(&none, &none, &none),
            FALLBACK_SERVER_URL
        );
    }
}
