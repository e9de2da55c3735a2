//! Operations: added, removed, renamed, deprecated, their security
//! requirements; each operation's parts are compared by the modules of
//! their objects.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use super::super::change::Endpoint;
use super::super::rules::Rule;
use super::differ::Differ;
use super::document::root_loc;
use upstash_api_codegen::{OpKey, Operation, operations};

impl<'a> Differ<'a> {
    pub(super) fn operations(&mut self) {
        let old_ops = operations(self.old_root);
        let new_ops = operations(self.new_root);
        let mut keys: BTreeSet<&OpKey> = old_ops.keys().collect();
        keys.extend(new_ops.keys());
        for key in keys {
            match (old_ops.get(key), new_ops.get(key)) {
                (Some(o), Some(n)) => {
                    self.enter_endpoint(n);
                    self.operation(o, n);
                }
                (Some(op), None) | (None, Some(op)) => {
                    let added = new_ops.contains_key(key);
                    let (rule, what) = if added {
                        (Rule::OperationAdded, "added")
                    } else {
                        (Rule::OperationRemoved, "removed")
                    };
                    self.enter_endpoint(op);
                    let id = op.operation_id();
                    let shown = id.map(|i| format!(" ({i})")).unwrap_or_default();
                    let message = format!("operation {what}{shown}");
                    self.record_one(rule, message, added, &op.loc.ptr, id.map(|i| json!(i)));
                }
                (None, None) => {}
            }
            self.flush_docs();
        }
        self.enter(None);
    }

    /// Makes `op`'s method and path the endpoint of the changes that follow.
    fn enter_endpoint(&mut self, op: &Operation<'a>) {
        self.enter(Some(Endpoint {
            method: op.method.clone(),
            path: op.path.to_string(),
        }));
    }

    pub(super) fn operation(&mut self, o: &Operation<'a>, n: &Operation<'a>) {
        for (on, nn) in o.path_params.iter().zip(&n.path_params) {
            if on != nn {
                let message = format!("path parameter `{on}` renamed to `{nn}`");
                self.record(Rule::PathParameterRenamed, message)
                    .at(Some(&o.item.ptr), Some(&n.item.ptr))
                    .values(Some(json!(on)), Some(json!(nn)));
            }
        }
        let (oid, nid) = (o.operation_id(), n.operation_id());
        if oid != nid {
            let (was, is) = (oid.unwrap_or("none"), nid.unwrap_or("none"));
            let message = format!("operationId changed from `{was}` to `{is}`");
            let op = format!("{}/operationId", o.loc.ptr);
            let np = format!("{}/operationId", n.loc.ptr);
            self.record(Rule::OperationIdChanged, message)
                .at(Some(&op), Some(&np))
                .values(oid.map(|v| json!(v)), nid.map(|v| json!(v)));
        }
        let deprecation = match (o.deprecated(), n.deprecated()) {
            (false, true) => Some((Rule::OperationDeprecated, "operation deprecated")),
            (true, false) => Some((
                Rule::OperationUndeprecated,
                "operation no longer deprecated",
            )),
            _ => None,
        };
        if let Some((rule, message)) = deprecation {
            self.record(rule, message)
                .at(Some(&o.loc.ptr), Some(&n.loc.ptr));
        }
        let documentation = ["summary", "description", "externalDocs", "tags"];
        self.docs_keys(&o.loc, &n.loc, &documentation);
        self.operation_servers(o, n);
        self.parameters(o, n);
        self.request_body(o, n);
        self.responses(o, n);
        self.callbacks(&o.loc, &n.loc);
        self.security(o, n);
    }

