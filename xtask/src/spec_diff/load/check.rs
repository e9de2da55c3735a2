//! The checks every document passes before it is compared: OpenAPI 3.0.x
//! with `paths`, local and acyclic `$ref`s, unique operationIds and paths.

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use super::operations::{METHODS, normalise_path};
use super::parse::{Problem, plain};
use super::pointer::{escape, pointer, ref_pointer};

/// The checks every document must pass before it is compared.
pub fn check(root: &Value) -> Result<(), Problem> {
    let Some(map) = root.as_object() else {
        return Err((
            "the document is not a mapping, so it is not an OpenAPI document".into(),
            None,
        ));
    };
    if let Some(swagger) = map.get("swagger") {
        return Err((
            format!(
                "this is a Swagger {} document; only OpenAPI 3.0.x is supported (convert it first)",
                plain(swagger)
            ),
            Some("/swagger".into()),
        ));
    }
    match map.get("openapi") {
        None => {
            return Err((
                "the document has no `openapi` field, so it is not an OpenAPI document; OpenAPI 3.0.x is supported".into(),
                None,
            ));
        }
        Some(Value::String(v)) if v.trim().starts_with("3.0.") || v.trim() == "3.0" => {}
        Some(v) => {
            return Err((
                format!(
                    "OpenAPI {} is not supported; only OpenAPI 3.0.x is",
                    plain(v)
                ),
                Some("/openapi".into()),
            ));
        }
    }
    match map.get("paths") {
        Some(Value::Object(_)) => {}
        Some(_) => return Err(("`paths` is not a mapping".into(), Some("/paths".into()))),
        None => return Err(("the document has no `paths`".into(), None)),
    }
    check_refs(root)?;
    check_operation_ids(root)?;
    Ok(())
}

fn check_operation_ids(root: &Value) -> Result<(), Problem> {
    let Some(paths) = root.get("paths").and_then(Value::as_object) else {
        return Ok(());
    };
    let mut seen: HashMap<&str, String> = HashMap::new();
    let mut templates: HashMap<String, &str> = HashMap::new();
    for (path, item) in paths {
        let (normalised, _) = normalise_path(path);
        if let Some(first) = templates.insert(normalised, path) {
            return Err((
                format!(
                    "paths `{first}` and `{path}` differ only in parameter names; OpenAPI treats them as the same path"
                ),
                Some(pointer(&["paths", path])),
            ));
        }
        for method in METHODS {
            let Some(id) = item
                .get(method)
                .and_then(|op| op.get("operationId"))
                .and_then(Value::as_str)
            else {
                continue;
            };
            let here = format!("{} {path}", method.to_uppercase());
            if let Some(first) = seen.insert(id, here.clone()) {
                return Err((
                    format!(
                        "operationId `{id}` is used twice (by {first} and {here}); operationIds must be unique"
                    ),
                    Some(format!("{}/operationId", pointer(&["paths", path, method]))),
                ));
            }
        }
    }
    Ok(())
}

enum Seg<'a> {
    Key(&'a str),
    Index(usize),
}

/// Walks the whole document with an explicit stack and checks every `$ref`.
fn check_refs(root: &Value) -> Result<(), Problem> {
    // (value, depth, segment leading to it)
    let mut stack: Vec<(&Value, usize, Option<Seg<'_>>)> = vec![(root, 0, None)];
    let mut path: Vec<Seg<'_>> = Vec::new();
    let mut cycle_checked: HashSet<&str> = HashSet::new();
    while let Some((value, depth, seg)) = stack.pop() {
        path.truncate(depth.saturating_sub(1));
        if let Some(seg) = seg {
            path.push(seg);
        }
        match value {
            Value::Object(map) => {
                if let Some(Value::String(reference)) = map.get("$ref") {
                    check_one_ref(root, reference, &path, &mut cycle_checked)?;
                }
                for (k, v) in map.iter().rev() {
                    // Example payloads and extensions are data, not
                    // references, even when they hold a `$ref` key.
                    let data = k == "example" || k.starts_with("x-");
                    if !data && matches!(v, Value::Object(_) | Value::Array(_)) {
                        stack.push((v, depth + 1, Some(Seg::Key(k))));
                    }
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate().rev() {
                    if matches!(v, Value::Object(_) | Value::Array(_)) {
                        stack.push((v, depth + 1, Some(Seg::Index(i))));
                    }
                }
            }
            _ => {}
        }
    }
    Ok(())
}

fn path_string(path: &[Seg<'_>]) -> String {
    let mut out = String::new();
    for seg in path {
        out.push('/');
        match seg {
            Seg::Key(k) => out.push_str(&escape(k)),
            Seg::Index(i) => out.push_str(&i.to_string()),
        }
    }
    out
}

fn check_one_ref<'a>(
    root: &'a Value,
    reference: &'a str,
    path: &[Seg<'_>],
    cycle_checked: &mut HashSet<&'a str>,
) -> Result<(), Problem> {
    let here = || Some(format!("{}/$ref", path_string(path)));
    // The pointer and target of a local reference; `hint` ends the
    // message on an external one.
    let follow = |r: &str, hint: &str| -> Result<(String, &'a Value), Problem> {
        let Some(ptr) = ref_pointer(r) else {
            return Err((
                format!(
                    "`$ref: {r}` is an external reference; only local references (`#/...`) are supported{hint}"
                ),
                here(),
            ));
        };
        match root.pointer(&ptr) {
            Some(target) => Ok((ptr, target)),
            None => Err((
                format!("`$ref: {r}` points at nothing (dangling reference)"),
                here(),
            )),
        }
    };
    let (target_ptr, target) = follow(reference, ", bundle the document first")?;
    // A cycle of references is a chain of objects that are nothing but
    // references (A -> B -> A); a schema that contains itself through a
    // property is fine and handled by the diff.
    // `cycle_checked` holds references whose chain is known to end: a walk
    // that reaches one stops there, so a long alias chain costs linear time.
    if target.get("$ref").is_some() && !cycle_checked.contains(reference) {
        let mut chain: Vec<&'a str> = vec![reference];
        let mut seen: HashSet<String> = HashSet::from([target_ptr]);
        let mut current = target;
        while let Some(Value::String(next)) = current.get("$ref") {
            if cycle_checked.contains(next.as_str()) {
                break;
            }
            chain.push(next.as_str());
            let (next_ptr, next_target) = follow(next, "")?;
            if !seen.insert(next_ptr) {
                return Err((
                    format!(
                        "`$ref` cycle: {}",
                        upstash_api_codegen::references::cycle_text(&chain)
                    ),
                    here(),
                ));
            }
            current = next_target;
        }
        cycle_checked.extend(chain);
    }
    Ok(())
}
