//! Each schema of a document typed alone, before the document is typed
//! whole.
//!
//! `openapiv3` reads a schema through untagged enums: when a schema does
//! not type, serde tries the next variant, and two of them (the typed
//! schema and the schema of any kind) read the same inner schemas. A
//! schema that fails at the bottom of `n` nested schemas is read 2^n times:
//! twenty levels of `items`, half a kilobyte of text, took the build and
//! spec-diff minutes. Here every schema is typed once with its inner
//! schemas replaced by `{}` (which always types), so the whole check is
//! linear and names the schema that is wrong; a document that passes it
//! types whole without a deep failure to retry.
//!
//! The same untagged enums copy a schema's whole content once for every
//! schema that holds it: 120 nested schemas around an `example` of 800,000
//! nodes (6 KB of YAML with aliases) took typing to 1.6 GB. The walk counts
//! those copies (every node inside a schema, times the schemas around it)
//! and refuses a document whose typing would copy more than
//! [`COPIES_PER_NODE`] times its schema nodes (at least [`MIN_COPIES`]):
//! real specs nest a few schemas deep, so they stay far below it.

use openapiv3::{ReferenceOr, Schema};
use serde::Deserialize as _;
use serde_json::{Map, Value};

use crate::SpecError;
use crate::pointer::escape_segment as escape;
use crate::references::is_data;

/// How many times typing may copy, on average, each node inside a schema.
const COPIES_PER_NODE: usize = 16;

/// The copies typing may make whatever the document's size.
const MIN_COPIES: usize = 4_000_000;

/// Where a node stands, for the walk: what its members are.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Holds {
    /// Members of a node outside schemas: a `schema` member is one.
    Document,
    /// The node is a schema.
    Schema,
    /// Every member is a schema (`components/schemas`, `properties`).
    Schemas,
}

/// Types every schema of `document` alone; the first that does not type
/// is an error at its pointer, as is a document whose typing would copy
/// its schemas' content too many times.
pub(crate) fn check(document: &Value) -> Result<(), SpecError> {
    // Each node with its pointer, what it holds, and the schemas around it.
    let mut stack = vec![(document, String::new(), Holds::Document, 0)];
    let mut cost = Cost::default();
    while let Some((node, pointer, holds, around)) = stack.pop() {
        match (holds, node) {
            (Holds::Schema, Value::Object(schema)) => {
                type_alone(schema, &pointer)?;
                let around = around + 1;
                cost.add(&pointer, around, 1);
                // A reference is read as one; what stands beside it is ignored.
                if matches!(schema.get("$ref"), Some(Value::String(_))) {
                    continue;
                }
                for (key, member) in schema {
                    let at = format!("{pointer}/{}", escape(key));
                    match inner(key, member) {
                        Inner::ByName(_) => {
                            cost.add(&pointer, around, 1);
                            stack.push((member, at, Holds::Schemas, around));
                        }
                        Inner::One => stack.push((member, at, Holds::Schema, around)),
                        Inner::List(parts) => {
                            cost.add(&pointer, around, 1);
                            for (index, part) in parts.iter().enumerate() {
                                stack.push((part, format!("{at}/{index}"), Holds::Schema, around));
                            }
                        }
                        Inner::None => cost.add(&pointer, around, nodes(member)),
                    }
                }
            }
            (Holds::Schema, other) => type_one(other, &pointer)?,
            (Holds::Schemas, Value::Object(members)) => {
                for (key, member) in members {
                    let at = format!("{pointer}/{}", escape(key));
                    stack.push((member, at, Holds::Schema, around));
                }
            }
            (Holds::Document, Value::Object(members)) => {
                for (key, member) in members {
                    // Links carry data that may hold a `schema` key.
                    if is_data(key) || key == "examples" || key == "links" {
                        continue;
                    }
                    let holds = match (key.as_str(), pointer.as_str()) {
                        ("schema", _) => Holds::Schema,
                        ("schemas", "/components") => Holds::Schemas,
                        _ => Holds::Document,
                    };
                    stack.push((member, format!("{pointer}/{}", escape(key)), holds, 0));
                }
            }
            (Holds::Document, Value::Array(items)) => {
                for (index, item) in items.iter().enumerate() {
                    stack.push((item, format!("{pointer}/{index}"), Holds::Document, 0));
                }
            }
            _ => {}
        }
    }
    cost.check()
}

/// How a member of a schema holds schemas of its own: the walk types each
/// of them, and [`type_alone`] stubs exactly those.
enum Inner<'a> {
    /// The member is one (`items`, `not`, `additionalProperties`).
    One,
    /// Each of its members is one (`properties`).
    ByName(&'a Map<String, Value>),
    /// Each of its items is one (`allOf`, `oneOf`, `anyOf`).
    List(&'a [Value]),
    /// It holds none (data, or a keyword's value).
    None,
}

fn inner<'a>(key: &str, member: &'a Value) -> Inner<'a> {
    match (key, member) {
        ("properties", Value::Object(properties)) => Inner::ByName(properties),
        ("items" | "not" | "additionalProperties", Value::Object(_)) => Inner::One,
        ("allOf" | "oneOf" | "anyOf", Value::Array(parts)) => Inner::List(parts),
        _ => Inner::None,
    }
}

/// What typing the schemas will copy: every node inside a schema once per
/// schema around it.
#[derive(Default)]
struct Cost {
    nodes: usize,
    copies: usize,
    /// The deepest schema seen, for the message.
    deepest: (usize, String),
}

