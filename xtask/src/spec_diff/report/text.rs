//! Plain text for a terminal.

use std::fmt::Write;

use super::super::change::DiffReport;
use super::super::rules::Severity;
use super::summary::{
    bump_line, groups, lead_line, refusal_lines, sdk_line, shared_component, where_line,
};

fn paint(s: &str, severity: Severity, color: bool) -> String {
    if !color {
        return s.to_string();
    }
    let code = match severity {
        Severity::Breaking => "1;31",
        Severity::SdkBreaking => "1;35",
        Severity::NonBreaking => "32",
        Severity::Docs => "2",
    };
    format!("\x1b[{code}m{s}\x1b[0m")
}

/// Renders the report grouped by endpoint, with a summary line at the end.
pub fn render(report: &DiffReport, color: bool) -> String {
    let mut out = String::new();
    let version = |v: &Option<String>| v.as_deref().map(|v| format!(" ({v})")).unwrap_or_default();
    let _ = writeln!(
        out,
        "spec-diff {}{} -> {}{}",
        report.old.source,
        version(&report.old.info_version),
        report.new.source,
        version(&report.new.info_version)
    );
    if let Some(lead) = lead_line(report) {
        let _ = writeln!(out, "\n{}", paint(&lead, Severity::Breaking, color));
    }
    for (endpoint, changes) in groups(report) {
        out.push('\n');
        let _ = match endpoint {
            Some(e) => writeln!(out, "{e}"),
            None => writeln!(out, "document"),
        };
        for c in changes {
            let sev = format!("{:<12}", c.severity.as_str());
            let shared = shared_component(c)
                .map(|p| format!(" [{p}]"))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "  {} {}: {}{shared}",
                paint(&sev, c.severity, color),
                c.rule.id(),
                c.message
            );
            if let Some(at) = where_line(c) {
                let _ = writeln!(out, "  {:<12}   at: {at}", "");
            }
            for item in &c.rust_api {
                let _ = writeln!(out, "  {:<12}   rust: {item}", "");
            }
        }
    }
    if report.changes.is_empty() {
        out.push_str("\nno changes\n");
    }
    let _ = writeln!(out, "\n{}", sdk_line(&report.sdk));
    for line in refusal_lines(report) {
        let _ = writeln!(out, "{line}");
    }
    let _ = writeln!(out, "{}", report.summary_line());
    let _ = writeln!(out, "{}", bump_line(report));
    out
}
