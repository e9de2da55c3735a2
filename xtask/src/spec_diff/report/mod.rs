//! Rendering a [`DiffReport`] as text, Markdown, JSON or GitHub annotations.

pub mod github;
pub mod json;
pub mod markdown;
pub mod summary;
pub mod text;

use super::change::DiffReport;

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// For a terminal: grouped by endpoint, a summary line.
    Text,
    /// For a pull-request comment.
    Markdown,
    /// For tools: see [`json`] for the schema.
    Json,
    /// GitHub Actions annotations on the spec's lines: see [`github`].
    Github,
}

impl Format {
    /// Reads `text`, `markdown`, `json` or `github`.
    pub fn parse(s: &str) -> Option<Format> {
        match s {
            "text" => Some(Format::Text),
            "markdown" | "md" => Some(Format::Markdown),
            "json" => Some(Format::Json),
            "github" => Some(Format::Github),
            _ => None,
        }
    }
}

/// Renders `report`; `color` adds ANSI colours to the text format.
pub fn render(report: &DiffReport, format: Format, color: bool) -> String {
    match format {
        Format::Text => text::render(report, color),
        Format::Markdown => markdown::render(report),
        Format::Json => json::render(report),
        Format::Github => github::render(report),
    }
}
