//! What the text and Markdown reports share: changes grouped by endpoint,
//! the SDK analysis line, the shared-component note.

use super::super::change::{Change, DiffReport, Endpoint, SdkAnalysis};

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
    let p = c.new_pointer.as_deref().or(c.old_pointer.as_deref())?;
    let rest = p.strip_prefix("/components/")?;
    let mut parts = rest.splitn(3, '/');
    let component = format!("#/components/{}/{}", parts.next()?, parts.next()?);
    Some(match c.affects {
        Some(n) => format!(
            "{component}, used by {n} operation{}",
            if n == 1 { "" } else { "s" }
        ),
        None => component,
    })
}
