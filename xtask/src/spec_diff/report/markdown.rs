//! Markdown for a pull-request comment.

use std::fmt::Write;

use super::super::change::DiffReport;
use super::super::rules::Severity;
use super::summary::{
    bump_line, groups, lead_line, refusal_lines, sdk_line, shared_component, where_line,
};

fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// Renders a summary table and one table of changes per endpoint.
pub fn render(report: &DiffReport) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "### OpenAPI changes: `{}` → `{}`\n",
        report.old.source, report.new.source
    );
    if let Some(lead) = lead_line(report) {
        let _ = writeln!(out, "**{lead}**\n");
    }
    out.push_str("| severity | count |\n| --- | ---: |\n");
    for s in Severity::ALL {
        let _ = writeln!(out, "| {} | {} |", s.as_str(), report.count(s));
    }
    let _ = writeln!(out, "\n{}\n", sdk_line(&report.sdk));
    for line in refusal_lines(report) {
        let _ = writeln!(out, "**{line}**\n");
    }
    let _ = writeln!(out, "{}\n", bump_line(report));
    if report.changes.is_empty() {
        out.push_str("No changes.\n");
        return out;
    }
    for (endpoint, changes) in groups(report) {
        let _ = match endpoint {
            Some(e) => writeln!(out, "#### `{e}`\n"),
            None => writeln!(out, "#### Document\n"),
        };
        out.push_str("| severity | rule | change |\n| --- | --- | --- |\n");
        for c in changes {
            let mut what = cell(&c.message);
            if let Some(p) = shared_component(c) {
                let _ = write!(what, " (in `{}`)", cell(&p));
            }
            if let Some(at) = where_line(c) {
                let _ = write!(what, "<br>at `{}`", cell(&at));
            }
            for item in &c.rust_api {
                let _ = write!(what, "<br>Rust: `{}`", cell(item));
            }
            let (severity, rule) = (c.severity.as_str(), c.rule.id());
            let _ = writeln!(out, "| {severity} | `{rule}` | {what} |");
        }
        out.push('\n');
    }
    let _ = writeln!(out, "**{}**", report.summary_line());
    out
}
