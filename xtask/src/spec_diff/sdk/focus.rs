//! What of two documents can change the generated Rust API: the focus of
//! the analysis.
//!
//! A document is a graph of nodes: its paths (`path /db/{id}`) and its
//! components (`#/components/schemas/Database`, ...), each with its JSON
//! value and `$ref`s. [`Focus`] keeps, on both sides alike, every node that
//! differs (or exists on one side only), every node that reaches a differing
//! one, and every node the kept ones reach. The rest generates identical
//! items on both sides, so leaving it out changes no difference. It works on
//! the documents as read, before checking and typing: raw values that differ
//! but would normalise alike only keep more.
//!
//! One approximation: typify renames a type whose name collides with
//! another; when the colliding type is left out, the kept one keeps its plain
//! name, alike on both sides, so it only shows in item paths.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde_json::Value;

use upstash_api_codegen::{NodePath, Scope, Spec, ref_pointer};

/// The component kinds whose entries are nodes of the graph.
const COMPONENT_KINDS: [&str; 5] = [
    "schemas",
    "parameters",
    "requestBodies",
    "responses",
    "headers",
];

/// The nodes (paths and components) to generate from both sides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Focus {
    keep: BTreeSet<String>,
}

impl Focus {
    /// The focus of a pair of documents (OpenAPI JSON values).
    pub fn of_documents(old: &Value, new: &Value) -> Focus {
        // The inline enums the build shares by concept are components of
        // their own there: a value one place adds changes every user of
        // the concept's type, so the graph is made of the shared form.
        let shared = |document: &Value| {
            let mut document = document.clone();
            upstash_api_codegen::share_inline_enums(&mut document);
            document
        };
        let (old, new) = (shared(old), shared(new));
        let (old, new) = (RefGraph::of_document(&old), RefGraph::of_document(&new));
        let nodes = old.values.keys().chain(new.values.keys());
        let changed: BTreeSet<&String> = nodes
            .filter(|n| old.values.get(*n) != new.values.get(*n))
            .collect();
        let mut roots = old.reaching(&changed);
        roots.extend(new.reaching(&changed));
        let mut keep = BTreeSet::new();
        let mut stack: Vec<&String> = roots.into_iter().collect();
        while let Some(node) = stack.pop() {
            if keep.insert(node.clone()) {
                for graph in [&old, &new] {
                    stack.extend(graph.refs.get(node).into_iter().flatten());
                }
            }
        }
        Focus { keep }
    }

    /// Whether nothing is kept: the documents generate the same code.
    pub fn is_empty(&self) -> bool {
        self.keep.is_empty()
    }

    /// Whether the path (a key of `paths`, `/db/{id}`) is kept.
    pub fn keeps_path(&self, path: &str) -> bool {
        self.keep.contains(&path_node(path))
    }

    /// Whether the component `name` of section `kind` (`schemas`, ...) is kept.
    pub fn keeps_component(&self, kind: &str, name: &str) -> bool {
        self.keep.contains(&component_node(kind, name))
    }

    /// Cuts a typed document to the kept paths and components.
    pub fn restrict(&self, spec: &mut Spec) {
        spec.retain(
            |path| self.keeps_path(path),
            |kind, name| self.keeps_component(kind, name),
        );
    }
}

/// The node of a path.
fn path_node(path: &str) -> String {
    format!("path {path}")
}

/// The node of a component of any kind.
fn component_node(kind: &str, name: &str) -> String {
    format!("#/components/{kind}/{name}")
}

/// The component node a `$ref` points at or into (`#/components/schemas/A`
/// for `#/components/schemas/A/properties/b`); `None` for anything else
/// (paths, external references).
fn ref_node(reference: &str) -> Option<String> {
    let Scope::Component { kind, name } = NodePath::from_pointer(&ref_pointer(reference)?).scope
    else {
        return None;
    };
    COMPONENT_KINDS
        .contains(&kind.as_str())
        .then(|| component_node(&kind, &name))
}

/// The paths and components of a document as nodes, each with its value
/// and the nodes its `$ref`s point at.
struct RefGraph<'a> {
    values: BTreeMap<String, &'a Value>,
    refs: BTreeMap<String, BTreeSet<String>>,
}

