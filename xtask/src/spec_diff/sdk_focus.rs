//! What of two specs can change the generated Rust surface: the focus of
//! the SDK analysis.
//!
//! A spec is seen as a graph of nodes: its paths (`path /db/{id}`) and its
//! components (`#/components/schemas/Database`, `#/components/parameters/Id`,
//! ...), each with its JSON value and the `$ref`s in it. [`Focus`] keeps, on
//! both sides alike: every path whose path item differs (or exists on one
//! side only); every component that differs; every path and component that
//! reaches (through `$ref`s) a differing one; and every node the kept ones
//! reach. Everything else generates identical items on both sides, so
//! leaving it out changes no surface difference but saves its generation.
//! Components nothing kept reaches are left out too, whatever their kind.
//!
//! A kept component schema that is the same on both sides and reaches no
//! difference is only there because a kept node names it. When it is a
//! plain object or a plain string enum, it is generated from a stand-in
//! (`stand_in`): a one-property object or a two-value enum of the same
//! name. Its own items are then the stand-in's on both sides (no
//! difference either way), and what it refers to is not kept for its sake.
//! What the generator writes for the nodes that name it depends on the
//! named type only through its name and its kind (struct with a builder,
//! or enum of plain values; the traits typify derives from that kind), so
//! their items are unchanged. Where more of it matters, the schema stays
//! whole: when a kept node uses it inside `allOf`, `oneOf`, `anyOf` or
//! `not` (typify merges or wraps it), or points inside it; when it has a
//! default, is nullable, deprecated, read- or write-only, carries an
//! extension or any other keyword; and when its properties are exactly
//! `items` and `next_page` (progenitor's paginated responses).
//!
//! The focus works on the documents as read (JSON values), before they are
//! checked and typed for the generator, so the unchanged part is never
//! deserialised either. Two raw values that differ but would normalise alike
//! only make more of the spec kept, never less.
//!
//! One approximation: typify renames a type whose name collides with another
//! one; when the colliding type is left out (or generated from a stand-in
//! without its inline types), the kept one keeps its plain name. That renames
//! the item consistently on both sides, so it only shows in item paths, and
//! only for such collisions.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde_json::{Value, json};
use upstash_api_codegen::Spec;

use super::load::ref_pointer;

/// The component kinds whose entries are nodes of the graph.
const COMPONENT_KINDS: [&str; 5] = [
    "schemas",
    "parameters",
    "requestBodies",
    "responses",
    "headers",
];

/// The nodes (paths and components) to generate from both sides, and the
/// component schemas among them generated from a stand-in, with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Focus {
    keep: BTreeSet<String>,
    stand_ins: BTreeMap<String, Value>,
}

impl Focus {
    /// The focus of a pair of documents (OpenAPI JSON values).
    pub fn of_documents(old: &Value, new: &Value) -> Focus {
        Focus::of_graphs(&RefGraph::of_document(old), &RefGraph::of_document(new))
    }

    /// The focus of a pair of typed specs (through their JSON form; a spec
    /// that does not serialise, which never happens, would look changed
    /// everywhere: more is generated, not less).
    pub fn of_specs(old: &Spec, new: &Spec) -> Focus {
        let json = |spec: &Spec| serde_json::to_value(&spec.openapi).unwrap_or(Value::Null);
        Focus::of_documents(&json(old), &json(new))
    }

