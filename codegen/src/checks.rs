//! The checks every reader of a spec applies before it reads further: the
//! build (before normalising and generating) and `cargo xtask spec-diff`
//! (before comparing). One implementation, so the two cannot disagree on
//! what a spec is.
//!
//! Every error is located by a JSON pointer into the document.

use std::collections::HashMap;

use serde_json::Value;

use crate::SpecError;
use crate::operations::{METHODS, template_shape};
use crate::pointer::escape_segment as escape;

/// How much a reader asks of a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Checks {
    /// What comparing two documents needs: an OpenAPI 3.0.x mapping with
    /// `paths`, distinct path templates, unique operationIds, and `$ref`s
    /// that are local, resolve and do not loop.
    Compare,
    /// What generating code needs as well: no component schema composed of
    /// itself through `allOf`/`oneOf`/`anyOf` (the generator would recurse
    /// without end). A comparison can walk such a schema; the build cannot.
    Generate,
}

/// Checks `document` for `checks`.
pub fn check(document: &Value, checks: Checks) -> Result<(), SpecError> {
    check_version(document)?;
    check_paths(document)?;
    crate::references::check(document)?;
    if checks == Checks::Generate {
        crate::references::check_composition(document)?;
    }
    Ok(())
}

/// A value as text for messages: a string without its quotes, anything
/// else as JSON.
pub fn plain(v: &Value) -> String {
    v.as_str().map_or_else(|| v.to_string(), str::to_string)
}

fn check_version(document: &Value) -> Result<(), SpecError> {
    let Some(root) = document.as_object() else {
        return Err(SpecError::new(
            "the document is not a mapping, so it is not an OpenAPI document",
        ));
    };
    if let Some(swagger) = root.get("swagger") {
        return Err(SpecError::new(format!(
            "this is a Swagger {} document; only OpenAPI 3.0.x is supported (convert it first)",
            plain(swagger)
        ))
        .at("/swagger"));
    }
    match root.get("openapi") {
        None => {
            return Err(SpecError::new(
                "the document has no `openapi` field, so it is not an OpenAPI document; OpenAPI 3.0.x is supported",
            ));
        }
        Some(Value::String(v)) if v.trim().starts_with("3.0.") => {}
        Some(Value::String(v)) if v.trim() == "3.0" => {
            return Err(SpecError::new(
                "`openapi: 3.0` is not a full version; write the 3.0.x version the document follows, such as `3.0.3`",
            )
            .at("/openapi"));
        }
        Some(v) => {
            return Err(SpecError::new(format!(
                "OpenAPI {} is not supported; only OpenAPI 3.0.x is",
                plain(v)
            ))
            .at("/openapi"));
        }
    }
    match root.get("paths") {
        Some(Value::Object(_)) => Ok(()),
        Some(_) => Err(SpecError::new("`paths` is not a mapping").at("/paths")),
        None => Err(SpecError::new("the document has no `paths`")),
    }
}

/// No two path templates differ only in parameter names, and no
/// operationId is used twice.
fn check_paths(document: &Value) -> Result<(), SpecError> {
    let Some(paths) = document.get("paths").and_then(Value::as_object) else {
        return Ok(());
    };
    let mut ids: HashMap<&str, String> = HashMap::new();
    let mut templates: HashMap<String, &str> = HashMap::new();
    for (path, item) in paths {
        if let Some(first) = templates.insert(template_shape(path).0, path) {
            return Err(SpecError::new(format!(
                "paths `{first}` and `{path}` differ only in parameter names; OpenAPI treats them as the same path"
            ))
            .at(format!("/paths/{}", escape(path))));
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
            if let Some(first) = ids.insert(id, here.clone()) {
                return Err(SpecError::new(format!(
                    "operationId `{id}` is used twice (by {first} and {here}); operationIds must be unique"
                ))
                .at(format!("/paths/{}/{method}/operationId", escape(path))));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn problem(document: Value) -> SpecError {
        check(&document, Checks::Compare).expect_err("refused")
    }

    #[test]
    fn a_version_without_its_patch_number_is_refused_with_a_fix() {
        let e = problem(json!({"openapi": "3.0", "paths": {}}));
        assert_eq!(e.location.as_deref(), Some("/openapi"));
        assert!(e.problem.contains("3.0.3"), "{e}");
    }

    #[test]
    fn paths_differing_only_in_parameter_names_are_one_path() {
        let e = problem(json!({"openapi": "3.0.3", "paths": {"/a/{x}": {}, "/a/{y}": {}}}));
        assert!(e.problem.contains("differ only in parameter names"), "{e}");
    }

    #[test]
    fn a_twice_used_operation_id_is_located() {
        let e = problem(json!({"openapi": "3.0.3", "paths": {
            "/a": {"get": {"operationId": "x"}},
            "/b": {"get": {"operationId": "x"}}
        }}));
        assert_eq!(e.location.as_deref(), Some("/paths/~1b/get/operationId"));
    }
}
