//! `$ref`s: what a reference points at, and the checks every reader runs
//! on them ([`crate::checks`]).
//!
//! Every `$ref` must be local (`#/...`) and point at something. Two shapes
//! would make progenitor and typify overflow the stack instead of failing:
//! a chain of `$ref`s that leads back to itself (`R: {$ref: R}`, among any
//! components), and a schema composed of itself through `allOf`/`oneOf`/
//! `anyOf` (`A: {allOf: [$ref: A, ...]}`), refused for generation only.
//! Recursion through `properties`, `items` or `additionalProperties` is
//! allowed. Example payloads (`example`) and extensions (`x-*`) are data,
//! not references, even when they hold a `$ref`. Every walk here uses an
//! explicit stack.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use serde_json::Value;

use crate::SpecError;
use crate::pointer::{escape_segment as escape, schema_name};

/// The JSON pointer a local `$ref` names (`#/components/schemas/A` ->
/// `/components/schemas/A`), `%XX` escapes decoded as in any URI fragment;
/// `None` for a reference that is not local.
pub fn ref_pointer(reference: &str) -> Option<Cow<'_, str>> {
    let fragment = reference.strip_prefix('#')?;
    if !fragment.contains('%') {
        return Some(Cow::Borrowed(fragment));
    }
    let bytes = fragment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = (bytes[i] == b'%')
            .then(|| fragment.get(i + 1..i + 3))
            .flatten()
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        let (byte, width) = escaped.map_or((bytes[i], 1), |byte| (byte, 3));
        out.push(byte);
        i += width;
    }
    Some(Cow::Owned(String::from_utf8_lossy(&out).into_owned()))
}

/// Whether the member `key` of an object holds data rather than spec
/// (example payloads, extensions): its `$ref`s are not references.
pub fn is_data(key: &str) -> bool {
    key == "example" || key.starts_with("x-")
}

/// One step from a node to a child: a key or an index.
enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

/// The most `$ref`s a chain of references-only objects may pass through
/// before it reaches a node that is not a reference. Every reader follows
/// chains up to this length ([`crate::resolve`]); a longer chain is refused
/// here rather than silently left unresolved.
pub const MAX_REF_HOPS: usize = 64;