    /// The servers an operation is called at, when it or its path names
    /// its own on either side (else the document's, compared once).
    fn operation_servers(&mut self, o: &Operation<'a>, n: &Operation<'a>) {
        self.credentials_destination(o, n);
        let own = |op: &Operation<'a>| {
            [&op.loc, &op.item]
                .into_iter()
                .find(|l| l.value.get("servers").is_some())
                .cloned()
        };
        let (os, ns) = (own(o), own(n));
        if os.is_none() && ns.is_none() {
            return;
        }
        let os = os.unwrap_or_else(|| root_loc(self.old_root));
        let ns = ns.unwrap_or_else(|| root_loc(self.new_root));
        let rules = [Rule::OperationServerRemoved, Rule::OperationServerAdded];
        self.servers(&os, &ns, rules);
    }

    /// The origin an operation's requests, credentials and all, go to:
    /// the server the build picks for it (codegen's
    /// `effective_server_url`), compared by scheme, host and port.
    fn credentials_destination(&mut self, o: &Operation<'a>, n: &Operation<'a>) {
        let (old_root, new_root) = (self.old_root, self.new_root);
        let (ou, nu) = (destination(old_root, o), destination(new_root, n));
        let (oo, no) = (origin(&ou.0), origin(&nu.0));
        if oo == no {
            return;
        }
        let clear = if no.starts_with("http://") && !is_loopback(&no) {
            "; over plain http, the credentials would travel in clear text"
        } else {
            ""
        };
        let message = format!(
            "requests and their credentials now go to `{no}` instead of `{oo}`{clear}; accept only if `{no}` is the API's"
        );
        self.record(Rule::CredentialsDestinationChanged, message)
            .at(Some(&ou.1), Some(&nu.1))
            .values(Some(json!(ou.0)), Some(json!(nu.0)));
    }

    pub(super) fn security(&mut self, o: &Operation<'a>, n: &Operation<'a>) {
        fn effective<'v>(op: &Operation<'v>, root: &'v Value) -> (Vec<BTreeSet<&'v str>>, String) {
            let (value, ptr) = match op.loc.child("security") {
                Some(l) => (Some(l.value), l.ptr),
                None => (root.get("security"), "/security".to_string()),
            };
            let requirements = value.and_then(Value::as_array).into_iter().flatten();
            let alts = requirements
                .map(|req| {
                    req.as_object()
                        .map(|m| m.keys().map(String::as_str).collect())
                        .unwrap_or_default()
                })
                .collect();
            (alts, ptr)
        }
        let (oa, op) = effective(o, self.old_root);
        let (na, np) = effective(n, self.new_root);
        let needs = |a: &[BTreeSet<&str>]| !a.is_empty() && !a.iter().any(BTreeSet::is_empty);
        let show = |s: &BTreeSet<&str>| s.iter().copied().collect::<Vec<_>>().join(" + ");
        match (needs(&oa), needs(&na)) {
            (false, true) => {
                let alts: Vec<String> = na.iter().map(show).collect();
                let any = alts.join(" or ");
                let message = format!("operation now requires authentication ({any})");
                self.record(Rule::SecurityRequirementAdded, message)
                    .at(Some(&op), Some(&np))
                    .values(None, Some(json!(alts)));
            }
            (true, false) => {
                let alts: Vec<String> = oa.iter().map(show).collect();
                let message = "operation no longer requires authentication";
                self.record(Rule::SecurityRequirementRemoved, message)
                    .at(Some(&op), Some(&np))
                    .values(Some(json!(alts)), None);
            }
            (true, true) => {
                for (from, to, added) in [(&oa, &na, false), (&na, &oa, true)] {
                    let (rule, what) = if added {
                        (Rule::SecurityAlternativeAdded, "now accepted")
                    } else {
                        (Rule::SecurityAlternativeRemoved, "no longer accepted")
                    };
                    for alt in from.iter().filter(|alt| !to.contains(alt)) {
                        let shown = Some(json!(show(alt)));
                        let (was, is) = if added { (None, shown) } else { (shown, None) };
                        self.record(rule, format!("authentication with {} {what}", show(alt)))
                            .at(Some(&op), Some(&np))
                            .values(was, is);
                    }
                }
            }
            (false, false) => {}
        }
    }
}

/// The URL `op`'s requests go to, and the pointer of the `servers` entry
/// that decides it (the operation's when none does).
fn destination(root: &Value, op: &Operation<'_>) -> (String, String) {
    let url = upstash_api_codegen::effective_server_url(root, op.item.value, op.loc.value);
    let first = |node: &Value, ptr: &str| {
        let listed = node.get("servers").and_then(Value::as_array);
        listed
            .is_some_and(|l| !l.is_empty())
            .then(|| format!("{ptr}/servers/0"))
    };
    let decides = first(op.loc.value, &op.loc.ptr)
        .or_else(|| first(op.item.value, &op.item.ptr))
        .or_else(|| first(root, ""))
        .unwrap_or_else(|| op.loc.ptr.clone());
    (url, decides)
}

/// `scheme://host[:port]` of `url`, lower-cased, the scheme's default port
/// left out.
fn origin(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    // Credentials written into the URL are not part of where it goes.
    let host = authority.rsplit('@').next().unwrap_or(authority);
    let (scheme, host) = (scheme.to_ascii_lowercase(), host.to_ascii_lowercase());
    let host = match scheme.as_str() {
        "https" => host.strip_suffix(":443").unwrap_or(&host),
        "http" => host.strip_suffix(":80").unwrap_or(&host),
        _ => &host,
    };
    format!("{scheme}://{host}")
}

/// Whether an origin is this machine: plain http there reaches no network.
fn is_loopback(origin: &str) -> bool {
    let host = origin.split_once("://").map_or(origin, |(_, h)| h);
    let host = match host.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(v6),
        None => host.rsplit_once(':').map_or(host, |(h, _)| h),
    };
    host == "localhost"
        || host.ends_with(".localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::{is_loopback, origin};

    #[test]
    fn an_origin_is_scheme_host_and_port() {
        assert_eq!(
            origin("https://API.upstash.com:443/v2"),
            "https://api.upstash.com"
        );
        assert_eq!(
            origin("https://api.upstash.com:8443"),
            "https://api.upstash.com:8443"
        );
        assert_eq!(origin("http://u:p@example.com/x"), "http://example.com");
        assert!(is_loopback("http://127.0.0.1:8080"));
        assert!(is_loopback("http://[::1]:80"));
        assert!(is_loopback("http://localhost"));
        assert!(!is_loopback("http://api.upstash.com"));
    }
}
