//! JSON for tools. The schema is versioned by `schema_version`.
//!
//! Schema version 1:
//!
//! ```text
//! {
//!   "schema_version": 1,
//!   "old": { "source": string, "info_version": string | null },
//!   "new": { "source": string, "info_version": string | null },
//!   "summary": { "total": n, "breaking": n, "sdk-breaking": n, "non-breaking": n, "docs": n },
//!   "sdk_analysis": { "status": "done" | "skipped" | "unavailable",
//!                     "rust_api_differences": n | null, "reason": string | null },
//!   "build_refuses": [string],      // the build's error for each side it
//!                                   // would not generate the SDK from
//!   "required_bump": "major" | "minor" | "patch" | "none",
//!                                   // in semver terms (a 0.x crate moves each
//!                                   // one place down): the largest of the changes'
//!   "changes": [ {
//!     "rule": string,            // stable kebab-case id, see `rules.rs`
//!     "severity": "breaking" | "sdk-breaking" | "non-breaking" | "docs",
//!     "operation": { "method": string, "path": string } | null,
//!     "old_pointer": string | null,   // RFC 6901 pointer into the old document
//!     "new_pointer": string | null,   // RFC 6901 pointer into the new document
//!     "message": string,
//!     "old": any | null,
//!     "new": any | null,
//!     "rust_api": [string],           // generated items it breaks (SDK analysis)
//!     "required_bump": "major" | "minor" | "patch" | "none",
//!                                     // what it does to Rust code using the crate
//!     "affected_operations": n | null,// operations using the shared component
//!                                     // schema the change sits in
//!     "old_location": { "file": string, "line": n, "column": n } | null,
//!                                     // where it is in the old text (1-based);
//!                                     // for an addition, the nearest node that
//!                                     // encloses where it would be
//!     "new_location": { "file": string, "line": n, "column": n } | null
//!   } ]
//! }
//! ```
//!
//! Fields are only ever added within a schema version; a removal or a change
//! of meaning increments it.

use serde_json::{Value, json};

use super::super::bump::{Bump, BumpRule};
use super::super::change::{DiffReport, Location, SdkAnalysis};
use super::super::rules::Severity;
use upstash_api_codegen::NodePath;

/// The current schema version.
pub const SCHEMA_VERSION: u64 = 1;

/// The report as a JSON value.
pub fn to_value(report: &DiffReport) -> Value {
    let changes: Vec<Value> = report
        .changes
        .iter()
        .map(|c| {
            json!({
                "rule": c.rule.id(),
                "severity": c.severity.as_str(),
                "operation": c.endpoint.as_ref().map(|e| json!({"method": e.method, "path": e.path})),
                "old_pointer": c.old_node.as_ref().map(NodePath::pointer),
                "new_pointer": c.new_node.as_ref().map(NodePath::pointer),
                "message": c.message,
                "old": c.old,
                "new": c.new,
                "rust_api": c.rust_api,
                "required_bump": Bump::of_change(c, &report.sdk).as_str(),
                "affected_operations": c.affects,
                "old_location": c.old_location.as_ref().map(location),
                "new_location": c.new_location.as_ref().map(location),
            })
        })
        .collect();
    let (status, n, reason) = match &report.sdk {
        SdkAnalysis::Done(n) => ("done", Some(*n), None),
        SdkAnalysis::Skipped(r) => ("skipped", None, Some(r.clone())),
        SdkAnalysis::Unavailable(r) => ("unavailable", None, Some(r.clone())),
    };
    json!({
        "schema_version": SCHEMA_VERSION,
        "old": {"source": report.old.source, "info_version": report.old.info_version},
        "new": {"source": report.new.source, "info_version": report.new.info_version},
        "summary": {
            "total": report.changes.len(),
            "breaking": report.count(Severity::Breaking),
            "sdk-breaking": report.count(Severity::SdkBreaking),
            "non-breaking": report.count(Severity::NonBreaking),
            "docs": report.count(Severity::Docs),
        },
        "sdk_analysis": {"status": status, "rust_api_differences": n, "reason": reason},
        "build_refuses": report.build_refuses,
        "required_bump": BumpRule::RustApi.required(report).as_str(),
        "changes": changes,
    })
}

fn location(at: &Location) -> Value {
    json!({"file": at.file, "line": at.line, "column": at.column})
}

/// The report as pretty-printed JSON with a trailing newline.
pub fn render(report: &DiffReport) -> String {
    let mut s = serde_json::to_string_pretty(&to_value(report))
        .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}
