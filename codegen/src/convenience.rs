//! Whether the hand-written `Client::restore_backup` (the SDK's
//! `src/client.rs`) can call the spec's `restore_backup` operation.
//!
//! The SDK is generated from any spec a user brings (`UPSTASH_API_SPEC`),
//! and the hand-written method must compile for every one of them. It
//! calls `api().restore_backup().id(&str).body_map(|b| b.backup_id(&str))`,
//! which compiles when the operation has a string path parameter `id` and a
//! JSON object body with a required string field `backup_id`: typify then
//! gives the setters a type that `&str` converts into (`String`, or a
//! newtype of a constrained string). Anything else (an integer, a format
//! typify types otherwise, an optional or nullable field, a composed
//! schema) would make the SDK's own source fail to compile with a message
//! about code the user never wrote, so the build leaves the method out
//! instead and says why; `client.api()` has the operation either way.

use serde_json::Value;

use crate::names::{Case, Generator, ident};
use crate::operations::{Operation, operations, target};
use crate::spec::Spec;

/// The method name the hand-written method calls, as progenitor names it.
const METHOD: &str = "restore_backup";

/// Whether the spec's operations allow `Client::restore_backup`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RestoreBackupFit {
    /// The operation has the shape the method calls: the method is built.
    Fits,
    /// The spec has no operation named `restore_backup`: no method.
    Absent,
    /// The operation exists in another shape: no method; the reason, for
    /// the build's warning (operation, and what differs).
    Differs(String),
}

/// How `spec`'s `restore_backup` operation, if any, fits the method.
pub fn restore_backup(spec: &Spec) -> RestoreBackupFit {
    // The normalised document: what progenitor and typify were given.
    let Ok(document) = serde_json::to_value(&spec.openapi) else {
        return RestoreBackupFit::Differs("the spec could not be read back".into());
    };
    let all = operations(&document);
    let Some(operation) = all.values().find(|op| {
        op.operation_id()
            .is_some_and(|id| ident(id, Case::Snake, Generator::Progenitor) == METHOD)
    }) else {
        return RestoreBackupFit::Absent;
    };
    let here = format!(
        "{} {} ({})",
        operation.method,
        operation.path,
        spec.spec_operation_id(operation.operation_id().unwrap_or(METHOD))
    );
    match problem(&document, operation) {
        None => RestoreBackupFit::Fits,
        Some(problem) => RestoreBackupFit::Differs(format!(
            "{here}: {problem}; `Client::restore_backup` needs a string path parameter `id` \
             and a JSON object body with a required string field `backup_id`, so it is left \
             out: call `client.api().restore_backup()`"
        )),
    }
}

/// What keeps the operation from the shape the method calls, if anything.
fn problem(root: &Value, operation: &Operation<'_>) -> Option<String> {
    let parameters = operation.parameters(root);
    let Some(id) = parameters
        .iter()
        .find(|p| p.location == "path" && p.name == "id")
    else {
        return Some("it has no path parameter `id`".into());
    };
    let id_schema = id.loc.value.get("schema").map(|s| target(root, s));
    if !id_schema.is_some_and(|s| plain_string(root, s)) {
        return Some("its path parameter `id` is not a plain string".into());
    }
    let body = operation
        .loc
        .value
        .get("requestBody")
        .map(|b| target(root, b))
        .and_then(|b| b.pointer("/content/application~1json/schema"))
        .map(|s| target(root, s));
    let Some(body) = body else {
        return Some("it has no JSON request body".into());
    };
    let composed = ["allOf", "oneOf", "anyOf", "not"]
        .iter()
        .any(|k| body.get(k).is_some());
    if body.get("type").and_then(Value::as_str) != Some("object")
        || composed
        || body.get("nullable").and_then(Value::as_bool) == Some(true)
    {
        return Some("its request body is not a plain JSON object".into());
    }
    let required = body
        .get("required")
        .and_then(Value::as_array)
        .is_some_and(|r| r.iter().any(|n| n.as_str() == Some("backup_id")));
    let field = body
        .pointer("/properties/backup_id")
        .map(|s| target(root, s));
    if !required || !field.is_some_and(|s| plain_string(root, s)) {
        return Some("its request body has no required plain string field `backup_id`".into());
    }
    None
}

