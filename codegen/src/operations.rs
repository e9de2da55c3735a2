//! A document's operations and the nodes they are made of, as every reader
//! walks them: the build's normalisations and every stage of spec-diff.
//!
//! A [`Loc`] is a node with its JSON pointer; [`resolve`] follows `$ref`s
//! the way the checks read them ([`crate::ref_pointer`]: `%XX` decoded).
//! [`operations`] lists a document's operations by method and normalised
//! path. Everything borrows from the document; nothing is cloned.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::pointer::escape_segment as escape;
use crate::references::{MAX_REF_HOPS, ref_pointer};

/// The HTTP methods a path item can hold, as the document spells them.
pub const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Follows `$ref`s from `value` to the node they lead to: that node and,
/// when at least one reference was followed, its pointer. References are
/// checked before anything walks a document (a broken one, or a chain of
/// more than [`MAX_REF_HOPS`], is refused there), so `None` here means an
/// unchecked document; the walk is bounded.
pub fn resolve<'a>(root: &'a Value, value: &'a Value) -> Option<(&'a Value, Option<String>)> {
    let mut current = value;
    let mut pointer: Option<String> = None;
    // One more round than hops: the last finds the node that is no reference.
    for _ in 0..=MAX_REF_HOPS {
        match current.get("$ref").and_then(Value::as_str) {
            Some(reference) => {
                let target = ref_pointer(reference)?;
                current = root.pointer(&target)?;
                pointer = Some(target.into_owned());
            }
            None => return Some((current, pointer)),
        }
    }
    None
}

/// The node `$ref`s lead to from `value`; `value` itself when it is no
/// reference or a broken one.
pub fn target<'a>(root: &'a Value, value: &'a Value) -> &'a Value {
    resolve(root, value).map_or(value, |(v, _)| v)
}

/// A node of a document with its JSON pointer.
#[derive(Debug, Clone)]
pub struct Loc<'a> {
    /// The node.
    pub value: &'a Value,
    /// Its JSON pointer.
    pub ptr: String,
}

impl<'a> Loc<'a> {
    /// The member `key` of this object, if present.
    pub fn child(&self, key: &str) -> Option<Loc<'a>> {
        self.value.get(key).map(|value| Loc {
            value,
            ptr: format!("{}/{}", self.ptr, escape(key)),
        })
    }

    /// The node `$ref`s lead to, with its pointer; itself when it is no
    /// reference or a broken one.
    pub fn resolve(self, root: &'a Value) -> Loc<'a> {
        match resolve(root, self.value) {
            Some((value, ptr)) => Loc {
                value,
                ptr: ptr.unwrap_or(self.ptr),
            },
            None => self,
        }
    }

    /// The node `$ref`s lead to, without its pointer.
    pub fn target(&self, root: &'a Value) -> &'a Value {
        target(root, self.value)
    }
}

/// What operations are matched by across documents: method and path
/// template with every parameter name replaced by `{}`.
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
        let lists = [self.item.child("parameters"), self.loc.child("parameters")];
        for list in lists.into_iter().flatten() {
            for (i, value) in list.value.as_array().into_iter().flatten().enumerate() {
                let ptr = format!("{}/{i}", list.ptr);
                let Some(param) = Param::read(Loc { value, ptr }.resolve(root)) else {
                    continue;
                };
                match out
                    .iter_mut()
                    .find(|p| p.name == param.name && p.location == param.location)
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

impl<'a> Param<'a> {
    /// The parameter at `loc`; `None` when it has no name.
    fn read(loc: Loc<'a>) -> Option<Param<'a>> {
        let flag = |key: &str| loc.value.get(key).and_then(Value::as_bool) == Some(true);
        let location = loc
            .value
            .get("in")
            .and_then(Value::as_str)
            .unwrap_or("query");
        Some(Param {
            name: loc.value.get("name")?.as_str()?,
            location,
            required: location == "path" || flag("required"),
            deprecated: flag("deprecated"),
            loc,
        })
    }
}

/// A path template with every parameter name left out (`/db/{}`), and
/// the names in template order: two templates with the same shape are the
/// same path to OpenAPI.
pub fn template_shape(path: &str) -> (String, Vec<&str>) {
    let mut shape = String::with_capacity(path.len());
    let mut names = Vec::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        shape.push_str(&rest[..open]);
        match rest[open..].find('}') {
            Some(close) => {
                names.push(&rest[open + 1..open + close]);
                shape.push_str("{}");
                rest = &rest[open + close + 1..];
            }
            None => {
                shape.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    shape.push_str(rest);
    (shape, names)
}

/// Every operation of the document, by key (sorted: deterministic output).
pub fn operations(root: &Value) -> BTreeMap<OpKey, Operation<'_>> {
    let mut out = BTreeMap::new();
    let Some(paths) = root.get("paths").and_then(Value::as_object) else {
        return out;
    };
    for (path, item) in paths {
        let ptr = format!("/paths/{}", escape(path));
        let item = Loc { value: item, ptr }.resolve(root);
        let (normalised, names) = template_shape(path);
        for method in METHODS {
            let Some(loc) = item.child(method).filter(|l| l.value.is_object()) else {
                continue;
            };
            let method = method.to_ascii_uppercase();
            let key = OpKey {
                path: normalised.clone(),
                method: method.clone(),
            };
            let operation = Operation {
                method,
                path,
                path_params: names.clone(),
                loc,
                item: item.clone(),
            };
            out.insert(key, operation);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_shapes_leave_out_parameter_names() {
        assert_eq!(
            template_shape("/db/{id}/x/{y}"),
            ("/db/{}/x/{}".to_string(), vec!["id", "y"])
        );
        assert_eq!(template_shape("/db/{id").0, "/db/{id");
    }
}
