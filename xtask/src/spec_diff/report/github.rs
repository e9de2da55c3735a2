//! GitHub Actions workflow commands: each breaking change an `::error`,
//! each sdk-breaking one a `::warning`, on the line of the new file where
//! it is (the old file's for a change only the old side has a line for),
//! so a pull request shows the gate's findings on its own lines. The
//! summary follows as plain lines.

use std::fmt::Write;

use super::super::change::DiffReport;
use super::super::rules::Severity;
use super::summary::{bump_line, lead_line, refusal_lines, sdk_line};

/// Renders the annotations, then the summary.
pub fn render(report: &DiffReport) -> String {
    let mut out = String::new();
    for c in &report.changes {
        let level = match c.severity {
            Severity::Breaking => "error",
            Severity::SdkBreaking => "warning",
            Severity::NonBreaking | Severity::Docs => continue,
        };
        let mut properties = Vec::new();
        if let Some(at) = c.new_location.as_ref().or(c.old_location.as_ref()) {
            let file = property(&at.file);
            properties.push(format!("file={file},line={},col={}", at.line, at.column));
        }
        let title = property(&format!("{} {}", c.severity, c.rule));
        properties.push(format!("title={title}"));
        let mut message = match &c.endpoint {
            Some(e) => format!("{e}: {}", c.message),
            None => c.message.clone(),
        };
        for item in &c.rust_api {
            let _ = write!(message, "\nRust: {item}");
        }
        let (properties, message) = (properties.join(","), data(&message));
        let _ = writeln!(out, "::{level} {properties}::{message}");
    }
    for line in refusal_lines(report) {
        let _ = writeln!(out, "::error ::{}", data(&line));
    }
    if let Some(lead) = lead_line(report) {
        let _ = writeln!(out, "{lead}");
    }
    let _ = writeln!(out, "{}", sdk_line(&report.sdk));
    let _ = writeln!(out, "{}", report.summary_line());
    let _ = writeln!(out, "{}", bump_line(report));
    out
}

/// A message, escaped as workflow commands require.
fn data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A property value, escaped as workflow commands require.
fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_escaped_as_github_reads_them() {
        assert_eq!(data("50% of\nlines"), "50%25 of%0Alines");
        assert_eq!(property("a:b,c"), "a%3Ab%2Cc");
    }
}
