//! What a response may hold without failing the call.
//!
//! A server evolves: it adds a region, a state, a field; it sends an IPv6
//! address where an IPv4 one was documented. None of that must make a
//! whole answer unreadable, for a client that may not even read the field.
//! So every schema a response can contain (reached from a success
//! response's body, through `$ref`s, properties, items, maps and
//! compositions) is loosened before the generator types it:
//!
//! - a string enum becomes an *open* enum: the listed values are variants,
//!   any other value is kept in an `Unknown` variant (see
//!   [`crate::open_enums`]); it is marked here with an `x-rust-type`
//!   extension naming the Rust type, which typify then uses as is;
//! - `format: ip`, `ipv4` and `ipv6` are dropped (the value is a `String`);
//! - `pattern`, `minLength` and `maxLength` on strings are dropped (typify
//!   would make a newtype that rejects a value outside them);
//! - `additionalProperties: false` is dropped (typify would deny unknown
//!   fields).
//!
//! Schemas only requests use keep all of it: a caller cannot send a value
//! the spec does not list by accident. A schema both sides use is a response
//! schema: it is open, and its `Unknown` variant cannot be built by a
//! caller (it only holds what the API sent).
//!
//! Not opened: an enum with `nullable: true` or a `null` value, and an enum
//! directly inside `allOf`/`oneOf`/`anyOf`/`not` (typify names those in ways
//! of its own); they stay closed.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value, json};

use crate::names::{pascal, snake, unique};
use crate::operations::{Loc, operations};
use crate::pointer::{escape_segment as escape, schema_name};
use crate::references::ref_pointer;

/// String formats typify types as addresses (`Ipv4Addr`...).
const ADDRESS_FORMATS: [&str; 3] = ["ip", "ipv4", "ipv6"];
/// String keywords that make typify wrap a string in a checked newtype.
pub(crate) const STRING_CONSTRAINTS: [&str; 3] = ["pattern", "minLength", "maxLength"];

/// The crate the open enums live in, as `x-rust-type` names it.
pub const OPEN_ENUM_CRATE: &str = "upstash-api";
/// The module path users reach the open enums by (the crate re-exports
/// them beside the generated types).
pub const OPEN_ENUM_MODULE: &str = "upstash_api::types";

/// Loosens every schema a response can contain, as the module documentation
/// says. `document` is the whole OpenAPI document, references checked.
pub(crate) fn apply(document: &mut Value) {
    let mut edits = response_schemas(document);
    // Components keep their names: theirs are given first, and no inline
    // enum takes the name of a component typify generates.
    edits.sort_by_key(|(pointer, _)| schema_name(pointer).is_none());
    let opened: BTreeSet<Cow<str>> = edits
        .iter()
        .filter_map(|(pointer, _)| schema_name(pointer))
        .collect();
    let mut taken: BTreeSet<String> = document
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .into_iter()
        .flat_map(|schemas| schemas.iter())
        .filter(|(name, schema)| {
            !(opened.contains(name.as_str())
                && schema.as_object().is_some_and(is_open_enum_candidate))
        })
        .map(|(name, _)| pascal(name))
        .collect();
    for (pointer, name) in edits {
        let Some(Value::Object(node)) = document.pointer_mut(&pointer) else {
            continue;
        };
        if node.get("type").and_then(Value::as_str) == Some("string") {
            if has_address_format(node) {
                node.remove("format");
            }
            for constraint in STRING_CONSTRAINTS {
                node.remove(constraint);
            }
        }
        if node.get("additionalProperties") == Some(&Value::Bool(false)) {
            node.remove("additionalProperties");
        }
        if let Some(name) = name.filter(|_| is_open_enum_candidate(node)) {
            let name = unique(&name, &mut taken);
            node.insert(
                "x-rust-type".to_string(),
                json!({
                    "crate": OPEN_ENUM_CRATE,
                    "version": "*",
                    "path": format!("{OPEN_ENUM_MODULE}::{name}"),
                }),
            );
        }
    }
}

/// Whether a schema's `format` is one typify types as an address.
pub(crate) fn has_address_format(schema: &Map<String, Value>) -> bool {
    schema
        .get("format")
        .and_then(Value::as_str)
        .is_some_and(|f| ADDRESS_FORMATS.contains(&f))
}

/// A string enum of string values only, not nullable, not typed by the
/// user already: what becomes an open enum here, and what `concepts`
/// shares.
pub(crate) fn is_open_enum_candidate(node: &serde_json::Map<String, Value>) -> bool {
    is_string_enum(node) && !node.contains_key("x-rust-type")
}

/// A string enum of string values only, not nullable, whatever its
/// `x-rust-type`.
pub(crate) fn is_string_enum(node: &serde_json::Map<String, Value>) -> bool {
    let Some(Value::Array(values)) = node.get("enum") else {
        return false;
    };
    node.get("type")
        .is_none_or(|kind| kind.as_str() == Some("string"))
        && !values.is_empty()
        && values.iter().all(Value::is_string)
        && node.get("nullable") != Some(&Value::Bool(true))
}

