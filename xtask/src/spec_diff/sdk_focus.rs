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
//!
//! The focus works on the documents as read (JSON values), before they are
//! checked and typed for the generator, so the unchanged part is never
//! deserialised either. Two raw values that differ but would normalise alike
//! only make more of the spec kept, never less.
//!
//! One approximation: typify renames a type whose name collides with another
//! one; when the colliding type is left out, the kept one keeps its plain
//! name. That renames the item consistently on both sides, so it only shows
//! in item paths, and only for such collisions.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde_json::Value;
use upstash_api_codegen::Spec;

/// The component kinds whose entries are nodes of the graph.
const COMPONENT_KINDS: [&str; 5] = [
    "schemas",
    "parameters",
    "requestBodies",
    "responses",
    "headers",
];

/// The nodes (paths and component schemas) to generate from both sides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Focus {
    keep: BTreeSet<String>,
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
        // those reach.
        let mut keep = old.reaching(&changed);
        keep.extend(new.reaching(&changed));
        let roots: Vec<String> = keep.iter().cloned().collect();
        keep.extend(old.reached(&roots));
        keep.extend(new.reached(&roots));
        Focus { keep }
    }

    /// Whether the path `path` is kept.
    pub fn keeps_path(&self, path: &str) -> bool {
        self.keep.contains(&path_node(path))
    }

    /// Whether the component schema `name` is kept.
    pub fn keeps_schema(&self, name: &str) -> bool {
        self.keep.contains(&schema_node(name))
    }

    /// The document with only the kept paths and component schemas (other
    /// components are left whole: they generate nothing on their own).
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
                        .map(|(kind, entries)| match (kind.as_str(), entries) {
                            ("schemas", Value::Object(schemas)) => (
                                kind.clone(),
                                Value::Object(
                                    schemas
                                        .iter()
                                        .filter(|(name, _)| self.keeps_schema(name))
                                        .map(|(k, v)| (k.clone(), v.clone()))
                                        .collect(),
                                ),
                            ),
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

    /// A focus on exactly these nodes ([`path_node`]s and [`schema_node`]s).
    pub(super) fn of_nodes(keep: BTreeSet<String>) -> Focus {
        Focus { keep }
    }

    /// The spec with only the kept paths and component schemas.
    pub fn restrict_spec(&self, spec: &Spec) -> Spec {
        self.restrict_onto(&skeleton(spec), spec)
    }

    /// `skeleton` (a [`skeleton`] of `spec`) with the kept paths and
    /// component schemas of `spec` put back: for a caller that restricts
    /// one spec many ways and makes the skeleton once.
    pub(super) fn restrict_onto(&self, skeleton: &Spec, spec: &Spec) -> Spec {
        let mut openapi = skeleton.openapi.clone();
        for (path, item) in spec.openapi.paths.paths.iter() {
            if self.keeps_path(path) {
                openapi.paths.paths.insert(path.clone(), item.clone());
            }
        }
        if let (Some(kept), Some(all)) = (&mut openapi.components, &spec.openapi.components) {
            for (name, schema) in all.schemas.iter() {
                if self.keeps_schema(name) {
                    kept.schemas.insert(name.clone(), schema.clone());
                }
            }
        }
        Spec { openapi }
    }
}

/// The spec without its paths and component schemas.
pub(super) fn skeleton(spec: &Spec) -> Spec {
    let mut skeleton = spec.clone();
    skeleton.openapi.paths.paths.clear();
    if let Some(components) = &mut skeleton.openapi.components {
        components.schemas.clear();
    }
    skeleton
}

/// The node of a path.
pub(super) fn path_node(path: &str) -> String {
    format!("path {path}")
}

/// The node of a component schema.
pub(super) fn schema_node(name: &str) -> String {
    format!("#/components/schemas/{name}")
}

/// The paths and components of a spec as nodes, each with its value and
/// the `$ref`s in it.
pub(super) struct RefGraph<'a> {
    values: BTreeMap<String, &'a Value>,
    refs: BTreeMap<String, BTreeSet<String>>,
}

impl<'a> RefGraph<'a> {
    /// The graph of a document as read.
    pub(super) fn of_document(document: &'a Value) -> RefGraph<'a> {
        let mut graph = RefGraph {
            values: BTreeMap::new(),
            refs: BTreeMap::new(),
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
                graph.add(format!("#/components/{kind}/{name}"), value);
            }
        }
        graph
    }

    fn add(&mut self, node: String, value: &'a Value) {
        let mut refs = BTreeSet::new();
        collect_refs(value, &mut refs);
        self.refs.insert(node.clone(), refs);
        self.values.insert(node, value);
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

fn collect_refs(value: &Value, out: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                match (key.as_str(), v) {
                    ("$ref", Value::String(r)) => {
                        out.insert(r.clone());
                    }
                    _ => collect_refs(v, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect_refs(v, out)),
        _ => {}
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
