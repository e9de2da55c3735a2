//! Document-wide changes: `info`, `servers`, security schemes.

use std::collections::HashSet;

use serde_json::{Value, json};

use super::super::load::pointer::{Loc, escape};
use super::super::rules::Rule;
use super::differ::Differ;

impl<'a> Differ<'a> {
    pub(super) fn document(&mut self) {
        self.enter(None);
        let (old, new) = (root_loc(self.old_root), root_loc(self.new_root));
        // info
        static NULL: Value = Value::Null;
        let oi = old.child("info").unwrap_or(Loc {
            value: &NULL,
            ptr: "/info".into(),
        });
        let ni = new.child("info").unwrap_or(Loc {
            value: &NULL,
            ptr: "/info".into(),
        });
        let (ov, nv) = (oi.value.get("version"), ni.value.get("version"));
        if ov != nv {
            let show = |v: Option<&Value>| {
                v.map(|v| {
                    v.as_str()
                        .map(str::to_string)
                        .unwrap_or_else(|| v.to_string())
                })
                .unwrap_or_else(|| "none".into())
            };
            self.record(
                Rule::InfoVersionChanged,
                format!("info.version changed from {} to {}", show(ov), show(nv)),
            )
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
        self.servers(&old, &new);
        self.security_schemes();
        self.flush_docs();
    }

    pub(super) fn servers(&mut self, old: &Loc<'a>, new: &Loc<'a>) {
        let urls = |loc: &Loc<'a>| -> Vec<(String, String)> {
            loc.value
                .get("servers")
                .and_then(Value::as_array)
                .map(|list| {
                    list.iter()
                        .enumerate()
                        .filter_map(|(i, s)| {
                            as_str(s.get("url")).map(|u| (u.to_string(), format!("/servers/{i}")))
                        })
                        .collect()
                })
                .unwrap_or_default()
        };
        let (o, n) = (urls(old), urls(new));
        let nset: HashSet<&str> = n.iter().map(|(u, _)| u.as_str()).collect();
        let oset: HashSet<&str> = o.iter().map(|(u, _)| u.as_str()).collect();
        for (url, ptr) in &o {
            if !nset.contains(url.as_str()) {
                self.record(Rule::ServerRemoved, format!("server `{url}` removed"))
                    .at(Some(ptr), None)
                    .values(Some(json!(url)), None);
            }
        }
        for (url, ptr) in &n {
            if !oset.contains(url.as_str()) {
                self.record(Rule::ServerAdded, format!("server `{url}` added"))
                    .at(None, Some(ptr))
                    .values(None, Some(json!(url)));
            }
        }
    }

    pub(super) fn security_schemes(&mut self) {
        let schemes = |root: &'a Value| {
            root.pointer("/components/securitySchemes")
                .and_then(Value::as_object)
        };
        let (o, n) = (schemes(self.old_root), schemes(self.new_root));
        for (name, ov) in o.iter().flat_map(|m| m.iter()) {
            let ptr = format!("/components/securitySchemes/{}", escape(name));
            match n.and_then(|m| m.get(name)) {
                None => {
                    self.record(
                        Rule::SecuritySchemeRemoved,
                        format!("security scheme `{name}` removed"),
                    )
                    .at(Some(&ptr), None)
                    .values(Some(ov.clone()), None);
                }
                Some(nv) => {
                    let ol = Loc {
                        value: ov,
                        ptr: ptr.clone(),
                    }
                    .resolve(self.old_root);
                    let nl = Loc {
                        value: nv,
                        ptr: ptr.clone(),
                    }
                    .resolve(self.new_root);
                    let strip = |v: &Value| -> Value {
                        match v {
                            Value::Object(m) => Value::Object(
                                m.iter()
                                    .filter(|(k, _)| {
                                        k.as_str() != "description" && !k.starts_with("x-")
                                    })
                                    .map(|(k, v)| (k.clone(), v.clone()))
                                    .collect(),
                            ),
                            other => other.clone(),
                        }
                    };
                    let (os, ns) = (strip(ol.value), strip(nl.value));
                    if os != ns {
                        self.record(
                            Rule::SecuritySchemeChanged,
                            format!("security scheme `{name}` changed"),
                        )
                        .at(Some(&ol.ptr), Some(&nl.ptr))
                        .values(Some(os), Some(ns));
                    }
                    self.docs_keys(&ol, &nl, &["description"]);
                }
            }
        }
        for (name, nv) in n.iter().flat_map(|m| m.iter()) {
            if !o.is_some_and(|m| m.contains_key(name)) {
                let ptr = format!("/components/securitySchemes/{}", escape(name));
                self.record(
                    Rule::SecuritySchemeAdded,
                    format!("security scheme `{name}` added"),
                )
                .at(None, Some(&ptr))
                .values(None, Some(nv.clone()));
            }
        }
    }
}

fn root_loc(value: &Value) -> Loc<'_> {
    Loc {
        value,
        ptr: String::new(),
    }
}

fn as_str(v: Option<&Value>) -> Option<&str> {
    v.and_then(Value::as_str)
}