/// Checks that every `$ref` outside data is local, points at something,
/// and is not part of a chain of references that loops or is longer than
/// [`MAX_REF_HOPS`].
pub(crate) fn check(document: &Value) -> Result<(), SpecError> {
    let mut known_good: HashMap<&str, usize> = HashMap::new();
    // (value, its depth, the step that leads to it)
    let mut stack: Vec<(&Value, usize, Option<Step<'_>>)> = vec![(document, 0, None)];
    let mut path: Vec<Step<'_>> = Vec::new();
    while let Some((node, depth, step)) = stack.pop() {
        path.truncate(depth.saturating_sub(1));
        path.extend(step);
        match node {
            Value::Object(map) => {
                if let Some(Value::String(reference)) = map.get("$ref") {
                    check_chain(document, reference, &mut known_good)
                        .map_err(|e| e.at(format!("{}/$ref", pointer(&path))))?;
                }
                for (key, child) in map.iter().rev() {
                    if !is_data(key) && matches!(child, Value::Object(_) | Value::Array(_)) {
                        stack.push((child, depth + 1, Some(Step::Key(key))));
                    }
                }
            }
            Value::Array(items) => {
                for (index, child) in items.iter().enumerate().rev() {
                    if matches!(child, Value::Object(_) | Value::Array(_)) {
                        stack.push((child, depth + 1, Some(Step::Index(index))));
                    }
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// The JSON pointer of `path`.
fn pointer(path: &[Step<'_>]) -> String {
    path.iter()
        .map(|step| match step {
            Step::Key(key) => format!("/{}", escape(key)),
            Step::Index(index) => format!("/{index}"),
        })
        .collect()
}

fn resolve<'a>(document: &'a Value, reference: &str) -> Result<&'a Value, SpecError> {
    let pointer = ref_pointer(reference).ok_or_else(|| {
        SpecError::new(format!(
            "`$ref: {reference}` is an external reference; only local references (`#/...`) are supported, bundle the spec into one document first"
        ))
    })?;
    document.pointer(&pointer).ok_or_else(|| {
        SpecError::new(format!(
            "`$ref: {reference}` points at nothing (dangling reference)"
        ))
    })
}

/// Follows a chain of objects that are only a `$ref` until it ends; an
/// error if it comes back to where it has been or passes more than
/// [`MAX_REF_HOPS`] references. `known_good` holds references whose chain
/// is known to end, with its length, so every reference of a document is
/// followed once.
fn check_chain<'a>(
    document: &'a Value,
    start: &'a str,
    known_good: &mut HashMap<&'a str, usize>,
) -> Result<(), SpecError> {
    let mut chain: Vec<&'a str> = Vec::new();
    let mut on_chain: HashSet<&'a str> = HashSet::new();
    let mut current = start;
    // The hops from the end of `chain` to a node that is not a reference.
    let mut rest = 0;
    loop {
        if let Some(&known) = known_good.get(current) {
            rest = known;
            break;
        }
        if !on_chain.insert(current) {
            chain.push(current);
            return Err(SpecError::new(format!(
                "`$ref` cycle: {}; it resolves to nothing",
                cycle_text(&chain)
            )));
        }
        let target = resolve(document, current)?;
        chain.push(current);
        if chain.len() > MAX_REF_HOPS {
            break;
        }
        match target.get("$ref") {
            Some(Value::String(next)) => current = next,
            _ => break,
        }
    }
    if chain.len() + rest > MAX_REF_HOPS {
        let hops = chain.len() + rest;
        let length = if rest == 0 && chain.len() > MAX_REF_HOPS {
            format!("more than {MAX_REF_HOPS}")
        } else {
            hops.to_string()
        };
        return Err(SpecError::new(format!(
            "a chain of {length} `$ref`s from `{start}` is longer than the {MAX_REF_HOPS} the generator follows; \
             point the reference at the schema the chain ends in"
        )));
    }
    for (i, reference) in chain.iter().enumerate() {
        known_good.insert(reference, chain.len() - i + rest);
    }
    Ok(())
}

/// Rewrites every `$ref` with `%XX` escapes to its decoded form, so that
/// the generator, which does not decode them, names the same component
/// the checks found.
pub(crate) fn decode(document: &mut Value) {
    let mut stack = vec![document];
    while let Some(node) = stack.pop() {
        match node {
            Value::Object(map) => {
                if let Some(Value::String(reference)) = map.get_mut("$ref")
                    && reference.contains('%')
                    && let Some(Cow::Owned(decoded)) = ref_pointer(reference)
                {
                    *reference = format!("#{decoded}");
                }
                for (key, child) in map.iter_mut() {
                    if !is_data(key) {
                        stack.push(child);
                    }
                }
            }
            Value::Array(items) => stack.extend(items.iter_mut()),
            _ => {}
        }
    }
}

/// A chain of references (`a -> b -> a`) for a one-line message: in full
/// when short, else its first and last links and its length.
fn cycle_text(chain: &[&str]) -> String {
    let join = |part: &[&str]| part.join(" -> ");
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
pub(crate) fn check_composition(document: &Value) -> Result<(), SpecError> {
    let Some(schemas) = document
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    else {
        return Ok(());
    };
    let mut edges: HashMap<&str, Vec<String>> = HashMap::new();
    for (name, schema) in schemas {
        let mut targets = Vec::new();
        let mut stack = vec![schema];
        while let Some(node) = stack.pop() {
            if let Some(Value::String(reference)) = node.get("$ref") {
                let pointer = ref_pointer(reference);
                if let Some(target) = pointer.as_deref().and_then(schema_name) {
                    targets.push(target.into_owned());
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
                        let mut cycle: Vec<&str> = path[from..].iter().map(|(n, _)| *n).collect();
                        cycle.push(target);
                        return Err(SpecError::new(format!(
                            "schema `{target}` is composed of itself through allOf/oneOf/anyOf ({}); \
                             the generator cannot expand it; put the recursion under `properties` or `items`",
                            cycle_text(&cycle)
                        ))
                        .at(format!("/components/schemas/{}", escape(target))));
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
