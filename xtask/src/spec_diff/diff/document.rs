//! Document-wide changes: `info`, `servers`, security schemes.

use std::collections::HashSet;

use serde_json::{Value, json};

use super::super::rules::Rule;
use super::differ::Differ;
use upstash_api_codegen::{Loc, escape_segment as escape, operations, plain_text as plain};

impl<'a> Differ<'a> {
    pub(super) fn document(&mut self) {
        self.enter(None);
        let (old, new) = (root_loc(self.old_root), root_loc(self.new_root));
        static NULL: Value = Value::Null;
        let info = |root: &Loc<'a>| {
            let ptr = "/info".into();
            root.child("info").unwrap_or(Loc { value: &NULL, ptr })
        };
        let (oi, ni) = (info(&old), info(&new));
        let (ov, nv) = (oi.value.get("version"), ni.value.get("version"));
        if ov != nv {
            let show = |v: Option<&Value>| v.map_or_else(|| "none".into(), plain);
            let message = format!("info.version changed from {} to {}", show(ov), show(nv));
            self.record(Rule::InfoVersionChanged, message)
                .at(Some("/info/version"), Some("/info/version"))
                .values(ov.cloned(), nv.cloned());
        }
        self.docs_keys(
            &oi,
            &ni,
            &[
                "title",
                "description",
                "termsOfService",
                "contact",
                "license",
            ],
        );
        self.docs_keys(&old, &new, &["tags", "externalDocs"]);
        self.servers(&old, &new, [Rule::ServerRemoved, Rule::ServerAdded]);
        self.security_schemes();
        self.flush_docs();
    }

    /// The server URLs of `old` and `new` (objects with `servers`), added
    /// as `[removed, added]`.
    pub(super) fn servers(&mut self, old: &Loc<'a>, new: &Loc<'a>, [removed, added]: [Rule; 2]) {
        let urls = |loc: &Loc<'a>| -> Vec<(&'a str, String)> {
            let list = loc.value.get("servers").and_then(Value::as_array);
            let servers = list.into_iter().flatten().enumerate();
            let url = |(i, s): (usize, &'a Value)| {
                Some((s.get("url")?.as_str()?, format!("{}/servers/{i}", loc.ptr)))
            };
            servers.filter_map(url).collect()
        };
        let (o, n) = (urls(old), urls(new));
        for (from, to, rule) in [(&o, &n, removed), (&n, &o, added)] {
            let to: HashSet<&str> = to.iter().map(|(url, _)| *url).collect();
            let is_added = rule == added;
            let what = if is_added { "added" } else { "removed" };
            for (url, ptr) in from.iter().filter(|(url, _)| !to.contains(url)) {
                let message = format!("server `{url}` {what}");
                self.record_one(rule, message, is_added, ptr, json!(url));
            }
        }
    }

    pub(super) fn security_schemes(&mut self) {
        let schemes = |root: &'a Value| {
            root.pointer("/components/securitySchemes")
                .and_then(Value::as_object)
        };
        let (o, n) = (schemes(self.old_root), schemes(self.new_root));
        let ptr = |name: &str| format!("/components/securitySchemes/{}", escape(name));
        for (name, ov) in o.into_iter().flatten() {
            let Some(nv) = n.and_then(|m| m.get(name)) else {
                let (rule, what) = match uses_scheme(self.old_root, name) {
                    true => (Rule::SecuritySchemeRemoved, ""),
                    false => (Rule::UnusedSecuritySchemeRemoved, " (no operation used it)"),
                };
                let message = format!("security scheme `{name}` removed{what}");
                self.record_one(rule, message, false, &ptr(name), ov.clone());
                continue;
            };
            let at = |value: &'a Value| Loc {
                value,
                ptr: ptr(name),
            };
            let (ol, nl) = (at(ov).resolve(self.old_root), at(nv).resolve(self.new_root));
            // What the scheme does, without its documentation.
            let strip = |v: &Value| -> Value {
                let Value::Object(m) = v else {
                    return v.clone();
                };
                let kept = m
                    .iter()
                    .filter(|(k, _)| k.as_str() != "description" && !k.starts_with("x-"));
                Value::Object(kept.map(|(k, v)| (k.clone(), v.clone())).collect())
            };
            let (os, ns) = (strip(ol.value), strip(nl.value));
            if os != ns {
                let message = format!("security scheme `{name}` changed");
                self.record(Rule::SecuritySchemeChanged, message)
                    .at(Some(&ol.ptr), Some(&nl.ptr))
                    .values(Some(os), Some(ns));
            }
            self.docs_keys(&ol, &nl, &["description"]);
        }
        for (name, nv) in n.into_iter().flatten() {
            if !o.is_some_and(|m| m.contains_key(name)) {
                let message = format!("security scheme `{name}` added");
                let rule = Rule::SecuritySchemeAdded;
                self.record_one(rule, message, true, &ptr(name), nv.clone());
            }
        }
    }
}

/// Whether the document-wide requirements or any operation's name the
/// security scheme `name`.
fn uses_scheme(root: &Value, name: &str) -> bool {
    let names = |security: Option<&Value>| {
        let requirements = security.and_then(Value::as_array).into_iter().flatten();
        requirements
            .filter_map(Value::as_object)
            .any(|r| r.contains_key(name))
    };
    names(root.get("security"))
        || operations(root)
            .values()
            .any(|op| names(op.loc.value.get("security")))
}

pub(super) fn root_loc(value: &Value) -> Loc<'_> {
    Loc {
        value,
        ptr: String::new(),
    }
}
