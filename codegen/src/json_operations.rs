//! The operations of an OpenAPI document still in JSON form, for the
//! normalisations that run before it is typed ([`crate::responses`],
//! [`crate::tolerance`]), and the helpers they share to follow them.

use serde_json::{Map, Value};

use crate::pointer::escape_segment as escape;

/// The HTTP methods a path item can hold, as the document spells them.
pub const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// One operation: where it is and its responses.
pub(crate) struct JsonOperation<'a> {
    /// The pointer of its `responses` object (`/paths/~1x/get/responses`).
    pub(crate) responses_pointer: String,
    /// Its `operationId`, if it has one.
    pub(crate) id: Option<&'a str>,
    /// Its `responses` object.
    pub(crate) responses: &'a Map<String, Value>,
}

/// Every operation of `document` that has a `responses` object.
pub(crate) fn operations(document: &Value) -> Vec<JsonOperation<'_>> {
    let Some(paths) = document.get("paths").and_then(Value::as_object) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for (path, item) in paths {
        let Some(item) = item.as_object() else {
            continue;
        };
        for (method, operation) in item {
            if !METHODS.contains(&method.as_str()) {
                continue;
            }
            let Some(responses) = operation.get("responses").and_then(Value::as_object) else {
                continue;
            };
            found.push(JsonOperation {
                responses_pointer: format!("/paths/{}/{method}/responses", escape(path)),
                id: operation.get("operationId").and_then(Value::as_str),
                responses,
            });
        }
    }
    found
}

/// The JSON pointer a local `$ref` names.
pub(crate) fn local_reference(node: &Value) -> Option<&str> {
    node.get("$ref")?.as_str()?.strip_prefix('#')
}

/// The node a local `$ref` points at (followed up to a few times), or the
/// node itself. References are checked before this runs.
pub(crate) fn resolve<'a>(document: &'a Value, node: &'a Value) -> &'a Value {
    let mut node = node;
    for _ in 0..16 {
        match local_reference(node).and_then(|pointer| document.pointer(pointer)) {
            Some(target) => node = target,
            None => return node,
        }
    }
    node
}
