//! Which operations use a component schema, directly or through other
//! schemas.
//!
//! A change inside a shared component is reported once, under the first
//! operation that reaches it; [`operations_using`] says how many operations
//! it affects in all, so the report can say so.

use std::collections::{HashMap, HashSet};

use serde_json::{Map, Value};
use upstash_api_codegen::{NodePath, operations, ref_pointer, schema_name};

use super::super::change::Change;

/// Above this many (operation, schema) pairs the counts are not computed:
/// the walk is linear per operation in the schemas it reaches.
pub const MAX_WORK: usize = 5_000_000;

/// Every component schema a `$ref` inside `value` names, by its name as a
/// key of `schemas` (explicit stack, bounded by the document's size),
/// following references to non-schema components (parameters, request
/// bodies, responses, headers) into their targets.
fn schema_refs<'a>(
    root: &'a Value,
    schemas: Option<&'a Map<String, Value>>,
    value: &'a Value,
    out: &mut HashSet<&'a str>,
) {
    let mut stack = vec![value];
    let mut followed: HashSet<String> = HashSet::new();
    while let Some(v) = stack.pop() {
        match v {
            Value::Object(map) => {
                if let Some(p) = map
                    .get("$ref")
                    .and_then(Value::as_str)
                    .and_then(ref_pointer)
                {
                    let schema =
                        schema_name(&p).and_then(|name| schemas?.get_key_value(name.as_ref()));
                    if let Some((name, _)) = schema {
                        out.insert(name);
                    } else if let Some(target) = root.pointer(&p)
                        && followed.insert(p.into_owned())
                    {
                        stack.push(target);
                    }
                }
                for (k, child) in map {
                    if k != "example" && k != "examples" && !k.starts_with("x-") {
                        stack.push(child);
                    }
                }
            }
            Value::Array(items) => stack.extend(items.iter()),
            _ => {}
        }
    }
}

/// For each schema in `targets` (component names, unescaped), how many
/// operations of `root` reach it; `None` when the document is too large
/// for the count to be cheap.
pub fn operations_using(root: &Value, targets: &HashSet<String>) -> Option<HashMap<String, usize>> {
    let schemas = root
        .pointer("/components/schemas")
        .and_then(Value::as_object);
    let ops = operations(root);
    let n_schemas = schemas.map_or(0, serde_json::Map::len);
    if ops.len().saturating_mul(n_schemas.max(1)) > MAX_WORK {
        return None;
    }
    let mut edges: HashMap<&str, Vec<&str>> = HashMap::new();
    for (name, schema) in schemas.into_iter().flatten() {
        let mut refs = HashSet::new();
        schema_refs(root, schemas, schema, &mut refs);
        edges.insert(name.as_str(), refs.into_iter().collect());
    }
    let mut counts: HashMap<String, usize> = HashMap::new();
    for op in ops.values() {
        let mut direct = HashSet::new();
        schema_refs(root, schemas, op.loc.value, &mut direct);
        if let Some(params) = op.item.value.get("parameters") {
            schema_refs(root, schemas, params, &mut direct);
        }
        let mut seen: HashSet<&str> = HashSet::new();
        let mut stack: Vec<&str> = direct.into_iter().collect();
        while let Some(name) = stack.pop() {
            if !seen.insert(name) {
                continue;
            }
            if targets.contains(name) {
                *counts.entry(name.to_string()).or_default() += 1;
            }
            if let Some(next) = edges.get(name) {
                stack.extend(next.iter().copied());
            }
        }
    }
    Some(counts)
}

/// Sets [`Change::affects`] on every change that sits in a component schema
/// and belongs to an operation: the number of operations using that schema
/// (in the new document, or the old one for what was removed).
pub fn annotate(old: &Value, new: &Value, changes: &mut [Change]) {
    let mut old_targets = HashSet::new();
    let mut new_targets = HashSet::new();
    for c in changes.iter().filter(|c| c.endpoint.is_some()) {
        if let Some(name) = c.new_node.as_ref().and_then(NodePath::schema) {
            new_targets.insert(name.to_string());
        } else if let Some(name) = c.old_node.as_ref().and_then(NodePath::schema) {
            old_targets.insert(name.to_string());
        }
    }
    let count = |root: &Value, targets: &HashSet<String>| {
        (!targets.is_empty())
            .then(|| operations_using(root, targets))
            .flatten()
    };
    let (old_counts, new_counts) = (count(old, &old_targets), count(new, &new_targets));
    for c in changes.iter_mut().filter(|c| c.endpoint.is_some()) {
        c.affects = match (
            c.new_node.as_ref().and_then(NodePath::schema),
            c.old_node.as_ref().and_then(NodePath::schema),
        ) {
            (Some(name), _) => new_counts.as_ref().and_then(|m| m.get(name).copied()),
            (None, Some(name)) => old_counts.as_ref().and_then(|m| m.get(name).copied()),
            (None, None) => None,
        };
    }
}