/// A schema typify types as `String` or a newtype of one, both of which
/// `&str` converts into: `type: string`, no format (the formats typify
/// keeps as text are dropped before typing), no enum, not nullable, not
/// composed.
fn plain_string(root: &Value, schema: &Value) -> bool {
    let schema = target(root, schema);
    schema.get("type").and_then(Value::as_str) == Some("string")
        && ["format", "enum", "allOf", "oneOf", "anyOf", "not"]
            .iter()
            .all(|k| schema.get(k).is_none())
        && schema.get("nullable").and_then(Value::as_bool) != Some(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(operation: &str) -> Spec {
        let text = format!(
            r#"{{"openapi": "3.0.3", "info": {{"title": "t", "version": "1"}},
                "paths": {{"/redis/restore-backup/{{id}}": {{"post": {operation}}}}}}}"#
        );
        Spec::from_text(&text).expect("a valid spec")
    }

    const ANSWER: &str = r#""responses": {"200": {"description": "ok",
        "content": {"application/json": {"schema": {"type": "string"}}}}}"#;

    fn restore(id_schema: &str, body_schema: &str) -> Spec {
        spec(&format!(
            r#"{{"operationId": "restoreBackup",
                "parameters": [{{"name": "id", "in": "path", "required": true,
                                 "schema": {id_schema}}}],
                "requestBody": {{"required": true, "content": {{"application/json":
                    {{"schema": {body_schema}}}}}}},
                {ANSWER}}}"#
        ))
    }

    const BODY: &str = r#"{"type": "object", "required": ["backup_id"],
        "properties": {"backup_id": {"type": "string"}, "note": {"type": "string"}}}"#;

    #[test]
    fn the_seed_shape_fits_with_more_fields_and_constraints() {
        assert_eq!(
            restore_backup(&restore(r#"{"type": "string"}"#, BODY)),
            RestoreBackupFit::Fits
        );
        // A constrained field is a newtype of typify's, which `&str`
        // converts into. (A constrained path parameter is a newtype too,
        // which progenitor's URL code cannot format: a limit of the
        // generator for every operation, not of this method.)
        let patterned = r#"{"type": "object", "required": ["backup_id"], "properties": {
            "backup_id": {"type": "string", "pattern": "^bk-", "minLength": 1},
            "when": {"type": "integer"}}}"#;
        assert_eq!(
            restore_backup(&restore(r#"{"type": "string"}"#, patterned)),
            RestoreBackupFit::Fits
        );
    }

    #[test]
    fn a_spec_without_the_operation_has_none() {
        let other = spec(&format!(r#"{{"operationId": "somethingElse", {ANSWER}}}"#));
        assert_eq!(restore_backup(&other), RestoreBackupFit::Absent);
    }

    #[test]
    fn another_shape_is_named_with_the_operation() {
        let cases = [
            (restore(r#"{"type": "integer"}"#, BODY), "`id` is not"),
            (
                restore(
                    r#"{"type": "string"}"#,
                    r#"{"type": "object", "properties": {"backup_id": {"type": "string"}}}"#,
                ),
                "required plain string field `backup_id`",
            ),
            (
                restore(r#"{"type": "string", "format": "ipv4"}"#, BODY),
                "`id` is not",
            ),
            (
                spec(&format!(r#"{{"operationId": "restoreBackup", {ANSWER}}}"#)),
                "no path parameter `id`",
            ),
        ];
        for (spec, expected) in cases {
            let RestoreBackupFit::Differs(message) = restore_backup(&spec) else {
                panic!("{expected}: fits");
            };
            assert!(message.contains(expected), "{message}");
            assert!(
                message.starts_with("POST /redis/restore-backup/{id} (restoreBackup): "),
                "{message}"
            );
        }
    }
}
