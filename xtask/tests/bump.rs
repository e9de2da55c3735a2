//! The version bump each fixture pair demands: what the release does to
//! Rust code using the crate, one fixture per class.

use std::path::Path;

use xtask::spec_diff::bump::{Bump, BumpRule};
use xtask::spec_diff::change::DiffReport;
use xtask::spec_diff::{compare, load};

fn report(case: &str) -> DiffReport {
    let side = |side: &str| {
        let path =
            Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/fixtures/{case}/{side}.yml"));
        let text = std::fs::read_to_string(&path).expect("fixture");
        load::load_text(side, &text).unwrap_or_else(|e| panic!("{e}"))
    };
    compare(&side("old"), &side("new"), true)
}

fn bump(case: &str) -> Bump {
    BumpRule::RustApi.required(&report(case))
}

#[test]
fn rust_code_that_can_break_needs_a_major_release() {
    // An item removed: code stops compiling.
    assert_eq!(bump("operation-removed"), Bump::Major);
    assert_eq!(bump("request-enum-value-removed"), Bump::Major);
    // A field's type changed (cargo-semver-checks cannot see it).
    assert_eq!(bump("request-property-became-optional"), Bump::Major);
    // A builder value newly required: a call that worked fails in the crate.
    assert_eq!(bump("request-required-property-added"), Bump::Major);
    assert_eq!(bump("request-parameter-became-required"), Bump::Major);
    // A body newly required whose type has required fields: `send()` fails
    // until it is set (cargo-semver-checks cannot see it).
    assert_eq!(
        bump("request-required-body-with-required-fields-added"),
        Bump::Major
    );
}

#[test]
fn additions_to_the_rust_api_need_a_minor_release() {
    assert_eq!(bump("operation-added"), Bump::Minor);
    assert_eq!(bump("response-property-added"), Bump::Minor);
    assert_eq!(bump("request-optional-property-added"), Bump::Minor);
    // A body newly required that an empty one satisfies: calls keep working
    // (the API may refuse them: the wire verdict stays breaking).
    assert_eq!(bump("request-required-body-added"), Bump::Minor);
    // Breaking for HTTP clients, an added variant of a #[non_exhaustive]
    // enum for Rust code.
    let enum_value = report("response-enum-value-added");
    assert_eq!(
        enum_value.changes[0].severity.as_str(),
        "breaking",
        "the wire verdict stays"
    );
    assert_eq!(BumpRule::RustApi.required(&enum_value), Bump::Minor);
    assert_eq!(BumpRule::Wire.required(&enum_value), Bump::Major);
}

#[test]
fn wire_changes_with_the_same_rust_api_need_a_patch_release() {
    // The API broke existing HTTP clients; this release adapts to it.
    let moved = report("server-removed");
    assert_eq!(moved.changes[0].severity.as_str(), "breaking");
    assert_eq!(BumpRule::RustApi.required(&moved), Bump::Patch);
    assert_eq!(BumpRule::Wire.required(&moved), Bump::Major);
    assert_eq!(bump("operation-server-added"), Bump::Patch);
}

#[test]
fn documentation_needs_no_release() {
    assert_eq!(bump("documentation-changed"), Bump::None);
    assert_eq!(bump("identical"), Bump::None);
}
