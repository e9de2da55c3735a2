//! What the text and Markdown reports share: changes grouped by endpoint,
//! the lead about HTTP clients, the SDK analysis and release lines, the
//! shared-component note.

use super::super::bump::{Bump, BumpRule};
use super::super::change::{Change, DiffReport, Endpoint, SdkAnalysis};
use super::super::rules::Severity;
use upstash_api_codegen::{Scope, escape_segment};

/// The changes grouped by endpoint, document-wide ones (`None`) first, each
/// group in the order the changes were found.
pub fn groups(report: &DiffReport) -> Vec<(Option<&Endpoint>, Vec<&Change>)> {
    let mut out: Vec<(Option<&Endpoint>, Vec<&Change>)> = Vec::new();
    let mut index: std::collections::HashMap<Option<&Endpoint>, usize> = Default::default();
    for c in &report.changes {
        let key = c.endpoint.as_ref();
        let i = *index.entry(key).or_insert_with(|| {
            out.push((key, Vec::new()));
            out.len() - 1
        });
        out[i].1.push(c);
    }
    out.sort_by_key(|g| g.0.is_some());
    out
}

/// The line that leads a report with wire-breaking changes, if it has any:
/// they hurt existing HTTP clients whatever the crate's version says.
pub fn lead_line(report: &DiffReport) -> Option<String> {
    let n = report.count(Severity::Breaking);
    (n > 0).then(|| {
        format!(
            "{n} change{} of the API {} existing HTTP clients; this release adapts to {}.",
            if n == 1 { "" } else { "s" },
            if n == 1 { "breaks" } else { "break" },
            if n == 1 { "it" } else { "them" }
        )
    })
}

/// The release the report demands of the crate (in semver terms; one
/// place down while the crate is 0.x), and the stricter rule's when it
/// differs.
pub fn bump_line(report: &DiffReport) -> String {
    let rust = BumpRule::RustApi.required(report);
    let wire = BumpRule::Wire.required(report);
    let release = |b: Bump| match b {
        Bump::None => "no release".to_string(),
        b => format!("{} release", b.as_str()),
    };
    let mut line = format!(
        "Required: {} (what it does to Rust code using the crate)",
        release(rust)
    );
    if wire != rust {
        line.push_str(&format!("; --strict-wire: {}", release(wire)));
    }
    line
}

/// Where a change is: `old.yml:12 -> new.yml:14`, or one side when only
/// one is known; `None` when neither is.
pub fn where_line(change: &Change) -> Option<String> {
    match (&change.old_location, &change.new_location) {
        (Some(old), Some(new)) => Some(format!("{old} -> {new}")),
        (Some(one), None) | (None, Some(one)) => Some(one.to_string()),
        (None, None) => None,
    }
}

/// One line per side the build refuses: no crate can be generated from it.
pub fn refusal_lines(report: &DiffReport) -> Vec<String> {
    report
        .build_refuses
        .iter()
        .map(|e| format!("The build refuses {e}"))
        .collect()
}

/// One line about the SDK analysis.
pub fn sdk_line(sdk: &SdkAnalysis) -> String {
    match sdk {
        SdkAnalysis::Done(n) => format!(
            "SDK analysis: generated both sides; {n} Rust API difference{}",
            if *n == 1 { "" } else { "s" }
        ),
        SdkAnalysis::Skipped(why) => format!("SDK analysis: skipped ({why})"),
        SdkAnalysis::Unavailable(why) => format!("SDK analysis: unavailable ({why})"),
    }
}

/// For a change inside a shared component reached from an operation, the
/// component (`#/components/schemas/Database`) and, when known, how many
/// operations use it: the change is reported once, under the first
/// operation that reaches it, and applies to all of them.
pub fn shared_component(c: &Change) -> Option<String> {
    c.endpoint.as_ref()?;
    let Scope::Component { kind, name } = &c.node()?.scope else {
        return None;
    };
    let component = format!("#/components/{kind}/{}", escape_segment(name));
    Some(match c.affects {
        Some(n) => format!(
            "{component}, used by {n} operation{}",
            if n == 1 { "" } else { "s" }
        ),
        None => component,
    })
}
