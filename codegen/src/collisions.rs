//! Spec names the generator would turn into one Rust name: two operations
//! whose operationIds make the same method or builder struct, an operation
//! named like a method the generated client has already, two parameters of
//! one operation, two properties of one object, two schemas (or a schema
//! and the type progenitor names after an operation), two values of one
//! enum. The generated code would not compile (or, for a type name, would
//! silently use one schema for both), and rustc's errors name a line of
//! `generated.rs`, not of the spec; this check names both spec names and
//! the Rust name they share, located by a pointer to the second.
//!
//! The names are computed with the generators' own rules
//! ([`crate::names::ident`]), from the operationIds the generators are
//! given ([`crate::names::generated_operation_id`]); what the generators disambiguate themselves
//! (typify's second spelling of enum variants, progenitor's local variables)
//! is not refused. It runs on the normalised document (`Spec::from_value`):
//! the error responses the generator never sees are gone, and the open
//! enums (distinct names by construction) are marked.

use std::collections::HashMap;

use serde_json::Value;

use crate::SpecError;
use crate::names::{Case, Generator, generated_operation_id, ident};
use crate::operations::{Loc, operations};
use crate::pointer::escape_segment as escape;

/// Methods of the generated `Client` an operation's method may not be:
/// its constructors, and the hooks every generated `send` calls as
/// `client.pre(..)`, which an inherent method of that name would shadow.
/// (`ClientInfo`'s `baseurl`, `client`, `inner` and `api_version` are read
/// as fields or by path, so an operation may take those names.)
const CLIENT_METHODS: &[(&str, &str)] = &[
    ("new", "the generated client's constructor `Client::new`"),
    (
        "new_with_client",
        "the generated client's constructor `Client::new_with_client`",
    ),
    ("pre", "the hook `ClientHooks::pre` that every `send` calls"),
    (
        "exec",
        "the hook `ClientHooks::exec` that every `send` calls",
    ),
    (
        "post",
        "the hook `ClientHooks::post` that every `send` calls",
    ),
];

/// What `api::builder` imports from the generated root: a builder struct
/// of one of these names is defined twice.
const BUILDER_IMPORTS: &[&str] = &[
    "ByteStream",
    "ClientHooks",
    "ClientInfo",
    "Error",
    "OperationInfo",
    "RequestBuilderExt",
    "ResponseValue",
];

/// Keys whose value maps names to nodes rather than being a node: what is
/// under `properties` is a property name, not a schema's keyword.
const NAME_MAPS: &[&str] = &[
    "paths",
    "components",
    "schemas",
    "properties",
    "parameters",
    "requestBodies",
    "responses",
    "headers",
    "content",
    "callbacks",
    "links",
    "securitySchemes",
    "encoding",
    "variables",
    "mapping",
];

/// Keys whose value is data, never a schema.
const DATA: &[&str] = &["example", "examples", "default", "enum", "const"];

/// Refuses the first two spec names of `document` that become one Rust name.
pub(crate) fn check(document: &Value) -> Result<(), SpecError> {
    check_operations(document)?;
    check_types(document)?;
    check_schemas(document)
}

/// A spec name that becomes a Rust name, for messages.
struct Named<'a> {
    /// What it is in the spec: `operationId`, `property`...
    kind: &'a str,
    name: String,
    pointer: String,
}

/// One Rust namespace: each name taken, with the spec name that took it.
struct Namespace<'a> {
    /// What a name here is, for messages: `method`, `field`...
    what: &'static str,
    /// Where the names are, for messages: ` of one generated struct`...
    of: String,
    taken: HashMap<String, Named<'a>>,
}