    fn of_graphs(old: &RefGraph, new: &RefGraph) -> Focus {
        let mut changed: BTreeSet<String> = BTreeSet::new();
        for (node, value) in &old.values {
            if new.values.get(node) != Some(value) {
                changed.insert(node.clone());
            }
        }
        for node in new.values.keys() {
            if !old.values.contains_key(node) {
                changed.insert(node.clone());
            }
        }
        // Everything that reaches a change, on either side, then everything
        // those reach. A schema found to be used in a way that needs it
        // whole is pinned, and the walk starts again (it only ever pins
        // more, so this ends).
        let mut roots = old.reaching(&changed);
        roots.extend(new.reaching(&changed));
        let mut pinned = BTreeSet::new();
        loop {
            let focus = Focus::reached_from(&roots, &pinned, old, new);
            let newly_pinned: Vec<String> = focus
                .keep
                .iter()
                .filter(|node| !focus.stand_ins.contains_key(*node))
                .flat_map(|node| old.pinned_by(node).chain(new.pinned_by(node)))
                .filter(|target| focus.stand_ins.contains_key(*target))
                .cloned()
                .collect();
            if newly_pinned.is_empty() {
                return focus;
            }
            pinned.extend(newly_pinned);
        }
    }

    /// `roots` and what they reach on either side; a reached schema that
    /// is not a root, not `pinned` and has a [`stand_in`] is kept as a
    /// stand-in, and what it refers to is not followed.
    fn reached_from(
        roots: &BTreeSet<String>,
        pinned: &BTreeSet<String>,
        old: &RefGraph,
        new: &RefGraph,
    ) -> Focus {
        let mut keep = BTreeSet::new();
        let mut stand_ins = BTreeMap::new();
        let mut stack: Vec<&String> = roots.iter().collect();
        while let Some(node) = stack.pop() {
            if !keep.insert(node.clone()) {
                continue;
            }
            if !roots.contains(node) && !pinned.contains(node) && node.starts_with(SCHEMA_PREFIX) {
                // Not a root: the same on both sides.
                let value = old.values.get(node).or_else(|| new.values.get(node));
                if let Some(stand_in) = value.and_then(|v| stand_in(v)) {
                    stand_ins.insert(node.clone(), stand_in);
                    continue;
                }
            }
            for graph in [old, new] {
                if let Some(refs) = graph.refs.get(node) {
                    stack.extend(refs.iter().filter(|r| !keep.contains(*r)));
                }
            }
        }
        Focus { keep, stand_ins }
    }

    /// Whether the path `path` is kept.
    pub fn keeps_path(&self, path: &str) -> bool {
        self.keep.contains(&path_node(path))
    }

    /// Whether the component schema `name` is kept.
    pub fn keeps_schema(&self, name: &str) -> bool {
        self.keep.contains(&schema_node(name))
    }

    /// Whether the component schema `name` is generated from a stand-in.
    pub fn stands_in_for(&self, name: &str) -> bool {
        self.stand_ins.contains_key(&schema_node(name))
    }

    /// The document with only the kept paths and components (schemas
    /// generated from a stand-in replaced by it); everything else in it is
    /// left whole.
    pub fn restrict_document(&self, document: &Value) -> Value {
        let Value::Object(root) = document else {
            return document.clone();
        };
        let mut out = serde_json::Map::with_capacity(root.len());
        for (key, value) in root {
            let value = match (key.as_str(), value) {
                ("paths", Value::Object(paths)) => Value::Object(
                    paths
                        .iter()
                        .filter(|(path, _)| self.keeps_path(path))
                        .map(|(k, v)| (k.clone(), v.clone()))
                        .collect(),
                ),
                ("components", Value::Object(components)) => Value::Object(
                    components
                        .iter()
                        .map(|(kind, entries)| match entries {
                            Value::Object(entries) if COMPONENT_KINDS.contains(&kind.as_str()) => {
                                let kept = entries.iter().filter_map(|(name, value)| {
                                    self.restricted_component(kind, name, value)
                                        .map(|value| (name.clone(), value))
                                });
                                (kind.clone(), Value::Object(kept.collect()))
                            }
                            _ => (kind.clone(), entries.clone()),
                        })
                        .collect(),
                ),
                _ => value.clone(),
            };
            out.insert(key.clone(), value);
        }
        Value::Object(out)
    }

