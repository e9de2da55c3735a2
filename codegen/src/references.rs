//! `$ref` checks the generator needs before it runs.
//!
//! progenitor and typify recurse without bound on two shapes, which would
//! abort the build with a stack overflow instead of an error: a chain of
//! `$ref`s that leads back to itself (`R: {$ref: R}`, among schemas,
//! responses, parameters or request bodies), and a schema composed of
//! itself through `allOf`/`oneOf`/`anyOf` (`A: {allOf: [$ref: A, ...]}`).
//! Recursion through `properties`, `items` or `additionalProperties` is
//! fine and allowed. Every walk here uses an explicit stack.

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use crate::SpecError;

/// Checks every `$ref` is local and resolves, that no chain of references
/// loops, and that no component schema is composed of itself.
pub(crate) fn check(document: &Value) -> Result<(), SpecError> {
    let mut known_good: HashSet<String> = HashSet::new();
    let mut stack = vec![document];
    while let Some(node) = stack.pop() {
        match node {
            Value::Object(map) => {
                if let Some(Value::String(reference)) = map.get("$ref") {
                    check_chain(document, reference, &mut known_good)?;
                }
                stack.extend(map.values());
            }
            Value::Array(items) => stack.extend(items),
            _ => {}
        }
    }
    check_composition(document)
}

/// The JSON pointer a local `$ref` names, or an error for any other kind.
fn pointer(reference: &str) -> Result<&str, SpecError> {
    reference.strip_prefix('#').ok_or_else(|| {
        SpecError::new(format!(
            "`$ref: {reference}` is not a local reference; bundle the spec into one document first"
        ))
    })
}

fn resolve<'a>(document: &'a Value, reference: &str) -> Result<&'a Value, SpecError> {
    document.pointer(pointer(reference)?).ok_or_else(|| {
        SpecError::new(format!(
            "`$ref: {reference}` points at nothing (dangling reference)"
        ))
    })
}

/// Follows a chain of objects that are only a `$ref` until it ends; an
/// error if it comes back to where it has been.
fn check_chain(
    document: &Value,
    start: &str,
    known_good: &mut HashSet<String>,
) -> Result<(), SpecError> {
    let mut chain: Vec<String> = Vec::new();
    let mut current = start.to_string();
    loop {
        if known_good.contains(&current) {
            break;
        }
        if chain.contains(&current) {
            chain.push(current);
            return Err(SpecError::new(format!(
                "`$ref` cycle: {}; the generator cannot resolve it",
                cycle_text(&chain)
            )));
        }
        let target = resolve(document, &current)?;
        chain.push(current);
        match target.get("$ref") {
            Some(Value::String(next)) => current = next.clone(),
            _ => break,
        }
    }
    known_good.extend(chain);
    Ok(())
}

/// A chain of references (`a -> b -> a`) for a one-line message: in full
/// when short, else its first and last links and its length. Shared with
/// `cargo xtask spec-diff`, which reports cycles the same way.
pub fn cycle_text<S: AsRef<str>>(chain: &[S]) -> String {
    let join = |part: &[S]| {
        part.iter()
            .map(AsRef::as_ref)
            .collect::<Vec<_>>()
            .join(" -> ")
    };
    if chain.len() <= 6 {
        return join(chain);
    }
    format!(
        "{} -> ... -> {} ({} references)",
        join(&chain[..3]),
        join(&chain[chain.len() - 2..]),
        chain.len() - 1
    )
}

/// No component schema may be composed of itself (through `allOf`,
/// `oneOf`, `anyOf` or a bare `$ref`, at any depth of inline composition).
fn check_composition(document: &Value) -> Result<(), SpecError> {
    let Some(schemas) = document
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    else {
        return Ok(());
    };
    let prefix = "#/components/schemas/";
    let mut edges: HashMap<&str, Vec<String>> = HashMap::new();
    for (name, schema) in schemas {
        let mut targets = Vec::new();
        let mut stack = vec![schema];
        while let Some(node) = stack.pop() {
            if let Some(Value::String(reference)) = node.get("$ref") {
                if let Some(target) = reference.strip_prefix(prefix) {
                    targets.push(unescape(target));
                }
                continue;
            }
            for key in ["allOf", "oneOf", "anyOf"] {
                if let Some(Value::Array(parts)) = node.get(key) {
                    stack.extend(parts);
                }
            }
        }
        edges.insert(name.as_str(), targets);
    }
    // Iterative depth-first search with three colours.
    let mut state: HashMap<&str, u8> = HashMap::new(); // 1 = on the path, 2 = done
    for start in edges.keys().copied() {
        if state.contains_key(start) {
            continue;
        }
        let mut path: Vec<(&str, usize)> = vec![(start, 0)];
        state.insert(start, 1);
        while let Some((node, next)) = path.last().copied() {
            let targets = edges.get(node).map(Vec::as_slice).unwrap_or(&[]);
            if let Some(target) = targets.get(next) {
                if let Some(last) = path.last_mut() {
                    last.1 += 1;
                }
                let Some((target, _)) = edges.get_key_value(target.as_str()) else {
                    continue;
                };
                match state.get(target) {
                    Some(1) => {
                        let from = path.iter().position(|(n, _)| n == target).unwrap_or(0);
                        let mut cycle: Vec<String> =
                            path[from..].iter().map(|(n, _)| n.to_string()).collect();
                        cycle.push(target.to_string());
                        return Err(SpecError::new(format!(
                            "schema `{target}` is composed of itself through allOf/oneOf/anyOf ({}); \
                             the generator cannot expand it; put the recursion under `properties` or `items`",
                            cycle_text(&cycle)
                        ))
                        .at(format!("components.schemas.{target}")));
                    }
                    Some(_) => {}
                    None => {
                        state.insert(target, 1);
                        path.push((target, 0));
                    }
                }
            } else {
                state.insert(node, 2);
                path.pop();
            }
        }
    }
    Ok(())
}

/// A JSON pointer segment with `~1` and `~0` decoded.
fn unescape(segment: &str) -> String {
    segment.replace("~1", "/").replace("~0", "~")
}
