//! The `schemars` feature: every generated type implements
//! `schemars::JsonSchema`, open enums with their wire form.
//!
//! ```text
//! cargo test --features schemars --test json_schema
//! UPSTASH_API_SPEC=tests/fixtures/upstash-like.yml cargo test --features schemars --test json_schema
//! ```
#![cfg(feature = "schemars")]

use serde_json::{Value, json};

fn schema<T: schemars::JsonSchema>() -> Value {
    serde_json::to_value(schemars::schema_for!(T)).expect("a schema is JSON")
}

#[test]
fn the_restore_body_requires_its_backup_id() {
    let body = schema::<upstash_api::types::RestoreBackupBody>();
    assert_eq!(body["type"], "object", "{body}");
    assert_eq!(body["required"], json!(["backup_id"]), "{body}");
    assert_eq!(body["properties"]["backup_id"]["type"], "string", "{body}");
}

#[cfg(upstash_api_spec = "upstash-like")]
#[test]
fn every_kind_of_generated_type_has_a_schema() {
    use upstash_api::types;
    let region = schema::<types::Region>();
    let listed = &region["anyOf"][0];
    assert!(
        listed["enum"]
            .as_array()
            .is_some_and(|v| v.contains(&json!("us-east-1"))),
        "{region}"
    );
    assert_eq!(
        region["anyOf"][1]["type"], "string",
        "open to any string: {region}"
    );
    let database = schema::<types::Database>();
    let required = database["required"].as_array().expect("required fields");
    assert!(required.contains(&json!("database_id")), "{database}");
    assert!(
        database["definitions"].get("Region").is_some(),
        "{database}"
    );
    let body = schema::<types::CreateVectorIndexBody>();
    let budget = &body["properties"]["monthly_budget"]["type"];
    assert_eq!(
        budget,
        &json!(["number", "null"]),
        "an optional number: {body}"
    );
    schema::<types::QStashUser>();
    schema::<types::DatabaseStats>();
    schema::<types::Period>();
}

/// A `"true"`/`"false"` field is a `bool` in Rust; its schema is the wire
/// form, the string.
#[cfg(upstash_api_spec = "upstash-like")]
#[test]
fn a_true_false_field_has_the_schema_of_its_string() {
    let backup = schema::<upstash_api::types::Backup>();
    let daily = &backup["properties"]["daily_backup"];
    assert_eq!(daily["type"], "string", "{backup}");
    assert_eq!(daily["enum"], json!(["true", "false"]), "{backup}");
}