    /// The component `kind`/`name` as the restricted document holds it:
    /// `None` when it is left out.
    fn restricted_component(&self, kind: &str, name: &str, value: &Value) -> Option<Value> {
        let node = component_node(kind, name);
        if !self.keep.contains(&node) {
            return None;
        }
        Some(self.stand_ins.get(&node).unwrap_or(value).clone())
    }

    /// A focus on exactly these nodes ([`path_node`]s and component nodes),
    /// without stand-ins.
    pub(super) fn of_nodes(keep: BTreeSet<String>) -> Focus {
        Focus {
            keep,
            stand_ins: BTreeMap::new(),
        }
    }

    /// The spec with only the kept paths and components.
    pub fn restrict_spec(&self, spec: &Spec) -> Spec {
        self.restrict_onto(&skeleton(spec), spec)
    }

    /// `skeleton` (a [`skeleton`] of `spec`) with the kept paths and
    /// components of `spec` put back: for a caller that restricts one spec
    /// many ways and makes the skeleton once.
    pub(super) fn restrict_onto(&self, skeleton: &Spec, spec: &Spec) -> Spec {
        let mut openapi = skeleton.openapi.clone();
        for (path, item) in spec.openapi.paths.paths.iter() {
            if self.keeps_path(path) {
                openapi.paths.paths.insert(path.clone(), item.clone());
            }
        }
        if let (Some(kept), Some(all)) = (&mut openapi.components, &spec.openapi.components) {
            for (name, schema) in all.schemas.iter() {
                if !self.keeps_schema(name) {
                    continue;
                }
                // The typed form of the stand-in.
                let stand_in = self
                    .stand_ins
                    .get(&schema_node(name))
                    .and_then(|value| serde_json::from_value(value.clone()).ok());
                kept.schemas
                    .insert(name.clone(), stand_in.unwrap_or_else(|| schema.clone()));
            }
            kept.parameters = self.kept_entries("parameters", &all.parameters);
            kept.request_bodies = self.kept_entries("requestBodies", &all.request_bodies);
            kept.responses = self.kept_entries("responses", &all.responses);
            kept.headers = self.kept_entries("headers", &all.headers);
        }
        Spec { openapi }
    }

    /// The kept entries of the components of kind `kind`.
    fn kept_entries<'a, T: Clone + 'a, M: FromIterator<(String, T)>>(
        &self,
        kind: &str,
        entries: impl IntoIterator<Item = (&'a String, &'a T)>,
    ) -> M {
        entries
            .into_iter()
            .filter(|(name, _)| self.keep.contains(&component_node(kind, name)))
            .map(|(name, value)| (name.clone(), value.clone()))
            .collect()
    }
}

/// The stand-in for an unchanged component schema (see the module
/// documentation), when it is one of the two shapes that have one:
/// - an object with properties and nothing else but `required` and
///   documentation: a struct (with a builder) of one optional property;
/// - a string enum of at least two plain values (a letter, then letters,
///   digits, `_` or `-`; no two alike ignoring case, `_` and `-`, so typify
///   gives each a variant of its own) and nothing else but documentation:
///   an enum of two plain values.
fn stand_in(schema: &Value) -> Option<Value> {
    let map = schema.as_object()?;
    let only = |allowed: &[&str]| map.keys().all(|key| allowed.contains(&key.as_str()));
    match map.get("type")?.as_str()? {
        "object" => {
            let properties = map.get("properties")?.as_object()?;
            let paginated = properties.len() == 2
                && properties.contains_key("items")
                && properties.contains_key("next_page");
            let plain = only(&[
                "type",
                "properties",
                "required",
                "description",
                "title",
                "example",
                "externalDocs",
            ]);
            (plain && !properties.is_empty() && !paginated)
                .then(|| json!({"type": "object", "properties": {"stand_in": {"type": "boolean"}}}))
        }
        "string" => {
            let values = map.get("enum")?.as_array()?;
            let mut seen = BTreeSet::new();
            let distinct_plain_values = values.iter().all(|value| {
                value.as_str().is_some_and(|value| {
                    plain_enum_value(value)
                        && seen.insert(value.to_ascii_lowercase().replace(['_', '-'], ""))
                })
            });
            let plain = only(&["type", "enum", "description", "title", "example"]);
            (plain && values.len() >= 2 && distinct_plain_values)
                .then(|| json!({"type": "string", "enum": ["first", "second"]}))
        }
        _ => None,
    }
}