impl<'a> RefGraph<'a> {
    fn of_document(document: &'a Value) -> RefGraph<'a> {
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
                graph.add(component_node(kind, name), value);
            }
        }
        graph
    }

    fn add(&mut self, node: String, value: &'a Value) {
        let mut refs = BTreeSet::new();
        // An explicit stack: the documents were checked, not bounded in depth.
        let mut stack = vec![value];
        while let Some(value) = stack.pop() {
            match value {
                Value::Object(map) => {
                    for (key, v) in map {
                        if let ("$ref", Value::String(reference)) = (key.as_str(), v) {
                            refs.insert(ref_node(reference).unwrap_or_else(|| reference.clone()));
                        } else {
                            stack.push(v);
                        }
                    }
                }
                Value::Array(items) => stack.extend(items),
                _ => {}
            }
        }
        self.refs.insert(node.clone(), refs);
        self.values.insert(node, value);
    }

    /// The nodes of this graph that are or reach one of `targets`.
    fn reaching<'t>(&'t self, targets: &BTreeSet<&'t String>) -> BTreeSet<&'t String> {
        let mut referrers: HashMap<&String, Vec<&String>> = HashMap::new();
        for (node, refs) in &self.refs {
            for r in refs {
                referrers.entry(r).or_default().push(node);
            }
        }
        let mut seen = BTreeSet::new();
        let mut stack: Vec<&String> = targets
            .iter()
            .copied()
            .filter(|t| self.values.contains_key(*t))
            .collect();
        while let Some(next) = stack.pop() {
            if seen.insert(next) {
                stack.extend(referrers.get(next).into_iter().flatten());
            }
        }
        seen
    }
}

#[cfg(test)]
impl Focus {
    /// The keys of `document`'s `paths` and `components/schemas` this focus
    /// keeps, in the document's order.
    pub(crate) fn kept_in(&self, document: &Value) -> (Vec<String>, Vec<String>) {
        let keys = |v: Option<&Value>, keep: &dyn Fn(&str) -> bool| -> Vec<String> {
            let keys = v
                .and_then(Value::as_object)
                .into_iter()
                .flat_map(|m| m.keys());
            keys.filter(|k| keep(k)).cloned().collect()
        };
        (
            keys(document.get("paths"), &|p| self.keeps_path(p)),
            keys(document.pointer("/components/schemas"), &|n| {
                self.keeps_component("schemas", n)
            }),
        )
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

    #[test]
    fn a_changed_schema_keeps_what_reaches_it_and_what_that_reaches() {
        let old = document(&["eu"], true);
        let new = document(&["eu", "us"], true);
        let focus = Focus::of_documents(&old, &new);
        for side in [&old, &new] {
            let (paths, schemas) = focus.kept_in(side);
            assert_eq!(paths, ["/db", "/db/{id}"]);
            assert_eq!(schemas, ["Create", "Db", "Region"]);
            assert!(focus.keeps_component("parameters", "Id"));
        }
    }

    #[test]
    fn an_added_path_is_kept_with_what_it_reaches_and_nothing_else() {
        let old = document(&["eu"], false);
        let new = document(&["eu"], true);
        let focus = Focus::of_documents(&old, &new);
        assert_eq!(
            focus.kept_in(&new),
            (vec!["/teams".to_string()], vec!["Team".to_string()])
        );
        // Kept on both sides alike: the old side has the schema, unused.
        assert_eq!(focus.kept_in(&old), (vec![], vec!["Team".to_string()]));
    }

    #[test]
    fn identical_documents_keep_nothing() {
        let doc = document(&["eu"], true);
        let focus = Focus::of_documents(&doc, &doc);
        assert_eq!(focus.kept_in(&doc), (vec![], vec![]));
    }

    #[test]
    fn references_point_at_component_nodes() {
        assert_eq!(
            ref_node("#/components/schemas/A"),
            Some("#/components/schemas/A".to_string())
        );
        assert_eq!(
            ref_node("#/components/schemas/A/properties/b"),
            Some("#/components/schemas/A".to_string())
        );
        assert_eq!(
            ref_node("#/components/schemas/a~1b%20c"),
            Some("#/components/schemas/a/b c".to_string())
        );
        assert_eq!(ref_node("#/components/examples/A"), None);
        assert_eq!(ref_node("#/paths/~1db"), None);
        assert_eq!(ref_node("other.yml#/components/schemas/A"), None);
    }
}