/// How typify will name the type of a schema node.
#[derive(Clone)]
enum Name {
    /// A component: its name, whatever its `title`.
    Required(String),
    /// A name made from where the node is; its `title` wins.
    Suggested(String),
    /// No name (inside a composition): only a `title` names it.
    Unknown,
}

impl Name {
    /// The Rust type name of `node` under this name, if it has one.
    fn of(&self, node: &Value) -> Option<String> {
        let title = node.get("title").and_then(Value::as_str);
        match (self, title) {
            (Name::Required(name), _) => Some(pascal(name)),
            (_, Some(title)) => Some(pascal(title)),
            (Name::Suggested(name), None) => Some(pascal(name)),
            (Name::Unknown, None) => None,
        }
    }
}

/// Every schema node a success response can contain, as (JSON pointer,
/// the Rust type name typify gives it if it is a string enum), in pointer
/// order, each once.
fn response_schemas(document: &Value) -> Vec<(String, Option<String>)> {
    let mut stack: Vec<(String, Name)> = success_bodies(document)
        .into_iter()
        .map(|(pointer, id)| (pointer, Name::Suggested(format!("{id}-response"))))
        .collect();
    let mut found: BTreeMap<String, Option<String>> = BTreeMap::new();
    while let Some((pointer, name)) = stack.pop() {
        if found.contains_key(&pointer) {
            continue;
        }
        let Some(node) = document.pointer(&pointer) else {
            continue;
        };
        if let Some(target) = node
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(ref_pointer)
        {
            let name = match schema_name(&target) {
                Some(component) => Name::Required(component.into_owned()),
                None => Name::Unknown,
            };
            found.insert(pointer, None);
            stack.push((target.to_string(), name));
            continue;
        }
        let base = name.of(node);
        found.insert(pointer.clone(), base.clone());
        let child = |suffix: &str| {
            let name = base.as_ref().map(|b| format!("{b}{suffix}"));
            name.map_or(Name::Unknown, Name::Suggested)
        };
        if let Some(Value::Object(properties)) = node.get("properties") {
            for property in properties.keys() {
                let name = child(&format!("_{}", snake(property)));
                stack.push((format!("{pointer}/properties/{}", escape(property)), name));
            }
        }
        for (key, suffix) in [("items", "Item"), ("additionalProperties", "Value")] {
            if node.get(key).is_some_and(Value::is_object) {
                stack.push((format!("{pointer}/{key}"), child(suffix)));
            }
        }
        for composition in ["allOf", "oneOf", "anyOf"] {
            if let Some(Value::Array(members)) = node.get(composition) {
                for index in 0..members.len() {
                    stack.push((format!("{pointer}/{composition}/{index}"), Name::Unknown));
                }
            }
        }
        if node.get("not").is_some_and(Value::is_object) {
            stack.push((format!("{pointer}/not"), Name::Unknown));
        }
    }
    found.into_iter().collect()
}