/// A letter, then letters, digits, `_` or `-`.
fn plain_enum_value(value: &str) -> bool {
    let mut chars = value.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// The spec without its paths and graph components (schemas, parameters,
/// request bodies, responses, headers).
pub(super) fn skeleton(spec: &Spec) -> Spec {
    let mut skeleton = spec.clone();
    skeleton.openapi.paths.paths.clear();
    if let Some(components) = &mut skeleton.openapi.components {
        components.schemas.clear();
        components.parameters.clear();
        components.request_bodies.clear();
        components.responses.clear();
        components.headers.clear();
    }
    skeleton
}

/// The node of a path.
pub(super) fn path_node(path: &str) -> String {
    format!("path {path}")
}

/// What every component schema node starts with.
const SCHEMA_PREFIX: &str = "#/components/schemas/";

/// The node of a component schema.
pub(super) fn schema_node(name: &str) -> String {
    format!("{SCHEMA_PREFIX}{name}")
}

/// The node of a component of any kind.
fn component_node(kind: &str, name: &str) -> String {
    format!("#/components/{kind}/{name}")
}

/// The component node a `$ref` points at or into (`#/components/schemas/A`
/// for `#/components/schemas/A/properties/b`), and whether it points into
/// it; `None` for anything else (paths, external references).
fn ref_node(reference: &str) -> Option<(String, bool)> {
    let pointer = ref_pointer(reference)?;
    let mut segments = pointer.strip_prefix("/components/")?.split('/');
    let kind = segments.next()?;
    let name = segments.next()?;
    if !COMPONENT_KINDS.contains(&kind) {
        return None;
    }
    let name = name.replace("~1", "/").replace("~0", "~");
    Some((component_node(kind, &name), segments.next().is_some()))
}

/// The paths and components of a spec as nodes, each with its value, the
/// `$ref`s in it, and the schemas it pins (needs whole: see the module
/// documentation).
pub(super) struct RefGraph<'a> {
    values: BTreeMap<String, &'a Value>,
    refs: BTreeMap<String, BTreeSet<String>>,
    pins: BTreeMap<String, BTreeSet<String>>,
}

impl<'a> RefGraph<'a> {
    /// The graph of a document as read.
    pub(super) fn of_document(document: &'a Value) -> RefGraph<'a> {
        let mut graph = RefGraph {
            values: BTreeMap::new(),
            refs: BTreeMap::new(),
            pins: BTreeMap::new(),
        };
        if let Some(paths) = document.get("paths").and_then(Value::as_object) {
            for (path, item) in paths {
                graph.add(path_node(path), item);
            }
        }
        let components = document.get("components").and_then(Value::as_object);
        for kind in COMPONENT_KINDS {
            let entries = components
                .and_then(|c| c.get(kind))
                .and_then(Value::as_object);
            for (name, value) in entries.into_iter().flatten() {
                graph.add(component_node(kind, name), value);
            }
        }
        graph
    }

    fn add(&mut self, node: String, value: &'a Value) {
        let mut found = FoundRefs::default();
        found.collect(value);
        if !found.pins.is_empty() {
            self.pins.insert(node.clone(), found.pins);
        }
        self.refs.insert(node.clone(), found.refs);
        self.values.insert(node, value);
    }

    /// The schemas `node` pins.
    fn pinned_by(&self, node: &str) -> impl Iterator<Item = &String> {
        self.pins.get(node).into_iter().flatten()
    }

    /// `roots` and every node they reach.
    pub(super) fn reached(&self, roots: &[String]) -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut stack: Vec<&String> = roots.iter().collect();
        while let Some(next) = stack.pop() {
            if !seen.insert(next.clone()) {
                continue;
            }
            if let Some(refs) = self.refs.get(next) {
                stack.extend(refs.iter().filter(|r| !seen.contains(*r)));
            }
        }
        seen
    }

