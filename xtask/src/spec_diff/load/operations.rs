//! The operations of a document, keyed by method and normalised path.
//!
//! Everything here borrows from the loaded JSON document; nothing is cloned.

use std::collections::BTreeMap;

use serde_json::Value;

use super::pointer::{Loc, escape};

pub use upstash_api_codegen::METHODS;

/// The key operations are matched by: method and path template with every
/// parameter name replaced by `{}`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct OpKey {
    /// Normalised path: `/db/{}`.
    pub path: String,
    /// Upper-case method.
    pub method: String,
}

/// One operation of a document.
#[derive(Debug, Clone)]
pub struct Operation<'a> {
    /// Upper-case method.
    pub method: String,
    /// The path template as written.
    pub path: &'a str,
    /// The path parameter names in template order.
    pub path_params: Vec<&'a str>,
    /// The operation object.
    pub loc: Loc<'a>,
    /// The path item holding it (for shared parameters).
    pub item: Loc<'a>,
}

impl<'a> Operation<'a> {
    /// The operationId, if any.
    pub fn operation_id(&self) -> Option<&'a str> {
        self.loc.value.get("operationId").and_then(Value::as_str)
    }

    /// Whether the operation is marked deprecated.
    pub fn deprecated(&self) -> bool {
        self.loc.value.get("deprecated").and_then(Value::as_bool) == Some(true)
    }

    /// The effective parameters: the path item's, overridden by the
    /// operation's (same name and location), each resolved.
    pub fn parameters(&self, root: &'a Value) -> Vec<Param<'a>> {
        let mut out: Vec<Param<'a>> = Vec::new();
        for source in [self.item.child("parameters"), self.loc.child("parameters")]
            .into_iter()
            .flatten()
        {
            let Some(list) = source.value.as_array() else {
                continue;
            };
            for (i, raw) in list.iter().enumerate() {
                let loc = Loc {
                    value: raw,
                    ptr: format!("{}/{i}", source.ptr),
                }
                .resolve(root);
                let Some(name) = loc.value.get("name").and_then(Value::as_str) else {
                    continue;
                };
                let location = loc
                    .value
                    .get("in")
                    .and_then(Value::as_str)
                    .unwrap_or("query");
                let param = Param {
                    name,
                    location,
                    required: location == "path"
                        || loc.value.get("required").and_then(Value::as_bool) == Some(true),
                    deprecated: loc.value.get("deprecated").and_then(Value::as_bool) == Some(true),
                    loc,
                };
                match out
                    .iter_mut()
                    .find(|p| p.name == name && p.location == location)
                {
                    Some(existing) => *existing = param,
                    None => out.push(param),
                }
            }
        }
        out
    }
}

/// One parameter of an operation, resolved.
#[derive(Debug, Clone)]
pub struct Param<'a> {
    /// Its name.
    pub name: &'a str,
    /// `path`, `query`, `header` or `cookie`.
    pub location: &'a str,
    /// Whether it must be sent (path parameters always).
    pub required: bool,
    /// Whether it is marked deprecated.
    pub deprecated: bool,
    /// The parameter object.
    pub loc: Loc<'a>,
}

/// Splits a path template into its normalised form and its parameter
/// names, as the build's checks do.
pub use upstash_api_codegen::template_shape as normalise_path;

/// Every operation of the document, by key (sorted: deterministic output).
pub fn operations(root: &Value) -> BTreeMap<OpKey, Operation<'_>> {
    let mut out = BTreeMap::new();
    let Some(paths) = root.get("paths").and_then(Value::as_object) else {
        return out;
    };
    for (path, item) in paths {
        let item = Loc {
            value: item,
            ptr: format!("/paths/{}", escape(path)),
        }
        .resolve(root);
        let (normalised, names) = normalise_path(path);
        for method in METHODS {
            let Some(loc) = item.child(method).filter(|l| l.value.is_object()) else {
                continue;
            };
            let upper = method.to_ascii_uppercase();
            out.insert(
                OpKey {
                    path: normalised.clone(),
                    method: upper.clone(),
                },
                Operation {
                    method: upper,
                    path,
                    path_params: names.clone(),
                    loc,
                    item: item.clone(),
                },
            );
        }
    }
    out
}