/// The schema of every JSON success body: its pointer (past a response
/// `$ref`) and the operation's id.
fn success_bodies(document: &Value) -> Vec<(String, String)> {
    let mut bodies = Vec::new();
    for operation in operations(document).into_values() {
        let (Some(id), Some(responses)) =
            (operation.operation_id(), operation.loc.child("responses"))
        else {
            continue;
        };
        for (status, value) in responses.value.as_object().into_iter().flatten() {
            let ptr = format!("{}/{}", responses.ptr, escape(status));
            let Loc { value, ptr } = Loc { value, ptr }.resolve(document);
            let Some(content) = value.get("content").and_then(Value::as_object) else {
                continue;
            };
            for (media, body) in content {
                if body.get("schema").is_some() {
                    let pointer = format!("{ptr}/content/{}/schema", escape(media));
                    // Named as typify names it, after the id it is given.
                    let id = crate::names::generated_operation_id(id).into_owned();
                    bodies.push((pointer, id));
                }
            }
        }
    }
    bodies
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::apply;

    fn document() -> Value {
        json!({
            "paths": {
                "/db": {
                    "get": {"operationId": "getDb", "responses": {"200": {"description": "", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Database"}}}}}},
                    "post": {
                        "operationId": "makeDb",
                        "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Request"}}}},
                        "responses": {"200": {"description": "", "content": {"application/json": {"schema": {
                            "type": "object",
                            "properties": {"phase": {"type": "string", "enum": ["a", "b"]}}
                        }}}}}
                    }
                }
            },
            "components": {"schemas": {
                "Region": {"type": "string", "enum": ["us-east-1", "eu-west-1"]},
                "Database": {
                    "type": "object",
                    "additionalProperties": false,
                    "properties": {
                        "state": {"type": "string", "enum": ["active", "suspended"]},
                        "region": {"$ref": "#/components/schemas/Region"},
                        "ip": {"type": "string", "format": "ipv4"},
                        "code": {"type": "string", "pattern": "^[a-z]+$", "maxLength": 3},
                        "regions": {"type": "array", "items": {"type": "string", "enum": ["x", "y"]}},
                        "labels": {"type": "object", "additionalProperties": {"type": "string", "enum": ["p", "q"]}},
                        "maybe": {"type": "string", "enum": ["m"], "nullable": true},
                        "either": {"oneOf": [{"type": "string", "enum": ["o"]}, {"type": "integer"}]}
                    }
                },
                "Request": {"type": "object", "properties": {
                    "region": {"$ref": "#/components/schemas/Region"},
                    "plan": {"type": "string", "enum": ["free", "paid"]},
                    "ip": {"type": "string", "format": "ipv4"}
                }}
            }}
        })
    }

    fn open_enum_path(node: &Value) -> Option<&str> {
        node.get("x-rust-type")?.get("path")?.as_str()
    }

    #[test]
    fn response_enums_are_opened_under_typify_names() {
        let mut doc = document();
        apply(&mut doc);
        let schemas = &doc["components"]["schemas"];
        let database = &schemas["Database"]["properties"];
        assert_eq!(
            open_enum_path(&schemas["Region"]),
            Some("upstash_api::types::Region")
        );
        assert_eq!(
            open_enum_path(&database["state"]),
            Some("upstash_api::types::DatabaseState")
        );
        assert_eq!(
            open_enum_path(&database["regions"]["items"]),
            Some("upstash_api::types::DatabaseRegionsItem")
        );
        assert_eq!(
            open_enum_path(&database["labels"]["additionalProperties"]),
            Some("upstash_api::types::DatabaseLabelsValue")
        );
        let inline = &doc["paths"]["/db"]["post"]["responses"]["200"]["content"]["application/json"]
            ["schema"];
        assert_eq!(
            open_enum_path(&inline["properties"]["phase"]),
            Some("upstash_api::types::MakeDbResponsePhase")
        );
        // Not opened: nullable, inside a composition, request-only.
        assert_eq!(open_enum_path(&database["maybe"]), None);
        assert_eq!(open_enum_path(&database["either"]["oneOf"][0]), None);
        assert_eq!(
            open_enum_path(&schemas["Request"]["properties"]["plan"]),
            None
        );
    }

    #[test]
    fn response_values_lose_what_would_reject_them_and_requests_keep_it() {
        let mut doc = document();
        apply(&mut doc);
        let schemas = &doc["components"]["schemas"];
        let database = &schemas["Database"];
        assert_eq!(database.get("additionalProperties"), None);
        assert_eq!(database["properties"]["ip"], json!({"type": "string"}));
        assert_eq!(database["properties"]["code"], json!({"type": "string"}));
        assert_eq!(
            schemas["Request"]["properties"]["ip"],
            json!({"type": "string", "format": "ipv4"})
        );
    }

    #[test]
    fn components_keep_their_names_and_inline_enums_give_way() {
        let mut doc = json!({
            "paths": {"/x": {"get": {"operationId": "getX", "responses": {"200": {"description": "", "content": {"application/json": {"schema": {
                "type": "object",
                "properties": {
                    "db": {"$ref": "#/components/schemas/Database"},
                    "other": {"$ref": "#/components/schemas/Other"}
                }
            }}}}}}}},
            "components": {"schemas": {
                "Database": {"type": "object", "properties": {"state": {"type": "string", "enum": ["a"]}}},
                "DatabaseState": {"type": "string", "enum": ["b"]},
                "Other": {"type": "object", "properties": {"thing": {"type": "string", "enum": ["c"]}}},
                "OtherThing": {"type": "object", "properties": {}}
            }}
        });
        doc["paths"]["/x"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]["properties"]
            ["s"] = json!({"$ref": "#/components/schemas/DatabaseState"});
        apply(&mut doc);
        let schemas = &doc["components"]["schemas"];
        assert_eq!(
            open_enum_path(&schemas["DatabaseState"]),
            Some("upstash_api::types::DatabaseState")
        );
        assert_eq!(
            open_enum_path(&schemas["Database"]["properties"]["state"]),
            Some("upstash_api::types::DatabaseState2")
        );
        // `OtherThing` is a struct typify generates under that name.
        assert_eq!(
            open_enum_path(&schemas["Other"]["properties"]["thing"]),
            Some("upstash_api::types::OtherThing2")
        );
    }

    #[test]
    fn applying_twice_changes_nothing_more() {
        let mut once = document();
        apply(&mut once);
        let mut twice = once.clone();
        apply(&mut twice);
        assert_eq!(once, twice);
    }
}