    /// The nodes of this graph that are or reach one of `targets`.
    fn reaching(&self, targets: &BTreeSet<String>) -> BTreeSet<String> {
        let mut referrers: HashMap<&String, Vec<&String>> = HashMap::new();
        for (node, refs) in &self.refs {
            for r in refs {
                referrers.entry(r).or_default().push(node);
            }
        }
        let mut seen = BTreeSet::new();
        let mut stack: Vec<&String> = targets
            .iter()
            .filter(|t| self.values.contains_key(*t))
            .collect();
        while let Some(next) = stack.pop() {
            if !seen.insert(next.clone()) {
                continue;
            }
            if let Some(up) = referrers.get(next) {
                stack.extend(up.iter().copied().filter(|n| !seen.contains(*n)));
            }
        }
        seen
    }
}

/// The `$ref`s found in one node's value, as nodes, and the schemas it pins.
#[derive(Default)]
struct FoundRefs {
    refs: BTreeSet<String>,
    pins: BTreeSet<String>,
}

impl FoundRefs {
    fn collect(&mut self, value: &Value) {
        match value {
            Value::Object(map) => {
                for (key, v) in map {
                    match (key.as_str(), v) {
                        ("$ref", Value::String(reference)) => self.reference(reference, false),
                        ("allOf" | "oneOf" | "anyOf", Value::Array(members)) => {
                            for member in members {
                                self.composed(member);
                                self.collect(member);
                            }
                        }
                        ("not", member) => {
                            self.composed(member);
                            self.collect(member);
                        }
                        _ => self.collect(v),
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|v| self.collect(v)),
            _ => {}
        }
    }

    /// A member of `allOf`, `oneOf`, `anyOf` or `not`: a reference there
    /// pins its schema.
    fn composed(&mut self, member: &Value) {
        if let Some(Value::String(reference)) = member.get("$ref") {
            self.reference(reference, true);
        }
    }

    fn reference(&mut self, reference: &str, composed: bool) {
        match ref_node(reference) {
            Some((node, into)) => {
                if composed || into {
                    self.pins.insert(node.clone());
                }
                self.refs.insert(node);
            }
            None => {
                self.refs.insert(reference.to_string());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn document(region_values: &[&str], other_paths: bool) -> Value {
        let mut paths = json!({
            "/db": {"post": {"operationId": "create", "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Create"}}}}, "responses": {"200": {"description": "ok"}}}},
            "/db/{id}": {"get": {"operationId": "get", "parameters": [{"$ref": "#/components/parameters/Id"}], "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Db"}}}}}}},
        });
        if other_paths {
            paths["/teams"] = json!({"get": {"operationId": "teams", "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Team"}}}}}}});
        }
        json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": paths,
            "components": {
                "parameters": {"Id": {"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}},
                "schemas": {
                    "Create": {"type": "object", "properties": {"region": {"$ref": "#/components/schemas/Region"}}},
                    "Db": {"type": "object", "properties": {"region": {"$ref": "#/components/schemas/Region"}, "name": {"type": "string"}}},
                    "Region": {"type": "string", "enum": region_values},
                    "Team": {"type": "object"},
                }
            }
        })
    }

    fn kept(document: &Value) -> (Vec<String>, Vec<String>) {
        let keys = |v: Option<&Value>| -> Vec<String> {
            v.and_then(Value::as_object)
                .map(|m| m.keys().cloned().collect())
                .unwrap_or_default()
        };
        (
            keys(document.get("paths")),
            keys(document.pointer("/components/schemas")),
        )
    }

    #[test]
    fn a_changed_schema_keeps_what_reaches_it_and_what_that_reaches() {
        let old = document(&["eu"], true);
        let new = document(&["eu", "us"], true);
        let focus = Focus::of_documents(&old, &new);
        for side in [&old, &new] {
            let restricted = focus.restrict_document(side);
            let (paths, schemas) = kept(&restricted);
            assert_eq!(paths, ["/db", "/db/{id}"]);
            assert_eq!(schemas, ["Create", "Db", "Region"]);
            // Other components stay whole; the rest of the document too.
            assert_eq!(
                restricted.pointer("/components/parameters"),
                side.pointer("/components/parameters")
            );
            assert_eq!(restricted["openapi"], "3.0.3");
        }
    }

    #[test]
    fn an_added_path_is_kept_with_what_it_reaches_and_nothing_else() {
        let old = document(&["eu"], false);
        let new = document(&["eu"], true);
        let focus = Focus::of_documents(&old, &new);
        assert_eq!(
            kept(&focus.restrict_document(&new)),
            (vec!["/teams".to_string()], vec!["Team".to_string()])
        );
        // Kept on both sides alike: the old side has the schema, unused.
        assert_eq!(
            kept(&focus.restrict_document(&old)),
            (vec![], vec!["Team".to_string()])
        );
    }

    #[test]
    fn identical_documents_keep_nothing() {
        let doc = document(&["eu"], true);
        let focus = Focus::of_documents(&doc, &doc);
        assert_eq!(kept(&focus.restrict_document(&doc)), (vec![], vec![]));
    }

    #[test]
    fn plain_objects_and_plain_string_enums_have_stand_ins() {
        let object = json!({"type": "object", "required": ["a"], "description": "d",
            "properties": {"a": {"type": "string"}, "b": {"$ref": "#/components/schemas/B"}}});
        assert_eq!(
            stand_in(&object),
            Some(json!({"type": "object", "properties": {"stand_in": {"type": "boolean"}}}))
        );
        let enumeration = json!({"type": "string", "enum": ["active", "read-only", "in_use"]});
        assert_eq!(
            stand_in(&enumeration),
            Some(json!({"type": "string", "enum": ["first", "second"]}))
        );
    }

    #[test]
    fn schemas_whose_details_reach_their_users_have_no_stand_in() {
        let with = |extra: Value| {
            let mut schema = json!({"type": "object", "properties": {"a": {"type": "string"}}});
            if let (Some(map), Value::Object(extra)) = (schema.as_object_mut(), extra) {
                map.extend(extra);
            }
            schema
        };
        assert!(stand_in(&with(json!({}))).is_some());
        for extra in [
            json!({"default": {"a": "x"}}),
            json!({"nullable": true}),
            json!({"deprecated": true}),
            json!({"readOnly": true}),
            json!({"additionalProperties": false}),
            json!({"x-rust-type": {"crate": "c"}}),
            json!({"allOf": [{"type": "object"}]}),
        ] {
            assert_eq!(stand_in(&with(extra.clone())), None, "{extra}");
        }
        for schema in [
            json!({"type": "object"}),
            json!({"type": "object", "properties": {}}),
            json!({"properties": {"a": {"type": "string"}}}),
            // progenitor's paginated responses
            json!({"type": "object", "properties": {"items": {"type": "array"}, "next_page": {"type": "string"}}}),
            // one value, values typify cannot name apart or name at all
            json!({"type": "string", "enum": ["only"]}),
            json!({"type": "string", "enum": ["in-use", "in_use"]}),
            json!({"type": "string", "enum": ["a", "B", "b"]}),
            json!({"type": "string", "enum": ["1st", "2nd"]}),
            json!({"type": "string", "enum": ["a b", "c"]}),
            json!({"type": "string", "enum": ["a", 1]}),
            json!({"type": "string", "enum": ["a", "b"], "default": "a"}),
            json!({"type": "string", "format": "uuid", "enum": ["a", "b"]}),
            json!({"type": "integer", "enum": [1, 2]}),
            json!({"$ref": "#/components/schemas/A"}),
        ] {
            assert_eq!(stand_in(&schema), None, "{schema}");
        }
    }

    #[test]
    fn references_point_at_component_nodes() {
        assert_eq!(
            ref_node("#/components/schemas/A"),
            Some(("#/components/schemas/A".to_string(), false))
        );
        assert_eq!(
            ref_node("#/components/schemas/A/properties/b"),
            Some(("#/components/schemas/A".to_string(), true))
        );
        assert_eq!(
            ref_node("#/components/schemas/a~1b%20c"),
            Some(("#/components/schemas/a/b c".to_string(), false))
        );
        assert_eq!(ref_node("#/components/examples/A"), None);
        assert_eq!(ref_node("#/paths/~1db"), None);
        assert_eq!(ref_node("other.yml#/components/schemas/A"), None);
    }

    #[test]
    fn composition_and_pointers_into_a_schema_pin_it() {
        let mut found = FoundRefs::default();
        found.collect(&json!({
            "properties": {
                "named": {"$ref": "#/components/schemas/Named"},
                "merged": {"allOf": [{"$ref": "#/components/schemas/Merged"}, {"nullable": true}]},
                "either": {"oneOf": [{"$ref": "#/components/schemas/Either"}]},
                "not": {"not": {"$ref": "#/components/schemas/Not"}},
                "into": {"$ref": "#/components/schemas/Into/properties/a"},
                "deep": {"anyOf": [{"type": "object", "properties": {"x": {"$ref": "#/components/schemas/Deep"}}}]}
            }
        }));
        let nodes =
            |names: &[&str]| -> BTreeSet<String> { names.iter().map(|n| schema_node(n)).collect() };
        assert_eq!(
            found.refs,
            nodes(&["Named", "Merged", "Either", "Not", "Into", "Deep"])
        );
        assert_eq!(found.pins, nodes(&["Merged", "Either", "Not", "Into"]));
    }

    #[test]
    fn an_unchanged_schema_only_named_by_changed_ones_gets_a_stand_in() {
        // Region reaches no change: in `document`, Db (changed), Create and
        // the paths name it.
        let old = document(&["eu", "us"], true);
        let mut new = old.clone();
        new["components"]["schemas"]["Db"]["properties"]["size"] = json!({"type": "integer"});
        let focus = Focus::of_documents(&old, &new);
        assert!(focus.keeps_schema("Db") && !focus.stands_in_for("Db"));
        assert!(focus.keeps_schema("Region") && focus.stands_in_for("Region"));
        let restricted = focus.restrict_document(&new);
        assert_eq!(
            restricted["components"]["schemas"]["Region"],
            json!({"type": "string", "enum": ["first", "second"]})
        );
        assert_eq!(
            restricted["components"]["schemas"]["Db"],
            new["components"]["schemas"]["Db"]
        );
        // The typed restriction holds the same stand-in.
        let typed = |v: &Value| Spec::from_value(v.clone()).expect("valid");
        let restricted_spec = focus.restrict_spec(&typed(&new));
        let region = restricted_spec
            .openapi
            .components
            .as_ref()
            .map(|c| c.schemas["Region"].clone());
        assert_eq!(
            serde_json::to_value(region).expect("serialises"),
            json!({"type": "string", "enum": ["first", "second"]})
        );
    }

    #[test]
    fn documents_and_typed_specs_focus_alike() {
        let old = document(&["eu"], true);
        let new = document(&["eu", "us"], true);
        let typed = |v: &Value| Spec::from_value(v.clone()).expect("valid");
        assert_eq!(
            Focus::of_documents(&old, &new),
            Focus::of_specs(&typed(&old), &typed(&new))
        );
    }
}
