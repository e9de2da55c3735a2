//! `sdk-breaking` is grounded in the real generator: both sides go through
//! progenitor with the SDK's settings, and the Rust API differences decide
//! which wire-compatible changes break code written against the SDK.

use std::path::Path;

use xtask::spec_diff::change::{DiffReport, SdkAnalysis};
use xtask::spec_diff::rules::{Rule, Severity};
use xtask::spec_diff::{compare, load};

fn load_side(case: &str, side: &str) -> load::Document {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/fixtures/{case}/{side}.yml"));
    let text = std::fs::read_to_string(&path).expect("fixture");
    load::load_text(side, &text).unwrap_or_else(|e| panic!("{e}"))
}

fn report(case: &str) -> DiffReport {
    let r = compare(&load_side(case, "old"), &load_side(case, "new"), true);
    assert!(matches!(r.sdk, SdkAnalysis::Done(_)), "{case}: {:?}", r.sdk);
    r
}

/// The change with `rule` in `case`, its severity after the SDK analysis,
/// and the Rust items it was attributed.
fn verdict(case: &str, rule: Rule) -> (Severity, Vec<String>) {
    let r = report(case);
    let c = r
        .changes
        .iter()
        .find(|c| c.rule == rule)
        .unwrap_or_else(|| panic!("{case}: no {rule} in {:?}", r.changes));
    (c.severity, c.rust_api.clone())
}

fn mentions(items: &[String], needle: &str) -> bool {
    items.iter().any(|i| i.contains(needle))
}

/// Generated types are `#[non_exhaustive]`: callers build them with their
/// builders, which a new optional field does not break.
#[test]
fn a_new_optional_request_property_is_an_addition_to_a_non_exhaustive_type() {
    let (severity, items) = verdict(
        "request-optional-property-added",
        Rule::RequestOptionalPropertyAdded,
    );
    assert_eq!(severity, Severity::NonBreaking, "{items:?}");
}

#[test]
fn a_new_response_property_does_not_break_the_sdk() {
    let (severity, items) = verdict("response-property-added", Rule::ResponsePropertyAdded);
    assert_eq!(severity, Severity::NonBreaking, "{items:?}");
}

/// A new variant of a `#[non_exhaustive]` enum breaks no match: every match
/// outside the crate already has a `_` arm.
#[test]
fn a_new_request_enum_value_is_a_new_variant_of_a_non_exhaustive_enum() {
    let (severity, items) = verdict("request-enum-value-added", Rule::RequestEnumValueAdded);
    assert_eq!(severity, Severity::NonBreaking, "{items:?}");
}

#[test]
fn a_request_property_that_became_optional_changes_the_field_type() {
    let (severity, items) = verdict(
        "request-property-became-optional",
        Rule::RequestPropertyBecameOptional,
    );
    assert_eq!(severity, Severity::SdkBreaking, "{items:?}");
    assert!(mentions(&items, "types::DatabaseUpdate::name"), "{items:?}");
}

#[test]
fn an_operation_id_rename_removes_the_client_method() {
    let (severity, items) = verdict("operation-id-changed", Rule::OperationIdChanged);
    assert_eq!(severity, Severity::SdkBreaking);
    assert!(mentions(&items, "Client::get_database"), "{items:?}");
}

#[test]
fn a_path_parameter_rename_renames_the_builder_method() {
    let (severity, items) = verdict("path-parameter-renamed", Rule::PathParameterRenamed);
    assert_eq!(severity, Severity::SdkBreaking);
    assert!(
        mentions(&items, "::id (sdk-parameter-removed)"),
        "{items:?}"
    );
}

#[test]
fn a_new_optional_query_parameter_does_not_break_builder_callers() {
    let (severity, _) = verdict(
        "request-optional-parameter-added",
        Rule::RequestOptionalParameterAdded,
    );
    assert_eq!(severity, Severity::NonBreaking);
}

#[test]
fn a_renamed_component_is_a_rust_api_change_with_no_wire_change() {
    let r = report("schema-renamed");
    let rust: Vec<_> = r
        .changes
        .iter()
        .filter(|c| c.rule == Rule::RustApiChanged)
        .collect();
    assert!(!rust.is_empty(), "{:?}", r.changes);
    // The old type's removal breaks code; the new type is an addition of its
    // own, reported rather than dropped.
    assert!(rust.iter().all(|c| match c.severity {
        Severity::SdkBreaking => !c.rust_api.is_empty(),
        Severity::NonBreaking => c.adds_to_rust_api && c.rust_api.is_empty(),
        _ => false,
    }));
    assert!(rust.iter().any(|c| c.severity == Severity::SdkBreaking));
    assert!(rust.iter().any(|c| c.severity == Severity::NonBreaking));
    assert!(
        rust.iter().any(|c| c.message.contains("Backup")),
        "{rust:?}"
    );
    assert!(
        r.changes.iter().all(|c| c.rule == Rule::RustApiChanged),
        "{:?}",
        r.changes
    );
}

