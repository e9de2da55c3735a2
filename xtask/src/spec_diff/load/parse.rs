//! Text to JSON value: YAML 1.2 through codegen's reader (the build's), JSON
//! through `serde_json`.

use serde_json::Value;

/// What is wrong with a document, and where (a line and column, or a JSON
/// pointer).
pub type Problem = (String, Option<String>);

/// A value as text for messages: a string without its quotes, anything
/// else as JSON.
pub fn plain(v: &Value) -> String {
    v.as_str().map_or_else(|| v.to_string(), str::to_string)
}

/// Parses YAML 1.2 or JSON text.
///
/// JSON (the first non-blank character is `{`) goes through `serde_json`
/// (via the codegen crate's parser); YAML through [`upstash_api_codegen::yaml`],
/// the build's YAML 1.2 reader. Both refuse nesting deeper than they can
/// read (a recursion limit), with a location.
pub fn parse(text: &str) -> Result<Value, Problem> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(("the document is empty".into(), None));
    }
    if text.trim_start().starts_with('{') {
        return upstash_api_codegen::document::parse(text).map_err(|e| (e.problem, e.location));
    }
    upstash_api_codegen::yaml::parse(text).map_err(|e| {
        (
            format!("invalid YAML: {}", e.message),
            Some(format!("line {}, column {}", e.line, e.column)),
        )
    })
}