impl<'a> Namespace<'a> {
    fn new(what: &'static str, of: impl Into<String>) -> Namespace<'a> {
        Namespace {
            what,
            of: of.into(),
            taken: HashMap::new(),
        }
    }

    /// Takes `rust` for `named`, unless another spec name has it.
    fn claim(&mut self, rust: String, named: Named<'a>) -> Result<(), SpecError> {
        match self.taken.get(&rust) {
            Some(first) => Err(collision(first, &named, self.what, &rust, &self.of)),
            None => {
                self.taken.insert(rust, named);
                Ok(())
            }
        }
    }
}

fn collision(first: &Named, second: &Named, what: &str, rust: &str, of: &str) -> SpecError {
    let both = if first.kind == second.kind {
        let kinds = match first.kind.strip_suffix('y') {
            Some(stem) => format!("{stem}ies"),
            None => format!("{}s", first.kind),
        };
        format!("{kinds} `{}` and `{}`", first.name, second.name)
    } else {
        format!(
            "{} `{}` and {} `{}`",
            first.kind, first.name, second.kind, second.name
        )
    };
    SpecError::new(format!(
        "{both} both become the {what} `{rust}`{of} (the first is at {}); rename one",
        first.pointer
    ))
    .at(second.pointer.clone())
}

/// Methods of `Client` and structs of `api::builder` (both named after
/// operationIds), and the parameters of each operation's builder.
fn check_operations(document: &Value) -> Result<(), SpecError> {
    let mut methods = Namespace::new("method", "");
    let mut builders = Namespace::new("builder struct", "");
    for operation in operations(document).values() {
        let Some(id) = operation.operation_id() else {
            continue;
        };
        let pointer = format!("{}/operationId", operation.loc.ptr);
        let generated = generated_operation_id(id);
        let method = ident(&generated, Case::Snake, Generator::Progenitor);
        if let Some((_, why)) = CLIENT_METHODS.iter().find(|(name, _)| *name == method) {
            return Err(SpecError::new(format!(
                "operationId `{id}` becomes the method `{method}`, which is {why}; rename it"
            ))
            .at(pointer));
        }
        let builder = ident(&method, Case::Pascal, Generator::Progenitor);
        if BUILDER_IMPORTS.contains(&builder.as_str()) {
            return Err(SpecError::new(format!(
                "operationId `{id}` becomes the builder struct `api::builder::{builder}`, \
                 which that module already imports from the generated client; rename it"
            ))
            .at(pointer));
        }
        let named = |pointer: &str| Named {
            kind: "operationId",
            name: id.to_string(),
            pointer: pointer.to_string(),
        };
        methods.claim(method, named(&pointer))?;
        builders.claim(builder, named(&pointer))?;
        let mut parameters = Namespace::new("parameter", format!(" of `{id}`'s builder"));
        for parameter in operation.parameters(document) {
            let rust = ident(parameter.name, Case::Snake, Generator::Progenitor);
            parameters.claim(
                rust,
                Named {
                    kind: "parameter",
                    name: parameter.name.to_string(),
                    pointer: format!("{}/name", parameter.loc.ptr),
                },
            )?;
        }
    }
    Ok(())
}

/// The names in `types`: each component schema's, then those progenitor
/// gives inline request bodies, responses and parameters after their
/// operation (`{operationId}-body`...), which typify would otherwise
/// silently merge with a schema of the same name.
fn check_types(document: &Value) -> Result<(), SpecError> {
    let mut types = Namespace::new("type", " in `types`");
    let schemas = document
        .pointer("/components/schemas")
        .and_then(Value::as_object);
    for name in schemas.into_iter().flat_map(|s| s.keys()) {
        types.claim(
            ident(name, Case::Pascal, Generator::Typify),
            Named {
                kind: "schema",
                name: name.clone(),
                pointer: format!("/components/schemas/{}", escape(name)),
            },
        )?;
    }
    for operation in operations(document).values() {
        let Some(id) = operation.operation_id() else {
            continue;
        };
        let mut inline = Vec::new();
        if let Some(body) = operation.loc.child("requestBody") {
            inline.extend(
                json_schema(document, body).map(|s| (s, "body", "the request body of operationId")),
            );
        }
        let responses = operation.loc.child("responses");
        let responses = responses.iter().flat_map(|r| members(r.clone()));
        if let Some(schema) = responses.filter_map(|r| json_schema(document, r)).next() {
            inline.push((schema, "response", "the response of operationId"));
        }
        let parameters = operation.parameters(document);
        for parameter in &parameters {
            if let Some(schema) = parameter.loc.child("schema") {
                inline.push((schema, parameter.name, "a parameter of operationId"));
            }
        }
        for (schema, suffix, kind) in inline {
            if !names_a_type(schema.value) {
                continue;
            }
            let suggested = format!("{}-{suffix}", generated_operation_id(id));
            // typify prefers a schema's title to the name it is given.
            let rust = match schema.value.get("title").and_then(Value::as_str) {
                Some(title) => ident(title, Case::Pascal, Generator::Typify),
                None => ident(&suggested, Case::Pascal, Generator::Progenitor),
            };
            types.claim(
                rust,
                Named {
                    kind,
                    name: id.to_string(),
                    pointer: schema.ptr,
                },
            )?;
        }
    }
    Ok(())
}

/// The members of a mapping, with their pointers.
fn members(loc: Loc<'_>) -> impl Iterator<Item = Loc<'_>> {
    let ptr = loc.ptr;
    loc.value
        .as_object()
        .into_iter()
        .flatten()
        .map(move |(k, value)| Loc {
            value,
            ptr: format!("{ptr}/{}", escape(k)),
        })
}

/// The JSON (or form) schema of a request body or response, resolved to
/// where it is written.
fn json_schema<'a>(document: &'a Value, holder: Loc<'a>) -> Option<Loc<'a>> {
    let content = holder.resolve(document).child("content")?;
    let media = members(content).find(|m| {
        let essence = m.ptr.rsplit('/').next().unwrap_or("");
        essence.starts_with("application~1json") || essence == "application~1x-www-form-urlencoded"
    })?;
    media.child("schema")
}

/// Whether typify gives an inline schema a type of its own (named as it is
/// told), rather than a standard type or the type a `$ref` names.
fn names_a_type(schema: &Value) -> bool {
    let Some(node) = schema.as_object() else {
        return false;
    };
    if node.contains_key("$ref") || node.contains_key("x-rust-type") {
        return false;
    }
    let has = |key: &str| node.get(key).is_some_and(|v| !v.is_null());
    let non_empty = |key: &str| {
        node.get(key)
            .and_then(Value::as_object)
            .is_some_and(|m| !m.is_empty())
    };
    non_empty("properties") || has("enum") || ["oneOf", "anyOf", "allOf"].iter().any(|k| has(k))
}

/// The fields of every object schema and the variants of every string enum
/// typify generates, wherever the schema is written.
fn check_schemas(document: &Value) -> Result<(), SpecError> {
    // An explicit stack: a deeply nested document cannot overflow it. Each
    // node comes with whether it is a mapping of names (under `properties`,
    // `schemas`...), whose members are nodes whatever their names.
    let mut stack = vec![(String::new(), document, false)];
    while let Some((pointer, node, names)) = stack.pop() {
        match node {
            Value::Object(map) => {
                if !names {
                    check_fields(&pointer, map)?;
                    check_variants(&pointer, map)?;
                }
                for (key, child) in map {
                    if !names && (DATA.contains(&key.as_str()) || key.starts_with("x-")) {
                        continue;
                    }
                    let is_names = !names && NAME_MAPS.contains(&key.as_str());
                    stack.push((format!("{pointer}/{}", escape(key)), child, is_names));
                }
            }
            Value::Array(items) => {
                for (index, child) in items.iter().enumerate() {
                    stack.push((format!("{pointer}/{index}"), child, false));
                }
            }
            _ => {}
        }
    }
    Ok(())
}

fn check_fields(pointer: &str, node: &serde_json::Map<String, Value>) -> Result<(), SpecError> {
    let Some(properties) = node.get("properties").and_then(Value::as_object) else {
        return Ok(());
    };
    let mut fields = Namespace::new("field", " of one generated struct");
    for name in properties.keys() {
        fields.claim(
            ident(name, Case::Snake, Generator::Typify),
            Named {
                kind: "property",
                name: name.clone(),
                pointer: format!("{pointer}/properties/{}", escape(name)),
            },
        )?;
    }
    Ok(())
}

/// typify names a string enum's variants by their values; where two
/// collide it spells `_` and every character an identifier cannot hold as
/// `X` and tries again, and fails when they still collide.
fn check_variants(pointer: &str, node: &serde_json::Map<String, Value>) -> Result<(), SpecError> {
    if node.contains_key("x-rust-type")
        || node
            .get("type")
            .is_some_and(|t| t.as_str() != Some("string"))
    {
        return Ok(());
    }
    let Some(values) = node.get("enum").and_then(Value::as_array) else {
        return Ok(());
    };
    let mut distinct: Vec<(usize, &str)> = Vec::new();
    for (index, value) in values.iter().enumerate() {
        match value {
            Value::String(s) if !distinct.iter().any(|(_, d)| d == s) => distinct.push((index, s)),
            Value::String(_) | Value::Null => {}
            _ => return Ok(()),
        }
    }
    let first = |value: &str| ident(value, Case::Pascal, Generator::Typify);
    let second = |value: &str| {
        let spelled = value.replace(|c| c == '_' || !unicode_ident::is_xid_continue(c), "X");
        ident(&spelled, Case::Pascal, Generator::Typify)
    };
    let unique = |name: &dyn Fn(&str) -> String| {
        let mut seen = std::collections::HashSet::new();
        distinct.iter().all(|(_, v)| seen.insert(name(v)))
    };
    if unique(&first) || unique(&second) {
        return Ok(());
    }
    let mut variants = Namespace::new("variant", " of one generated enum");
    for (index, value) in &distinct {
        variants.claim(
            second(value),
            Named {
                kind: "enum value",
                name: value.to_string(),
                pointer: format!("{pointer}/enum/{index}"),
            },
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::check;

    fn refused(document: serde_json::Value) -> crate::SpecError {
        check(&document).expect_err("refused")
    }

    #[test]
    fn operation_ids_that_become_one_method_are_named_with_the_method() {
        let e = refused(json!({"paths": {
            "/a": {"get": {"operationId": "getDatabase"}},
            "/b": {"get": {"operationId": "get_database"}}
        }}));
        assert_eq!(e.location.as_deref(), Some("/paths/~1b/get/operationId"));
        assert!(
            e.problem.starts_with(
                "operationIds `getDatabase` and `get_database` both become the method `get_database`"
            ),
            "{e}"
        );
    }

    #[test]
    fn operation_ids_collide_by_the_names_a_person_reads() {
        let e = refused(json!({"paths": {
            "/a": {"get": {"operationId": "getQStash"}},
            "/b": {"get": {"operationId": "getQstash"}}
        }}));
        assert!(
            e.problem.starts_with(
                "operationIds `getQStash` and `getQstash` both become the method `get_qstash`"
            ),
            "{e}"
        );
        let apart = json!({"paths": {
            "/a": {"get": {"operationId": "getQStash"}},
            "/b": {"get": {"operationId": "get_q_stash"}}
        }});
        assert!(check(&apart).is_ok(), "get_qstash and get_q_stash differ");
    }

    #[test]
    fn the_client_s_own_methods_are_taken() {
        let e = refused(json!({"paths": {"/a": {"get": {"operationId": "newWithClient"}}}}));
        assert!(e.problem.contains("`Client::new_with_client`"), "{e}");
        let taken = json!({"paths": {"/a": {"get": {"operationId": "client"}}}});
        assert!(
            check(&taken).is_ok(),
            "a trait method is shadowed, not redefined"
        );
    }

    #[test]
    fn typify_s_second_spelling_of_variants_is_not_refused() {
        let node =
            |values| json!({"components": {"schemas": {"M": {"type": "string", "enum": values}}}});
        assert!(check(&node(json!(["a-b", "A-B"]))).is_ok());
        let e = refused(node(json!(["A", "a"])));
        assert_eq!(e.location.as_deref(), Some("/components/schemas/M/enum/1"));
    }

    #[test]
    fn a_property_named_properties_is_a_schema_not_a_list() {
        let e = refused(json!({"components": {"schemas": {"A": {"properties": {
            "properties": {"properties": {"x-y": {}, "x_y": {}}}
        }}}}}));
        assert_eq!(
            e.location.as_deref(),
            Some("/components/schemas/A/properties/properties/properties/x_y")
        );
        let example = json!({"components": {"schemas": {"A": {"example": {"properties": {"a-b": 1, "a_b": 2}}}}}});
        assert!(check(&example).is_ok());
    }
}