impl Cost {
    /// `count` nodes of the schema at `pointer`, inside `around` schemas.
    fn add(&mut self, pointer: &str, around: usize, count: usize) {
        self.nodes = self.nodes.saturating_add(count);
        self.copies = self.copies.saturating_add(around.saturating_mul(count));
        if around > self.deepest.0 {
            self.deepest = (around, pointer.to_string());
        }
    }

    fn check(self) -> Result<(), SpecError> {
        let budget = self.nodes.saturating_mul(COPIES_PER_NODE).max(MIN_COPIES);
        if self.copies <= budget {
            return Ok(());
        }
        let (deepest, at) = self.deepest;
        Err(SpecError::new(format!(
            "schemas nest up to {deepest} deep around {} nodes: typing them would copy {} nodes, \
             more than the {budget} allowed; move nested schemas into `components/schemas` \
             and `$ref` them",
            self.nodes, self.copies
        ))
        .at(at))
    }
}

/// The nodes of `value`, counted with an explicit stack.
fn nodes(value: &Value) -> usize {
    let mut count = 0;
    let mut stack = vec![value];
    while let Some(node) = stack.pop() {
        count += 1;
        match node {
            Value::Object(members) => stack.extend(members.values()),
            Value::Array(items) => stack.extend(items),
            _ => {}
        }
    }
    count
}

/// Types `schema` with every inner schema replaced by `{}`.
fn type_alone(schema: &Map<String, Value>, pointer: &str) -> Result<(), SpecError> {
    let stub = || Value::Object(Map::new());
    let stubs = |value: &Value| match value {
        Value::Object(_) => stub(),
        other => other.clone(),
    };
    let alone: Map<String, Value> = schema
        .iter()
        .map(|(key, value)| {
            let value = match inner(key, value) {
                Inner::ByName(properties) => Value::Object(
                    properties
                        .iter()
                        .map(|(name, property)| (name.clone(), stubs(property)))
                        .collect(),
                ),
                Inner::One => stub(),
                Inner::List(parts) => Value::Array(parts.iter().map(stubs).collect()),
                Inner::None => value.clone(),
            };
            (key.clone(), value)
        })
        .collect();
    type_one(&Value::Object(alone), pointer)
}

fn type_one(schema: &Value, pointer: &str) -> Result<(), SpecError> {
    match ReferenceOr::<Schema>::deserialize(schema) {
        Ok(_) => Ok(()),
        Err(e) => Err(
            SpecError::new(format!("not a valid OpenAPI 3.0 schema: {e}")).at(match pointer {
                "" => "document root".to_string(),
                _ => pointer.to_string(),
            }),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn document(schema: Value) -> Value {
        json!({
            "openapi": "3.0.3",
            "paths": {"/a": {"get": {"responses": {"200": {"description": "ok",
                "content": {"application/json": {"schema": schema}}}}}}},
            "components": {"schemas": {"Fine": {"type": "object", "properties": {"schema": {"type": "string"}}}}}
        })
    }

    #[test]
    fn a_deep_failure_is_found_at_once_and_named() {
        let mut schema = json!({"type": "array", "items": "oops"});
        for _ in 0..100 {
            schema = json!({"type": "array", "items": schema});
        }
        let error = check(&document(schema)).unwrap_err();
        let location = error.location.unwrap_or_default();
        assert!(location.ends_with("/items/items"), "{location}");
        // The schema whose `items` is no schema, under the 100 that wrap it.
        assert_eq!(location.matches("/items").count(), 100, "{location}");
        assert!(
            error.problem.contains("not a valid OpenAPI 3.0 schema"),
            "{}",
            error.problem
        );
    }

    #[test]
    fn valid_schemas_and_data_that_looks_like_one_pass() {
        let schema = json!({
            "allOf": [{"$ref": "#/components/schemas/Fine"}, {"type": "object",
                "properties": {"n": {"type": "integer", "minimum": 1}},
                "additionalProperties": {"type": "string"}}],
            "example": {"schema": 5, "items": "not a schema"},
        });
        assert_eq!(check(&document(schema)), Ok(()));
    }

    #[test]
    fn content_copied_once_per_schema_around_it_is_bounded() {
        let nest = |levels: usize, example: Value| {
            let mut schema = json!({"type": "string", "example": example});
            for _ in 0..levels {
                schema = json!({"type": "array", "items": schema});
            }
            document(schema)
        };
        let big = Value::Array(vec![json!(1); 100_000]);
        let error = check(&nest(120, big.clone())).unwrap_err();
        assert!(
            error.problem.contains("nest up to 121 deep"),
            "{}",
            error.problem
        );
        // The same content under a few schemas, or a deep nest of small
        // schemas, types as it is.
        assert_eq!(check(&nest(4, big)), Ok(()));
        assert_eq!(check(&nest(120, json!("x"))), Ok(()));
    }

    #[test]
    fn bad_members_of_schemas_are_named_wherever_they_are() {
        for (schema, at) in [
            (
                json!({"type": "object", "properties": {"a": {"type": "object", "properties": []}}}),
                "/schema/properties/a",
            ),
            (
                json!({"oneOf": [{"type": "string"}, {"type": "string", "maxLength": "x"}]}),
                "/schema/oneOf/1",
            ),
            (
                json!({"type": "object", "additionalProperties": {"required": "a"}}),
                "/schema/additionalProperties",
            ),
            (json!(7), "/schema"),
        ] {
            let error = check(&document(schema)).unwrap_err();
            let location = error.location.unwrap_or_default();
            assert!(location.ends_with(at), "{location} for {at}");
        }
    }
}