#[test]
fn when_the_build_refuses_a_side_the_wire_diff_still_stands_beside_the_refusal() {
    let old = load_side("identical", "old");
    // Two request media types and no JSON: the loader takes it, progenitor does not.
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/identical/new.yml"),
    )
    .expect("fixture")
    .replace(
        "    delete:\n      operationId: deleteDatabase\n",
        "    delete:\n      operationId: deleteDatabase\n      requestBody:\n        content:\n          text/plain: {schema: {type: string}}\n          application/octet-stream: {schema: {type: string, format: binary}}\n",
    );
    assert!(text.contains("text/plain"), "the replacement applied");
    let new = load::load_text("new", &text).expect("loads");
    let r = compare(&old, &new, true);
    assert!(matches!(&r.sdk, SdkAnalysis::Unavailable(_)), "{:?}", r.sdk);
    assert_eq!(r.build_refuses.len(), 1, "{:?}", r.build_refuses);
    let refusal = &r.build_refuses[0];
    assert!(
        refusal.starts_with("new: ") && refusal.contains("media type"),
        "{refusal}"
    );
    assert!(
        r.changes
            .iter()
            .any(|c| c.rule == Rule::RequestOptionalBodyAdded),
        "{:?}",
        r.changes
    );
}

#[test]
fn an_sdk_breaking_rule_stands_down_when_the_generated_api_does_not_change() {
    // progenitor keeps readOnly properties in request types: the property
    // leaves the request on the wire, but no Rust code breaks.
    let (severity, items) = verdict(
        "readonly-property-hidden-from-request",
        Rule::RequestPropertyRemoved,
    );
    assert_eq!(severity, Severity::NonBreaking, "{items:?}");
    assert!(items.is_empty(), "{items:?}");
    // without the analysis, the rule's own severity stands
    let r = compare(
        &load_side("readonly-property-hidden-from-request", "old"),
        &load_side("readonly-property-hidden-from-request", "new"),
        false,
    );
    assert_eq!(r.changes[0].severity, Severity::SdkBreaking);
}

#[test]
fn a_write_only_response_property_keeps_its_rust_field() {
    let (severity, _) = verdict(
        "writeonly-property-hidden-from-response",
        Rule::ResponseOptionalPropertyRemoved,
    );
    assert_eq!(severity, Severity::NonBreaking);
}

#[test]
fn removals_that_change_the_generated_api_stay_sdk_breaking() {
    for (case, rule) in [
        ("request-parameter-removed", Rule::RequestParameterRemoved),
        ("request-property-removed", Rule::RequestPropertyRemoved),
        (
            "response-optional-property-removed",
            Rule::ResponseOptionalPropertyRemoved,
        ),
    ] {
        let (severity, items) = verdict(case, rule);
        assert_eq!(severity, Severity::SdkBreaking, "{case}");
        assert!(!items.is_empty(), "{case}");
    }
    // breaking on the wire already; the Rust items it takes away still show
    let (severity, items) = verdict("request-body-removed", Rule::RequestBodyRemoved);
    assert_eq!(severity, Severity::Breaking);
    assert!(!items.is_empty(), "{items:?}");
}

/// The Rust differences an enum restriction dropped causes (the enum type
/// removed, the field's type changed) are pinned on that change, not on
/// optional properties added beside it to the same schema (published
/// versions 12 -> 13 of the Upstash spec).
#[test]
fn an_enum_dropped_beside_added_properties_leaves_the_additions_non_breaking() {
    let r = report("response-enum-dropped-beside-properties-added");
    let dropped = r
        .changes
        .iter()
        .find(|c| c.rule == Rule::ResponseConstraintLoosened)
        .expect("the dropped enum");
    assert!(mentions(&dropped.rust_api, "types::State"), "{dropped:?}");
    assert!(
        mentions(&dropped.rust_api, "types::Database::state"),
        "{dropped:?}"
    );
    let added: Vec<_> = r
        .changes
        .iter()
        .filter(|c| c.rule == Rule::ResponsePropertyAdded)
        .collect();
    assert_eq!(added.len(), 2);
    for c in added {
        assert_eq!(c.severity, Severity::NonBreaking, "{c:?}");
        assert!(c.rust_api.is_empty(), "{c:?}");
    }
}

/// A schema wrapped in variants is a new Rust type: the wrapping carries
/// that difference; the property changes inside the wrapped schema arrive
/// with the new type and break nothing of their own.
#[test]
fn the_wrapping_carries_the_new_type_not_the_properties_inside_it() {
    let r = report("response-wrapped-in-variants");
    let wrapped = r
        .changes
        .iter()
        .find(|c| c.rule == Rule::ResponseWrappedInVariants)
        .expect("the wrapping");
    assert!(
        mentions(&wrapped.rust_api, "builder::GetDatabase::send"),
        "{wrapped:?}"
    );
    let inside: Vec<_> = r
        .changes
        .iter()
        .filter(|c| c.rule == Rule::ResponseOptionalPropertyRemoved)
        .collect();
    assert!(!inside.is_empty());
    for c in inside {
        assert!(c.rust_api.is_empty(), "{c:?}");
        assert_eq!(c.severity, Severity::NonBreaking, "{c:?}");
    }
}
